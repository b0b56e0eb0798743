"""PDF reports: the printed lines of each page, with ruled tables read as grids (pdfplumber).

``raw`` holds every printed line of every page (``places`` names them ``第3页第5行``).  The logical
text takes, page by page and top to bottom, the lines outside ruled tables -- rejoined where the PDF
broke a sentence, page numbers dropped (:mod:`.repair`) -- and each ruled table one grid row per line.
A "table" of one column is a framed block of prose and is read as prose.  A table continued on the
next page is read as a second table whose rows follow the first one's.
"""

from __future__ import annotations

import bisect
import io
import logging

from ..cache import compiled
from . import repair
from .grid import Grid, joiner
from .model import Source, SourceError, TextBuilder

MAX_PAGES = 500
MAX_CONTENT_BYTES = 16 * 1024 * 1024  # decoded content streams of one page; a dense real page has < 1 MB
MAX_TEXT_OPERATORS = 200_000  # text-showing operators of one page; a dense real page has a few thousand
TEXT_OPERATORS = (b"Tj", b"TJ", b"'", b'"')
CPU_SECONDS = 120.0  # CPU time the PDF library may spend on one file; a 100-page report takes a few seconds


class _OverBudget(BaseException):
    """Raised by the timer; not an Exception, so no ``except Exception`` inside the PDF library swallows it."""


class _cpu_budget:
    """Stop the PDF library once it has used ``seconds`` of CPU time (a profiling timer; main thread only,
    where signals are delivered -- elsewhere the page and stream limits still hold)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = False

    def __enter__(self):
        import signal
        import threading

        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            self.previous = signal.signal(signal.SIGPROF, self._expired)
            signal.setitimer(signal.ITIMER_PROF, self.seconds)
            self.armed = True
        return self

    def _expired(self, *_):
        raise _OverBudget

    def __exit__(self, *exc) -> None:
        if self.armed:
            import signal

            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, self.previous)
MIN_TABLE_COLUMNS = 2
UNMAPPED = compiled(r"\(cid:\d+\)")  # how pdfminer prints a glyph its font maps to no character
UNMAPPED_GLYPHS = 0.3  # share of the text in such glyphs beyond which the text is unusable

Located = tuple[dict, int]  # a pdfplumber character and its offset in raw


class _Raw:
    """The printed lines of all pages, each with its place name."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.places: list[str] = []
        self.length = 0

    def add(self, text: str, place: str) -> int:
        start = self.length
        self.lines.append(text)
        self.places.append(place)
        self.length += len(text) + 1
        return start


def _reason(exc: Exception) -> str:
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc  # pdfplumber wraps pdfminer's
    if type(cause).__name__.startswith("PDFPassword"):
        return "文件已加密，需要密码才能打开"
    if type(cause).__name__ == "PSEOF":
        return "文件不完整（在结尾之前被截断，可能下载或复制未完成）"
    return f"文件已损坏或不是有效的 PDF（{type(cause).__name__}）"


def _printed_lines(page, raw: _Raw) -> list[tuple[float, list[Located]]]:
    """Add the page's printed lines to raw; return (top, characters) for each."""
    out = []
    for number, line in enumerate(page.extract_text_lines(return_chars=True), 1):
        start = raw.add(line["text"], f"第{page.page_number}页第{number}行")
        located, pos = [], 0
        for char in line["chars"]:  # the line's text is its characters with spaces put in gaps
            at = line["text"].find(char["text"], pos)
            if at != -1 and not char["text"].isspace():
                located.append((char, start + at))
                pos = at + len(char["text"])
        out.append((line["top"], located))
    return out


def _inside(char: dict, bbox: tuple[float, float, float, float]) -> bool:
    x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _put_chars(builder: TextBuilder, chars: list[Located]) -> None:
    """Characters of one line in reading order; a gap in raw becomes one space (repair drops those between CJK)."""
    end = None
    for char, offset in chars:
        if end is not None and offset != end:
            builder.insert(" ", offset)
        builder.put(char["text"], offset)
        end = offset + len(char["text"])


def _cell_text(located: list[tuple[int, dict, int]]) -> tuple[str, list[int]]:
    """A cell's characters (line index, char, offset) as one line: wrapped lines joined, spaces dropped."""
    builder = TextBuilder()
    previous = None
    for line, char, offset in located:
        if previous is not None and (line, offset) != previous:
            builder.insert(joiner(builder.last(), char["text"][:1]), offset)
        builder.put(char["text"], offset)
        previous = (line, offset + len(char["text"]))
    text, origin = builder.build()
    return text, list(origin)


def _table_grid(table, lines: list[tuple[float, list[Located]]]) -> tuple[Grid, int]:
    """The table's cells on a grid, each with the characters printed inside it; also its first raw offset."""
    xs = sorted({cell[0] for cell in table.cells})
    ys = sorted({cell[1] for cell in table.cells})
    blocks: list[tuple[int, int, int, int]] = []
    owner: dict[tuple[int, int], int] = {}
    for x0, top, x1, bottom in table.cells:
        cols = [i for i, x in enumerate(xs) if x0 <= x < x1 - 0.5]
        rows = [i for i, y in enumerate(ys) if top <= y < bottom - 0.5]
        if rows and cols:
            for r in rows:
                for c in cols:
                    owner.setdefault((r, c), len(blocks))
            blocks.append((rows[0], cols[0], len(rows), len(cols)))
    contents: list[list[tuple[int, dict, int]]] = [[] for _ in blocks]
    first = None
    for index, (_, located) in enumerate(lines):
        for char, offset in located:
            if _inside(char, table.bbox):
                row = bisect.bisect_right(ys, (char["top"] + char["bottom"]) / 2) - 1
                col = bisect.bisect_right(xs, (char["x0"] + char["x1"]) / 2) - 1
                block = owner.get((row, col))
                if block is not None:
                    contents[block].append((index, char, offset))
                    first = offset if first is None else min(first, offset)
    grid = Grid()
    for block, (row, col, rowspan, colspan) in zip(contents, blocks):
        text, origin = _cell_text(sorted(block, key=lambda item: (item[0], item[1]["x0"])))
        grid.add(text, origin, None, row, col, rowspan, colspan)
    return grid, first or 0


class _Text:
    """The logical text: prose gathered line by line and rejoined, tables written as grids."""

    def __init__(self) -> None:
        self.builder = TextBuilder()
        self.prose = TextBuilder()

    def line(self, chars: list[Located]) -> None:
        if len(self.prose):
            self.prose.insert("\n", chars[0][1])
        _put_chars(self.prose, chars)

    def table(self, grid: Grid, anchor: int) -> None:
        self.flush()
        grid.write(self.builder, anchor)

    def flush(self) -> None:
        flow, flow_origin = self.prose.build()
        self.prose = TextBuilder()
        text, origin = repair.rejoin(flow)
        if not text:
            return
        if len(self.builder):
            self.builder.insert("\n", flow_origin[0])
        last = len(flow_origin) - 1
        for ch, at in zip(text, origin):
            self.builder.put(ch, flow_origin[min(at, last)])


def _inflate(data: bytes, limit: int) -> bytes:
    """Flate-decoded ``data``, never more than ``limit + 1`` bytes (a bomb stops there)."""
    import zlib

    try:
        return zlib.decompressobj().decompress(data, limit + 1)
    except zlib.error:
        return b""  # damaged: pdfminer decides what it makes of it


def _streams(page):
    """The page's content streams and the streams of the form XObjects it draws."""
    from pdfminer.pdftypes import PDFStream, resolve1

    yield from (resolve1(s) for s in page.page_obj.contents)
    xobjects = resolve1((resolve1(page.page_obj.resources) or {}).get("XObject")) or {}
    if isinstance(xobjects, dict):
        for item in xobjects.values():
            item = resolve1(item)
            if isinstance(item, PDFStream) and getattr(resolve1(item.get("Subtype")), "name", None) == "Form":
                yield item


def _check_budget(page) -> None:
    """Refuse a page whose content streams would cost the PDF library unbounded memory or time, before it
    parses them: their decoded size and their text operators are counted first, decompression bounded."""
    from pdfminer.pdftypes import PDFStream

    size = operators = 0
    for stream in _streams(page):
        if not isinstance(stream, PDFStream):
            continue
        names = [getattr(name, "name", str(name)) for name, _ in stream.get_filters()]
        data = stream.get_rawdata() if stream.get_rawdata() is not None else stream.get_data()
        if names in (["FlateDecode"], ["Fl"]):
            data = _inflate(data, MAX_CONTENT_BYTES - size)
        elif names:
            continue  # other filters are rare in content streams and decode with bounded ratios
        size += len(data)
        operators += sum(data.count(op) for op in TEXT_OPERATORS)
        if size > MAX_CONTENT_BYTES:
            raise SourceError(f"PDF 第 {page.page_number} 页的内容流解压后超过 {MAX_CONTENT_BYTES // 2**20} MB（疑似恶意文件），拒绝读取")
        if operators > MAX_TEXT_OPERATORS:
            raise SourceError(f"PDF 第 {page.page_number} 页的文字绘制指令超过 {MAX_TEXT_OPERATORS} 条（疑似恶意文件），拒绝读取")


def _read_page(page, raw: _Raw, out: _Text) -> None:
    lines = _printed_lines(page, raw)
    tables = [t for t in page.find_tables() if len({cell[0] for cell in t.cells}) >= MIN_TABLE_COLUMNS]
    items = [(top, 0, chars) for top, chars in lines] + [(table.bbox[1], 1, table) for table in tables]
    for _, is_table, item in sorted(items, key=lambda entry: entry[:2]):
        if is_table:
            out.table(*_table_grid(item, lines))
            continue
        outside = [(char, at) for char, at in item if not any(_inside(char, t.bbox) for t in tables)]
        if outside:
            out.line(outside)


def read_pdf(path: str, data: bytes) -> Source:
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.CRITICAL)  # its complaints about fonts are not the user's business
    raw, out = _Raw(), _Text()
    try:
        with _cpu_budget(CPU_SECONDS), pdfplumber.open(io.BytesIO(data)) as pdf:
            if not pdf.pages:
                raise SourceError("PDF 文件已损坏：找不到任何页面（交叉引用表或页面目录损坏）")
            if len(pdf.pages) > MAX_PAGES:
                raise SourceError(f"PDF 共 {len(pdf.pages)} 页，超过 {MAX_PAGES} 页的上限，拒绝读取")
            for page in pdf.pages:
                _check_budget(page)
                _read_page(page.dedupe_chars(), raw, out)
                page.close()
    except SourceError:
        raise
    except _OverBudget as exc:
        raise SourceError(f"PDF 过于复杂：读取已用去 {CPU_SECONDS:.0f} 秒 CPU 时间仍未完成（疑似恶意文件），拒绝读取") from exc
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged or encrypted files
        raise SourceError(f"无法读取 PDF 文件：{_reason(exc)}") from exc
    out.flush()
    text, origin = out.builder.build()
    if not text.strip():
        raise SourceError("PDF 中没有文字层（可能是扫描件），无法检查")
    if sum(len(glyph) for glyph in UNMAPPED.findall(text)) > UNMAPPED_GLYPHS * len(text):
        raise SourceError("PDF 中的文字无法正确提取（字体缺少编码映射），无法检查")
    return Source(path=path, kind="pdf", raw="\n".join(raw.lines), text=text, origin=origin, pdf_like=True, places=raw.places)
