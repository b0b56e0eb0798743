"""Checking many reports: expanding folders and globs, running in parallel, deterministic order."""

from __future__ import annotations

import glob
import os
import sys

from .check import Checker, FileResult

SUPPORTED = (".txt", ".md", ".markdown", ".docx", ".html", ".htm", ".pdf")


def expand(arguments: list[str]) -> list[str]:
    """Files named by the arguments: folders recursively (supported kinds only), globs, plain paths."""
    out: list[str] = []
    for argument in arguments:
        if os.path.isdir(argument):
            found = []
            for folder, dirs, files in os.walk(argument):  # symbolic links to folders are not followed
                dirs.sort()
                found += [os.path.join(folder, f) for f in files if f.lower().endswith(SUPPORTED) and not f.startswith((".", "~$"))]
            out += sorted(found)
        elif not os.path.lexists(argument) and glob.has_magic(argument):
            out += sorted(p for p in glob.glob(argument, recursive=True) if os.path.isfile(p))
        else:
            out.append(argument)
    seen: set[str] = set()
    return [p for p in out if not (p in seen or seen.add(p))]


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


def apply_baseline(results: list[FileResult], decided: set[tuple[str, str]]) -> None:
    from .baseline import is_decided

    for result in results:
        kept = [f for f in result.findings if not is_decided(decided, result.path, f.fingerprint)]
        result.suppressed = len(result.findings) - len(kept)
        result.findings = kept
