"""Checking many reports: expanding folders and globs, running in parallel, deterministic order."""

from __future__ import annotations

import glob
import os
import re
import sys
from dataclasses import dataclass, field

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


def expand(arguments: list[str]) -> list[str]:
    return select_files(arguments).paths


def select_files(arguments: list[str], exclude: list[str] = (), config_exclude: bool = True) -> Selection:
    """Files named by the arguments: folders recursively (supported kinds only), globs, plain paths.

    Inside folders and globs, like a linter: ``--exclude`` patterns and ``.gidraftignore`` files (gitignore
    syntax) and the ``exclude`` configuration key leave files out, and gidraft's own outputs are skipped.
    A file named explicitly is always checked.
    """
    selection = Selection()
    for argument in arguments:
        if os.path.isdir(argument):
            found = []
            for folder, dirs, files in os.walk(argument):  # symbolic links to folders are not followed
                dirs.sort()
                found += [os.path.join(folder, f) for f in files if f.lower().endswith(SUPPORTED) and not f.startswith((".", "~$"))]
            _add_found(selection, sorted(found), argument, exclude, config_exclude)
        elif not os.path.lexists(argument) and glob.has_magic(argument):
            found = sorted(p for p in glob.glob(argument, recursive=True) if os.path.isfile(p))
            _add_found(selection, found, ".", exclude, config_exclude)
        else:
            selection.paths.append(argument)
            selection.explicit.add(argument)
    seen: set[str] = set()
    selection.paths = [p for p in selection.paths if not (p in seen or seen.add(p))]
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
    """A text with some sign of being an annual report: a title, a statistical table or several sections."""
    return bool(report.title or report.tables or len(report.sections) >= 4)


_checker: Checker | None = None


def _start_worker(cli: dict) -> None:
    global _checker
    _checker = Checker(cli)


def _check_one(path: str) -> FileResult:
    return _checker.check(path)


def check_all(paths: list[str], cli: dict, jobs: int) -> list[FileResult]:
    """Results in the order of ``paths`` whatever the parallelism; a progress bar on a terminal."""
    show_progress = len(paths) > 1 and sys.stderr.isatty()
    if jobs <= 1 or len(paths) <= 1:
        checker = Checker(cli)
        return list(_progress(paths, map(checker.check, paths), show_progress))
    from concurrent.futures import ProcessPoolExecutor  # not imported for a single file: 40 ms of start-up

    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(cli,)) as pool:
        chunk = max(1, min(16, len(paths) // (jobs * 4)))
        return list(_progress(paths, pool.map(_check_one, paths, chunksize=chunk), show_progress))


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
