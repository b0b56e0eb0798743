"""Batch checking: folders, globs, parallel workers, broken files, deterministic output."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

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


# --------------------------------------------------------------- links, globs and folders (issue 17)

def test_symlink_out_of_the_folder_is_not_followed(tmp_path):
    secret = tmp_path / "credentials.txt"
    secret.write_text("AWS_SECRET=hunter2\n" + SEED.read_text(encoding="utf-8"), encoding="utf-8")
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "leak.txt").symlink_to(secret)
    (folder / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    for fmt in ("html", "sarif", "json"):
        result = run_cli("check", folder, "--format", fmt)
        assert "hunter2" not in result.stdout and "credentials" not in result.stdout
        notes = [line for line in result.stderr.splitlines() if "检查范围之外" in line]
        assert len(notes) == 2 and any("leak.txt" in n for n in notes) and any("elsewhere" in n for n in notes), result.stderr
        assert result.returncode == 1


def test_recursive_glob_through_a_link_loop_checks_each_file_once(tmp_path):
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)
    result, objects = _jsonl(f"{folder}/**/*.txt")
    assert [o["path"].rsplit("/", 1)[-1] for o in objects] == ["seed.txt"]


def test_unreadable_folder_is_named(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every folder")
    folder = tmp_path / "reports"
    (folder / "locked").mkdir(parents=True)
    (folder / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    os.chmod(folder / "locked", 0)
    try:
        result = run_cli("check", folder, "--format", "json")
    finally:
        os.chmod(folder / "locked", 0o755)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert any("locked" in line and "无法读取文件夹" in line for line in result.stderr.splitlines()), result.stderr


def test_fifo_in_a_folder_does_not_stall_the_batch(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    result = subprocess.run([sys.executable, "-m", "gidraft", "check", folder, "--format", "jsonl", "--jobs", "2"],
                            capture_output=True, text=True, timeout=120)
    objects = {o["path"].rsplit("/", 1)[-1]: o for o in map(json.loads, result.stdout.splitlines())}
    assert result.returncode == 2
    assert "管道" in objects["pipe.txt"]["error"] and objects["seed.txt"]["findings"]


# ------------------------------------------------------------------- workers that die (issue 17)

def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def _batch(folder, count: int) -> list:
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for index in range(count):
        (folder / f"r{index:02}.txt").write_text(text, encoding="utf-8")
    return sorted(folder.iterdir())


def _start(*args) -> subprocess.Popen:
    if not os.path.exists("/proc/self/task"):
        pytest.skip("needs Linux /proc")
    return subprocess.Popen([sys.executable, "-m", "gidraft", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def _wait_for_workers(process: subprocess.Popen, count: int) -> list[int]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        workers = _children(process.pid)
        if len(workers) >= count:
            return workers
        time.sleep(0.05)
    raise AssertionError("the workers did not start")


def test_a_killed_worker_costs_only_its_file(tmp_path):
    files = _batch(tmp_path / "reports", 12)
    process = _start("check", tmp_path / "reports", "--format", "jsonl", "--jobs", "2")
    os.kill(_wait_for_workers(process, 2)[0], signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 2 and "Traceback" not in stderr, stderr
    objects = [json.loads(line) for line in stdout.splitlines()]
    assert [o["path"] for o in objects] == [str(f) for f in files]
    dead = [o for o in objects if o.get("error")]
    assert len(dead) == 1 and "进程意外终止" in dead[0]["error"], dead
    assert dead[0]["path"] in stderr
    assert all(o["findings"] for o in objects if not o.get("error"))


def test_workers_exit_when_the_parent_is_killed(tmp_path):
    _batch(tmp_path / "reports", 12)
    process = _start("check", tmp_path / "reports", "--jobs", "3")
    workers = _wait_for_workers(process, 3)
    process.kill()
    process.communicate()
    deadline = time.monotonic() + 5
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_alive, workers))


def test_jobs_is_checked_and_capped(tmp_path):
    from gidraft.batch import worker_count

    result = run_cli("check", SEED, "--jobs", "-1")
    assert result.returncode == 2 and "--jobs" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    cpus = os.cpu_count() or 1
    assert worker_count(100_000, 100_000) == 4 * cpus
    assert worker_count(0, 100) == min(cpus, 100) and worker_count(8, 3) == 3
