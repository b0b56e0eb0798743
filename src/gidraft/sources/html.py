"""HTML reports as saved from a government site: the page body as lines, data tables as grids.

``raw`` is the decoded HTML file itself, so every position is a line:column of the ``.html``.  lxml
parses the page; since it keeps no positions for text, each piece of text it yields is found again in
the file's own text stream (the characters outside tags, entities decoded, script/style/title
skipped), in document order.  Block elements and ``<br>`` end lines; white space collapses as a
browser collapses it.  A table of two or more columns with no table inside it is a data table, read
as a grid with ``rowspan``/``colspan`` resolved; other tables (page layout) are read as running text.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from array import array

from ..cache import compiled
from . import repair
from .encoding import decode
from .grid import Grid, joiner
from .limits import HTML_MAX_COLSPAN, HTML_MAX_ROWSPAN, GridBudget
from .model import Source, SourceError, TextBuilder
from .text import normalise_newlines

CHARSET = compiled(rb"(?:<meta[^>]{0,200}?charset|<\?xml[^>]{0,100}?encoding)\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.I)
GB_FAMILY = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "euc-cn"}
SKIPPED_TAGS = ("script", "style", "title", "noscript", "template", "textarea")
TOKEN = compiled(
    r"<!--.*?(?:-->|\Z)"
    rf"|<({'|'.join(SKIPPED_TAGS)})\b.*?(?:</\1\s*>|\Z)"
    r"|<[a-zA-Z/!?][^>]*>?"
    r"|&(?:#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);?",
    re.S | re.I,
)
BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section summary table "
    "tbody td tfoot th thead tr ul".split()
)
EMPTY = "HTML 页面中没有正文文字"
RUN = compiled(r"\s+|\S+")
WINDOW = 2000


def _declared(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` (or XML declaration), GB2312/GBK read as GB18030."""
    match = CHARSET.search(data[:4096])
    if match is None:
        return None
    name = match.group(1).decode("ascii").lower()
    return "gb18030" if name in GB_FAMILY else name


def _decode(data: bytes) -> tuple[str, str]:
    """Valid UTF-8 (or a BOM) first, then the page's declared charset, then detection."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        name = _declared(data)
        if name:
            try:
                return data.decode(codecs.lookup(name).name), name
            except (LookupError, UnicodeDecodeError):
                pass
    return decode(data)


class _Aligner:
    """Finds each text lxml yields in the file's own text stream, in order; gives raw offsets."""

    def __init__(self, raw: str) -> None:
        chars: list[str] = []
        offsets = array("i")
        pos = 0
        for match in TOKEN.finditer(raw):
            chars.append(raw[pos:match.start()])
            offsets.extend(range(pos, match.start()))
            if match.group().startswith("&"):
                decoded = html.unescape(match.group())
                chars.append(decoded)
                offsets.extend([match.start()] * len(decoded))
            pos = match.end()
        chars.append(raw[pos:])
        offsets.extend(range(pos, len(raw)))
        self.chars = "".join(chars)
        self.offsets = offsets
        self.cursor = 0
        self.end = len(raw)

    def here(self) -> int:
        return self.offsets[self.cursor] if self.cursor < len(self.offsets) else self.end

    def locate(self, piece: str) -> list[int]:
        found = self.chars.find(piece, self.cursor, self.cursor + len(piece) + WINDOW)
        if found != -1:
            self.cursor = found + len(piece)
            return list(self.offsets[found:self.cursor])
        out = []
        for ch in piece:  # lxml changed something: place what can be found, keep the rest near
            at = self.chars.find(ch, self.cursor, self.cursor + WINDOW)
            if at == -1:
                out.append(self.here())
            else:
                out.append(self.offsets[at])
                self.cursor = at + 1
        return out


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


class _Lines:
    """Running text: white space collapsed as a browser does, block boundaries as line breaks.

    In a table cell (``single_line``) a block boundary joins instead (see :func:`.grid.joiner`).
    """

    def __init__(self, builder: TextBuilder, single_line: bool = False) -> None:
        self.builder = builder
        self.single_line = single_line
        self.space = ""  # collapsed white space waiting before the next character
        self.broken = False
        self.first: int | None = None  # raw offset of the first character fed, white space included

    def line_break(self) -> None:
        self.broken = True

    def feed(self, piece: str | None, aligner: _Aligner) -> None:
        if not piece:
            return
        offsets = aligner.locate(piece)
        if self.first is None:
            self.first = offsets[0]
        for run in RUN.finditer(piece):
            text, start, end = run.group(), run.start(), run.end()
            if text[0].isspace():
                self.space += text
                continue
            at = offsets[start]
            last = self.builder.last()
            if len(self.builder) and last != "\n":
                if self.broken:
                    self.builder.insert(joiner(last, text[0]) if self.single_line else "\n", at)
                elif self.space and not ("\n" in self.space and _wide(last) and _wide(text[0])):
                    self.builder.insert(" ", at)
            if offsets[start:end] == list(range(at, at + len(text))):
                self.builder.put(text, at)
            else:  # entities: characters that stand for longer raw text
                for ch, origin in zip(text, offsets[start:end]):
                    self.builder.put(ch, origin)
            self.space, self.broken = "", False


def _span(value: str | None, limit: int) -> int:
    return min(int(value), limit) if value and value.strip().isdigit() and int(value) > 0 else 1


def _rows(table) -> list:
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _is_grid(table) -> bool:
    """A data table: two or more columns and no table inside (layout tables hold whole pages)."""
    if table.xpath(".//table"):
        return False
    return any(sum(_span(td.get("colspan"), HTML_MAX_COLSPAN) for td in tr.xpath("./td | ./th")) >= 2 for tr in _rows(table))


def _walk(root, lines: _Lines, aligner: _Aligner, grids: bool, budget: GridBudget | None = None) -> None:
    """Feed the text under ``root`` in document order; data tables become grids (counted against
    ``budget``) when ``grids``."""
    from lxml import etree

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in BLOCKS or tag == "br":
                lines.line_break()
            if grids and tag == "table" and _is_grid(element):
                walker.skip_subtree()
                for caption in element.findall("caption"):
                    _walk(caption, lines, aligner, grids=False)
                    lines.line_break()
                start = aligner.here()
                _table(element, aligner, budget or GridBudget()).write(lines.builder, start)
                lines.line_break()
            elif tag:
                lines.feed(element.text, aligner)
        else:
            if tag in BLOCKS:
                lines.line_break()
            if element is not root:
                lines.feed(element.tail, aligner)


def _table(table, aligner: _Aligner, budget: GridBudget) -> Grid:
    grid = Grid()
    rows = _rows(table)
    for r, tr in enumerate(rows):
        col = 0
        for td in tr.xpath("./td | ./th"):
            col = grid.free_column(r, col)
            rowspan = _span(td.get("rowspan"), min(len(rows) - r, HTML_MAX_ROWSPAN))
            colspan = _span(td.get("colspan"), HTML_MAX_COLSPAN)
            budget.take(rowspan, colspan)
            cell = _Lines(TextBuilder(), single_line=True)
            anchor = aligner.here()
            _walk(td, cell, aligner, grids=False)
            text, origin = cell.builder.build()
            grid.add(text, list(origin), anchor if cell.first is None else cell.first, r, col, rowspan, colspan)
            col += colspan
    return grid


def read_html(path: str, data: bytes) -> Source:
    import lxml.html
    from lxml import etree

    raw, encoding = _decode(data)
    raw = normalise_newlines(raw)
    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        root = lxml.html.document_fromstring(raw.encode("utf-8"), parser=parser)
    except etree.ParserError as exc:  # lxml's "Document is empty"
        raise SourceError(EMPTY) from exc
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise SourceError(f"无法解析 HTML 页面（{type(exc).__name__}）") from exc
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        raise SourceError("HTML 页面的标签嵌套过深（超过 256 层），无法完整读取")
    title = " ".join(" ".join(root.xpath("//title//text()")).split())
    for element in root.xpath(" | ".join(f"//{tag}" for tag in SKIPPED_TAGS) + " | //comment() | //processing-instruction()"):
        if element.getparent() is not None:
            element.drop_tree()
    body = root.find("body")
    builder = TextBuilder()
    _walk(root if body is None else body, _Lines(builder), _Aligner(raw), grids=True, budget=GridBudget())
    text, origin = builder.build()
    if not text.strip():
        raise SourceError(EMPTY)
    # A page converted from a PDF (pdftohtml, a site's converter) keeps the PDF's line breaks and spacing: the
    # same test as for text files tells, and the spacing rules then judge it as PDF text
    return Source(path=path, kind="html", raw=raw, text=text, origin=origin, encoding=encoding,
                  pdf_like=repair.looks_pdf_extracted(text), meta={"标题": title} if title else {})
