"""Batch checking: folders, globs, parallel workers, broken files, deterministic output."""

from __future__ import annotations

import json
import random

from conftest import HUAIAN_TXT, PINGTAN_2021, PINGTAN_2024, SEED, run_cli

ROWS = ["（一）予以公开 2 0 0 0 0 0 2", "行政强制 0 0 0", "政府集中采购 10", "2019 年度，市工信局收到政府信息公开申请 2 件"]


def _html(text: str) -> str:
    from html import escape

    body = "\n".join(f"<p>{escape(line)}</p>" for line in text.split("\n") if line.strip())
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>年报</title></head><body>{body}</body></html>"


def make_corpus(folder, count=200, seed=7):
    """Mixed formats, mutated figures, nested folders and a few broken files."""
    rng = random.Random(seed)
    samples = [SEED.read_text(encoding="utf-8"), HUAIAN_TXT.read_text(encoding="utf-8"),
               PINGTAN_2021.read_text(encoding="utf-8"), PINGTAN_2024.read_text(encoding="utf-8")]
    paths = []
    for index in range(count):
        sub = folder / f"dept{index % 7}"
        sub.mkdir(parents=True, exist_ok=True)
        text = samples[index % len(samples)]
        if index % 4 == 0:
            old = rng.choice(ROWS)
            text = text.replace(old, old.replace("2", str(rng.randint(3, 9))), 1)
        kind = index % 5
        if kind == 0:
            path = sub / f"r{index:03}.txt"
            path.write_bytes(text.encode("gb18030"))
        elif kind == 1:
            path = sub / f"r{index:03}.md"
            path.write_text(text, encoding="utf-8")
        elif kind == 2:
            path = sub / f"r{index:03}.html"
            path.write_text(_html(text), encoding="utf-8")
        else:
            path = sub / f"r{index:03}.txt"
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    (folder / "dept0" / "empty.txt").write_text("", encoding="utf-8")
    (folder / "dept1" / "broken.docx").write_bytes(b"PK\x03\x04broken")
    (folder / "dept2" / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (folder / "dept3" / "notes.csv").write_text("not a report", encoding="utf-8")
    return paths


def _jsonl(*args):
    result = run_cli("check", *args, "--format", "jsonl")
    return result, [json.loads(line) for line in result.stdout.splitlines()]


def test_batch_is_the_same_alone_and_in_parallel(tmp_path):
    make_corpus(tmp_path / "reports")
    one, serial = _jsonl(tmp_path / "reports", "--jobs", "1")
    two, parallel = _jsonl(tmp_path / "reports", "--jobs", "2")
    assert one.returncode == two.returncode == 2  # the broken files make the worst result an input error
    assert one.stdout == two.stdout
    assert len(serial) == 203  # 200 reports and 3 broken files; notes.csv is not a report
    assert [o["path"] for o in serial] == sorted(o["path"] for o in serial)
    broken = {o["path"].rsplit("/", 1)[-1]: o["error"] for o in serial if o["error"]}
    assert set(broken) == {"empty.txt", "broken.docx", "broken.pdf"}
    by_path = {o["path"]: o for o in serial}
    for path in sorted(by_path)[::25]:
        if by_path[path]["error"]:
            continue
        alone = json.loads(run_cli("check", path, "--format", "json").stdout)["files"][0]
        assert alone["findings"] == by_path[path]["findings"], path


def test_mutated_reports_are_flagged_in_the_batch(tmp_path):
    paths = make_corpus(tmp_path / "r", count=20)
    _, objects = _jsonl(tmp_path / "r", "--jobs", "2")
    flagged = {o["path"] for o in objects if o["findings"] and any(f["code"].startswith(("T3", "T0")) for f in o["findings"])}
    assert str(paths[0]) in flagged or str(paths[4]) in flagged or str(paths[8]) in flagged


def test_glob_and_summary_table(tmp_path):
    make_corpus(tmp_path / "g", count=10)
    result = run_cli("check", str(tmp_path / "g" / "**" / "*.txt"), "--jobs", "2", "--exit-zero")
    assert result.returncode == 2  # empty.txt
    assert "各文件检查结果" in result.stdout and "淄博市工业和信息化局" in result.stdout
    assert "检查了" in result.stdout.splitlines()[-1]


def test_symlink_loop_in_a_folder(tmp_path):
    folder = tmp_path / "loop"
    folder.mkdir()
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    (folder / "self").symlink_to(folder)
    (folder / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("check", folder, "--format", "jsonl", "--jobs", "2")
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert {o["path"].rsplit("/", 1)[-1] for o in objects} == {"a.txt", "b.txt", "seed.txt"}
    assert all("循环" in o["error"] for o in objects if o["path"].endswith(("a.txt", "b.txt")))
