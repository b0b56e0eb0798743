"""LanguageTool as an optional second opinion on the narrative, through a server the user runs.

gidraft never starts or downloads LanguageTool: it sends the report's narrative (tables and the page
chrome before the title left out) to the server's ``/v2/check`` for zh-CN with language-tool-python
and turns each match into a warning ``LT-<ruleId>`` placed on the logical text, so it is located in
the original file like any other finding.  A server that cannot be reached costs one warning, not
the check.

A user starts a server with the LanguageTool release (Java 17 or later)::

    java -cp languagetool-server.jar org.languagetool.server.HTTPServer --port 8081 --allow-origin

or with a container image such as ``docker run -p 8081:8010 erikvl87/languagetool``, and passes
``--languagetool http://localhost:8081`` (or sets GIDRAFT_LANGUAGETOOL_URL).
"""

from __future__ import annotations

import bisect

from .report.model import Report
from .rules.engine import Finding
from .rules.prose import prose_spans

LANGUAGE = "zh-CN"
TIMEOUT = 60  # seconds per request; language-tool-python's own default is five minutes


def _payload(report: Report) -> tuple[str, list[int], list[int]]:
    """The narrative as one text (parts joined by a line break) and, per part, its offset there and in Source.text."""
    text = report.text
    parts, sent_at, logical_at, at = [], [], [], 0
    for start, end in prose_spans(report):
        parts.append(text[start:end])
        sent_at.append(at)
        logical_at.append(start)
        at += end - start + 1
    return "\n".join(parts), sent_at, logical_at


def check_with_languagetool(report: Report, url: str) -> tuple[list[Finding], str | None]:
    """Findings of the LanguageTool server at ``url`` on the report's narrative, and a Chinese warning
    instead when the server cannot be used."""
    import requests
    from language_tool_python import LanguageTool
    from language_tool_python.exceptions import LanguageToolError

    class Client(LanguageTool):
        _TIMEOUT = TIMEOUT

    payload, sent_at, logical_at = _payload(report)
    if not payload.strip():
        return [], None
    try:
        tool = Client(LANGUAGE, remote_server=url)
        try:
            matches = tool.check(payload)
        finally:
            tool.close()
    except ValueError as exc:
        return [], f"LanguageTool 服务器 {url} 不支持中文（{LANGUAGE}）：{exc}；已跳过 LanguageTool 检查"
    except (LanguageToolError, requests.RequestException, OSError, KeyError, TypeError) as exc:
        return [], f"无法使用 LanguageTool 服务器 {url}（{type(exc).__name__}: {exc}）；已跳过 LanguageTool 检查"
    findings = []
    for match in matches:
        length = max(match.error_length, 0)
        part = bisect.bisect_right(sent_at, match.offset) - 1
        if part < 0 or bisect.bisect_right(sent_at, match.offset + max(length - 1, 0)) - 1 != part:
            continue  # a match across two parts of the narrative has no single place
        start = logical_at[part] + match.offset - sent_at[part]
        replacement = match.replacements[0] if match.replacements else None
        findings.append(Finding(f"LT-{match.rule_id}", "warning", f"{match.message}（LanguageTool）", start, start + length,
                                fix=replacement, fix_safe=False, evidence={"rule": match.rule_id, "category": match.category}))
    return findings, None
