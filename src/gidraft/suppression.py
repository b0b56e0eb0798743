"""Findings silenced by the author (inline regions) or by the project (a word allow-list).

Inline regions, written in the file itself (a .txt or .md report; in Word, typed as a paragraph)::

    <!-- gidraft-disable L101 L3 -->   ……   <!-- gidraft-enable L101 L3 -->

silence the listed codes or code prefixes (separated by spaces or commas) from the disable comment to
the matching enable comment, or to the end of the file when there is none.  Without codes the comment
applies to every rule; ``<!-- gidraft-enable -->`` without codes ends every open region.

The allow-list holds words never to flag (agency, place and person names, document numbers, domain
terms): a finding whose span overlaps an occurrence of an allowed word in the text is dropped.
"""

from __future__ import annotations

import re

from .cache import compiled
from .report.model import Report
from .rules.engine import Finding, matches

DIRECTIVE = compiled(r"<!--\s*gidraft-(disable|enable)\b([^>]*?)-->")


def inline_regions(raw: str) -> list[tuple[int, int, str]]:
    """(start, end, code pattern) of every disabled region of ``raw``; pattern ``ALL`` for every rule."""
    regions: list[tuple[int, int, str]] = []
    open_at: dict[str, int] = {}
    for match in DIRECTIVE.finditer(raw):
        codes = [c.upper() for c in re.split(r"[\s,，]+", match.group(2)) if c] or ["ALL"]
        if match.group(1) == "disable":
            for code in codes:
                open_at.setdefault(code, match.start())
        else:
            for code in (list(open_at) if codes == ["ALL"] else codes):
                if code in open_at:
                    regions.append((open_at.pop(code), match.end(), code))
    regions += [(start, len(raw), code) for code, start in open_at.items()]
    return regions


def _allowed_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    spans = []
    for word in {w.strip() for w in words if w and w.strip()}:
        at = text.find(word)
        while at != -1:
            spans.append((at, at + len(word)))
            at = text.find(word, at + 1)
    return spans


def _overlaps(finding: Finding, start: int, end: int) -> bool:
    if finding.start == finding.end:
        return start <= finding.start < end
    return finding.start < end and start < finding.end


def filter_findings(report: Report, findings: list[Finding], allow_words: list[str] = ()) -> list[Finding]:
    """``findings`` without those in an inline disabled region of the file or on an allowed word."""
    source = report.source
    regions = inline_regions(source.raw)
    allowed = _allowed_spans(source.text, list(allow_words))
    kept = []
    for finding in findings:
        at = source.raw_offset(finding.start)
        if any(start <= at < end and matches(finding.code, [code]) for start, end, code in regions):
            continue
        if any(_overlaps(finding, start, end) for start, end in allowed):
            continue
        kept.append(finding)
    return kept
