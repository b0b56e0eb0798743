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

from conftest import HUAIAN_PDF, HUAIAN_TXT, PINGTAN_2021, PINGTAN_2024, SEED, run_cli

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


def _workers(pid: int) -> list[int]:
    """The batch's workers: the children of its forker, its one child (where it forks)."""
    return [worker for forker in _children(pid) for worker in _children(forker)]


def _wait_for_workers(process: subprocess.Popen, count: int) -> list[int]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        workers = _workers(process.pid)
        if len(workers) >= count:
            return workers
        time.sleep(0.05)
    raise AssertionError("the workers did not start")


def test_a_killed_worker_costs_only_its_file(tmp_path):
    files = _batch(tmp_path / "reports", 12)
    process = _start("check", tmp_path / "reports", "--format", "jsonl", "--jobs", "2")
    assert len(_children(process.pid)) <= 1  # the forker: every worker is forked from it
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
    workers = _wait_for_workers(process, 3) + _children(process.pid)  # and the forker
    assert len(workers) == 4
    process.kill()
    process.communicate()
    deadline = time.monotonic() + 5
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_alive, workers))


def test_ctrl_c_stops_the_batch_and_every_worker_quietly(tmp_path):
    """Ctrl-C reaches the whole process group: the batch stops, the forker has its workers killed and exits, and
    only the batch itself says it was interrupted (no worker's traceback)."""
    _batch(tmp_path / "reports", 90)
    if not os.path.exists("/proc/self/task"):
        pytest.skip("needs Linux /proc")
    process = subprocess.Popen([sys.executable, "-m", "gidraft", "check", str(tmp_path / "reports"), "--jobs", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                               env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    below = _wait_for_workers(process, 2) + _children(process.pid)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    deadline = time.monotonic() + 5
    while any(map(_alive, below)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert process.returncode != 0 and not any(map(_alive, below))
    assert stderr.count("KeyboardInterrupt") <= 1 and "Process " not in stderr, stderr


def test_a_killed_forker_costs_only_the_files_being_checked(tmp_path):
    """The forker killed: its workers die with it, their files say so, and a new forker's workers check the rest."""
    files = _batch(tmp_path / "reports", 12)
    process = _start("check", tmp_path / "reports", "--format", "jsonl", "--jobs", "2")
    _wait_for_workers(process, 2)
    os.kill(_children(process.pid)[0], signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 2 and "Traceback" not in stderr, stderr
    objects = [json.loads(line) for line in stdout.splitlines()]
    assert [o["path"] for o in objects] == [str(f) for f in files]
    dead = [o for o in objects if o.get("error")]
    assert 1 <= len(dead) <= 2 and all("进程意外终止" in o["error"] for o in dead), dead
    assert all(o["findings"] for o in objects if not o.get("error"))


def test_jobs_is_checked_and_capped(tmp_path):
    from gidraft.batch import worker_count

    result = run_cli("check", SEED, "--jobs", "-1")
    assert result.returncode == 2 and "--jobs" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    from gidraft.batch import FILES_PER_WORKER, cpus

    assert worker_count(100_000, 100_000) == 4 * cpus()
    assert worker_count(0, 100) == min(cpus(), 100 // FILES_PER_WORKER) and worker_count(8, 3) == 3


def test_the_default_jobs_start_no_worker_for_a_few_files():
    from gidraft.batch import FILES_PER_WORKER, worker_count

    assert worker_count(0, 1) == worker_count(0, FILES_PER_WORKER - 1) == 1  # checked in this process
    assert worker_count(0, FILES_PER_WORKER) == 1 or worker_count(0, FILES_PER_WORKER * 2) == 2
    assert worker_count(2, 3) == 2  # asked for: given


# -------------------------------------------------------------- streaming (issue 16)

def _reports(folder, texts: dict[str, str]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [str(folder / name) for name in sorted(texts)]


def _pair(folder):
    """Pingtan's 2021 report and the same report relabelled 2022 (so their carry-over figures disagree),
    after two copies of the seed (one agency and year twice: they pair with nothing) and around Huaian's."""
    pingtan = PINGTAN_2021.read_text(encoding="utf-8")
    return _reports(folder, {
        "a-seed.txt": SEED.read_text(encoding="utf-8"),
        "b-seed-copy.txt": SEED.read_text(encoding="utf-8"),
        "c-pingtan-2022.txt": pingtan.replace("2021", "2022").replace("2020", "2021"),
        "d-huaian.txt": HUAIAN_TXT.read_text(encoding="utf-8"),
        "e-pingtan-2021.txt": pingtan,
    })


class _Writer:
    """Records what the batch writes, and when."""

    needs_reports = False

    def __init__(self):
        self.files = []

    def file(self, record):
        self.files.append((record.path, [e.key[2] for e in record.entries]))
        return record.path + "\n"

    def close(self, summary):
        return f"{summary['files']}\n"


def _run(paths, jobs, on_add=None):
    from gidraft.batch import Batch, Compactor, records

    writer, written = _Writer(), []
    compactor = Compactor("json", explicit=set(paths))
    run = Batch(writer, written.append, {}, compactor)
    for record in records(paths, {}, jobs, compactor):
        run.add(record)
        if on_add:
            on_add(run, record, written)
    run.close()
    return writer, written, run


def test_a_file_is_written_as_soon_as_nothing_later_can_change_it(tmp_path):
    paths = _pair(tmp_path)
    seen = []

    def on_add(run, record, written):
        seen.append((os.path.basename(record.path), len(written)))

    writer, written, _ = _run(paths, 1, on_add)
    # the first seed waits (a report of its agency and the year before may follow) until the second shows that
    # its agency and year pair with nothing: both are written then; Pingtan 2022 may pair with a Pingtan 2021
    # to come, so it and everything after it wait until the batch is done
    assert seen == [("a-seed.txt", 0), ("b-seed-copy.txt", 2), ("c-pingtan-2022.txt", 2), ("d-huaian.txt", 2),
                    ("e-pingtan-2021.txt", 2)]
    assert [os.path.basename(p) for p, _ in writer.files] == [os.path.basename(p) for p in paths]
    assert written[-1] == f"{len(paths)}\n"
    codes = dict((os.path.basename(p), c) for p, c in writer.files)
    assert "X101" in codes["c-pingtan-2022.txt"] and not any(c.startswith("X") for c in codes["e-pingtan-2021.txt"])


def test_a_batch_without_pairs_streams_every_file(tmp_path):
    seed = SEED.read_text(encoding="utf-8")
    paths = _reports(tmp_path, {f"r{n}.txt": seed for n in range(3)} | {"x.txt": HUAIAN_TXT.read_text(encoding="utf-8"),
                                                                         "y.txt": HUAIAN_TXT.read_text(encoding="utf-8")})
    counts = []
    _run(paths, 1, lambda run, record, written: counts.append(len(written)))
    # r0 waits for a second report of its agency and year (r1); from then on each file is written when added
    assert counts == [0, 2, 3, 3, 5]


def test_cross_year_findings_of_a_batch_pair_equal_those_against_previous(tmp_path):
    paths = _pair(tmp_path)
    this = next(p for p in paths if "2022" in p)
    last = next(p for p in paths if p.endswith("pingtan-2021.txt"))
    for jobs in ("1", "2"):
        batch = {o["path"]: o for o in map(json.loads, run_cli("check", *paths, "--format", "jsonl", "--jobs", jobs).stdout.splitlines())}
        alone = json.loads(run_cli("check", this, "--previous", last, "--format", "json").stdout)["files"][0]
        assert batch[this]["findings"] == alone["findings"]
        assert any(f["code"] == "X101" for f in alone["findings"])


def test_the_parent_keeps_no_report(tmp_path):
    """Structural: once a record is added, no Report object is alive in this process and waiting records are
    held packed (bytes), whether the files are checked here (--jobs 1) or in workers (--jobs 2)."""
    import gc

    from gidraft.report.model import Report

    paths = _pair(tmp_path / "pair") + _pair(tmp_path / "again")

    def on_add(run, record, written):
        gc.collect()
        assert not [o for o in gc.get_objects() if isinstance(o, Report)]
        assert all(isinstance(held.data, bytes) for held in run.waiting)

    for jobs in (1, 2):
        _, _, run = _run(paths, jobs, on_add)
        assert all(r.profile is None and not r.entries and r.result is None for r in run.written)


def _checked_by(monkeypatch, paths, life: int, parent_grows: int = 0) -> list[tuple]:
    """(index, pid and VmRSS in kB of the worker that checked it, its result) per file of a --jobs 2 batch whose
    workers are replaced after ``life`` files; ``parent_grows`` bytes are allocated here (and written: resident)
    once the first file is back, before any worker is replaced."""
    import gidraft.batch

    real = getattr(gidraft.batch._record, "real", gidraft.batch._record)

    def spy(*args):  # runs in the worker, which inherited it
        with open("/proc/self/status", encoding="ascii") as handle:
            rss = next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))
        return os.getpid(), rss, real(*args)

    spy.real = real

    monkeypatch.setattr(gidraft.batch, "_record", spy)
    monkeypatch.setattr(gidraft.batch, "FILES_PER_WORKER_LIFE", life)
    out, grown = [], None
    for index, (pid, rss, result) in gidraft.batch._checked(paths, {}, 2, None):
        out.append((index, pid, rss, result))
        if grown is None and parent_grows:
            grown = bytearray(parent_grows)
            grown[::4096] = b"x" * len(range(0, parent_grows, 4096))
    return sorted(out)


def test_workers_are_replaced_after_their_share_of_files(tmp_path, monkeypatch):
    if not os.path.exists("/proc/self/status"):
        pytest.skip("needs Linux /proc")
    paths = _pair(tmp_path / "pair") + _pair(tmp_path / "again")
    short = _checked_by(monkeypatch, paths, 3)
    long = _checked_by(monkeypatch, paths, 1000)
    assert len({pid for _, pid, _, _ in long}) == 2
    assert len({pid for _, pid, _, _ in short}) >= 2 + len(paths) // 3 - 1  # 10 files, 3 each: at least 3 workers more
    assert [(r.path, r.findings) for *_, r in short] == [(r.path, r.findings) for *_, r in long]
    assert len(short) == len(paths) and not any(r.error for *_, r in short)


def test_where_workers_cannot_fork_they_are_spawned(tmp_path, monkeypatch):
    """The spawn start method (Windows, macOS): workers started by multiprocessing, no forker, the same results."""
    import multiprocessing

    import gidraft.batch

    spawn = multiprocessing.get_context("spawn")
    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: spawn)
    assert not gidraft.batch.forks()
    paths = _pair(tmp_path)
    spawned = gidraft.batch.check_all(paths, {}, 2)
    monkeypatch.undo()
    forked = gidraft.batch.check_all(paths, {}, 2)
    assert [(r.path, r.error, r.findings) for r in spawned] == [(r.path, r.error, r.findings) for r in forked]
    assert all(r.error is None for r in spawned) and any(r.findings for r in spawned)


def test_a_late_worker_does_not_share_what_the_batch_holds_by_then(tmp_path, monkeypatch):
    """Workers replaced after the batch grew by 200 MB are forked from the small forker: their resident memory
    does not count the batch's (a worker forked from the batch itself would show the 200 MB)."""
    import gidraft.batch

    if not gidraft.batch.forks() or not os.path.exists("/proc/self/status"):
        pytest.skip("workers are forked on Linux")
    paths = _pair(tmp_path / "pair") + _pair(tmp_path / "again")
    checked = _checked_by(monkeypatch, paths, 2, parent_grows=200 * 2**20)
    first = {pid for index, pid, _, _ in checked if index < 2}  # the first two files go to the first two workers
    late = [rss for _, pid, rss, _ in checked if pid not in first]
    assert len(first) == 2 and late
    assert max(late) < max(rss for _, pid, rss, _ in checked if pid in first) + 100 * 1024
    assert not any(r.error for *_, r in checked)


def test_progress_advances_with_every_finished_file_before_any_is_written(monkeypatch):
    """The first file finishing last: the bar has advanced for the others before anything can be written."""
    import rich.progress

    from gidraft.batch import _ordered, _progress

    advanced = []

    class Bar:
        def __init__(self, **_):
            pass

        __enter__ = lambda self: self  # noqa: E731
        __exit__ = lambda self, *_: None  # noqa: E731

        def add_task(self, *_, **__):
            return 0

        def advance(self, task):
            advanced.append(task)

        def refresh(self):
            pass

    monkeypatch.setattr(rich.progress, "Progress", Bar)
    finished = [(2, "c"), (1, "b"), (3, "d"), (0, "a")]
    ordered = _ordered(_progress(["a", "b", "c", "d"], iter(finished), True))
    assert next(ordered) == (0, "a") and len(advanced) == 4
    assert list(ordered) == [(1, "b"), (2, "c"), (3, "d")]



def test_output_file_receives_each_file_as_it_is_written_and_replaces_the_old_only_at_the_end(tmp_path):
    """``check -o FILE``: the lines go to a temporary file beside FILE as each report is done (a reviewer can
    follow it, a crash keeps them); FILE keeps its old content until the run is complete."""
    from gidraft.batch import Batch, Compactor, records
    from gidraft.cli import _sink

    seed = SEED.read_text(encoding="utf-8")
    paths = _reports(tmp_path / "r", {f"r{n}.txt": seed for n in range(3)})
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")
    seen = []
    compactor = Compactor("json", explicit=set(paths))
    writer = _Writer()
    with _sink(target, paths, True) as write:
        run = Batch(writer, write, {}, compactor)
        for record in records(paths, {}, 1, compactor):
            run.add(record)
            temporary = [p for p in tmp_path.iterdir() if p.name.startswith(".out.txt.")]
            seen.append((target.read_text(encoding="utf-8"), temporary[0].read_text(encoding="utf-8").count("\n")))
        run.close()
    assert seen == [("old\n", 0), ("old\n", 2), ("old\n", 3)]
    assert target.read_text(encoding="utf-8") == "".join(p + "\n" for p in paths) + "3\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt", "r"]


def test_an_interrupted_output_file_leaves_the_old_one_and_no_temporary(tmp_path):
    from gidraft.outputs import replacement

    target = tmp_path / "out.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        with replacement(target, force=True) as out:
            out.write("new line\n")
            raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_jsonl_to_a_file_equals_jsonl_on_standard_output(tmp_path):
    paths = _reports(tmp_path / "r", {"a.txt": SEED.read_text(encoding="utf-8"), "b.txt": HUAIAN_TXT.read_text(encoding="utf-8")})
    shown = run_cli("check", *paths, "--format", "jsonl", "--jobs", "1")
    written = run_cli("check", *paths, "--format", "jsonl", "--jobs", "1", "-o", tmp_path / "out.jsonl")
    assert written.stdout == "" and written.returncode == shown.returncode
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == shown.stdout
    assert shown.stdout.count("\n") == 2


# ------------------------------------------------------------- a crash in PDFium (issue 16)

CRASHING_PDFIUM = """
import os, signal, sys
import gidraft.sources.pdf
gidraft.sources.pdf.read_pdf = lambda path, data: os.kill(os.getpid(), signal.SIGSEGV)  # PDFium's native crash
from gidraft.cli import main
sys.argv = ["gidraft", *sys.argv[1:]]
main()
"""


def _crashing(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CRASHING_PDFIUM, *map(str, args)], check=False, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


@pytest.mark.parametrize("jobs", [[], ["--jobs", "1"]])
def test_a_pdf_crashing_pdfium_costs_only_its_file(tmp_path, jobs):
    """Checked alone or with --jobs 1, a PDF is read in a worker: a native crash there gives the file the record a
    parallel batch gives it, the check goes on and exits as for an unreadable file."""
    from gidraft.batch import WORKER_DIED, forks

    if not forks():
        pytest.skip("a PDF is isolated where workers fork")
    alone = _crashing("check", HUAIAN_PDF, "--no-cache", "--format", "json", *jobs)
    assert alone.returncode == 2 and "Traceback" not in alone.stderr, alone.stderr
    assert [f["error"] for f in json.loads(alone.stdout)["files"]] == [WORKER_DIED]
    text = tmp_path / "seed.txt"
    text.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    mixed = _crashing("check", text, HUAIAN_PDF, HUAIAN_TXT, "--no-cache", "--format", "jsonl", *jobs)
    assert mixed.returncode == 2 and "Traceback" not in mixed.stderr, mixed.stderr
    objects = [json.loads(line) for line in mixed.stdout.splitlines()]
    assert [o["path"] for o in objects] == [str(text), str(HUAIAN_PDF), str(HUAIAN_TXT)]
    assert [o["error"] for o in objects] == [None, WORKER_DIED, None]
    assert objects[0]["findings"]  # checked as before the crash, and the file after it too (no error)


def test_a_run_of_one_process_without_a_pdf_is_checked_here(tmp_path, monkeypatch):
    """Text, Word and HTML files checked alone or with --jobs 1 start no process; a PDF among them starts one."""
    import gidraft.batch
    from gidraft.batch import forks

    started = []
    real = gidraft.batch._parallel
    monkeypatch.setattr(gidraft.batch, "_parallel", lambda tasks, *args: (started.append(len(tasks)), real(tasks, *args))[1])
    texts = _pair(tmp_path)
    assert [r.error for r in gidraft.batch.check_all(texts, {}, 1)] == [None] * len(texts) and not started
    checked = gidraft.batch.check_all([*texts, str(HUAIAN_PDF)], {}, 1)
    assert [r.error for r in checked] == [None] * (len(texts) + 1) and checked[-1].report.source.kind == "pdf"
    assert started == ([len(texts) + 1] if forks() else [])
