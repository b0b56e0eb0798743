"""Bounds on what a small hostile file can make a reader build.

A merged cell covers ``rowspan × colspan`` grid positions, each held in memory and written out: a
150 KB page of ``<td colspan=1000 rowspan=100000>`` would cover billions.  Spans are clamped to what
the format itself allows (HTML: colspan 1000, rowspan 65534; Word: 63 columns), and the positions
covered by all the tables of one file are counted against a cap far above any real report (the three
statistical tables cover about 2 000).
"""

from __future__ import annotations

import itertools

from .model import SourceError

HTML_MAX_COLSPAN = 1000  # the HTML standard's own clamp
HTML_MAX_ROWSPAN = 65534
WORD_MAX_COLUMNS = 63  # Word's table limit
MAX_GRID_CELLS = 500_000


class GridBudget:
    """Counts the grid positions the tables of one file cover; past :data:`MAX_GRID_CELLS` reading stops."""

    def __init__(self, limit: int = MAX_GRID_CELLS) -> None:
        self.limit = limit
        self.used = 0

    def take(self, rowspan: int, colspan: int) -> None:
        self.used += rowspan * colspan
        if self.used > self.limit:
            raise SourceError(f"表格的单元格（含合并单元格覆盖的位置）超过 {self.limit} 个，远超年报所需（疑似恶意文件），拒绝读取")


# ---------------------------------------------------------------------------------------------- PDF
# PDFium decodes and parses a page's content streams whole when the page is loaded, in C, where neither a
# signal nor an exception can stop it.  So before any page is loaded, the content streams of every page
# (and of the form XObjects a page draws) are measured by pdfminer's object parser -- which only reads
# the file's objects, no layout -- with decompression bounded: a page whose streams decode to more than
# MAX_PDF_CONTENT_BYTES, or show text more than MAX_PDF_TEXT_OPERATORS times, is refused.

MAX_PDF_CONTENT_BYTES = 16 * 1024 * 1024  # decoded content streams of one page; a dense real page has < 1 MB
MAX_PDF_TEXT_OPERATORS = 200_000  # text-showing operators of one page; a dense real page has a few thousand
PDF_TEXT_OPERATORS = (b"Tj", b"TJ", b"'", b'"')
PDF_TAIL = 1024  # ``%%EOF`` stands within the last 1024 bytes of a complete file (as Acrobat requires)


def truncated_pdf(data: bytes) -> bool:
    """Whether the file holds PDF objects but ends before its end-of-file marker: a download or copy cut short."""
    return b"%%EOF" not in data[-PDF_TAIL:] and b"endobj" in data


def _inflate(data: bytes, limit: int) -> bytes:
    """Flate-decoded ``data``, never more than ``limit + 1`` bytes (a bomb stops there)."""
    import zlib

    try:
        return zlib.decompressobj().decompress(data, limit + 1)
    except zlib.error:
        return b""  # damaged: PDFium decides what it makes of it


def _pdf_streams(page):
    """The page's content streams and the streams of the form XObjects it draws."""
    from pdfminer.pdftypes import PDFStream, resolve1

    yield from (resolve1(s) for s in page.contents)
    xobjects = resolve1((resolve1(page.resources) or {}).get("XObject")) or {}
    if isinstance(xobjects, dict):
        for item in xobjects.values():
            item = resolve1(item)
            if isinstance(item, PDFStream) and getattr(resolve1(item.get("Subtype")), "name", None) == "Form":
                yield item


def _check_pdf_page(page, number: int) -> None:
    from pdfminer.pdftypes import PDFStream

    size = operators = 0
    for stream in _pdf_streams(page):
        if not isinstance(stream, PDFStream):
            continue
        names = [getattr(name, "name", str(name)) for name, _ in stream.get_filters()]
        data = stream.get_rawdata() if stream.get_rawdata() is not None else stream.get_data()
        if names in (["FlateDecode"], ["Fl"]):
            data = _inflate(data, MAX_PDF_CONTENT_BYTES - size)
        elif names:
            continue  # other filters are rare in content streams and decode with bounded ratios
        size += len(data)
        operators += sum(data.count(op) for op in PDF_TEXT_OPERATORS)
        if size > MAX_PDF_CONTENT_BYTES:
            raise SourceError(f"PDF 第 {number} 页的内容流解压后超过 {MAX_PDF_CONTENT_BYTES // 2**20} MB（疑似恶意文件），拒绝读取")
        if operators > MAX_PDF_TEXT_OPERATORS:
            raise SourceError(f"PDF 第 {number} 页的文字绘制指令超过 {MAX_PDF_TEXT_OPERATORS} 条（疑似恶意文件），拒绝读取")


def check_pdf_content(data: bytes, max_pages: int) -> None:
    """Refuse a PDF a page of which would cost PDFium unbounded memory or time (see above); a file whose
    pages pdfminer cannot find is refused as damaged, since its streams could not be measured."""
    import io
    import logging

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    logging.getLogger("pdfminer").setLevel(logging.CRITICAL)  # its complaints about fonts are not the user's business
    found = 0
    try:
        pages = PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data))))
        for found, page in enumerate(itertools.islice(pages, max_pages), 1):
            _check_pdf_page(page, found)
    except SourceError:
        raise
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        raise SourceError(f"无法读取 PDF 文件：文件已损坏或不是有效的 PDF（{_pdf_damage(exc)}）") from exc
    if not found:
        raise SourceError("PDF 文件已损坏：找不到任何页面（交叉引用表或页面目录损坏）")


def _pdf_damage(exc: Exception) -> str:
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    return type(cause).__name__
