"""Checking many reports: expanding folders and globs, running in parallel, deterministic order."""

from __future__ import annotations

import glob
import os
import re
import sys
from collections import deque
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import TYPE_CHECKING

from .cache import compiled

if TYPE_CHECKING:  # a run whose files all hit the results cache imports none of the pipeline
    from .check import Checker, FileResult
    from .results import ResultsCache

SUPPORTED = (".txt", ".md", ".markdown", ".docx", ".html", ".htm", ".pdf", ".doc", ".wps", ".odt", ".rtf", ".ofd")  # the last five: refused with how to convert


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
    chinese = len(compiled(r"[\u4e00-\u9fff]").findall(report.text))  # compiled here: a results-cache hit needs neither
    latin = len(compiled(r"[A-Za-z]").findall(report.text))
    if chinese < latin:
        return False
    return bool(report.title or report.tables or len(report.sections) >= 4)


MAX_JOBS_PER_CPU = 4
FILES_PER_WORKER = 4  # by default a worker is started only for this many files: a process start costs a check or two
FILES_PER_WORKER_LIFE = 1000  # then a fresh one takes over: the rules' caches grow with every new text a worker sees
WORKER_DIED = "检查此文件的进程意外终止（可能因内存不足被系统结束），未能检查；其他文件的结果不受影响"
NOT_A_REPORT = "不像年度报告，已跳过"


def cpus() -> int:
    """The CPUs this process may run on (a container's or a taskset's share, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def worker_count(jobs: int, files: int) -> int:
    """Processes for ``files`` files: ``jobs`` if given (at most 4 per CPU and one per file).

    By default (0) one per CPU, but only one per :data:`FILES_PER_WORKER` files: a worker costs a process
    start, which two or three files do not repay (the rules are loaded once, before the workers fork).
    """
    if jobs:
        return max(1, min(jobs, MAX_JOBS_PER_CPU * cpus(), files))
    return max(1, min(cpus(), files // FILES_PER_WORKER))


@dataclass(slots=True)
class Entry:
    """One finding as the batch keeps it: its place in the file's order and what the output prints of it."""

    key: tuple[int, int, str]  # line, column, code
    severity: str
    unit: object  # made by the output format's entry() while the report was at hand


@dataclass(slots=True)
class Record:
    """One checked file as the batch keeps it until it is written: no report, only what the output prints,
    the per-file summary row, and the profile cross-year pairing needs."""

    index: int
    path: str  # as shown ("-" for standard input)
    checked_path: str  # as checked (baselines match its name)
    error: str | None = None
    format: str | None = None
    year: int | None = None
    agency: str | None = None
    entries: list[Entry] = field(default_factory=list)
    suppressed: int = 0
    fail_on: str = "error"
    facts: list[dict] | None = None
    notes: list[str] = field(default_factory=list)
    config_notes: list[str] = field(default_factory=list)
    droppable: bool = False  # found in a folder or glob and shows no sign of being a report
    profile: object = None  # gidraft.crossyear.Profile of a readable report (packed, from the results cache)
    last_side: bytes | None = None  # the packed profile without its excerpt, from the results cache
    key: tuple | None = None  # (agency, year) as cross-year pairing compares them
    result: FileResult | None = None  # kept only when the output needs the report (html, --annotate of a .docx)

    def counts(self) -> dict[str, int]:
        severities = [e.severity for e in self.entries]
        return {"errors": severities.count("error"), "warnings": severities.count("warning"),
                "infos": severities.count("info")}


@dataclass
class Compactor:
    """Turns a FileResult into a Record where it was checked (a worker sends the record, not the report)."""

    output: str  # the output module (text, json, sarif, github, html) whose entry() renders findings
    color: bool = False
    keep_reports: bool = False
    annotate: bool = False
    decided: set = field(default_factory=set)
    explicit: set = field(default_factory=set)
    stdin: bool = False

    def __call__(self, index: int, result: FileResult) -> Record:
        import importlib

        from .baseline import is_decided
        from .crossyear import agency_key, profile

        entry = importlib.import_module(f"gidraft.output.{self.output}").entry
        report = result.report
        record = Record(index, "-" if self.stdin else result.path, result.path, result.error, fail_on=result.fail_on,
                        facts=result.facts, notes=result.notes, config_notes=result.config_notes)
        kept = [f for f in result.findings if not is_decided(self.decided, result, f.fingerprint)]
        record.suppressed = len(result.findings) - len(kept)
        result.findings = kept
        if self.stdin:
            result.path = "-"
        if report is not None:
            record.format, record.year, record.agency = report.format, report.year, report.agency
            record.droppable = result.path not in self.explicit and not self.stdin and not looks_like_report(report)
            record.profile = profile(report, lines=self.output == "text")
            agency = agency_key(record.profile)
            record.key = (agency, report.year) if agency and report.year is not None else None
        record.entries = [Entry((f.line, f.column, f.code), f.severity, entry(result, f, self.color)) for f in kept]
        if self.keep_reports or (self.annotate and report is not None and report.source.kind == "docx"):
            record.result = result
        return record


def check_all(paths: list[str], cli: dict, jobs: int) -> list[FileResult]:
    """Results in the order of ``paths`` whatever the parallelism (reports included: for a few files)."""
    return [result for _, result in _ordered(_checked(paths, cli, jobs, None))]


def records(paths: list[str], cli: dict, jobs: int, compactor: Compactor, cache: ResultsCache | None = None):
    """A :class:`Record` per path, in the order of ``paths``, each as soon as it and the ones before it are
    done; a progress bar on a terminal advances with every file finished, in whatever order.

    With ``cache`` (:mod:`gidraft.results`), a file checked before with the same settings gets its stored
    record (looked up here, before any worker starts) and only the others are checked, their records stored.
    A worker that dies (killed, out of memory, a crash in PDFium) costs only the file it was checking: that
    file's record says so, the others are kept, and a new worker takes over the rest.  Where workers fork, a
    run of one process that holds a PDF runs in one worker for that reason; other runs of one are checked here.
    """
    return (record for _, record in _ordered(_checked(paths, cli, jobs, compactor, cache)))


def _checked(paths, cli: dict, jobs: int, compactor: Compactor | None, cache: ResultsCache | None = None):
    """(index, record or result) as files are finished."""
    show = len(paths) > 1 and sys.stderr.isatty()
    tasks, hits = [(n, path, None) for n, path in enumerate(paths)], []
    if cache is not None:
        tasks = []
        for n, path in enumerate(paths):
            key = cache.key(path)
            record = cache.get(key, n) if key else None
            if record is None:
                tasks.append((n, path, key))
            else:
                hits.append((n, record))
        cache.misses += len(tasks)
    workers = worker_count(jobs, len(tasks))
    if workers > 1 or (any(_is_pdf(path) for _, path, _ in tasks) and forks()):  # multiprocessing only if needed
        done = _parallel(tasks, cli, workers, compactor, cache)  # one worker: a PDFium crash costs only its file
    else:
        done = _sequential(tasks, cli, compactor, cache)
    return _progress(paths, _chained(hits, done), show)


def _chained(first, then):
    yield from first
    yield from then


def _sequential(tasks, cli: dict, compactor: Compactor | None, cache: ResultsCache | None):
    from .check import Checker

    if tasks:
        checker = Checker(cli)
        for n, path, key in tasks:
            yield n, _record(checker, compactor, cache, n, path, key)


def _record(checker: Checker, compactor: Compactor | None, cache: ResultsCache | None, index: int, path: str, key):
    """The file's record (or result, without a compactor), stored in the results cache under ``key`` if given."""
    item = _compact(compactor, index, checker.check(path))
    if cache is not None and key is not None:
        try:
            settings = checker.settings(path)
        except Exception:  # noqa: BLE001 - a bad setting: the record says so, and is not stored
            settings = None
        cache.put(key, item, settings)
    return item


def _compact(compactor: Compactor | None, index: int, result: FileResult):
    return result if compactor is None else compactor(index, result)


def _ordered(done):
    """(index, item) in index order, each as soon as its predecessors have come."""
    waiting: dict[int, object] = {}
    following = 0
    for index, item in done:
        waiting[index] = item
        while following in waiting:
            yield following, waiting.pop(following)
            following += 1


def _die_with_parent(parent: int | None = None) -> None:
    """Have the kernel kill this process when ``parent`` (by default the process that started it) dies (Linux);
    elsewhere a watchdog thread notices the parent is gone."""
    import signal

    parent = parent or os.getppid()
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


def _worker(cli: dict, prepared: Checker | None, compactor: Compactor | None, cache: ResultsCache | None,
            connection, parent: int | None = None) -> None:
    """Check the files the parent sends, one at a time, until it sends None or goes away; send back each
    file's record (or its result, without a compactor), stored in the results cache when the task has a key.
    ``prepared``: the batch's checker, rules loaded, inherited by a forked worker; ``parent``: the process
    whose death ends this one (by default the one that started it)."""
    from .check import Checker, FileResult

    _die_with_parent(parent)
    checker = prepared or Checker(cli)
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path, key = task
        try:
            connection.send((index, _record(checker, compactor, cache, index, path, key)))
        except Exception as exc:  # noqa: BLE001 - a result that cannot be sent is still a result
            failed = FileResult(path, error=f"gidraft 内部错误（请报告此问题）：{type(exc).__name__}: {exc}")
            connection.send((index, _compact(compactor, index, failed)))


def forks() -> bool:
    """Whether workers are forked here (Linux and most Unix): they inherit the loaded rules, start in
    milliseconds, and a file can be checked in one at little cost; elsewhere they are spawned."""
    import multiprocessing

    return multiprocessing.get_context().get_start_method() == "fork"


def _is_pdf(path: str) -> bool:
    """Whether the file's bytes are a PDF's (PDFium reads it, and native code can crash the process)."""
    import stat

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False  # a FIFO is never opened here: the reader refuses it
        with open(path, "rb") as handle:
            return handle.read(4) == b"%PDF"
    except OSError:
        return False


class _Spawned:
    """Workers started by multiprocessing where it cannot fork: each a fresh interpreter, a child of this process."""

    def __init__(self, context, cli: dict, compactor: Compactor | None, cache: ResultsCache | None) -> None:
        self.context, self.args = context, (cli, None, compactor, cache)
        self.processes: dict = {}  # connection -> process

    def start(self):
        """A new worker's connection."""
        mine, theirs = self.context.Pipe()
        process = self.context.Process(target=_worker, args=(*self.args, theirs), daemon=True)
        process.start()
        theirs.close()
        self.processes[mine] = process
        return mine

    def end(self, connection) -> None:
        """After the worker was told to stop, or died: wait for it to exit."""
        self.processes.pop(connection).join()
        connection.close()

    def close(self) -> None:
        """Kill the workers still running (the batch was interrupted) and wait for them."""
        for connection, process in self.processes.items():
            process.kill()
            process.join()
            connection.close()


class _Forked:
    """Workers forked by a forker: a small process forked when the batch starts (this process holds its
    checker, rules loaded, and nothing else yet), which forks each worker on request.  A worker forked
    late from this process itself would share, and count in its memory, all the batch holds by then
    (a 10 000-report batch: 150 MB of waiting records); one forked from the forker is as small as the
    first.  A fork costs milliseconds, no interpreter start.  The workers are the forker's children: it
    reaps them (their CPU time and peak memory reach this process when it reaps the forker), and they die
    with it, as it dies with this process."""

    def __init__(self, context, cli: dict, prepared: Checker, compactor: Compactor | None,
                 cache: ResultsCache | None) -> None:
        self.context, self.args = context, (cli, prepared, compactor, cache)
        self.connections: set = set()
        self._fork_forker()

    def _fork_forker(self) -> None:
        self.control, theirs = self.context.Pipe()
        self.forker = self.context.Process(target=_forker, args=(*self.args, theirs, self.control), daemon=True)
        self.forker.start()
        theirs.close()

    def start(self):
        """A new worker's connection; a forker that died (killed with its workers) is replaced first."""
        from multiprocessing.reduction import send_handle

        for attempt in (1, 2):
            mine, theirs = self.context.Pipe()
            try:
                self.control.send("fork")
                send_handle(self.control, theirs.fileno(), self.forker.pid)
                self.control.recv()  # the worker's pid: it is running
                break
            except (EOFError, OSError):
                mine.close()
                if attempt == 2:
                    raise
                self.control.close()
                self.forker.join()
                self._fork_forker()
            finally:
                theirs.close()
        self.connections.add(mine)
        return mine

    def end(self, connection) -> None:
        """After the worker was told to stop, or died (the forker reaps it)."""
        self.connections.discard(connection)
        connection.close()

    def close(self) -> None:
        """Have the forker kill the workers still running (the batch was interrupted), then wait for it to
        reap them all and exit."""
        try:
            if self.connections:
                self.control.send("kill")
        except OSError:
            pass
        self.control.close()
        for connection in self.connections:
            connection.close()
        self.forker.join()


def _forker(cli: dict, prepared: Checker, compactor: Compactor | None, cache: ResultsCache | None, control,
            batch_end) -> None:
    """The forker of :class:`_Forked`: for each "fork" and connection end received, fork a worker on it and
    answer its pid; on "kill", kill the workers alive; when the batch closes the connection, reap the
    workers and exit.  Ctrl-C is the batch's to handle (it has the forker kill the workers): the forker
    ignores it, a worker stops quietly (the programs it runs, LibreOffice, still get it).
    ``batch_end``: the batch's end of the connection, inherited, closed here (else its closing is never seen)."""
    import gc
    import signal
    from multiprocessing.connection import Connection
    from multiprocessing.reduction import recv_handle

    batch_end.close()
    _die_with_parent()
    interrupted = signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()  # what the workers inherit is never traversed by their collector: its pages stay shared
    alive: set[int] = set()

    def reap(block: bool) -> None:
        while alive:
            try:
                pid, _ = os.waitpid(-1, 0 if block else os.WNOHANG)
            except ChildProcessError:
                return
            if not pid:
                return
            alive.discard(pid)

    while True:
        try:
            request = control.recv()
        except (EOFError, OSError):
            break
        reap(block=False)
        if request == "kill":
            for pid in alive:
                os.kill(pid, signal.SIGKILL)
            continue
        handle, me = recv_handle(control), os.getpid()
        pid = os.fork()
        if pid == 0:
            control.close()
            signal.signal(signal.SIGINT, interrupted)
            _forked_worker(cli, prepared, compactor, cache, Connection(handle), me)
        os.close(handle)
        alive.add(pid)
        control.send(pid)
    reap(block=True)


def _forked_worker(cli: dict, prepared: Checker, compactor: Compactor | None, cache: ResultsCache | None, connection,
                   forker: int) -> None:
    """A worker forked by the forker: it never returns into the forker's loop; an error is printed, Ctrl-C is not."""
    code = 1
    try:
        _worker(cli, prepared, compactor, cache, connection, parent=forker)
        code = 0
    except KeyboardInterrupt:
        pass
    except BaseException:  # noqa: BLE001 - said, as multiprocessing says a worker's error
        import traceback

        traceback.print_exc()
    finally:
        sys.stderr.flush()
        os._exit(code)


def _parallel(tasks: list[tuple], cli: dict, jobs: int, compactor: Compactor | None, cache: ResultsCache | None):
    """(index, record or result) for every task (index, path, results-cache key), as workers finish them."""
    import multiprocessing
    from multiprocessing.connection import wait

    from .check import Checker, FileResult

    context = multiprocessing.get_context()
    if forks():  # load the rules once, here: every worker inherits them
        prepared = Checker(cli)
        try:
            prepared.rules(prepared.settings(tasks[0][1]))
        except Exception:  # noqa: BLE001 - a bad setting is reported by the worker that checks the file
            pass
        pool = _Forked(context, cli, prepared, compactor, cache)
    else:
        pool = _Spawned(context, cli, compactor, cache)
    pending = deque(tasks)
    workers: dict = {}  # connection -> [task being checked, files it was given]

    def start():
        connection = pool.start()
        workers[connection] = [None, 0]
        return connection

    def stop(connection) -> None:
        workers.pop(connection)
        pool.end(connection)

    def feed(connection) -> None:
        if pending and workers[connection][1] >= FILES_PER_WORKER_LIFE:  # a fresh worker: caches start empty
            _send(connection, None)
            stop(connection)
            connection = start()
        task = pending.popleft() if pending else None
        workers[connection][:] = [task, workers[connection][1] + 1]
        _send(connection, task)
        if task is None:
            stop(connection)

    try:
        for _ in range(min(jobs, len(tasks))):
            start()
        for connection in list(workers):
            feed(connection)
        while workers:
            for connection in wait(list(workers)):
                try:
                    yield connection.recv()
                except (EOFError, OSError):  # the worker died
                    index, path, _ = workers[connection][0]
                    stop(connection)
                    yield index, _compact(compactor, index, FileResult(path, error=WORKER_DIED))
                    if not pending:
                        continue
                    connection = start()
                feed(connection)
    finally:
        pool.close()


def _send(connection, task) -> None:
    try:
        connection.send(task)
    except OSError:
        pass  # the worker is dead: wait() reports its connection, whose recv() fails


def _progress(paths, results, show: bool):
    if not show:
        yield from results
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("检查中", total=len(paths))
        for done in results:
            progress.advance(task)
            progress.refresh()
            yield done


class Batch:
    """One ``gidraft check`` over many files, written as it goes.

    Records come in input order; each is written as soon as nothing can change it any more.  A report can
    still change while it may become the later one of a cross-year pair: the same agency's report of the year
    before may yet come, and pairs form only where the batch holds one report of each of the two years (a
    second report of an agency and year settles both).  Such a record waits, pickled and compressed, until
    the batch is done, and so do the ones after it; with ``--previous`` nothing waits.  What stays for the
    whole run: a compressed profile per report (last year's side of a pair) and the output's per-file rows.
    """

    def __init__(self, writer, write, cli: dict, compactor: Compactor, previous=None) -> None:
        from .rules.engine import matches

        self.writer, self.write, self.compactor = writer, write, compactor
        select, ignore = cli.get("select") or ["ALL"], cli.get("ignore") or []
        self.wanted = lambda code: matches(code, select) and not matches(code, ignore)
        self.previous = previous  # last year's Profile given with --previous
        self.waiting: deque[_Held] = deque()
        self.profiles: dict[int, tuple] = {}  # index -> (key, droppable, compressed profile): last year's side of pairs
        self.groups: dict[tuple, int] = {}  # (agency, year) -> reports
        self.reports = 0  # records that are not droppable: non-reports are dropped once there is one
        self.pairs: dict[int, int] = {}  # this year's index -> last year's, known at the end
        self.summary = {"files": 0, "errors": 0, "warnings": 0, "infos": 0, "suppressed": 0, "unreadable": 0}
        self.failing = False
        self.written: list[Record] = []  # stripped to path, error and notes (and a result kept for --annotate)
        self.skipped: list[tuple[str, str]] = []

    def add(self, record: Record) -> None:
        if not record.droppable:
            self.reports += 1
            if record.key is not None and self.previous is None:
                self.groups[record.key] = self.groups.get(record.key, 0) + 1
        if record.key is not None and self.previous is None:
            last_side = record.last_side or _pack(replace(record.profile, excerpt=None))
            self.profiles[record.index] = (record.key, record.droppable, last_side)
        held = _Held(record.index, record.key, record.droppable, record.path, record)
        self.waiting.append(held)
        self._flush(final=False)
        if self.waiting and self.waiting[-1] is held:  # the ones before it were packed when they came
            held.pack()

    def close(self) -> None:
        """Pair what is left, write every remaining record and the output's end."""
        if not self.reports:  # nothing looked like a report: every file is kept
            for held in self.waiting:
                held.droppable = False
            self.profiles = {n: (key, False, blob) for n, (key, _, blob) in self.profiles.items()}
        readable = {n: SimpleNamespace(agency=key[0], year=key[1], index=n)
                    for n, (key, droppable, _) in self.profiles.items() if not droppable}
        if self.previous is None and len(readable) > 1:
            from .crossyear import pair_reports

            self.pairs = {this.index: last.index for this, last in pair_reports(list(readable.values()))}
        self._flush(final=True)
        self.write(self.writer.close(self.summary))

    def _settled(self, held: _Held) -> bool:
        """Whether nothing later in the batch can change this record."""
        if held.droppable:
            return self.reports > 0
        return self.previous is not None or held.key is None or self.groups[held.key] > 1

    def _flush(self, final: bool) -> None:
        while self.waiting and (final or self._settled(self.waiting[0])):
            held = self.waiting.popleft()
            if held.droppable:
                self.skipped.append((held.path, NOT_A_REPORT))
                continue
            record = held.unpack()
            if self.previous is not None and record.profile is not None:
                self._cross_year(record, self.previous)
            elif record.index in self.pairs:
                self._cross_year(record, _unpack(self.profiles[self.pairs[record.index]][2]))
            self._emit(record)

    def _cross_year(self, record: Record, last) -> None:
        """Findings from comparing the record's report with ``last`` (a Profile), merged as the checker orders them."""
        import importlib

        from .baseline import is_decided
        from .check import FileResult, locate
        from .crossyear import compare

        this = _unpack(record.profile) if isinstance(record.profile, bytes) else record.profile
        found = [f for f in compare(this, last) if self.wanted(f.code)]
        shown = FileResult(record.checked_path)
        shown.report = SimpleNamespace(agency=record.agency, year=record.year, source=this.excerpt)
        decided = self.compactor.decided
        located = [f for f in locate(this.excerpt, found) if not is_decided(decided, shown, f.fingerprint)]
        record.suppressed += len(found) - len(located)
        shown.path = record.path
        entry = importlib.import_module(f"gidraft.output.{self.compactor.output}").entry
        added = [Entry((f.line, f.column, f.code), f.severity, entry(shown, f, self.compactor.color)) for f in located]
        record.entries = sorted(record.entries + added, key=lambda e: e.key)
        if record.result is not None:
            record.result.findings = sorted(record.result.findings + located, key=lambda f: (f.line, f.column, f.code))

    def _emit(self, record: Record) -> None:
        from .severity import SEVERITY_RANK

        self.write(self.writer.file(record))
        self.summary["files"] += 1
        for name, count in record.counts().items():
            self.summary[name] += count
        self.summary["suppressed"] += record.suppressed
        self.summary["unreadable"] += bool(record.error)
        self.failing = self.failing or any(SEVERITY_RANK[e.severity] >= SEVERITY_RANK[record.fail_on] for e in record.entries)
        self.count(record)
        record.entries, record.profile, record.last_side, record.facts = [], None, None, None
        self.written.append(record)

    def count(self, record: Record) -> None:
        """Hook for outputs that only count (``--statistics``)."""


class _Held:
    """A record waiting to be written; pickled and compressed while it waits behind an unsettled one."""

    __slots__ = ("index", "key", "droppable", "path", "data")

    def __init__(self, index: int, key, droppable: bool, path: str, record: Record) -> None:
        self.index, self.key, self.droppable, self.path, self.data = index, key, droppable, path, record

    def pack(self) -> None:
        if isinstance(self.data, Record):
            self.data = _pack(self.data)

    def unpack(self) -> Record:
        return self.data if isinstance(self.data, Record) else _unpack(self.data)


def _pack(value) -> bytes:
    import pickle
    import zlib

    return zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1)


def _unpack(data: bytes):
    import pickle
    import zlib

    return pickle.loads(zlib.decompress(data))
