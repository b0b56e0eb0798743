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
    if f.related and source is not None:
        obj["related"] = [related_object(source, start, end, what) for start, end, what in f.related]
    return obj


def related_object(source, start: int, end: int, what: str) -> dict:
    """Another place the finding is about (a cell of the broken relation, the table cell a narrative figure is
    compared with): its position in the file like the finding's own, and what it is."""
    line, column, end_line, end_column = source.span(start, end)
    obj = {"what": what, "line": line, "column": column, "end_line": max(end_line, line),
           "end_column": end_column if end_line >= line else column}
    if source.places:
        obj["place"] = source.place(line, column)
    return obj


def entry(result: FileResult, located, color: bool = False) -> dict:
    """What this output prints of one finding, made while its report is at hand."""
    return finding_object(located, result.source)


def file_object(record) -> dict:
    obj = {
        "path": record.path,
        "format": record.format,
        "year": record.year,
        "agency": record.agency,
        "error": record.error,
        "findings": [e.unit for e in record.entries],
    }
    if record.facts is not None:
        obj["facts"] = record.facts
    return obj


class Writer:
    """The JSON document: the file objects collected (findings as dicts, not reports), written at the end."""

    needs_reports = False

    def __init__(self, **_) -> None:
        self.files = []

    def file(self, record) -> str:
        self.files.append(file_object(record))
        return ""

    def close(self, summary: dict) -> str:
        document = {"version": VERSION, "files": self.files, "summary": summary}
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


class LinesWriter:
    """JSON Lines: one object per file (the file object of the JSON document plus its counts), as each is done."""

    needs_reports = False

    def __init__(self, **_) -> None:
        pass

    def file(self, record) -> str:
        obj = file_object(record)
        obj["counts"] = {**record.counts(), "suppressed": record.suppressed}
        return json.dumps(obj, ensure_ascii=False) + "\n"

    def close(self, summary: dict) -> str:
        return ""
