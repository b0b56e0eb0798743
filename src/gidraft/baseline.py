"""Baselines: findings already reviewed (accepted or dismissed) are hidden from later checks.

Format (also exported by the HTML review page)::

    {"version": 1, "decisions": [{"fingerprint": "…", "code": "T301", "decision": "accepted" | "dismissed",
                                   "note": "…", "path": "报告.txt", "message": "…"}]}

A decision matches a finding with the same fingerprint in a file of the same name (any file when the
decision has no path), so a baseline made in one folder still works after the reports are moved.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

DECISIONS = ("accepted", "dismissed")


class BaselineError(Exception):
    pass


def load(path: Path) -> set[tuple[str, str]]:
    """(file name or '', fingerprint) pairs already decided."""
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
        decided.add((os.path.basename(item.get("path") or ""), item["fingerprint"]))
    return decided


def is_decided(decided: set[tuple[str, str]], path: str, fingerprint: str) -> bool:
    return ("", fingerprint) in decided or (os.path.basename(path), fingerprint) in decided


def document(results) -> dict:
    """A baseline accepting every current finding of the results."""
    return {
        "version": 1,
        "decisions": [
            {"fingerprint": f.fingerprint, "code": f.code, "decision": "accepted", "note": "基线",
             "path": result.path, "message": f.message}
            for result in results for f in result.findings
        ],
    }
