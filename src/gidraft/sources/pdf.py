"""PDF reports (PDFium): the printed lines of each page, with ruled tables read as grids.

``raw`` holds every printed line of every page (``places`` names them ``第3页第5行``).  The logical
text takes, page by page and top to bottom, the lines outside ruled tables -- rejoined where the PDF
broke a sentence, page numbers dropped (:mod:`.repair`) -- and each ruled table one grid row per line.
A "table" of one column is a framed block of prose and is read as prose.  A table continued on the
next page is read as a second table whose rows follow the first one's.

PDFium gives each character its box and each painted path its segments; the printed lines are built
from the boxes (:func:`_printed_lines`), the tables from the paths' straight pieces (:mod:`.ruled`).
"""

from __future__ import annotations

import bisect
import ctypes
import functools
import itertools
import math

from . import limits, repair, ruled
from .grid import Grid, joiner
from .model import Source, SourceError, TextBuilder

MAX_PAGES = 500
CPU_SECONDS = 120.0  # CPU time the PDF library may spend on one file; a 100-page report takes a few seconds
MIN_TABLE_COLUMNS = 2
UNMAPPED_GLYPHS = 0.3  # share of the characters whose font maps them to no character, beyond which the text is unusable
LINE_TOLERANCE = 3.0  # points: characters whose baselines differ by no more are on one printed line
GAP = 3.0  # points: a wider gap between two characters of a line is a space
DUPLICATE = 1.0  # points: the same character painted again this close is one character (fake bold)
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


class _OverBudget(BaseException):
    """Raised by the timer; not an Exception, so no ``except Exception`` on the way swallows it."""


class _cpu_budget:
    """Stop reading once it has used ``seconds`` of CPU time (a profiling timer; main thread only,
    where signals are delivered -- elsewhere the page and stream limits still hold).  The timer is
    served between two calls into PDFium; the content-stream limits bound what one call can cost."""

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


class Char:
    """One printed character: its text, its box in points, y downwards from the top of the page, and the
    baseline it stands on (characters of two fonts on one line share the baseline, not the box: a Latin
    font's descent is deeper than a Chinese one's, its figures' boxes lower by a few points)."""

    __slots__ = ("baseline", "bottom", "text", "top", "x0", "x1")

    def __init__(self, text: str, x0: float, x1: float, top: float, bottom: float, baseline: float | None = None) -> None:
        self.text, self.x0, self.x1, self.top, self.bottom = text, x0, x1, top, bottom
        self.baseline = bottom if baseline is None else baseline


Located = tuple[Char, int]  # a character and its offset in raw


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


class _Calls:
    """The PDFium functions called per character, page object or path segment, with prototypes (those of
    PDFium's headers) that pass handles and out-parameters as plain addresses: pypdfium2's own wrap every
    handle in a pointer object, which costs about as much as the call itself."""

    def __init__(self) -> None:
        import pypdfium2.raw as c

        void, handle, number, single = ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_float

        def call(function, restype, *argtypes):
            return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, void).value)

        self.count_chars = call(c.FPDFText_CountChars, number, handle)
        self.get_unicode = call(c.FPDFText_GetUnicode, ctypes.c_uint, handle, number)
        self.is_generated = call(c.FPDFText_IsGenerated, number, handle, number)
        self.unicode_map_error = call(c.FPDFText_HasUnicodeMapError, number, handle, number)
        self.text_object = call(c.FPDFText_GetTextObject, handle, handle, number)
        self.text_matrix = call(c.FPDFText_GetMatrix, number, handle, number, void)
        self.text_font = call(c.FPDFTextObj_GetFont, handle, handle)
        self.font_size = call(c.FPDFText_GetFontSize, ctypes.c_double, handle, number)
        self.font_descent = call(c.FPDFFont_GetDescent, number, handle, single, void)
        self.char_origin = call(c.FPDFText_GetCharOrigin, number, handle, number, void, void)
        self.loose_char_box = call(c.FPDFText_GetLooseCharBox, number, handle, number, void)
        self.count_objects = call(c.FPDFPage_CountObjects, number, handle)
        self.page_object = call(c.FPDFPage_GetObject, handle, handle, number)
        self.form_count_objects = call(c.FPDFFormObj_CountObjects, number, handle)
        self.form_object = call(c.FPDFFormObj_GetObject, handle, handle, ctypes.c_ulong)
        self.object_type = call(c.FPDFPageObj_GetType, number, handle)
        self.object_matrix = call(c.FPDFPageObj_GetMatrix, number, handle, void)
        self.draw_mode = call(c.FPDFPath_GetDrawMode, number, handle, void, void)
        self.count_segments = call(c.FPDFPath_CountSegments, number, handle)
        self.segment = call(c.FPDFPath_GetPathSegment, handle, handle, number)
        self.segment_point = call(c.FPDFPathSegment_GetPoint, number, handle, void, void)
        self.segment_type = call(c.FPDFPathSegment_GetType, number, handle)
        self.segment_close = call(c.FPDFPathSegment_GetClose, number, handle)


@functools.cache
def _calls() -> _Calls:
    """The one :class:`_Calls`, made on first use (the PDF library loads only for PDF files)."""
    return _Calls()


class _Page:
    """What one PDFium page shows: its characters (duplicates dropped) and its straight rulings."""

    def __init__(self, page) -> None:
        import pypdfium2.raw as pdfium_c

        self.c = pdfium_c
        left, _, _, top = page.get_mediabox()
        self.left, self.top = left, top
        self.unmapped = 0
        self.chars = self._chars(page)
        self.horizontal: list[tuple[float, float, float]] = []
        self.vertical: list[tuple[float, float, float]] = []
        f = _calls()
        handle = ctypes.cast(page.raw, ctypes.c_void_p).value
        self._painted([f.page_object(handle, index) for index in range(f.count_objects(handle))], (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))

    def _chars(self, page) -> list[tuple[bool, Char]]:
        """(upright, char) in PDFium's text-page order, the same character painted twice in one place once."""
        c, f = self.c, _calls()
        textpage = page.get_textpage()
        try:
            handle = ctypes.cast(textpage.raw, ctypes.c_void_p).value
            box, matrix = c.FS_RECTF(), c.FS_MATRIX()
            x, y = ctypes.c_double(), ctypes.c_double()
            at_box, at_matrix, at_x, at_y = map(ctypes.addressof, (box, matrix, x, y))
            descent = ctypes.c_float()
            at_descent = ctypes.addressof(descent)
            descents: dict[tuple[int, float], float] = {}  # the font's descent at a nominal size
            out, run, run_object = [], None, None
            for i in range(f.count_chars(handle)):
                code = f.get_unicode(handle, i)
                text = chr(code) if 0 < code < 0x110000 else "\ufffd"
                if text.isspace() and f.is_generated(handle, i) == 1:  # spaces and line ends PDFium infers
                    continue
                if f.unicode_map_error(handle, i) == 1:
                    self.unmapped += 1
                obj = f.text_object(handle, i)
                if run is None or obj != run_object:
                    # one text object: one font, size and matrix (PDFium gives the object's, not each character's)
                    f.text_matrix(handle, i, at_matrix)
                    font = f.text_font(obj)
                    nominal = f.font_size(handle, i)
                    scale = math.hypot(matrix.c, matrix.d)
                    if (font, nominal) in descents:
                        descent.value = descents[(font, nominal)]
                    elif f.font_descent(font, nominal, at_descent):
                        descents[(font, nominal)] = descent.value  # (a failed call leaves the last run's)
                    size = nominal * scale
                    run_object = obj
                    run = (matrix.f, size, descent.value * scale,
                           matrix.b == 0 and matrix.c == 0 and matrix.a * matrix.d > 0, font, round(size, 3))
                baseline, size, below, upright, font, rounded = run
                f.char_origin(handle, i, at_x, at_y)
                if abs(y.value - baseline) > 0.01:  # vertical writing: origins stand below the object's baseline,
                    left, right, bottom = x.value, x.value + size, self.top - y.value  # the glyph's square hangs from them
                else:  # the advance wide, from the font's descent below the baseline up by the font size
                    f.loose_char_box(handle, i, at_box)
                    left, right, bottom = box.left, box.right, self.top - (y.value + below)
                out.append((upright, Char(text, left - self.left, right - self.left, bottom - size, bottom, self.top - y.value),
                            font, rounded))
        finally:
            textpage.close()
        return _dedupe(out)

    def _painted(self, objects: list[int], outer: tuple[float, ...]) -> None:
        """The rulings of the paths among ``objects`` and inside the forms among them (``outer``: their space)."""
        c, f = self.c, _calls()
        for obj in objects:
            kind = f.object_type(obj)
            if kind not in (c.FPDF_PAGEOBJ_PATH, c.FPDF_PAGEOBJ_FORM):
                continue
            m = c.FS_MATRIX()
            f.object_matrix(obj, ctypes.addressof(m))
            a, b, cc, d, e, f_ = outer
            matrix = (m.a * a + m.b * cc, m.a * b + m.b * d, m.c * a + m.d * cc, m.c * b + m.d * d,
                      m.e * a + m.f * cc + e, m.e * b + m.f * d + f_)
            if kind == c.FPDF_PAGEOBJ_FORM:
                self._painted([f.form_object(obj, index) for index in range(f.form_count_objects(obj))], matrix)
            else:
                self._rulings(obj, matrix)

    def _rulings(self, obj: int, matrix: tuple[float, ...]) -> None:
        """The straight horizontal and vertical pieces of a painted path, in page space (``matrix``: the path's)."""
        c, f = self.c, _calls()
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        if f.draw_mode(obj, ctypes.addressof(fill), ctypes.addressof(stroke)) and not fill.value and not stroke.value:
            return  # a path that paints nothing
        x, y = ctypes.c_float(), ctypes.c_float()
        at_x, at_y = ctypes.addressof(x), ctypes.addressof(y)
        moveto = c.FPDF_SEGMENT_MOVETO
        start = previous = None
        for index in range(f.count_segments(obj)):
            segment = f.segment(obj, index)
            f.segment_point(segment, at_x, at_y)
            point = (matrix[0] * x.value + matrix[2] * y.value + matrix[4] - self.left,
                     self.top - (matrix[1] * x.value + matrix[3] * y.value + matrix[5]))
            if f.segment_type(segment) == moveto:
                start = point
            elif previous is not None:
                self._piece(previous, point)
            if f.segment_close(segment) and start is not None:
                self._piece(point, start)
            previous = point

    def _piece(self, p, q) -> None:
        if p[1] == q[1]:
            self.horizontal.append((p[1], min(p[0], q[0]), max(p[0], q[0])))
        elif p[0] == q[0]:
            self.vertical.append((p[0], min(p[1], q[1]), max(p[1], q[1])))


def _dedupe(chars: list[tuple]) -> list[tuple[bool, Char]]:
    """Drop a character painted again within :data:`DUPLICATE` of itself in the same font and size (keeping
    the topmost, then leftmost, then first); the rest keep their order."""
    groups: dict[tuple, list[int]] = {}
    for i, (upright, char, font, size) in enumerate(chars):
        groups.setdefault((upright, char.text, font, size), []).append(i)
    keep: list[int] = []
    for group in groups.values():
        if len(group) == 1:
            keep += group
            continue
        boxes = sorted((chars[i][1].top, chars[i][1].x0, i) for i in group)
        for row in _chains(boxes, 0):
            for same in _chains(sorted(row, key=lambda box: box[1]), 1) if len(row) > 1 else [row]:
                keep.append(min(same)[2])
    return [(chars[i][0], chars[i][1]) for i in sorted(keep)]


def _chains(items: list[tuple], at: int) -> list[list[tuple]]:
    """Items, in order of their value ``item[at]``, in chains of values each within :data:`DUPLICATE` of the one before."""
    out: list[list[tuple]] = []
    last = None
    for item in items:
        v = item[at]
        if last is None or v > last + DUPLICATE:
            out.append([])
        out[-1].append(item)
        last = v
    return out


def _cluster(items: list, value, tolerance: float, keep_order: bool = False) -> list[list]:
    """Items grouped by value: sorted distinct values chained while each is within tolerance of the last.
    Groups come in value order, items keeping their order inside; with ``keep_order``, a group is a run of
    consecutive items of one cluster."""
    values = [value(item) for item in items]
    cluster = ruled.clusters(values, tolerance)
    tagged = [(cluster[v], item) for v, item in zip(values, items)]
    if not keep_order:
        tagged.sort(key=lambda pair: pair[0])
    return [[item for _, item in run] for _, run in itertools.groupby(tagged, key=lambda pair: pair[0])]


def _words(chars: list[Char]) -> list[list[Char]]:
    """One run of characters in words: lines by baseline, left to right; a space or a wide gap ends a word."""
    words: list[list[Char]] = []
    for line in _cluster(chars, lambda ch: ch.baseline, LINE_TOLERANCE):
        word: list[Char] = []
        for char in sorted(line, key=lambda ch: ch.x0):
            if char.text.isspace():
                if word:
                    words.append(word)
                word = []
                continue
            if word:
                last = word[-1]
                if char.x0 < last.x0 or char.x0 > last.x1 + GAP or abs(char.baseline - last.baseline) > LINE_TOLERANCE:
                    words.append(word)
                    word = []
            word.append(char)
        if word:
            words.append(word)
    return words


def _printed_lines(page: _Page, number: int, raw: _Raw) -> list[tuple[float, list[Located]]]:
    """Add the page's printed lines to raw (words one space apart); return (top, characters) for each."""
    words = [w for _, run in itertools.groupby(page.chars, key=lambda item: item[0])
             for w in _words([char for _, char in run])]
    out = []
    for index, line in enumerate(_cluster(words, lambda w: min(ch.baseline for ch in w), LINE_TOLERANCE, keep_order=True), 1):
        parts, located, at = [], [], 0
        for word in line:
            if parts:
                parts.append(" ")
                at += 1
            for char in word:
                if char.text in LIGATURES:  # one character in the PDF, its letters in the text
                    char = Char(LIGATURES[char.text], char.x0, char.x1, char.top, char.bottom, char.baseline)
                located.append((char, at))
                parts.append(char.text)
                at += len(char.text)
        start = raw.add("".join(parts), f"第{number}页第{index}行")
        out.append((min(ch.top for ch, _ in located), [(ch, start + at) for ch, at in located]))
    return out


def _inside(char: Char, bbox: tuple[float, float, float, float]) -> bool:
    x, y = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _put_chars(builder: TextBuilder, chars: list[Located]) -> None:
    """Characters of one line in reading order; a gap in raw becomes one space (repair drops those between CJK)."""
    run: list[str] = []
    start = end = None
    for char, offset in chars:
        if offset != end:
            if run:
                builder.put("".join(run), start)
                builder.insert(" ", offset)
            run, start = [], offset
        run.append(char.text)
        end = offset + len(char.text)
    if run:
        builder.put("".join(run), start)


def _put_mapped(builder: TextBuilder, text: str, origins: list[int]) -> None:
    """Append text whose i-th character comes from raw offset origins[i], a run of consecutive offsets at a time."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or origins[i] != origins[i - 1] + 1:
            builder.put(text[start:i], origins[start])
            start = i


def _cell_text(located: list[tuple[int, Char, int]]) -> tuple[str, list[int]]:
    """A cell's characters (line index, char, offset) as one line: wrapped lines joined, spaces dropped; a
    figure wrapped in a narrow cell (``12573`` / ``5``) is one figure again."""
    builder = TextBuilder()
    previous = None
    for line, char, offset in located:
        if previous is not None and (line, offset) != previous:
            wrapped_figure = line != previous[0] and builder.last().isdigit() and char.text[:1].isdigit()
            builder.insert("" if wrapped_figure else joiner(builder.last(), char.text[:1]), offset)
        builder.put(char.text, offset)
        previous = (line, offset + len(char.text))
    text, origin = builder.build()
    return text, list(origin)


def _table_grid(table: ruled.Table, lines: list[tuple[float, list[Located]]]) -> tuple[Grid, int]:
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
    contents: list[list[tuple[int, Char, int]]] = [[] for _ in blocks]
    first = None
    left, top, right, bottom = table.bbox
    for index, (_, located) in enumerate(lines):
        for char, offset in located:
            x, y = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2  # the centre, as in _inside
            if left <= x <= right and top <= y <= bottom:
                row = bisect.bisect_right(ys, y) - 1
                col = bisect.bisect_right(xs, x) - 1
                block = owner.get((row, col))
                if block is not None:
                    contents[block].append((index, char, offset))
                    first = offset if first is None else min(first, offset)
    grid = Grid()
    grid.lefts, grid.right = xs, table.bbox[2]
    for block, (row, col, rowspan, colspan) in zip(contents, blocks):
        text, origin = _cell_text(sorted(block, key=lambda item: (item[0], item[1].x0)))
        grid.add(text, origin, None, row, col, rowspan, colspan)
    return grid, first or 0


class _Text:
    """The logical text: prose gathered line by line and rejoined, tables written as grids.  A table is held
    until what follows it is known: the same table continued on the next page (another table with only page
    numbers between them) joins it, one grid."""

    def __init__(self) -> None:
        self.builder = TextBuilder()
        self.prose = TextBuilder()
        self.held: tuple[Grid, int] | None = None

    def line(self, chars: list[Located]) -> None:
        if len(self.prose):
            self.prose.insert("\n", chars[0][1])
        _put_chars(self.prose, chars)

    def table(self, grid: Grid, anchor: int) -> None:
        if self.held is not None and _same_width(self.held[0], grid) and not repair.rejoin(self.prose.build()[0])[0]:
            self.held[0].continue_with(grid)
            self.prose = TextBuilder()  # page numbers only
            return
        self.flush()
        self.held = (grid, anchor)

    def flush(self) -> None:
        if self.held is not None:
            grid, anchor = self.held
            self.held = None
            grid.write(self.builder, anchor)
        flow, flow_origin = self.prose.build()
        self.prose = TextBuilder()
        text, origin = repair.rejoin(flow)
        if not text:
            return
        if len(self.builder):
            self.builder.insert("\n", flow_origin[0])
        last = len(flow_origin) - 1
        _put_mapped(self.builder, text, [flow_origin[min(at, last)] for at in origin])


def _same_width(first: Grid, then: Grid) -> bool:
    """Two tables standing between the same left and right rulings (points): one table over two pages."""
    return bool(first.lefts and then.lefts) and abs(first.lefts[0] - then.lefts[0]) <= GAP \
        and abs(first.right - then.right) <= GAP


def _read_page(page: _Page, number: int, raw: _Raw, out: _Text) -> None:
    lines = _printed_lines(page, number, raw)
    try:
        found = ruled.find_tables(page.horizontal, page.vertical)
    except ruled.TooManyRulings as exc:
        horizontal, vertical = exc.args
        raise SourceError(f"PDF 第 {number} 页有 {horizontal} 条横线、{vertical} 条竖线，远超表格所需（疑似恶意文件），拒绝读取") from exc
    tables = [t for t in found if len({cell[0] for cell in t.cells}) >= MIN_TABLE_COLUMNS]
    boxes = [t.bbox for t in tables]
    items = [(top, 0, chars) for top, chars in lines] + [(box[1], 1, table) for box, table in zip(boxes, tables)]
    for _, is_table, item in sorted(items, key=lambda entry: entry[:2]):
        if is_table:
            out.table(*_table_grid(item, lines))
            continue
        outside = [(char, at) for char, at in item if not any(_inside(char, box) for box in boxes)] if boxes else item
        if outside:
            out.line(outside)


def _reason(exc: Exception) -> str:
    import pypdfium2.raw as pdfium_c

    code = getattr(exc, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return "文件已加密，需要密码才能打开"
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return "文件使用了不支持的加密方式"
    return "文件已损坏或不是有效的 PDF（PDFium 无法解析其结构）"


def read_pdf(path: str, data: bytes) -> Source:
    import pypdfium2 as pdfium

    if limits.truncated_pdf(data):
        raise SourceError("无法读取 PDF 文件：文件不完整（在结尾之前被截断，可能下载或复制未完成）")
    raw, out = _Raw(), _Text()
    chars = unmapped = 0
    try:
        with _cpu_budget(CPU_SECONDS):
            try:
                document = pdfium.PdfDocument(data)
            except pdfium.PdfiumError as exc:
                raise SourceError(f"无法读取 PDF 文件：{_reason(exc)}") from exc
            try:
                if not len(document):
                    raise SourceError("PDF 文件已损坏：找不到任何页面（交叉引用表或页面目录损坏）")
                if len(document) > MAX_PAGES:
                    raise SourceError(f"PDF 共 {len(document)} 页，超过 {MAX_PAGES} 页的上限，拒绝读取")
                limits.check_pdf_content(data, MAX_PAGES)
                for index in range(len(document)):
                    handle = document[index]
                    page = _Page(handle)
                    handle.close()
                    chars += len(page.chars)
                    unmapped += page.unmapped
                    _read_page(page, index + 1, raw, out)
            finally:
                document.close()
    except _OverBudget as exc:
        raise SourceError(f"PDF 过于复杂：读取已用去 {CPU_SECONDS:.0f} 秒 CPU 时间仍未完成（疑似恶意文件），拒绝读取") from exc
    except pdfium.PdfiumError as exc:  # a page PDFium cannot load
        raise SourceError(f"无法读取 PDF 文件：{_reason(exc)}") from exc
    out.flush()
    text, origin = out.builder.build()
    if not text.strip():
        raise SourceError("PDF 中没有文字层（可能是扫描件），无法检查")
    if unmapped > UNMAPPED_GLYPHS * chars:
        raise SourceError("PDF 中的文字无法正确提取（字体缺少编码映射），无法检查")
    return Source(path=path, kind="pdf", raw="\n".join(raw.lines), text=text, origin=origin, pdf_like=True, places=raw.places)
