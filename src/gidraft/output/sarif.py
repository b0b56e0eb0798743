"""SARIF 2.1.0 output: one run with the rules that fired, results located in characters, fixes and related places.

Columns are counted in Unicode code points (``columnKind: unicodeCodePoints``), end columns exclusive,
as in the text and JSON outputs.  A fix is offered as an artifact change only where the flagged region
of the file holds exactly the flagged text (not for Word/PDF files, whose lines are paragraphs or
printed lines, nor across a line break that PDF repair removed).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..check import FileResult, Located
from ..rules.engine import REGISTRY, Rule
from ..rules.loader import load_rules
from ..sources.model import Source

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
ROOT = "%SRCROOT%"


def fired_rules(results: list[FileResult]) -> dict[str, Rule | None]:
    """The rules behind the findings, by code (None for a code no loaded rule declares)."""
    return rules_of({f.code for r in results for f in r.findings})


def rules_of(codes) -> dict[str, Rule | None]:
    load_rules()
    return {code: REGISTRY.get(code) for code in sorted(codes)}


def repo_path(path: str) -> str:
    """The path as written for CI: POSIX, relative to the working directory when it lies below it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def artifact(path: str) -> dict:
    shown = repo_path(path)
    if Path(shown).is_absolute():
        return {"uri": Path(shown).as_uri()}
    return {"uri": quote(shown), "uriBaseId": ROOT}


def region(source: Source, start: int, end: int) -> dict:
    line, column, end_line, end_column = source.span(start, end)
    out = {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}
    if end > start:
        out["snippet"] = {"text": source.raw_text(start, end)}
    return out


def fix(source: Source, located: Located, location: dict) -> list[dict]:
    start, end = located.finding.start, located.finding.end
    if located.fix is None or source.places is not None or source.raw_text(start, end) != source.text[start:end]:
        return []
    note = "" if located.fix_safe else "（需人工确认）"
    return [{
        "description": {"text": f"改为“{located.fix}”{note}"},
        "artifactChanges": [{
            "artifactLocation": location,
            "replacements": [{"deletedRegion": region(source, start, end), "insertedContent": {"text": located.fix}}],
        }],
    }]


def result_object(result: FileResult, located: Located) -> dict:
    """One result; its ``ruleIndex`` is filled in when the rules that fired are known (:class:`Writer`)."""
    source = result.source
    location = artifact(result.path)
    out = {
        "ruleId": located.code,
        "ruleIndex": None,
        "level": LEVEL[located.severity],
        "message": {"text": located.message},
        "locations": [{"physicalLocation": {"artifactLocation": location,
                                            "region": region(source, located.finding.start, located.finding.end)}}],
        "partialFingerprints": {"gidraft/v1": located.fingerprint},
    }
    if located.related:
        out["relatedLocations"] = [
            {"id": n, "message": {"text": what},
             "physicalLocation": {"artifactLocation": location, "region": region(source, start, end)}}
            for n, (start, end, what) in enumerate(located.related, 1)
        ]
    fixes = fix(source, located, location)
    if fixes:
        out["fixes"] = fixes
    properties = {}
    if source.places:
        properties["place"] = source.place(located.line, located.column)
    if located.evidence:
        properties["evidence"] = located.evidence
    if properties:
        out["properties"] = properties
    return out


def descriptor(code: str, rule: Rule | None) -> dict:
    if rule is None:
        return {"id": code}
    return {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc or rule.summary},
        "help": {"text": "\n\n".join(part for part in (rule.summary, rule.doc, f"依据：{rule.tier}") if part)},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tier": rule.tier, "tags": [rule.tier]},
    }


def entry(result: FileResult, located: Located, color: bool = False) -> dict:
    """What this output prints of one finding, made while its report is at hand."""
    return result_object(result, located)


class Writer:
    """The SARIF log: result objects collected (not reports), written at the end with the rules that fired."""

    needs_reports = False

    def __init__(self, **_) -> None:
        self.results: list[dict] = []
        self.unreadable: list[tuple[str, str]] = []

    def file(self, record) -> str:
        if record.error:
            self.unreadable.append((record.path, record.error))
        self.results += [e.unit for e in record.entries]
        return ""

    def close(self, summary: dict) -> str:
        return json.dumps(self.document(summary), ensure_ascii=False, indent=2, default=str) + "\n"

    def document(self, summary: dict) -> dict:
        rules = rules_of({r["ruleId"] for r in self.results})
        rule_index = {code: n for n, code in enumerate(rules)}
        for result in self.results:
            result["ruleIndex"] = rule_index[result["ruleId"]]
        run = {
            "tool": {"driver": {
                "name": "gidraft",
                "version": __version__,
                "semanticVersion": __version__,
                "language": "zh-CN",
                "rules": [descriptor(code, rule) for code, rule in rules.items()],
            }},
            "invocations": [{
                "executionSuccessful": not self.unreadable,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": error},
                     "locations": [{"physicalLocation": {"artifactLocation": artifact(path)}}]}
                    for path, error in self.unreadable
                ],
            }],
            "originalUriBaseIds": {ROOT: {"uri": Path.cwd().resolve().as_uri().rstrip("/") + "/"}},
            "language": "zh-CN",
            "columnKind": "unicodeCodePoints",
            "results": self.results,
            "properties": {"summary": summary},
        }
        return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
