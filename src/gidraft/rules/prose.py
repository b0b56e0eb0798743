"""Where the prose of a report is, for the language rules (L1xx–L6xx).

Language rules read the narrative only: not the tables (their labels and figures are checked by the
table rules), and not the page chrome a crawler saved before the title (breadcrumbs such as
``首页政务公开政府信息公开政府信息公开年报``).
"""

from __future__ import annotations

from ..cache import compiled
from ..report.model import Report

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""Chinese characters (ideographs), for regular expression classes."""

BLOCK = compiled(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")


SENTENCE_MARKS = "，,。；;"
"""Punctuation inside sentences; page chrome (breadcrumbs, menus: ``当前位置：首页>政务公开``) has none."""


def prose_start(report: Report) -> int:
    """The logical offset where the report itself begins: its title, or the start of the text.  A title found
    in the middle of a sentence (``现公布《……年度报告》``, the report naming itself) begins no page: its line is
    narrative from the line's start when the words before it on that line are a sentence (they hold a comma)."""
    if not report.title_span:
        return 0
    start = report.title_span.start
    line = report.text.rfind("\n", 0, start) + 1
    before = report.text[line:start]
    return line if any(mark in before for mark in SENTENCE_MARKS) else start


def is_prose(report: Report, index: int) -> bool:
    """True when logical index ``index`` lies in the narrative (after the title start, outside tables)."""
    return index >= prose_start(report) and not report.in_table(index)


def prose_spans(report: Report) -> list[tuple[int, int]]:
    """The narrative parts of the logical text: from the title on, table regions cut out."""
    parts = [(prose_start(report), len(report.text))]
    for region in sorted(report.tables.values(), key=lambda r: r.start):
        cut = []
        for start, end in parts:
            if region.end <= start or region.start >= end:
                cut.append((start, end))
                continue
            if start < region.start:
                cut.append((start, region.start))
            if region.end < end:
                cut.append((region.end, end))
        parts = cut
    return parts


def blocks(report: Report) -> list[tuple[int, int]]:
    """Narrative blocks: runs of non-blank lines (paragraphs of a hand-wrapped text stay together)."""
    text = report.text
    return [(start + m.start(), start + m.end()) for start, end in prose_spans(report)
            for m in BLOCK.finditer(text[start:end])]
