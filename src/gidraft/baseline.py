"""Baselines: findings already reviewed (accepted or dismissed) are hidden from later checks.

Format (also exported by the HTML review page)::

    {"version": 1, "decisions": [{"fingerprint": "…", "code": "T301", "decision": "accepted" | "dismissed",
                                   "note": "…", "agency": "某某局", "year": 2024,
                                   "path": "报告.txt", "message": "…"}]}

A decision is keyed by content, not by file name: it matches a finding with the same fingerprint (rule,
flagged text and its context) in a report of the same agency and year, whatever the file is called or
wherever it was moved (``定稿.txt`` keeps the decisions made on ``草稿.txt``; an unrelated report does not
inherit them).  ``path`` is informative.  A decision of an older baseline without ``agency`` and ``year``
keys still matches by file name.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

DECISIONS = ("accepted", "dismissed")


class BaselineError(Exception):
    pass


def load(path: Path) -> set[tuple]:
    """Keys of the decisions: (agency, year, fingerprint), or ("file", name, fingerprint) for older ones."""
    from .sources import SourceError, max_bytes, read_bounded

    try:
        document = json.loads(read_bounded(str(path), max_bytes()).decode("utf-8"))
    except (SourceError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: 无法读取基线文件：{exc}") from exc
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: 基线文件不是有效的 JSON：第 {exc.lineno} 行 {exc.msg}") from exc
    if not isinstance(document, dict) or document.get("version") != 1 or not isinstance(document.get("decisions"), list):
        raise BaselineError(f"{path}: 基线文件应为 {{\"version\": 1, \"decisions\": [...]}}")
    decided = set()
    for index, item in enumerate(document["decisions"], 1):
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
            raise BaselineError(f"{path}: 第 {index} 条决定缺少 fingerprint")
        if item.get("decision", "accepted") not in DECISIONS:
            raise BaselineError(f"{path}: 第 {index} 条决定的 decision 应为 accepted 或 dismissed")
        if "agency" in item or "year" in item:
            decided.add((item.get("agency"), item.get("year"), item["fingerprint"]))
        else:
            decided.add(("file", os.path.basename(item.get("path") or ""), item["fingerprint"]))
    return decided


def identity(report) -> tuple:
    """What a decision is keyed by besides the fingerprint: the report's agency and year."""
    return (report.agency, report.year) if report is not None else (None, None)


def is_decided(decided: set[tuple], result, fingerprint: str) -> bool:
    if (*identity(result.report), fingerprint) in decided:
        return True
    return ("file", "", fingerprint) in decided or ("file", os.path.basename(result.path), fingerprint) in decided


def document(results) -> dict:
    """A baseline accepting every current finding of the results."""
    return {
        "version": 1,
        "decisions": [
            {"fingerprint": f.fingerprint, "code": f.code, "decision": "accepted", "note": "基线",
             "agency": identity(result.report)[0], "year": identity(result.report)[1],
             "path": result.path, "message": f.message}
            for result in results for f in result.findings
        ],
    }
