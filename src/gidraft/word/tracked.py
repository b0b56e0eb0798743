"""Fixes as tracked changes (``gidraft fix 报告.docx --track-changes``).

Each fix planned by :func:`gidraft.fix.plan_fixes` becomes, in a copy of the document, a deletion
(``w:del``, the old runs with ``w:delText``) and an insertion (``w:ins``, a new run with the first
deleted run's formatting), author ``gidraft`` and the current date, so the officer accepts or rejects
each one in Word's review pane.  Only the characters that change are marked: “各各”→“各” deletes one
“各”.  A fix whose characters include a tab, a line break or a text box, or that runs across
paragraphs, is refused with a reason rather than written approximately.
"""

from __future__ import annotations

from copy import deepcopy
from datetime import datetime, timezone
from pathlib import Path

from . import AUTHOR, WordError, open_document, save
from .locate import RPR, TEXT, XML_SPACE, W, characters, split, splittable, spelled, units

REFUSED = "该处含制表符、换行、文本框或跨段落，无法写成修订，请在 Word 中手工修改"


def _trim(old: str, new: str) -> tuple[int, int, str]:
    """The part of ``old`` that really changes: (start, end, replacement) after common prefix and suffix."""
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return head, len(old) - tail, new[head:len(new) - tail]


class _Marks:
    """Makes w:ins / w:del elements with ids not used elsewhere in the document."""

    def __init__(self, body) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        used = [int(v) for e in body.iter() for k, v in e.attrib.items() if k == W + "id" and v.lstrip("-").isdigit()]
        self.next_id = max(used, default=0) + 1
        self.date = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def make(self, tag: str):
        from docx.oxml import OxmlElement

        element = OxmlElement(tag, {self.qn("w:id"): str(self.next_id), self.qn("w:author"): AUTHOR, self.qn("w:date"): self.date})
        self.next_id += 1
        return element


def _delete(first, last, marks: _Marks):
    """Wrap the sibling runs first..last in a w:del, their text becoming deleted text."""
    parent = first.getparent()
    if last.getparent() is not parent:
        return None
    siblings = [first]
    while siblings[-1] is not last:
        siblings.append(siblings[-1].getnext())
    deleted = marks.make("w:del")
    first.addprevious(deleted)
    for element in siblings:
        deleted.append(element)
        for t in element.iter(TEXT):
            t.tag = W + "delText"
        for instruction in element.iter(W + "instrText"):
            instruction.tag = W + "delInstrText"
    return deleted


def _insertion(text: str, like, marks: _Marks):
    """A w:ins holding one run with ``text`` and the formatting of run ``like``."""
    from docx.oxml import OxmlElement

    inserted = marks.make("w:ins")
    run = OxmlElement("w:r")
    properties = like.find(RPR)
    if properties is not None:
        run.append(deepcopy(properties))
    t = OxmlElement("w:t")
    t.text = text
    if text != text.strip():
        t.set(XML_SPACE, "preserve")
    run.append(t)
    inserted.append(run)
    return inserted


def _apply(unit, start: int, end: int, replacement: str, marks: _Marks) -> bool:
    """Mark characters start..end of the unit deleted and ``replacement`` inserted; False when it cannot."""
    chars = characters(unit)
    cut, stop, new = _trim("".join(c for c, _, _ in chars[start:end]), replacement)
    start, end = start + cut, start + stop
    if start == end and not new:
        return True
    touched = chars[start:end] or (chars[start - 1:start] if start else chars[:1])
    if not touched or not all(e is not None and e.tag == TEXT and splittable(e, unit) for _, e, _ in touched):
        return False
    if start == end:  # a pure insertion, after the character before it (or before the first one)
        _, element, offset = chars[start - 1] if start else chars[0]
        left, right = split(element, offset + 1 if start else 0, unit)
        anchor = left if start else right
        inserted = _insertion(new, anchor, marks)
        (anchor.addnext if start else anchor.addprevious)(inserted)
        return True
    _, element, offset = chars[end - 1]
    last, _ = split(element, offset + 1, unit)
    _, element, offset = chars[start]
    left, first = split(element, offset, unit)
    if left is last:
        last = first
    deleted = _delete(first, last, marks)
    if deleted is None:
        return False
    if new:
        deleted.addnext(_insertion(new, first, marks))
    return True


def write_tracked(source_path, findings, output_path, unsafe: bool = False, source=None) -> tuple[int, list]:
    """Write a copy of the Word file with the fixes of ``findings`` as tracked changes.

    ``findings`` are those of checking ``source_path`` (:class:`gidraft.check.Located` or Finding);
    ``source`` is the Source they were found in (read again when not given).  Safe fixes only unless
    ``unsafe``.  Returns the number of changes written and the refused fixes as (finding, reason).
    """

    from ..fix import plan_fixes
    from ..sources import read_source

    source = source or read_source(str(source_path))
    plan = plan_fixes(source, findings, unsafe=unsafe)
    document = open_document(source_path)
    body_units = units(document.element.body)
    lines = source.raw.split("\n")
    if len(body_units) != len(lines):
        raise WordError(f"无法把修正对应到 Word 文档的段落和单元格（读到 {len(lines)} 处，文档中有 {len(body_units)} 处）")
    marks = _Marks(document.element.body)
    refused = list(plan.refused)
    written = 0
    places = [(edit, source.line_col(edit.start), source.line_col(edit.end)[0]) for edit in plan.edits]
    same = {line: spelled(body_units[line - 1]) == lines[line - 1] for _, (line, _), _ in places}
    for edit, (line, column), end_line in reversed(places):  # from the end: earlier offsets in a paragraph stay valid
        unit = body_units[line - 1]
        if end_line != line or not same[line] or "\n" in edit.replacement:
            refused.append((edit.finding, REFUSED))
        elif _apply(unit, column - 1, column - 1 + edit.end - edit.start, edit.replacement, marks):
            written += 1
        else:
            refused.append((edit.finding, REFUSED))
    save(document, Path(output_path))
    return written, sorted(refused, key=lambda item: item[0].start)
