"""JSON output, contract version 1 (documented in README.md)."""

from __future__ import annotations

import json

from ..check import FileResult

VERSION = 1


def finding_object(f, source=None) -> dict:
    """One finding as the JSON contract describes it; ``place`` (表2第27行第10列, 第3页第5行) for Word and PDF."""
    obj = {
        "code": f.code,
        "severity": f.severity,
        "message": f.message,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "fingerprint": f.fingerprint,
        "fix": f.fix,
    }
    if source is not None and source.places:
        obj["place"] = source.place(f.line, f.column)
    return obj


def file_object(result: FileResult) -> dict:
    report = result.report
    obj = {
        "path": result.path,
        "format": report.format if report else None,
        "year": report.year if report else None,
        "agency": report.agency if report else None,
        "error": result.error,
        "findings": [finding_object(f, result.source) for f in result.findings],
    }
    if result.facts is not None:
        obj["facts"] = result.facts
    return obj


def render(results: list[FileResult], summary: dict) -> str:
    document = {"version": VERSION, "files": [file_object(r) for r in results], "summary": summary}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_lines(results: list[FileResult]) -> str:
    """JSON Lines: one object per file (the file object of the JSON document plus its counts)."""
    lines = []
    for result in results:
        obj = file_object(result)
        severities = [f.severity for f in result.findings]
        obj["counts"] = {"errors": severities.count("error"), "warnings": severities.count("warning"),
                         "infos": severities.count("info"), "suppressed": result.suppressed}
        lines.append(json.dumps(obj, ensure_ascii=False))
    return "\n".join(lines) + "\n"
