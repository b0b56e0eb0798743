"""Finding a finding's place in a Word document: its paragraph or table cell, and the runs of its text.

The Word reader (:mod:`gidraft.sources.docx`) makes raw line n of a source the n-th *unit* of the body:
a paragraph of the body, or a table cell that starts a cell (not the continuation of a vertical
merge, not in a row deleted with tracked changes).  :func:`units` lists the same elements in the same
order and :func:`characters` spells a unit's raw line character by character with the element each
character comes from, so a (line, column) range of a finding becomes a range of runs.

:func:`target` decides which range a finding is shown on: its own text; for a finding with no text
(a missing section, a missing table row, a blank cell) the cell at its place, the table's first cell,
or the nearest heading before it.  :func:`span_runs` splits runs where that range starts and ends,
copying their formatting, and returns the first and last run of the range.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass

from ..sources.docx import BREAKS, NOT_TEXT, W, blocks
from ..sources.grid import joiner

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TEXT, TAB, RUN, RPR = W + "t", W + "tab", W + "r", W + "rPr"


@dataclass
class Range:
    """Characters ``start``..``end`` (end exclusive) from unit ``first`` to unit ``last`` (0-based raw lines)."""

    first: int
    start: int
    last: int
    end: int


def units(body) -> list:
    """The body's paragraphs and starting table cells in the order of ``Source.raw``'s lines."""
    found = []
    for block in blocks(body):
        if block.tag == W + "p":
            found.append(block)
            continue
        for row in block.iterchildren(W + "tr"):
            if row.find(f"{W}trPr/{W}del") is None:
                found += [cell for cell in row.iterchildren(W + "tc") if cell.vMerge != "continue"]
    return found


Char = tuple  # (character, element or None, offset in the element's text)


def _paragraph(p) -> list[Char]:
    chars: list[Char] = []

    def walk(node) -> None:
        for child in node:
            if child.tag in NOT_TEXT:
                continue  # deleted text, and paragraph or run properties (tab stops are not tabs)
            if child.tag == TEXT:
                chars.extend((c if c not in "\t\n" else " ", child, i) for i, c in enumerate(child.text or ""))
            elif child.tag == TAB:
                chars.append((" ", child if child.getparent().tag == RUN else None, 0))
            elif child.tag in BREAKS:
                chars.append(("\n", None, 0))
            else:
                walk(child)

    walk(p)
    pieces: list[list[Char]] = [[]]
    for char in chars:
        if char[0] == "\n":
            pieces.append([])
        else:
            pieces[-1].append(char)
    return _join(pieces)


def _join(pieces: list[list[Char]]) -> list[Char]:
    """Pieces joined as the reader joins them: a space (from no element) only between Latin letters or digits."""
    out: list[Char] = []
    for piece in pieces:
        if out and piece and joiner(out[-1][0], piece[0][0]):
            out.append((" ", None, 0))
        out += piece
    return out


def _cell(tc) -> list[Char]:
    pieces = []
    for block in blocks(tc):
        if block.tag == W + "p":
            pieces.append(_paragraph(block))
        else:
            pieces += [_cell(inner) for row in block.iterchildren(W + "tr") for inner in row.iterchildren(W + "tc")]
    return _join([piece for piece in pieces if piece])


def characters(unit) -> list[Char]:
    """The unit's raw line, one (character, element, offset) per character; element None for a joining space."""
    return _paragraph(unit) if unit.tag == W + "p" else _cell(unit)


def spelled(unit) -> str:
    return "".join(c for c, _, _ in characters(unit))


def target(report, finding, body_units: list) -> Range:
    """The range of the document a finding is shown on (see the module docstring)."""
    source = report.source
    start, end = finding.start, finding.end
    if end > start:
        line, column, end_line, end_column = source.span(start, end)
        return Range(line - 1, column - 1, end_line - 1, end_column - 1)
    region = next((r for r in report.tables.values() if r.start <= start < r.end), None)
    if region is not None:
        unit = body_units[_unit_at(source, start)]
        first = body_units[_unit_at(source, region.start)]
        if first.tag == W + "tc":  # a Word table (not one typed as lines of text)
            table = next(first.iterancestors(W + "tbl"))
            cells = [u for u in body_units if u.tag == W + "tc" and next(u.iterancestors(W + "tbl")) is table]
            # the first cell for the table as a whole; a blank last cell has no text and maps past the table
            unit = cells[0] if start == region.start else unit if unit in cells else cells[-1]
        return _whole(body_units, body_units.index(unit))
    heading = _heading_before(report, start)
    if heading is not None:
        line, column, end_line, end_column = source.span(heading.start, heading.end)
        return Range(line - 1, column - 1, end_line - 1, end_column - 1)
    return _whole(body_units, _unit_at(source, start))


def _unit_at(source, index: int) -> int:
    return source.position(min(index, max(len(source.text) - 1, 0)))[0] - 1


def _heading_before(report, index: int):
    spans = [report.title_span] + [s.heading_span for s in report.sections] + [s.span for s in report.subheadings]
    before = [span for span in spans if span is not None and span.start <= index and span.end > span.start]
    return max(before, key=lambda span: span.start, default=None)


def _whole(body_units: list, index: int) -> Range:
    return Range(index, 0, index, len(characters(body_units[index])))


def _outer_run(element, unit):
    """The outermost run holding ``element`` inside ``unit`` (a run in a text box sits inside a drawing's run)."""
    outer = None
    for ancestor in element.iterancestors():
        if ancestor is unit:
            break
        if ancestor.tag == RUN:
            outer = ancestor
    return outer


def splittable(element, unit) -> bool:
    """True when ``element`` belongs to a run of the unit's own text (not to a text box inside a drawing)."""
    return element is not None and element.getparent() is _outer_run(element, unit)


def split(element, at: int, unit):
    """Split the run holding ``element`` (w:t, w:tab …) before its character ``at``: the (left, right) runs.

    A side with nothing in it is None.  Both pieces keep the run's properties (``w:rPr``).  A run that
    cannot be split (inside a text box) is returned whole as both sides.
    """
    if not splittable(element, unit):
        outer = _outer_run(element, unit)
        return outer, outer
    run = element.getparent()
    content = [child for child in run if child.tag != RPR]
    k = content.index(element)
    size = len(element.text or "") if element.tag == TEXT else 1
    if at == 0 and k == 0:
        return None, run
    if at == size and k == len(content) - 1:
        return run, None
    right = deepcopy(run)
    run.addnext(right)
    copies = [child for child in right if child.tag != RPR]
    for child in content[k + 1:]:
        run.remove(child)
    for child in copies[:k]:
        right.remove(child)
    if element.tag == TEXT:
        text = element.text or ""
        _set_text(element, text[:at])
        _set_text(copies[k], text[at:])
    else:
        (right if at else run).remove(copies[k] if at else element)
    return run, right


def _set_text(t, text: str) -> None:
    """Give a w:t its text, or remove it when the text is empty."""
    if not text:
        t.getparent().remove(t)
        return
    t.text = text
    if text != text.strip():
        t.set(XML_SPACE, "preserve")


def span_runs(body_units: list, where: Range) -> tuple:
    """Split runs so that a run starts where ``where`` starts and one ends where it ends; (first, last) run.

    Joining spaces (no element) at the edges are skipped.  A range with no text of its own (an empty
    paragraph or cell) gets an empty run to hold the comment.
    """
    first_unit, last_unit = body_units[where.first], body_units[where.last]
    head = characters(first_unit)
    tail = head if where.last == where.first else characters(last_unit)
    end = min(where.end, len(tail))
    stop = end if where.last == where.first else len(head)
    begin = next((i for i in range(where.start, stop) if head[i][1] is not None), None)
    floor = where.start if where.last == where.first else 0
    finish = next((i for i in range(end - 1, floor - 1, -1) if tail[i][1] is not None), None)
    if begin is None or finish is None:
        run = _empty_run(first_unit)
        return run, run
    _, element, offset = tail[finish]
    last, _ = split(element, offset + 1, last_unit)
    _, element, offset = head[begin]
    left, first = split(element, offset, first_unit)
    if left is last:  # both ends in one run: the range is its right-hand piece
        last = first
    return first, last


def _empty_run(unit):
    from docx.oxml import OxmlElement

    p = unit if unit.tag == W + "p" else unit.find(W + "p")
    if p is None:
        p = OxmlElement("w:p")
        unit.append(p)
    run = OxmlElement("w:r")
    p.append(run)
    return run
