"""Checking many reports: expanding folders and globs, running in parallel, deterministic order."""

from __future__ import annotations

import glob
import os
import re
import sys
from dataclasses import dataclass, field

from .cache import compiled
from .check import Checker, FileResult

SUPPORTED = (".txt", ".md", ".markdown", ".docx", ".html", ".htm", ".pdf", ".doc", ".wps", ".ofd")  # the last three: refused with how to convert


OUTPUT_MARKS = ("审校", "修订", "修正", "fixed")  # gidraft's own Word outputs: NAME.审校.docx …
IGNORE_FILE = ".gidraftignore"


@dataclass
class Selection:
    """The files to check, and the files a folder or glob held that are not reports (with the reason)."""

    paths: list[str] = field(default_factory=list)
    explicit: set[str] = field(default_factory=set)  # named on the command line: never skipped as a non-report
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # links left out
    errors: list[str] = field(default_factory=list)  # folders that cannot be read


def _within(path: str, root: str) -> bool:
    real, top = os.path.realpath(path), os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def _glob_root(pattern: str) -> str:
    """The folder a glob searches: its leading part without wildcards."""
    parts = []
    for part in pattern.split(os.sep):
        if glob.has_magic(part):
            break
        parts.append(part)
    return os.sep.join(parts) or ("." if not pattern.startswith(os.sep) else os.sep)


def expand(arguments: list[str], notes: list[str] | None = None, errors: list[str] | None = None) -> list[str]:
    """The paths of :func:`select_files`, its notes (links left out) and errors (unreadable folders) added to
    ``notes`` and ``errors``."""
    selection = select_files(arguments)
    if notes is not None:
        notes += selection.notes
    if errors is not None:
        errors += selection.errors
    return selection.paths


def select_files(arguments: list[str], exclude: list[str] = (), config_exclude: bool = True) -> Selection:
    """Files named by the arguments: folders recursively (supported kinds only), globs, plain paths.

    Inside folders and globs, like a linter: ``--exclude`` patterns and ``.gidraftignore`` files (gitignore
    syntax) and the ``exclude`` configuration key leave files out, and gidraft's own outputs are skipped.
    A file named explicitly is always checked.  Symbolic links found in a folder or by a glob are followed
    only when they stay inside it (a link to a file elsewhere, e.g. a credentials file, would leak it into
    the output); each link left out gives one line in ``notes``.  A folder that cannot be read gives a line
    in ``errors``.  Each file is listed once, however many names (links, glob loops) reach it.
    """
    selection = Selection()

    def keep(path: str, root: str) -> bool:
        if os.path.islink(path) and not _within(path, root):
            selection.notes.append(f"{path}: 符号链接指向检查范围之外（{os.path.realpath(path)}），未检查")
            return False
        return True

    for argument in arguments:
        if os.path.isdir(argument):
            found = []

            def unreadable(exc: OSError) -> None:
                selection.errors.append(f"{exc.filename}: 无法读取文件夹：{exc.strerror or exc}")

            for folder, dirs, files in os.walk(argument, onerror=unreadable):  # links to folders are not followed
                dirs.sort()
                for name in dirs:
                    keep(os.path.join(folder, name), argument)
                found += [os.path.join(folder, f) for f in files
                          if f.lower().endswith(SUPPORTED) and not f.startswith((".", "~$")) and keep(os.path.join(folder, f), argument)]
            _add_found(selection, sorted(found), argument, exclude, config_exclude)
        elif not os.path.lexists(argument) and glob.has_magic(argument):
            root = _glob_root(argument)
            found = sorted(p for p in glob.glob(argument, recursive=True) if os.path.isfile(p) and keep(p, root))
            _add_found(selection, found, ".", exclude, config_exclude)
        else:
            selection.paths.append(argument)
            selection.explicit.add(argument)
    seen: set[str] = set()
    selection.paths = [p for p in selection.paths if not ((real := os.path.realpath(p)) in seen or seen.add(real))]
    return selection


def _add_found(selection: Selection, found: list[str], root: str, exclude, config_exclude: bool) -> None:
    excluded = _Excluded(root, exclude, config_exclude)
    for path in found:
        if excluded(path):
            continue
        reason = gidraft_output(path)
        if reason:
            selection.skipped.append((path, reason))
        else:
            selection.paths.append(path)


class _Excluded:
    """Whether a file found under ``root`` is excluded by --exclude, the config's ``exclude`` or an ignore file."""

    def __init__(self, root: str, exclude, config_exclude: bool) -> None:
        self.root = root
        self.cli = _spec(exclude)
        self.config_exclude = config_exclude
        self._ignore_files: dict[str, object] = {}

    def __call__(self, path: str) -> bool:
        relative = os.path.relpath(path, self.root)
        if self.cli is not None and self.cli.match_file(relative):
            return True
        folder = os.path.dirname(path) or "."
        for directory in _folders_up_to(folder, self.root):
            spec = self._ignore_file(directory)
            if spec is not None and spec.match_file(os.path.relpath(path, directory)):
                return True
        if self.config_exclude:
            from .config import exclude_patterns

            found = exclude_patterns(folder)
            if found and _spec(found[1]).match_file(os.path.relpath(os.path.abspath(path), found[0])):
                return True
        return False

    def _ignore_file(self, directory: str):
        if directory not in self._ignore_files:
            try:
                with open(os.path.join(directory, IGNORE_FILE), encoding="utf-8") as handle:
                    self._ignore_files[directory] = _spec(handle.read().splitlines())
            except (OSError, UnicodeDecodeError):
                self._ignore_files[directory] = None
        return self._ignore_files[directory]


def _folders_up_to(folder: str, root: str) -> list[str]:
    out, current, root = [], os.path.normpath(folder), os.path.normpath(root)
    while True:
        out.append(current)
        if current == root or not current or current == os.path.dirname(current):
            return out
        current = os.path.dirname(current) or "."


def _spec(patterns):
    import pathspec

    patterns = [p for p in patterns or [] if p.strip()]
    return pathspec.GitIgnoreSpec.from_lines(patterns) if patterns else None


def gidraft_output(path: str) -> str | None:
    """Why a file is one of gidraft's own outputs (its name scheme or its content), or None."""
    name = os.path.basename(path)
    stem, extension = os.path.splitext(name)
    if extension.lower() == ".docx" and os.path.splitext(stem)[1].lstrip(".") in OUTPUT_MARKS:
        return "gidraft 生成的文件，已跳过"
    if not os.path.isfile(path):
        return None  # a device, FIFO or socket: the reader refuses it, unopened
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    if extension.lower() in (".html", ".htm") and b'name="generator" content="gidraft' in head:
        return "gidraft 生成的审阅页面，已跳过"
    if extension.lower() == ".docx" and head.startswith(b"PK") and _authored_by_gidraft(path):
        return "gidraft 生成的批注稿或修订稿，已跳过"
    if extension.lower() in (".txt", ".md") and _is_check_output(path):
        return "gidraft 的检查结果，已跳过"
    return None


def _authored_by_gidraft(path: str) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            for member in ("word/comments.xml", "word/document.xml"):
                if member in archive.namelist():
                    with archive.open(member) as handle:
                        if b'w:author="gidraft"' in handle.read(20_000_000):
                            return True
    except (zipfile.BadZipFile, OSError, RuntimeError):
        return False
    return False


def _is_check_output(path: str) -> bool:
    """A text ending in gidraft check's summary line (``检查了 N 个文件：…``)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, os.path.getsize(path) - 400))
            tail = handle.read().decode("utf-8", "ignore").strip().splitlines()
    except OSError:
        return False
    return bool(tail) and re.match(r"检查了 \d+ 个文件：", tail[-1]) is not None


def looks_like_report(report) -> bool:
    """A text with some sign of being an annual report: written in Chinese (most of its letters are Chinese
    characters: a notes file in English quoting report wording is not one), with a title, a statistical table or
    several sections."""
    chinese = len(CHINESE.findall(report.text))
    latin = len(LATIN.findall(report.text))
    if chinese < latin:
        return False
    return bool(report.title or report.tables or len(report.sections) >= 4)


CHINESE = compiled(r"[\u4e00-\u9fff]")
LATIN = compiled(r"[A-Za-z]")


MAX_JOBS_PER_CPU = 4
WORKER_DIED = "检查此文件的进程意外终止（可能因内存不足被系统结束），未能检查；其他文件的结果不受影响"


def worker_count(jobs: int, files: int) -> int:
    """Processes for ``files`` files: ``jobs`` (0: one per CPU), at most 4 per CPU and one per file."""
    cpus = os.cpu_count() or 1
    return max(1, min(jobs or cpus, MAX_JOBS_PER_CPU * cpus, files))


def check_all(paths: list[str], cli: dict, jobs: int) -> list[FileResult]:
    """Results in the order of ``paths`` whatever the parallelism; a progress bar on a terminal.

    A worker that dies (killed, out of memory) costs only the file it was checking: that file's result
    says so, the others are kept, and a new worker takes over the rest.
    """
    show_progress = len(paths) > 1 and sys.stderr.isatty()
    if worker_count(jobs, len(paths)) <= 1:
        checker = Checker(cli)
        return list(_progress(paths, map(checker.check, paths), show_progress))
    results: list[FileResult | None] = [None] * len(paths)
    for index, result in _progress(paths, _parallel(paths, cli, worker_count(jobs, len(paths))), show_progress):
        results[index] = result
    return results


def _die_with_parent() -> None:
    """Have the kernel kill this worker when the process that started it dies (Linux); elsewhere a
    watchdog thread notices the parent is gone."""
    import signal

    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0:  # PR_SET_PDEATHSIG
            if os.getppid() != parent:  # the parent died before the call
                os._exit(1)
            return
    except (OSError, AttributeError):
        pass
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _worker(cli: dict, connection) -> None:
    """Check the files the parent sends, one at a time, until it sends None or goes away."""
    _die_with_parent()
    checker = Checker(cli)
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path = task
        result = checker.check(path)
        try:
            connection.send((index, result))
        except Exception as exc:  # noqa: BLE001 - a result that cannot be sent is still a result
            connection.send((index, FileResult(path, error=f"gidraft 内部错误（请报告此问题）：{type(exc).__name__}: {exc}")))


def _parallel(paths: list[str], cli: dict, jobs: int):
    """(index, result) for every path, as workers finish them."""
    import multiprocessing
    from collections import deque
    from multiprocessing.connection import wait

    context = multiprocessing.get_context()
    pending = deque(enumerate(paths))
    workers: dict = {}  # connection -> [process, task being checked]

    def start() -> None:
        mine, theirs = context.Pipe()
        process = context.Process(target=_worker, args=(cli, theirs), daemon=True)
        process.start()
        theirs.close()
        workers[mine] = [process, None]

    def feed(connection) -> None:
        task = pending.popleft() if pending else None
        workers[connection][1] = task
        try:
            connection.send(task)
        except OSError:
            pass  # the worker is dead: wait() reports its connection, whose recv() fails below
        if task is None:
            workers.pop(connection)[0].join()
            connection.close()

    try:
        for _ in range(min(jobs, len(paths))):
            start()
        for connection in list(workers):
            feed(connection)
        while workers:
            for connection in wait(list(workers)):
                try:
                    yield connection.recv()
                except (EOFError, OSError):  # the worker died
                    process, (index, path) = workers.pop(connection)
                    process.join()
                    connection.close()
                    yield index, FileResult(path, error=WORKER_DIED)
                    if pending:
                        start()
                        connection = next(reversed(workers))
                    else:
                        continue
                feed(connection)
    finally:
        for connection, (process, _) in workers.items():
            process.kill()
            process.join()
            connection.close()


def _progress(paths, results, show: bool):
    if not show:
        yield from results
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("检查中", total=len(paths))
        for result in results:
            progress.advance(task)
            yield result


def add_cross_year(results: list[FileResult], cli: dict, previous: FileResult | None = None) -> None:
    """Compare each report with last year's: the --previous file, or a pair found in the batch."""
    readable = [r for r in results if r.report is not None]
    if previous is None and len(readable) < 2:
        return
    from .check import locate
    from .crossyear import compare, pair_reports
    from .rules.engine import matches

    select, ignore = cli.get("select") or ["ALL"], cli.get("ignore") or []

    if previous is not None and previous.report is not None:
        pairs = [(r.report, previous.report) for r in readable]
    else:
        pairs = pair_reports([r.report for r in readable])
    by_report = {id(r.report): r for r in readable}
    for this, last in pairs:
        result = by_report[id(this)]
        found = [f for f in compare(this, last) if matches(f.code, select) and not matches(f.code, ignore)]
        result.findings = sorted(result.findings + locate(this.source, found), key=lambda f: (f.line, f.column, f.code))


def apply_baseline(results: list[FileResult], decided: set[tuple]) -> None:
    from .baseline import is_decided

    for result in results:
        kept = [f for f in result.findings if not is_decided(decided, result, f.fingerprint)]
        result.suppressed = len(result.findings) - len(kept)
        result.findings = kept
