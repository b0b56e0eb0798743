"""Helpers shared by the drafting tests: write a data file, draft it, check the draft and read it back."""

from __future__ import annotations

from pathlib import Path

import yaml

from gidraft.check import check_path
from gidraft.draft.render import write_draft
from gidraft.draft.schema import load, validate
from gidraft.report.build import build_report
from gidraft.report.data import report_data
from gidraft.rules.loader import load_rules
from gidraft.sources import read_source

FIGURE_KEYS = ("meta", "t2", "t3", "t4", "fees")


def write_yaml(data: dict, path: Path) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def draft(data_path: Path, out: Path, force: bool = False) -> Path:
    """Validate and draft in process (as ``gidraft draft`` does); fails the test on a blocking problem."""
    datafile, problems = load(str(data_path))
    problems += validate(datafile)
    blocking = [p for p in problems if not (p.forceable and force)]
    assert not blocking, [str(p) for p in blocking]
    write_draft(datafile, out)
    return out


def findings(path: Path) -> list:
    result = check_path(str(path), load_rules())
    assert result.error is None, result.error
    return result.findings


def extracted(path: Path) -> dict:
    return report_data(build_report(read_source(str(path))))


def errors_outside_language(path: Path) -> list[str]:
    """Error findings other than language findings (codes L…)."""
    return [f"{f.code} {f.line}:{f.column} {f.message}" for f in findings(path) if f.severity == "error" and not f.code.startswith("L")]


def paragraphs(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]
