"""Word (.docx) reports: body paragraphs and tables in document order, tracked changes accepted.

``raw`` has one line per addressable unit, in body order: every body paragraph (empty ones too) is a
unit named ``第12段``; a table contributes one unit per cell, row by row and left to right, named
``表2第4行第3列`` (tables numbered in document order, grid row and column of the cell's top-left
corner).  The continuation of a vertically merged cell (``w:vMerge`` continue) and rows deleted with
tracked changes are not units.  So raw line n is the n-th of: the ``w:p`` children of the body and
the ``w:tc`` of its tables that start a cell -- the rule a Word annotator uses to find a place again.

Text is read as if every tracked change were accepted: insertions kept, deletions (and moved-from
text) dropped, a deleted paragraph mark joins its paragraph to the next.  Comments are not read.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from .grid import Grid, joiner
from .limits import WORD_MAX_COLUMNS, GridBudget
from .model import Source, SourceError, TextBuilder

MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 200
CHUNK = 1024 * 1024
NOT_WORD = "不是有效的 Word（.docx）文件"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
SKIPPED = {W + "del", W + "moveFrom", MC_FALLBACK}
BREAKS = {W + "br", W + "cr"}
TEXT, TAB = W + "t", W + "tab"
NOT_TEXT = SKIPPED | {W + "pPr", W + "rPr"}
CONTAINERS = {W + "sdt", W + "sdtContent", W + "customXml"}
CELL_PROPERTIES, ROW_PROPERTIES = W + "tcPr", W + "trPr"
GRID_SPAN, GRID_BEFORE, V_MERGE = W + "gridSpan", W + "gridBefore", W + "vMerge"


def _check_zip(data: bytes) -> None:
    """Refuse damaged archives and archives that unpack to far more than a report can be.

    The sizes an archive declares can lie, so every member is inflated here, a chunk at a time, and
    counted: a bomb is refused after reading at most the limit, before python-docx inflates anything.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if not members:
                raise SourceError(f"{NOT_WORD}：这是一个空的压缩包（不含任何文件）")
            body = next((m for m in members if m.filename == "word/document.xml"), None)
            if body is None:
                raise SourceError(f"{NOT_WORD}：压缩包中没有 Word 文档正文（word/document.xml）")
            declared = sum(member.file_size for member in members)
            if declared > MAX_UNPACKED:
                raise SourceError(f"Word 文件解压后达 {declared // 2**20} MB，超过 {MAX_UNPACKED // 2**20} MB 的上限（疑似压缩炸弹），拒绝读取")
            unpacked = 0
            for member in members:
                size = 0
                with archive.open(member) as stream:
                    while chunk := stream.read(CHUNK):
                        size += len(chunk)
                        unpacked += len(chunk)
                        if unpacked > MAX_UNPACKED:
                            raise SourceError(f"Word 文件解压后超过 {MAX_UNPACKED // 2**20} MB 的上限（疑似压缩炸弹），拒绝读取")
                        if member is body and size > MAX_RATIO * max(body.compress_size, 1) and size > CHUNK:
                            raise SourceError(f"Word 文档正文的压缩比超过 {MAX_RATIO}:1 的上限（疑似压缩炸弹），拒绝读取")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, ValueError, EOFError, OSError) as exc:
        raise SourceError(f"{NOT_WORD}：压缩包已损坏或不完整") from exc


def _text(element) -> str:
    """Text of a paragraph as accepted: deletions skipped, tabs as spaces, line breaks joined.

    Only the text-bearing elements are visited (lxml's ``iter``), each kept unless it lies in deleted
    text or in the properties of a paragraph or run (whose ``w:tab`` elements are tab stops, not tabs).
    """
    parts: list[str] = []
    for node in element.iter(TEXT, TAB, *BREAKS):
        parent = node.getparent()
        while parent is not element and parent is not None and parent.tag not in NOT_TEXT:
            parent = parent.getparent()
        if parent is not element:
            continue  # deleted, moved away, or a property
        if node.tag == TEXT:
            parts.append((node.text or "").replace("\t", " ").replace("\n", " "))
        else:
            parts.append(" " if node.tag == TAB else "\n")
    return _join("".join(parts).split("\n"))


def _join(pieces: list[str]) -> str:
    out = ""
    for piece in pieces:
        out += joiner(out[-1:], piece[:1]) + piece if out and piece else piece
    return out


def blocks(container):
    """Paragraphs and tables of a body or cell in order, looking through content controls."""
    for child in container:
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in CONTAINERS:
            yield from blocks(child)


def _cell_text(tc) -> str:
    pieces = []
    for block in blocks(tc):
        if block.tag == W + "p":
            pieces.append(_text(block))
        else:
            pieces += [_cell_text(inner) for row in block.iterchildren(W + "tr") for inner in row.iterchildren(W + "tc")]
    return _join([piece for piece in pieces if piece])


class _Reader:
    def __init__(self) -> None:
        self.units: list[str] = []
        self.places: list[str] = []
        self.offset = 0
        self.builder = TextBuilder()
        self.paragraphs = 0
        self.tables = 0
        self.joined = False  # the previous paragraph's mark was deleted: continue on its line
        self.budget = GridBudget()

    def unit(self, text: str, place: str) -> int:
        start = self.offset
        self.units.append(text)
        self.places.append(place)
        self.offset += len(text) + 1
        return start

    def paragraph(self, p) -> None:
        self.paragraphs += 1
        text = _text(p)
        start = self.unit(text, f"第{self.paragraphs}段")
        if text:
            if len(self.builder) and not self.joined:
                self.builder.insert("\n", start)
            self.builder.put(text, start)
        self.joined = p.find(f"{W}pPr/{W}rPr/{W}del") is not None

    def table(self, tbl) -> None:
        self.tables += 1
        self.joined = False
        grid = Grid()
        first = self.offset
        rows = [tr for tr in tbl.iterchildren(W + "tr") if tr.find(f"{W}trPr/{W}del") is None]
        for r, tr in enumerate(rows):
            for col, tc in _cells(tr):
                span = _span(tc)
                self.budget.take(1, span)
                merge = _property(tc, CELL_PROPERTIES, V_MERGE)
                if merge is not None and merge.get(W + "val", "continue") == "continue":
                    above = grid.cell_at(r - 1, col)
                    if above is not None:
                        grid.span(above, r, col, 1, span)
                    continue
                text = _cell_text(tc)
                start = self.unit(text, f"表{self.tables}第{r + 1}行第{col + 1}列")
                grid.add(text, list(range(start, start + len(text))), start, r, col, 1, span)
        grid.write(self.builder, first)


def _cells(tr):
    """(grid column, cell) along a table row.  Counted here with plain lxml: python-docx's
    ``tc.grid_offset`` recounts every cell before, which made reading a table quadratic."""
    col = min(max(_number(tr, ROW_PROPERTIES, GRID_BEFORE, 0), 0), WORD_MAX_COLUMNS)
    for tc in tr.iterchildren(W + "tc"):
        yield col, tc
        col += _span(tc)


def _span(tc) -> int:
    """The columns a cell spans, within what Word allows (a hostile 2 000 000 000 is clamped)."""
    return min(max(_number(tc, CELL_PROPERTIES, GRID_SPAN, 1), 1), WORD_MAX_COLUMNS)


def _property(element, properties: str, name: str):
    """A property element (``w:tcPr/w:gridSpan``).  ``iterchildren`` with a tag runs in C; lxml's ``find``
    goes through its Python ElementPath, ten times slower."""
    for holder in element.iterchildren(properties):
        return next(holder.iterchildren(name), None)
    return None


def _number(element, properties: str, name: str, default: int) -> int:
    """The integer ``w:val`` of a property element, or ``default``."""
    found = _property(element, properties, name)
    try:
        return int(found.get(W + "val")) if found is not None else default
    except (TypeError, ValueError):
        return default


def read_docx(path: str, data: bytes) -> Source:
    _check_zip(data)
    from lxml import etree

    # Only the main part, as plain lxml elements: python-docx's Document parses every part and wraps each
    # element in its own classes, which made reading a report's tables three times slower.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            body = etree.fromstring(archive.read("word/document.xml"), parser).find(W + "body")
    except Exception as exc:  # zipfile and lxml raise many kinds of errors on damaged packages
        raise SourceError(f"{NOT_WORD}：文件结构不完整或已损坏（{type(exc).__name__}）") from exc
    if body is None:
        raise SourceError(f"{NOT_WORD}：文档正文（w:body）缺失")
    reader = _Reader()
    for block in blocks(body):
        if block.tag == W + "p":
            reader.paragraph(block)
        else:
            reader.table(block)
    text, origin = reader.builder.build()
    if not text.strip():
        raise SourceError("Word 文件中没有文字")
    return Source(path=path, kind="docx", raw="\n".join(reader.units), text=text, origin=origin, places=reader.places)
