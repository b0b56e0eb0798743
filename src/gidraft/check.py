"""The check pipeline for one file: read → structure → rules → findings with original positions."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .report.build import build_report
from .report.model import Report
from .rules.engine import Finding, Rule, run_rules
from .sources import Source, SourceError, read_source


@dataclass
class Located:
    """A finding with its place in the original file and a fingerprint that survives unrelated edits."""

    finding: Finding
    line: int
    column: int
    end_line: int
    end_column: int
    fingerprint: str

    def __getattr__(self, name):
        return getattr(self.finding, name)


@dataclass
class FileResult:
    path: str
    report: Report | None = None
    error: str | None = None
    findings: list[Located] = field(default_factory=list)
    suppressed: int = 0

    @property
    def source(self) -> Source | None:
        return self.report.source if self.report else None


def fingerprint(text: str, finding: Finding, seen: dict[str, int]) -> str:
    """Hash of the rule, the flagged text and a little context; the n-th repeat gets its own."""
    before = text[max(0, finding.start - 12):finding.start]
    flagged = text[finding.start:finding.end][:60]
    after = text[finding.end:finding.end + 12]
    basis = "\x1f".join((finding.code, before, flagged, after, finding.message if finding.start == finding.end else ""))
    seen[basis] = seen.get(basis, 0) + 1
    return hashlib.sha1(f"{basis}\x1f{seen[basis]}".encode()).hexdigest()[:16]


def locate(source: Source, findings: list[Finding]) -> list[Located]:
    seen: dict[str, int] = {}
    out = []
    for finding in findings:
        line, column, end_line, end_column = source.span(finding.start, finding.end)
        out.append(Located(finding, line, column, end_line, end_column, fingerprint(source.text, finding, seen)))
    return out


def check_report(report: Report, rules: list[Rule], severities: dict[str, str] | None = None) -> list[Located]:
    return locate(report.source, run_rules(report, rules, severities))


def check_path(path: str, rules: list[Rule], severities: dict[str, str] | None = None) -> FileResult:
    """Check one file.  Unreadable input, and any failure of gidraft itself, become the result's error."""
    try:
        source = read_source(path)
    except SourceError as exc:
        return FileResult(path, error=str(exc))
    except (MemoryError, RecursionError) as exc:
        return FileResult(path, error=f"文件过于复杂，无法读取（{type(exc).__name__}）")
    try:
        report = build_report(source)
        return FileResult(path, report, findings=check_report(report, rules, severities))
    except Exception as exc:  # noqa: BLE001 - a bug must not cost the user the rest of the batch
        return FileResult(path, error=f"gidraft 内部错误（请报告此问题）：{type(exc).__name__}: {exc}")
