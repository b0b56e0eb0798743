"""Find the six top-level sections (一…六) and the sub-headings （一）… of a report."""

from __future__ import annotations

import re

from ..cache import compiled
from .layout import Layout
from .model import Section, Span, Subheading
from .tables import Compact

SUBHEADING = compiled(r"(?:^|(?<=[。；！？\n]))\s*([（(][一二三四五六七八九十]{1,3}[）)])([^。；！？\n（(]{0,40})", re.M)


FIGURE_END = compiled(r"\d\s*(?:万元|元|件|个|项|次|条)\s*$")


def _is_ideograph(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def heading_matches(text: str, compact: Compact, layout: Layout) -> list[tuple[int, int, int, str, bool]]:
    """Every place a top-level heading stands: (spec index, start, end, heading text, canonical)."""
    found = []
    for index, spec in enumerate(layout.sections):
        for match in spec.pattern.finditer(compact.text):
            start, end = compact.logical(match.start()), compact.logical(match.end() - 1) + 1
            before = text[max(0, start - 16):start].rstrip(" \t\u3000")[-1:]
            if before and _is_ideograph(before) and not FIGURE_END.search(text, max(0, start - 16), start):
                continue  # inside a sentence; but a heading may run straight on from a table figure (432.52元三、)
            heading = match.group()
            canonical = heading[2:] == spec.canonical
            found.append((index, start, end, heading, canonical))
    return sorted(found, key=lambda item: item[1])


def find_sections(text: str, layout: Layout, compact: Compact | None = None) -> tuple[list[Section], list[tuple[int, int, int, str, bool]]]:
    """Sections in document order (first occurrence of each); also every heading match, for duplicates.
    ``compact``: the whole text without white space, when the caller has it already."""
    matches = heading_matches(text, compact or Compact(text, 0, len(text)), layout)
    first: dict[int, tuple[int, int, int, str, bool]] = {}
    for item in matches:
        first.setdefault(item[0], item)
    ordered = sorted(first.values(), key=lambda item: item[1])
    sections = []
    for position, (index, start, end, heading, canonical) in enumerate(ordered):
        spec = layout.sections[index]
        body_end = ordered[position + 1][1] if position + 1 < len(ordered) else len(text)
        sections.append(Section(spec.key, spec.number, heading, canonical, Span(start, end), Span(end, body_end)))
    return sections, matches


def find_subheadings(text: str) -> list[Subheading]:
    return [
        Subheading(m.group(1), m.group(2).strip(), Span(m.start(1), m.end(2)))
        for m in SUBHEADING.finditer(text)
    ]
