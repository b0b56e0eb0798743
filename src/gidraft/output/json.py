"""JSON output, contract version 1 (documented in README.md)."""

from __future__ import annotations

import json

from ..check import FileResult

VERSION = 1


def file_object(result: FileResult) -> dict:
    report = result.report
    return {
        "path": result.path,
        "format": report.format if report else None,
        "year": report.year if report else None,
        "agency": report.agency if report else None,
        "error": result.error,
        "findings": [
            {
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
            for f in result.findings
        ],
    }


def render(results: list[FileResult], summary: dict) -> str:
    document = {"version": VERSION, "files": [file_object(r) for r in results], "summary": summary}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
