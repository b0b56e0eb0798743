"""Apply the fixes findings carry to the original file.

A finding's fix replaces its span of the logical text.  :func:`plan_fixes` maps each span back to
the original (``Source.origin``) and keeps only fixes whose characters sit side by side in the
original, unchanged: a span that crosses a line break the reader removed (a PDF line join) or text
the reader repaired cannot be edited in place and is refused with a reason.  Safe fixes are taken by
default, unsafe ones (wording suggestions) only on request.

- Text and Markdown (:func:`write_text`): the file's own bytes are edited at the mapped spans only,
  in its encoding and newline style, after the original is kept as ``FILE.bak``; the new file
  replaces the old one atomically.
- Word (:func:`write_docx`): ``NAME.修正.docx`` is written next to the original, the replaced
  characters edited inside their runs so the runs keep their formatting.
"""

from __future__ import annotations

import difflib
import io
import os
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from .cache import compiled
from .outputs import guard, rewrite, write
from .rules.engine import Finding
from .sources import Source


class FixError(Exception):
    """Fixes that cannot be written; the message is Chinese and names the problem."""


@dataclass
class Edit:
    start: int  # offsets in Source.raw, end exclusive
    end: int
    replacement: str
    finding: Finding


@dataclass
class Plan:
    edits: list[Edit] = field(default_factory=list)
    refused: list[tuple[Finding, str]] = field(default_factory=list)  # (finding, why it cannot be applied)


def plan_fixes(source: Source, findings, unsafe: bool = False) -> Plan:
    """The edits of the original for the fixes of ``findings`` (Finding or located findings)."""
    plan = Plan()
    taken: list[Edit] = []
    for item in findings:
        finding = getattr(item, "finding", item)
        if finding.fix is None or (not finding.fix_safe and not unsafe):
            continue
        edit, reason = _edit(source, finding)
        if edit and any(edit.start < other.end and other.start < edit.end for other in taken):
            edit, reason = None, "与另一处修正重叠，本次未修改，请再次运行"
        if edit:
            taken.append(edit)
        else:
            plan.refused.append((finding, reason))
    plan.edits = sorted(taken, key=lambda e: e.start)
    return plan


def _edit(source: Source, finding: Finding) -> tuple[Edit | None, str]:
    start, end = finding.start, finding.end
    if not 0 <= start < end <= len(source.text):
        return None, "没有可替换的文字范围"
    raw_start = source.origin[start]
    if any(source.origin[i] != raw_start + i - start for i in range(start, end)):
        return None, "要修改的文字在原文件中不连续（跨越了被合并的换行或被修复的排版），请手工修改"
    raw_end = raw_start + end - start
    if source.raw[raw_start:raw_end] != source.text[start:end]:
        return None, "原文件中的文字与检查时读到的不同，请手工修改"
    return Edit(raw_start, raw_end, finding.fix, finding), ""


def apply_edits(raw: str, edits: list[Edit]) -> str:
    out, at = [], 0
    for edit in edits:
        out += [raw[at:edit.start], edit.replacement]
        at = edit.end
    out.append(raw[at:])
    return "".join(out)


def unified_diff(source: Source, edits: list[Edit]) -> str:
    """A unified diff of the original (for Word: one line per paragraph or cell) before and after."""
    before = source.raw.splitlines(keepends=True)
    after = apply_edits(source.raw, edits).splitlines(keepends=True)
    lines = difflib.unified_diff(before, after, f"{source.path}", f"{source.path}（修正后）")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _newline(decoded: str) -> str:
    if "\r\n" in decoded:
        return "\r\n"
    return "\r" if "\r" in decoded else "\n"


def _raw_offsets(decoded: str) -> array:
    """Offset in the decoded file of every offset of Source.raw (whose newlines are all \\n)."""
    offsets = array("l")
    at = 0
    while at < len(decoded):
        offsets.append(at)
        at += 2 if decoded.startswith("\r\n", at) else 1
    offsets.append(len(decoded))
    return offsets


def write_text(path: Path, source: Source, edits: list[Edit]) -> Path:
    """Apply ``edits`` to a .txt/.md file in place, keeping FILE.bak; returns the backup's path.
    A symbolic link stays a link: the file it points to is rewritten, if it lies in the link's folder tree."""
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(os.path.realpath(Path(path).absolute().parent)):
        raise FixError(f"这是指向文件夹之外的链接（{real}），未修改；请直接修正链接指向的文件")
    path = real
    data = path.read_bytes()
    try:
        decoded = data.decode(source.encoding)
        same = decoded.encode(source.encoding) == data
    except (UnicodeError, LookupError):
        same = False
    if not same:
        raise FixError(f"文件编码（{source.encoding}）无法无损地重新写出，未修改；请先把文件另存为 UTF-8")
    offsets = _raw_offsets(decoded)
    newline = _newline(decoded)
    out, at = [], 0
    for edit in edits:
        start, end = offsets[edit.start], offsets[edit.end]
        out += [decoded[at:start], edit.replacement.replace("\n", newline)]
        at = end
    out.append(decoded[at:])
    try:
        new = "".join(out).encode(source.encoding)
    except UnicodeEncodeError as exc:
        raise FixError(f"修正后的文字“{exc.object[exc.start:exc.end]}”无法用文件原来的编码 {source.encoding} 保存，未修改") from exc
    return rewrite(path, new)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
BODY_CONTAINERS = {W + "sdt", W + "sdtContent", W + "customXml"}
SKIPPED = {W + "del", W + "moveFrom", "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
PARAGRAPH_PLACE = compiled(r"^第(\d+)段$")


def _body_paragraphs(body) -> list:
    """The body's paragraphs in the order the Word reader numbers them (第N段): through content controls, not into tables."""
    found = []
    for child in body:
        if child.tag == W + "p":
            found.append(child)
        elif child.tag in BODY_CONTAINERS:
            found += _body_paragraphs(child)
    return found


def _text_nodes(paragraph) -> list | None:
    """(w:t element, offset in the paragraph's text) as the reader reads it; None when a break or tab makes offsets uncertain."""
    nodes, at = [], 0

    def walk(node) -> bool:
        nonlocal at
        for child in node:
            if child.tag in SKIPPED:
                continue
            if child.tag == W + "t":
                nodes.append((child, at))
                at += len(child.text or "")
            elif child.tag in (W + "tab", W + "br", W + "cr"):
                return False
            elif not walk(child):
                return False
        return True

    return nodes if walk(paragraph) else None


def _replace_in_runs(nodes: list, start: int, end: int, replacement: str) -> None:
    """Replace characters start..end of the paragraph: the replacement goes into the first run touched."""
    placed = False
    for node, at in nodes:
        text = node.text or ""
        if not (at < end and start < at + len(text)):
            continue
        lo, hi = max(start - at, 0), min(end - at, len(text))
        node.text = text[:lo] + ("" if placed else replacement) + text[hi:]
        placed = True
        if node.text != node.text.strip():
            node.set(XML_SPACE, "preserve")


def write_docx(path: Path, source: Source, edits: list[Edit], force: bool = False,
               output: Path | None = None) -> tuple[Path, list[tuple[Finding, str]]]:
    """Write ``output`` (default NAME.修正.docx) with ``edits`` applied inside their runs; returns it and the
    edits refused.  An existing file is replaced only with ``force``."""

    target = guard(output or path.with_name(f"{path.stem}.修正.docx"), [path], force)
    from .word import WordError, open_document

    try:
        document = open_document(path)
    except WordError as exc:
        raise FixError(str(exc)) from exc
    paragraphs = _body_paragraphs(document.element.body)

    def paragraph_of(line: int):
        """The body paragraph of raw line ``line`` when its runs spell exactly that line (else None)."""
        place = PARAGRAPH_PLACE.match(source.places[line - 1]) if source.places else None
        if not place or int(place.group(1)) > len(paragraphs):
            return None
        paragraph = paragraphs[int(place.group(1)) - 1]
        nodes = _text_nodes(paragraph)
        return paragraph if nodes is not None and "".join(n.text or "" for n, _ in nodes) == source.raw_line(line) else None

    editable = {line: paragraph_of(line) for line in {source.line_col(e.start)[0] for e in edits}}
    refused = []
    for edit in reversed(edits):  # from the end, so the offsets of earlier edits in a paragraph stay valid
        line, column = source.line_col(edit.start)
        if editable[line] is None or "\n" in edit.replacement:
            refused.append((edit.finding, "该处位于表格、含换行符或制表符的段落中，无法保持格式修改，请在 Word 中手工修改"))
            continue
        _replace_in_runs(_text_nodes(editable[line]), column - 1, column - 1 + edit.end - edit.start, edit.replacement)
    buffer = io.BytesIO()
    try:
        document.save(buffer)
    except Exception as exc:  # noqa: BLE001 - a part python-docx cannot write back
        from .word import part_problem

        raise FixError(f"Word 文件的结构有问题（{part_problem(exc)}），无法写出修正稿") from exc
    write(target, buffer.getvalue(), [path], force)
    return target, refused
