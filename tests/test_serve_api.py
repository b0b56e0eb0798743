"""`gidraft serve` through Starlette's test client and a real server process: the same findings as
`gidraft check`, decisions that survive a restart and two tabs, downloads, limits and headers."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from conftest import CORPUS, PINGTAN_2021, ROOT, SEED, run_cli
from gidraft.batch import expand
from gidraft.serve import db
from gidraft.serve.app import Limits, create_app

GUARD = {"X-Gidraft": "1"}
SAMPLES = [Path(p) for p in expand([str(SEED.parent), str(CORPUS)]) if Path(p).name != "README.md"]


def client(data: Path, **options) -> TestClient:
    return TestClient(create_app(data, **options))


def upload(web: TestClient, *paths: Path, names: list[str] | None = None) -> list[dict]:
    files = [("files", (name, Path(p).read_bytes())) for p, name in zip(paths, names or [Path(p).name for p in paths])]
    answer = web.post("/api/reports", files=files, headers=GUARD)
    assert answer.status_code == 200, answer.text
    return answer.json()["files"]


def findings(web: TestClient, report_id: int) -> list[dict]:
    return web.get(f"/api/reports/{report_id}/findings").json()["findings"]


def decide(web: TestClient, report_id: int, fingerprint: str, decision: str, note: str = "") -> None:
    answer = web.post(f"/api/reports/{report_id}/decisions", json={"fingerprint": fingerprint, "decision": decision, "note": note},
                      headers=GUARD)
    assert answer.status_code == 200, answer.text


@pytest.fixture(scope="module")
def every_sample(tmp_path_factory):
    """All samples of tests/fixtures uploaded into one workbench, and `gidraft check --format json` over them."""
    data = tmp_path_factory.mktemp("all")
    web = client(data)
    uploaded = upload(web, *SAMPLES)
    done = run_cli("check", "--format", "json", "--exit-zero", *SAMPLES)
    return web, uploaded, json.loads(done.stdout)


def test_counts_equal_gidraft_check_over_every_sample(every_sample):
    web, uploaded, cli = every_sample
    assert len(SAMPLES) >= 10 and len(uploaded) == len(SAMPLES)
    listed = web.get("/api/reports").json()
    summary = listed["summary"]
    assert {k: summary[k] for k in ("files", "errors", "warnings", "infos", "unreadable")} == \
        {k: cli["summary"][k] for k in ("files", "errors", "warnings", "infos", "unreadable")}
    # per file: the same findings, codes and fingerprints (cross-year pairs included: pingtan 2018 and 2019)
    by_name = {Path(f["path"]).name: f for f in cli["files"]}
    for report in listed["reports"]:
        mine = findings(web, report["id"])
        theirs = by_name[report["name"]]["findings"]
        assert [(f["code"], f["severity"], f["line"], f["column"], f["fingerprint"], f["message"]) for f in mine] == \
            [(f["code"], f["severity"], f["line"], f["column"], f["fingerprint"], f["message"]) for f in theirs], report["name"]


def next_year_of(report: Path, folder: Path, carried_over: int) -> Path:
    """Next year's report of the same agency: `gidraft init --from` then `gidraft draft`, with 上年结转 changed."""
    import yaml

    data = folder / "next.yaml"
    assert run_cli("init", "--from", report, "-o", data).returncode == 0
    values = yaml.safe_load(data.read_text(encoding="utf-8"))
    values["t3"]["carried_over"]["natural_person"] = carried_over
    values["t3"]["carried_over"]["total"] = carried_over
    data.write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
    target = folder / f"pingtan-{values['meta']['year']}.md"
    done = run_cli("draft", data, "-o", target, "--allow-incomplete")
    assert done.returncode == 0, done.stderr
    return target


def test_two_years_of_one_agency_are_paired_as_check_pairs_them(tmp_path):
    later = next_year_of(PINGTAN_2021, tmp_path, carried_over=3)
    web = client(tmp_path / "data")
    (first,) = upload(web, later)  # alone: nothing to compare with
    assert not [f for f in findings(web, first["id"]) if f["code"].startswith("X")]
    upload(web, PINGTAN_2021)  # last year's arrives: this year's report gains its cross-year findings
    cli = json.loads(run_cli("check", "--format", "json", "--exit-zero", later, PINGTAN_2021).stdout)
    theirs = [(f["code"], f["fingerprint"], f["message"]) for f in cli["files"][0]["findings"] if f["code"].startswith("X")]
    mine = [(f["code"], f["fingerprint"], f["message"]) for f in findings(web, first["id"]) if f["code"].startswith("X")]
    assert mine == theirs and "X101" in {code for code, _, _ in mine}
    (row,) = [r for r in web.get("/api/reports").json()["reports"] if r["id"] == first["id"]]
    assert row["crossyear"] == len(mine) and row["previous_id"] == first["id"] + 1
    web.delete(f"/api/reports/{first['id'] + 1}", headers=GUARD)  # last year's report deleted: the pair is gone
    assert not [f for f in findings(web, first["id"]) if f["code"].startswith("X")]
    assert web.get("/api/reports").json()["reports"][0]["previous_id"] is None


def test_dashboard_shows_the_same_totals(every_sample):
    web, _, cli = every_sample
    page = web.get("/").text
    for key in ("errors", "warnings", "infos"):
        assert f'data-total="{key}">{cli["summary"][key]}<' in page
    assert page.count('<tr data-id="') == len(SAMPLES)
    charts = json.loads(page.split('id="charts-data">', 1)[1].split("</script>", 1)[0])
    assert sum(n for _, n in charts["families"]) == sum(cli["summary"][k] for k in ("errors", "warnings", "infos"))
    assert sum(n for _, n in charts["errors"]) == len(SAMPLES) - cli["summary"]["unreadable"]


def test_every_report_page_renders(every_sample):
    web, uploaded, _ = every_sample
    for item in uploaded:
        for path in (f"/reports/{item['id']}", f"/reports/{item['id']}/print"):
            answer = web.get(path)
            assert answer.status_code == 200, (item["name"], answer.text[:500])
            assert "<script>" not in answer.text and "onerror" not in answer.text


def test_decisions_survive_a_restart_and_deleting_removes_everything(tmp_path):
    web = client(tmp_path)
    (seed,) = upload(web, SEED)
    first, *_, last = findings(web, seed["id"])
    decide(web, seed["id"], first["fingerprint"], "accepted")
    decide(web, seed["id"], last["fingerprint"], "dismissed", "原件如此")
    again = client(tmp_path)  # a new app on the same data folder: what a restart sees
    kept = {f["fingerprint"]: (f["decision"], f["note"]) for f in findings(again, seed["id"]) if f["decision"]}
    assert kept == {first["fingerprint"]: ("accepted", ""), last["fingerprint"]: ("dismissed", "原件如此")}
    assert again.delete(f"/api/reports/{seed['id']}", headers=GUARD).status_code == 200
    with sqlite3.connect(tmp_path / db.FILE) as connection:
        counts = [connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in ("reports", "findings", "decisions")]
    assert counts == [0, 0, 0]
    assert again.get(f"/reports/{seed['id']}").status_code == 404


def test_two_tabs_deciding_at_once_lose_nothing(tmp_path):
    web = client(tmp_path)
    (seed,) = upload(web, SEED)
    items = findings(web, seed["id"])
    tabs = [client(tmp_path) for _ in items]  # one app (and connection pool) per tab, like separate requests
    threads = [threading.Thread(target=decide, args=(tab, seed["id"], f["fingerprint"], "dismissed", f"第{n}条"))
               for n, (tab, f) in enumerate(zip(tabs, items))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(f["note"] for f in findings(web, seed["id"])) == sorted(f"第{n}条" for n in range(len(items)))


def test_the_exported_baseline_is_accepted_by_check(tmp_path):
    web = client(tmp_path / "data")
    (seed,) = upload(web, SEED)
    items = findings(web, seed["id"])
    decide(web, seed["id"], items[0]["fingerprint"], "accepted", "已改")
    decide(web, seed["id"], items[1]["fingerprint"], "dismissed", "不是错误")
    answer = web.get(f"/reports/{seed['id']}/download/baseline.json")
    assert answer.status_code == 200 and "attachment" in answer.headers["content-disposition"]
    baseline = answer.json()
    assert [(d["fingerprint"], d["decision"], d["note"]) for d in baseline["decisions"]] == \
        [(items[0]["fingerprint"], "accepted", "已改"), (items[1]["fingerprint"], "dismissed", "不是错误")]
    (tmp_path / "reviewed.json").write_text(json.dumps(baseline, ensure_ascii=False), encoding="utf-8")
    done = run_cli("check", SEED, "--baseline", tmp_path / "reviewed.json", "--format", "json", "--exit-zero")
    result = json.loads(done.stdout)
    assert result["summary"]["suppressed"] == 2
    assert [f["fingerprint"] for f in result["files"][0]["findings"]] == [f["fingerprint"] for f in items[2:]]


def test_one_baseline_for_every_report(tmp_path):
    web = client(tmp_path / "data")
    uploaded = upload(web, SEED, PINGTAN_2021)
    chosen = [findings(web, item["id"])[0] for item in uploaded]
    for item, f in zip(uploaded, chosen):
        decide(web, item["id"], f["fingerprint"], "dismissed", "已核")
    baseline = web.get("/download/baseline.json").json()
    assert sorted((d["path"], d["fingerprint"]) for d in baseline["decisions"]) == \
        sorted((item["name"], f["fingerprint"]) for item, f in zip(uploaded, chosen))
    (tmp_path / "reviewed.json").write_text(json.dumps(baseline, ensure_ascii=False), encoding="utf-8")
    done = run_cli("check", SEED, PINGTAN_2021, "--baseline", tmp_path / "reviewed.json", "--format", "json", "--exit-zero")
    assert json.loads(done.stdout)["summary"]["suppressed"] == 2


def test_spreadsheets_list_the_reviewed_findings(tmp_path):
    from openpyxl import load_workbook

    web = client(tmp_path)
    (seed,) = upload(web, SEED, names=["=HYPERLINK(1).txt"])  # a name that would be a formula
    items = findings(web, seed["id"])
    decide(web, seed["id"], items[0]["fingerprint"], "dismissed", "=1+1")
    book = load_workbook(io.BytesIO(web.get(f"/reports/{seed['id']}/download/findings.xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("文件", "位置", "级别", "代码") and len(rows) == len(items) + 1
    assert rows[1][0] == "=HYPERLINK(1).txt" and rows[1][8:10] == ("已忽略", "=1+1")
    assert book.active["A2"].data_type == "s" and [r[3] for r in rows[1:]] == [f["code"] for f in items]
    text = web.get(f"/reports/{seed['id']}/download/findings.csv").content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert len(table) == len(items) + 1 and table[1][0] == "'=HYPERLINK(1).txt" and table[1][9] == "'=1+1"
    assert [row[5] for row in table[1:]] == [f["message"] for f in items]


def test_word_downloads_only_for_word_reports(tmp_path):
    web = client(tmp_path)
    (seed,) = upload(web, SEED)
    answer = web.get(f"/reports/{seed['id']}/download/annotated.docx")
    assert answer.status_code == 409 and "Word" in answer.json()["error"]
    assert "批注稿、修订稿只适用于 Word" in web.get(f"/reports/{seed['id']}").text


def test_unreadable_files_get_the_message_of_the_command_line(tmp_path):
    web = client(tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    for name in ("empty.txt", "broken.docx"):
        done = run_cli("check", tmp_path / name)
        cli_message = done.stderr.strip().split(": ", 2)[-1]
        (item,) = upload(web, tmp_path / name)
        assert item["error"] == cli_message
        assert cli_message in web.get("/").text
    (item,) = upload(web, SEED, names=["报告.exe"])
    assert item["id"] is None and "不支持的文件类型" in item["error"]
    first, again = upload(web, SEED, SEED, names=["甲.txt", "乙.txt"])
    assert first["id"] and again["id"] is None and "与已上传的“甲.txt”内容相同" in again["error"]


def test_uploaded_names_are_never_paths(tmp_path):
    web = client(tmp_path / "data")
    (item,) = upload(web, SEED, names=["../../evil/报告.txt"])
    assert item["name"] == "报告.txt"
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) <= [db.FILE, db.FILE + "-shm", db.FILE + "-wal"]
    assert not (tmp_path / "evil").exists()


def test_limits_headers_and_guard(tmp_path):
    web = client(tmp_path, limits=Limits(max_bytes=1000, max_files=2))
    (big,) = web.post("/api/reports", files=[("files", ("a.txt", b"x" * 5000))], headers=GUARD).json()["files"]
    assert big["id"] is None and "文件过大（上限" in big["error"]
    huge = web.post("/api/reports", files=[("files", ("a.txt", b"x" * (1 << 21)))], headers=GUARD)
    assert huge.status_code == 413 and "上传内容过大" in huge.json()["error"]
    many = web.post("/api/reports", files=[("files", (f"{n}.txt", b"x")) for n in range(3)], headers=GUARD)
    assert many.status_code == 400 and "最多 2 个" in many.json()["error"]
    unguarded = web.post("/api/reports", files=[("files", ("a.txt", b"x"))])
    assert unguarded.status_code == 403
    for path in ("/", "/api/reports", "/static/app.css", "/nowhere"):
        headers = web.get(path).headers
        assert headers["content-security-policy"].startswith("default-src 'none'; script-src 'self';")
        assert headers["x-content-type-options"] == "nosniff"
    assert web.get("/", headers={"host": "evil.example"}).status_code == 400  # DNS rebinding


def test_schema_version_and_a_newer_database(tmp_path):
    client(tmp_path)
    with sqlite3.connect(tmp_path / db.FILE) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == len(db.MIGRATIONS)
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        connection.execute(f"PRAGMA user_version = {len(db.MIGRATIONS) + 1}")
    with pytest.raises(RuntimeError, match="更新版本"):
        client(tmp_path)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_serve(data: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "gidraft", "serve", "--port", str(port), "--data", str(data)],
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    line = process.stderr.readline()
    assert f"http://127.0.0.1:{port}/" in line and str(data) in line, line
    import httpx2

    deadline = time.monotonic() + 60
    while True:
        try:
            httpx2.get(f"http://127.0.0.1:{port}/api/reports", timeout=5)
            return process
        except httpx2.TransportError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise
            time.sleep(0.2)


def test_the_command_serves_and_a_restart_keeps_every_decision(tmp_path):
    import httpx2

    port = free_port()
    process = start_serve(tmp_path, port)
    try:
        url = f"http://127.0.0.1:{port}"
        answer = httpx2.post(f"{url}/api/reports", files=[("files", (SEED.name, SEED.read_bytes())),
                                                           ("files", (PINGTAN_2021.name, PINGTAN_2021.read_bytes()))],
                             headers=GUARD, timeout=300)
        uploaded = answer.json()["files"]
        decided = {}
        for item in uploaded:
            for n, f in enumerate(httpx2.get(f"{url}/api/reports/{item['id']}/findings").json()["findings"]):
                decision = ("accepted", "dismissed")[n % 2]
                httpx2.post(f"{url}/api/reports/{item['id']}/decisions", headers=GUARD,
                            json={"fingerprint": f["fingerprint"], "decision": decision, "note": f"备注{n}"}).raise_for_status()
                decided[(item["id"], f["fingerprint"])] = (decision, f"备注{n}")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)
    process = start_serve(tmp_path, port)
    try:
        kept = {(item["id"], f["fingerprint"]): (f["decision"], f["note"])
                for item in uploaded for f in httpx2.get(f"{url}/api/reports/{item['id']}/findings").json()["findings"]}
        assert kept == decided and len(decided) >= 8
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)


def test_a_port_in_use_is_refused_in_chinese(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_cli("serve", "--port", port, "--data", tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"无法在 127.0.0.1:{port} 上监听" in done.stderr and "--port" in done.stderr


def test_serve_help_is_chinese():
    done = run_cli("serve", "--help")
    assert done.returncode == 0
    for words in ("启动年报工作台", "--host", "--port", "--data", "--open", "监听地址", "数据目录"):
        assert words in done.stdout
    assert ROOT.exists()
