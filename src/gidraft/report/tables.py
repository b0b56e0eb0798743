"""Recognise the three statistical tables in a report's text and read their cells.

Tables arrive in three shapes: grid rows (docx, html, pdf, markdown: one row per line, cells separated by
TAB), space-separated rows (PDF text), and crawler text where a row's digits run together
(``640020470``).  Rows are found by their labels, in table order, in the text with white space removed,
so labels broken across lines or interleaved with vertical headers are still found.  A row's values
are the numbers between its label and the next row's label.  Run-together digits are split only where
the table's own arithmetic leaves exactly one way to split them; otherwise the row is reported as not
reliably readable and its cells stay empty.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator

from ..cache import compiled
from ..offsets import Offsets
from ..sources.model import CELL_SEP
from .layout import FORMATS, Layout, Row, other_rows
from .model import Cell, ParseProblem, Span

NUMBER = compiled(r"(?<![\d.])([+\-−＋]?)(\d+(?:,\d{3})*(?:\.\d+)?)(?:\s*(万元|元))?")
# a blank cell: a dash or 无 standing alone (the next row's label may follow it with no space in rejoined PDF text)
BLANK = compiled(r"(?:(?<=\s)|^)([/／\-—–－]+(?=\s|$|[\u4e00-\u9fff])|无(?=\s|$))")
BLANK_CELL = {"", "/", "／", "-", "—", "–", "－", "——", "无"}
NON_SPACE = compiled(r"\S+")
MAX_PART_DIGITS = 7
MAX_SPLITS = 5000
T2_CELL = compiled(r"[\d/／\-－—–无]")  # a table-2 row's first cell after its label: a figure, or a blank mark


class Compact:
    """A region of the logical text with white space removed, mapped back to logical offsets."""

    def __init__(self, text: str, start: int, end: int) -> None:
        chars, index, at = [], Offsets(), 0
        for match in NON_SPACE.finditer(text, start, end):
            chars.append(match.group())
            index.piece(at, match.start())
            at += match.end() - match.start()
        self.text = "".join(chars)
        self.index = index
        self.end = end
        self.source = text

    def cell_ends(self, compact_pos: int) -> bool:
        """A grid cell ends just before this compact position (a TAB between it and the character before)."""
        if not 0 < compact_pos < len(self.text):
            return False
        return CELL_SEP in self.source[self.logical(compact_pos - 1) + 1:self.logical(compact_pos)]

    def logical(self, compact_pos: int) -> int:
        return self.index[compact_pos] if compact_pos < len(self.text) else self.end

    def find_rows(self, rows: tuple[Row, ...], values: re.Pattern | None = None) -> list[tuple[Row, int | None, int | None, str]]:
        """Locate each row label in order: (row, label start, label end in logical offsets, damaged label).

        With ``values`` (what a row's first cell looks like), the first occurrence of a label followed by
        such a cell is preferred: a sentence before the table that names a row (未制发规章，…) is not the
        row.  A label its pattern does not find is looked for, between the rows found before and after
        it, as the stretch closest to the label's wording (a missing or wrong character); when that one
        differs from the wording it is returned as the damaged label, to be reported once at its place.
        """
        spans: list[tuple[int, int] | None] = []
        cursor = 0
        for row in rows:
            match = row.pattern.search(self.text, cursor)
            if match is not None and values is not None and not values.match(self.text, match.end()):
                match = next((m for m in row.pattern.finditer(self.text, match.end()) if values.match(self.text, m.end())), match)
            if match is None:  # out of order (a converter moved the grid after loose lines): an earlier place
                match = next((m for m in row.pattern.finditer(self.text, 0, cursor) if FIGURE.match(self.text, m.end())
                              and not any(s and s[0] < m.end() and m.start() < s[1] for s in spans)), None)
                spans.append(None if match is None else (match.start(), match.end()))
                continue
            spans.append((match.start(), match.end()))
            cursor = match.end()
        damaged = [""] * len(rows)
        for i, row in enumerate(rows):
            if spans[i] is not None:
                low = next((s[1] for s in reversed(spans[:i]) if s is not None), 0)
                printed = misspelt(self.text, spans[i][0], printed_label(row.label), self.cell_ends, low)
                if printed is not None:
                    damaged[i] = printed[0]
                    spans[i] = (min(spans[i][0], printed[1]), printed[2])
                continue
            low = next((s[1] for s in reversed(spans[:i]) if s is not None), 0)
            high = next((s[0] for s in spans[i + 1:] if s is not None), len(self.text))
            if high < low:  # the rows around it stand in another order (a grid moved after loose lines)
                low = max((s[1] for s in spans if s is not None and s[1] <= high), default=0)
            near = (closest_label(self.text, printed_label(row.label), low, high) or numbered_label(self.text, row.label, low, high)
                    or slot_label(self.text, row, low, high) or wrapped_label(self.text, printed_label(row.label), low, high))
            if near is not None:
                start, end, distance = near
                spans[i] = (start, end)
                damaged[i] = LABEL_PREFIX.sub("", self.text[start:end]) if distance else ""
        return [
            (row, None, None, "") if span is None else (row, self.logical(span[0]), self.logical(span[1] - 1) + 1, damaged[i])
            for i, (row, span) in enumerate(zip(rows, spans))
        ]


LIST_PREFIX = compiled(r"(?:[一二三四][、．.])?(?:[（(][一二三四五六七][）)])?(?:\d[.．、])?")
LABEL_PREFIX = compiled(r"^(?:[一二三四][、．.])?(?:[（(][一二三四五六七][）)])?(?:\d[.．、])?")
LIST_NUMBER = compiled(r"\d[.．、]$")
# Table 3's group headings stand vertically beside the rows; layouts weave their characters into row labels
# (``2.申请人逾期未按收费通知要他处理求缴纳费用``): such a character is not a misprint of the label.
HEADING_CHARS = frozenset("三、本年度办理结果（三）不予公开（四）无法提供（五）不予处理（六）其他处理")
FOLLOWS_LABEL = compiled(r"(?:[\d/／\-－—–]|[+＋](?=\d))(?![.．、][^\d])|[（(]")  # a row's first figure, or its note (（区分处理的…）)
MIN_FUZZY_LABEL = 3  # shorter labels are too easily matched by other words


def printed_label(label: str) -> str:
    """The wording of a row label without its group and list numbers: （三）2.其他法律… → 其他法律…"""
    return LABEL_PREFIX.sub("", label)


def misspelt(text: str, start: int, label: str, whole: Callable[[int], bool], low: int = 0) -> tuple[str, int, int] | None:
    """A label its pattern found (by some of its words) but printed with a wrong or missing character:
    (the printed label, its start, its end), when the text from the label's start (its list number, or the
    row before) to the row's first figure differs from the wording by at most a quarter of its characters.
    A label cut short by a ``pdftotext`` wrap, its tail after the figures, is not misprinted, unless
    ``whole(end)`` says the label stands whole there (a grid cell ends at it)."""
    limit = max(1, len(label) // 4) if len(label) >= MIN_FUZZY_LABEL else 0
    if not limit:
        return None
    number = LIST_PREFIX.match(text, start)
    begin = number.end() if number else start
    if begin == start and not label.startswith(text[start:start + 2]):  # matched inside the label (大量反复申请)
        while begin > low and start - begin < len(label) and not FIGURE.match(text, begin - 1) \
                and not LIST_NUMBER.search(text, max(low, begin - 2), begin) and text[begin - 1] not in "）)":
            begin -= 1
    end = start
    while end < len(text) and end - begin < len(label) + limit and not FIGURE.match(text, end):
        end += 1
    printed = text[begin:end]
    if printed == label or end >= len(text) or not FIGURE.match(text, end):
        return None
    previous = list(range(len(label) + 1))  # edit distance of printed[:i] to every prefix of label
    for i, ch in enumerate(printed, 1):
        extra = 0 if ch in HEADING_CHARS else 1  # a character of a vertical group heading woven into the label
        current = [i]
        for j in range(1, len(label) + 1):
            current.append(min(previous[j - 1] + (label[j - 1] != ch), previous[j] + extra, current[j - 1] + 1))
        previous = current
    best = previous[-1]
    if not whole(end):
        after = end
        while after < len(text) and FIGURE.match(text, after):
            after += 1
        # the rest of the label follows the figures: a wrap; the longest piece printed before them first
        for cut in sorted(range(max(0, len(printed) - limit), len(label)), key=lambda k: (previous[k], -k)):
            if previous[cut] >= best:
                break
            if resumes(text, after, label[cut:]):
                best = previous[cut]
                break
    number = LIST_NUMBER.search(text, max(low, begin - 2), begin)  # the row starts at its list number (4.)
    return (printed, number.start() if number else begin, end) if 0 < best <= limit else None


WOVEN_MAX = 6  # characters of vertical group headings a layout puts between the pieces of a wrapped label


def resumes(text: str, at: int, rest: str) -> bool:
    """Whether a label's ``rest`` (its first two characters) goes on at ``at``, or just after characters of
    the vertical group headings woven in there (``…政府信`` figures ``（四）息``)."""
    head = rest[:2]
    for pos in range(at, min(len(text), at + WOVEN_MAX + 1)):
        if text.startswith(head, pos):
            return True
        if text[pos] not in HEADING_CHARS:
            return False
    return False


LAST_NUMBER = compiled(r"(?:[（(][一二三四五六七][）)]|\d[.．、]|[一二三四][、．.])$")


def numbered_label(text: str, label: str, low: int, high: int) -> tuple[int, int, int] | None:
    """A short label (其他, 总计: too short to be told by its wording alone) printed with a character wrong or
    missing, found by its list number: the number (3. or （七）) followed by a stretch one edit from the wording
    and then a figure.  (start, end, 1) or None."""
    wording = printed_label(label)
    number = LAST_NUMBER.search(label[:len(label) - len(wording)])
    if len(wording) >= MIN_FUZZY_LABEL or number is None:
        return None
    mark = number.group()
    # the number as printed in any of its usual forms: 3. 3． 3、 / （七） (七)
    printed_mark = (rf"{mark[0]}[.．、]" if mark[0].isdigit() else rf"[（(]{mark[1:-1]}[）)]"
                    if mark[0] in "（(" else rf"{mark[0]}[、．.]")
    for found in compiled(printed_mark).finditer(text, low, high):
        at, end = found.start(), found.end()
        while end < high and end - found.end() <= len(wording) and not FIGURE.match(text, end):
            end += 1
        printed = text[found.end():end]
        if FIGURE.match(text, end) and printed != wording and 0 < len(printed) and abs(len(printed) - len(wording)) <= 1 \
                and set(printed) & set(wording):
            return at, end, 1
    return None


SLOT = compiled(r"[\d/／\-－—–.．]*([\u4e00-\u9fff]{1,8})([\d/／\-－—–.．]+)")


def slot_label(text: str, row: Row, low: int, high: int) -> tuple[int, int, int] | None:
    """A short label without a list number (规章) printed with a character wrong or missing, found by its place:
    all that stands between the row before (or the end of the table's header: the last of the row's column
    names) and the row after is that row's figures, a stretch one edit from the wording, and its own figures
    (``…对外公开总数量说章000规范性文件…``).  (start, end, 1) or None."""
    wording = printed_label(row.label)
    if len(wording) >= MIN_FUZZY_LABEL or not row.columns:
        return None
    header = max((text.rfind(name, low, high) + len(name) for _, name in row.columns if text.rfind(name, low, high) != -1),
                 default=-1)
    if header == -1 and low == 0:
        return None  # nothing to tell where the row's place begins
    found = SLOT.fullmatch(text, max(low, header), high)
    if found is None:
        return None
    printed = found.group(1)
    return (found.start(1), found.end(1), 1) if edit_distance(printed, wording) == 1 else None


def closest_label(text: str, label: str, low: int, high: int) -> tuple[int, int, int] | None:
    """The stretch of ``text[low:high]`` closest to ``label`` by edit distance (semi-global alignment,
    Sellers' algorithm: O(window × label)); (start, end, distance) when at most a quarter of the label's
    characters differ and a table figure follows it, else None."""
    if len(label) < MIN_FUZZY_LABEL or high - low < len(label) // 2:
        return None
    limit = max(1, len(label) // 4)
    window = text[low:high]
    previous = [(j, 0) for j in range(len(label) + 1)]  # (distance, start) aligning label[:j] ending here
    best: tuple[int, int, int] | None = None
    for i, ch in enumerate(window):
        current = [(0, i + 1)]
        for j in range(1, len(label) + 1):
            diagonal = (previous[j - 1][0] + (label[j - 1] != ch), previous[j - 1][1])
            up = (previous[j][0] + (ch not in HEADING_CHARS), previous[j][1])
            left = (current[j - 1][0] + 1, current[j - 1][1])
            current.append(min(diagonal, up, left, key=lambda item: (item[0], -item[1])))  # ties: the shorter stretch
        previous = current
        distance, start = current[-1]
        end = i + 1
        if distance <= limit and (best is None or distance < best[2]) and FOLLOWS_LABEL.match(window, end):
            best = (start, end, distance)
    if best is None:
        return None
    start, end, distance = best
    for back in (1, 2):  # the shorter stretch won a tie, but the row starts at its list number just before (3.冷正后…)
        if start - back >= 2 and LIST_NUMBER.search(window, start - back - 2, start - back) \
                and not FIGURE.search(window, start - back, start) \
                and edit_distance(window[start - back:end], label) <= limit:
            start = start - back
            break
    number = LIST_NUMBER.search(window, max(0, start - 2), start)
    return (low + (number.start() if number else start), low + end, distance)


FIGURE_CHARS = frozenset("0123456789/／-－—–")
LABEL_ENDS = compiled(r"\d[.．、][^\d]|[（(]|[\d/／\-－—–]")  # what follows a row: the next one's number, a note, figures


def wrapped_label(text: str, label: str, low: int, high: int) -> tuple[int, int, int] | None:
    """A label wrapped inside its cell with its row's figures printed between its pieces, as ``pdftotext
    -layout`` prints a cell whose text runs over three lines (``…逾期不`` / figures / ``补正…``): the stretch
    of ``text[low:high]`` closest to the label when one run of figures inside it (and characters of the
    vertical group headings) are skipped; (start, where the figures start, distance) when at most a quarter
    of the label's characters differ, both pieces have two characters or more and the next row follows."""
    if len(label) < 2 * MIN_FUZZY_LABEL or high - low < len(label):
        return None
    limit = max(1, len(label) // 4)
    window = text[low:high]
    # per prefix of the label: (distance, start, where the skipped figures start or -1, where they end)
    previous = [(j, 0, -1, -1) for j in range(len(label) + 1)]
    best: tuple[int, int, int] | None = None
    for i, ch in enumerate(window):
        figure = ch in FIGURE_CHARS
        current = [(0, i + 1, -1, -1)]
        for j in range(1, len(label) + 1):
            d, s, gap, gap_end = previous[j - 1]
            options = [(d + (label[j - 1] != ch), s, gap, gap_end)]
            d, s, gap, gap_end = previous[j]
            if figure and 2 <= j <= len(label) - 2 and (gap == -1 or gap_end == i):
                options.append((d, s, i if gap == -1 else gap, i + 1))  # the row's figures, inside the label
            else:
                options.append((d + (ch not in HEADING_CHARS), s, gap, gap_end))
            d, s, gap, gap_end = current[j - 1]
            options.append((d + 1, s, gap, gap_end))
            current.append(min(options, key=lambda item: (item[0], -item[1])))
        previous = current
        distance, start, gap, gap_end = current[-1]
        end = i + 1
        if gap != -1 and end - gap_end >= 2 and distance <= limit and (best is None or distance < best[2]) \
                and (end == len(window) or LABEL_ENDS.match(window, end)):
            best = (start, gap, distance)
    if best is None:
        return None
    start, gap, distance = best
    number = LIST_NUMBER.search(window, max(0, start - 2), start)
    return (low + (number.start() if number else start), low + gap, distance)


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j - 1] + (x != y), previous[j] + 1, current[j - 1] + 1))
        previous = current
    return previous[-1]


class Token:
    __slots__ = ("text", "start", "end", "value", "blank", "unit")

    def __init__(self, text: str, start: int, end: int, value=None, blank=False, unit=None) -> None:
        self.text, self.start, self.end, self.value, self.blank, self.unit = text, start, end, value, blank, unit


def _number(sign: str, digits: str, unit: str | None) -> int | float:
    plain = digits.replace(",", "")
    value: int | float = float(plain) if "." in plain else int(plain)
    if sign and sign in "-−":
        value = -value
    if unit == "元":
        value = round(value / 10000, 6)
    return value


def tokens_in(text: str, start: int, end: int) -> list[Token]:
    """Numbers and blank markers in a space-separated stretch of text."""
    segment = text[start:end]
    found = [
        Token(m.group(0), start + m.start(), start + m.end(), _number(m.group(1), m.group(2), m.group(3)), unit=m.group(3))
        for m in NUMBER.finditer(segment)
    ]
    found += [Token(m.group(1), start + m.start(1), start + m.end(1), blank=True) for m in BLANK.finditer(segment)]
    return sorted(found, key=lambda t: t.start)


def grid_cells(text: str, start: int, end: int, count: int, label: bool = True) -> list[Token] | None:
    """The ``count`` value cells of the grid row that contains ``start`` (None if not a grid row).

    The values are the fields after the one holding ``start`` (the row label): empty fields at the end
    of the row beyond ``count`` are a ragged edge (``| 4 | 0 | … | 4 |  |``), an empty field inside is a
    blank cell and keeps its column; with more fields than columns (a group label in front) the last
    ``count`` are taken.  ``label``: the field holding ``start`` is the row's label, not a value."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end == -1 else line_end
    line = text[line_start:line_end]
    if CELL_SEP not in line:
        return None
    cells, offset = [], line_start
    for field in line.split(CELL_SEP):
        lead = len(field) - len(field.lstrip())
        if offset + len(field) >= start:
            cells.append((field.strip(), offset + lead))
        offset += len(field) + 1
    values = cells[1:] if label and cells and cells[0][1] <= start else cells
    while len(values) > count and not values[-1][0]:
        values.pop()
    out = []
    for field, at in values[-count:]:
        match = NUMBER.fullmatch(field)
        if field in BLANK_CELL:
            out.append(Token(field, at, at + len(field), blank=True))
        elif match:
            out.append(Token(field, at, at + len(field), _number(match.group(1), match.group(2), match.group(3)), unit=match.group(3)))
        else:
            out.append(Token(field, at, at + len(field)))  # text where a number belongs
    return out


def digit_splits(tokens: list[Token], count: int,
                 prefix_ok: Callable[[list[tuple[int, int, int]]], bool] | None = None,
                 total_last: bool = False) -> Iterator[list[tuple[int, int, int]]]:
    """Every way to read the digit tokens as ``count`` numbers: lists of (value, start, end).

    Each token gives at least one number, a number has at most MAX_PART_DIGITS digits and no leading
    zero; branches that can no longer place the remaining digits are cut at once, so the search is
    proportional to the readings, not to every way of cutting the digits.  ``prefix_ok`` (given the
    numbers read so far) cuts branches that the table's arithmetic already rules out; ``total_last``:
    only readings whose last number is the sum of the others (a row ending with its 总计).
    """
    digits_after = [sum(len(t.text) for t in tokens[i + 1:]) for i in range(len(tokens))]
    values: list[tuple[int, int, int]] = []

    def fits(numbers: int, digits: int, open_tokens: int) -> bool:
        return open_tokens <= numbers <= digits and digits <= numbers * MAX_PART_DIGITS

    def walk(index: int, pos: int) -> Iterator[list[tuple[int, int, int]]]:
        token = tokens[index]
        limit = 1 if token.text[pos] == "0" else MAX_PART_DIGITS
        for end in range(pos + 1, min(pos + limit, len(token.text)) + 1):
            values.append((int(token.text[pos:end]), token.start + pos, token.start + end))
            if total_last and len(values) == count - 1:
                yield from with_total(index, end)
            elif prefix_ok is None or prefix_ok(values):
                yield from onwards(index, end)
            values.pop()

    def with_total(index: int, end: int) -> Iterator[list[tuple[int, int, int]]]:
        """The one reading left when the remaining digits must spell the sum of the numbers read."""
        token = tokens[index]
        if end == len(token.text):
            index, end, token = index + 1, 0, tokens[index + 1] if index + 1 < len(tokens) else None
        if token is None or index != len(tokens) - 1 or token.text[end:] != str(sum(v for v, _, _ in values)):
            return
        yield values + [(int(token.text[end:]), token.start + end, token.start + len(token.text))]

    def onwards(index: int, end: int) -> Iterator[list[tuple[int, int, int]]]:
        """After a number ending at ``end`` of token ``index``: the rest of the token, the next token, or done."""
        left, text = count - len(values), tokens[index].text
        if end < len(text):
            if fits(left, len(text) - end + digits_after[index], len(tokens) - index):
                yield from walk(index, end)
        elif index + 1 == len(tokens):
            if left == 0:
                yield list(values)
        elif fits(left, digits_after[index], len(tokens) - index - 1):
            yield from walk(index + 1, 0)

    if tokens and all(t.text for t in tokens):
        yield from itertools.islice(walk(0, 0), MAX_SPLITS)


class RowReading:
    """The values read for one row: either settled cells or candidate splits of run-together digits."""

    def __init__(self, row: Row, label_span: Span | None) -> None:
        self.row = row
        self.label_span = label_span
        self.tokens: list[Token] | None = None
        self.candidates: list[list[tuple[int, int, int]]] = []
        self.glued: str = ""
        self.damaged: str = ""  # the label as printed when it differs from the format's wording
        self.short: list[Token] = []  # fewer figures than columns were found after the label
        self.forced = False  # one digit a cell: the only split, whatever the arithmetic says of it
        self.relaxed = False  # no split satisfies the row: every split kept, the table's arithmetic chooses
        self.lost: Token | None = None  # a grid row short of one cell: the figure standing apart that is that cell
        self.noted = ""  # the note that placed ``lost`` in its column (（含自然失效 29 件）)


def forced_split(reading: RowReading, found: list[Token], count: int) -> list:
    """One digit a cell (``0001000`` for seven cells): the only reading there is, kept even where the row's
    arithmetic fails, so that the relation rules point at the wrong cell instead of the row going unread."""
    if sum(len(t.text) for t in found) != count:
        return []
    reading.forced = True
    return list(digit_splits(found, count))


def read_rows(
    text: str,
    region: Span,
    rows: tuple[Row, ...],
    count_of: Callable[[Row], int],
    stop_at_sentence: bool = True,
    total_last: bool = False,
    values: re.Pattern | None = None,
    where: RawColumns | None = None,
) -> list[RowReading]:
    compact = Compact(text, region.start, region.end)
    located = compact.find_rows(rows, values)
    readings = []
    starts = [s for _, s, _, _ in located if s is not None] + [region.end]
    for row, start, end, damaged in located:
        reading = RowReading(row, None if start is None else Span(start, end))
        reading.damaged = damaged
        readings.append(reading)
        if start is None:
            continue
        count = count_of(row)
        stop = min(s for s in starts if s > start) if any(s > start for s in starts) else region.end
        if stop_at_sentence:
            period = text.find("。", end, stop)
            stop = stop if period == -1 else period
        grid = grid_cells(text, end - 1, stop, count)
        if grid is not None:
            reading.tokens = grid
            continue
        line_end = text.find("\n", end, stop)
        on_line = tokens_in(text, end, line_end) if line_end != -1 else []
        if len(on_line) == count:  # the row stands on its own line: what follows (a page footer) is not its
            reading.tokens = on_line
            continue
        found = tokens_in(text, end, stop)
        if len(found) == count or not found:
            reading.tokens = found
            continue
        digits = [t for t in found if not t.blank and t.text.isdigit()]
        if len(found) < count:
            reading.short = found
        if len(found) < count and len(digits) == len(found):
            reading.glued = " ".join(t.text for t in found)
            reading.candidates = list(digit_splits(found, count, total_last=total_last)) or forced_split(reading, found, count)
            if not reading.candidates and total_last:  # a figure printed wrong: no split adds up
                reading.candidates, reading.relaxed = list(digit_splits(found, count)), True
            continue
        reading.tokens = found  # wrong number of values: reported by the caller
    align_columns(readings, count_of, where)
    place_unlabelled(text, region, readings, count_of)
    return readings


class RawColumns:
    """Where a logical position stands in the user's file: (raw line start, column).  The text readers
    collapse the spaces of a ``pdftotext -layout`` line; the columns are still in the raw text."""

    def __init__(self, raw: str, origin) -> None:
        self.raw, self.origin = raw, origin

    def __call__(self, position: int) -> tuple[int, int]:
        at = self.origin[position]
        start = self.raw.rfind("\n", 0, at) + 1
        return start, at - start


def align_columns(readings: list[RowReading], count_of: Callable[[Row], int], where: RawColumns | None) -> None:
    """Space-aligned rows (``pdftotext -layout``) with a blank cell: the figures found are placed under the
    columns of the nearest full row on another line, by where they stand on their line (right edges); the
    columns left over are blank.  Only where every figure falls clearly under a distinct column, in order."""
    if where is None:
        return

    def edges(tokens: list[Token]) -> tuple[int, list[tuple[int, int]]] | None:
        """(raw line, [(left, right) column of each figure]) when the figures share a line, spaced apart."""
        lefts, rights = [where(t.start) for t in tokens], [where(t.end - 1) for t in tokens]
        if len({line for line, _ in lefts + rights}) != 1:
            return None
        spans = [(left, right + 1) for (_, left), (_, right) in zip(lefts, rights)]
        if any(b[0] - a[1] < 2 for a, b in zip(spans, spans[1:])):
            return None  # not separated by the layout's spaces
        return lefts[0][0], spans

    full = []
    for reading in readings:
        tokens = reading.tokens
        if tokens and len(tokens) == count_of(reading.row) and all(t.value is not None for t in tokens):
            found = edges(tokens)
            if found:
                full.append(found)
    if not full:
        return
    for reading in readings:
        short = reading.short
        if not short or any(t.blank or t.value is None for t in short):
            continue
        found = edges(short)
        others = [f for f in full if found and f[0] != found[0]]
        if not others:
            continue
        line, spans = found
        _, reference = min(others, key=lambda f: abs(f[0] - line))
        def off(i: int, span: tuple[int, int]) -> int:  # figures are aligned left, right or in between
            return min(abs(reference[i][0] - span[0]), abs(reference[i][1] - span[1]))

        placed: dict[int, Token] = {}
        for token, span in zip(short, spans):
            ranked = sorted(range(len(reference)), key=lambda i: off(i, span))
            column = ranked[0]
            if off(column, span) == off(ranked[1], span) or column in placed or (placed and column < max(placed)):
                break  # between two columns, or out of order: not placed
            placed[column] = token
        else:
            anchor = reading.label_span.end if reading.label_span else short[0].start
            cells = []
            for column in range(len(reference)):
                if column in placed:
                    cells.append(placed[column])
                    anchor = placed[column].end
                else:
                    cells.append(Token("", anchor, anchor, blank=True))
            reading.tokens, reading.candidates, reading.glued = cells, [], ""


def value_lines(text: str, region: Span, count: int) -> list[tuple[int, int, list[Token]]]:
    """Grid lines of a region that end with ``count`` value cells: (line start, line end, cells)."""
    out = []
    position = region.start
    while position < region.end:
        end = text.find("\n", position, region.end)
        end = region.end if end == -1 else end
        if CELL_SEP in text[position:end]:
            cells = grid_cells(text, position, end, count, label=False)
            if cells and len(cells) == count and all(c.blank or c.value is not None for c in cells):
                out.append((position, end, cells))
        position = end + 1
    return out


def place_unlabelled(text: str, region: Span, readings: list[RowReading], count_of: Callable[[Row], int]) -> None:
    """Rows whose values were not found after their label take, in table order, the grid lines of values
    no label claims (a converted table whose labels were scattered or cut: ``| 0 | 0 | … |`` alone, or
    ``| 行政机关不再处理其政 | 0 | …``) - only where the rows left between two rows read and the
    unclaimed lines between them are as many."""
    counts = {count_of(r.row) for r in readings}
    if len(counts) != 1:
        return
    lines = value_lines(text, region, counts.pop())
    if not lines:
        return

    def done(reading: RowReading) -> bool:
        return bool(reading.candidates) or (reading.tokens is not None and len(reading.tokens) == count_of(reading.row))

    def line_of(position: int) -> int | None:
        return next((i for i, (a, b, _) in enumerate(lines) if a <= position <= b), None)

    claimed = {line_of(t.start) for r in readings if done(r) for t in r.tokens or ()}
    claimed |= {line_of(r.label_span.start) for r in readings if r.label_span is not None and done(r)}
    anchors = [i for i, r in enumerate(readings) if done(r) and r.tokens]
    for before, after in zip([-1] + anchors, anchors + [len(readings)]):
        gap = readings[before + 1:after]
        if not gap:
            continue
        low = max(t.end for t in readings[before].tokens) if before >= 0 else region.start
        high = min(t.start for t in readings[after].tokens) if after < len(readings) else region.end
        free = [i for i, (a, b, _) in enumerate(lines) if i not in claimed and low <= a and b <= high]
        if len(free) != len(gap):
            continue
        for reading, index in zip(gap, free):
            start, end, cells = lines[index]
            reading.tokens = cells
            reading.label_span = reading.label_span or Span(start, start)


def cells_of(reading: RowReading, values: list[tuple[int, int, int]] | None, prefix: str, columns: list[str]) -> dict[str, Cell]:
    """Cells for a row from settled tokens or from one chosen split."""
    out = {}
    anchor = reading.label_span or Span(0, 0)
    for i, column in enumerate(columns):
        key = ".".join(part for part in (prefix, reading.row.key, column) if part)
        if values is not None:
            value, start, end = values[i]
            out[key] = Cell(key, value, str(value), Span(start, end))
        elif reading.tokens is not None and len(reading.tokens) == len(columns):
            token = reading.tokens[i]
            status = "blank" if token.blank else ("ok" if token.value is not None else "unreadable")
            out[key] = Cell(key, None if token.blank else token.value, token.text, Span(token.start, token.end), status)
        elif reading.tokens == []:
            out[key] = Cell(key, None, "", Span(anchor.start, anchor.end), "blank")
        else:
            status = "missing" if reading.label_span is None else "unreadable"
            out[key] = Cell(key, None, "", Span(anchor.start, anchor.end), status)
    return out


def lost_columns(reading: RowReading, prefix: str, columns: list[str]) -> list[dict]:
    """A row with fewer figures than columns (a column lost in conversion): every way to place its figures,
    in order, under the columns; the others unknown.  Kept for figures stated elsewhere to settle."""
    tokens = reading.tokens or []
    if not tokens or len(tokens) >= len(columns) or any(t.value is None for t in tokens):
        return []
    keys = [".".join(part for part in (prefix, reading.row.key, c) if part) for c in columns]
    if reading.lost is not None:  # the lost cell is known, not where it stood: each place in the row
        values = [t.value for t in tokens]
        readings = {tuple(values[:i] + [reading.lost.value] + values[i:]) for i in range(len(columns))}
        return [dict(zip(keys, option)) for option in sorted(readings)]
    return [
        {key: (tokens[chosen.index(i)].value if i in chosen else None) for i, key in enumerate(keys)}
        for chosen in itertools.combinations(range(len(columns)), len(tokens))
    ]


def common_cells(reading: RowReading, options: list, prefix: str, columns: list[str]) -> dict[str, Cell]:
    """The cells on which every reading of a run-together row agrees (same value at the same place)."""
    if not options or len(options) >= MAX_SPLITS:
        return {}
    readings = [cells_of(reading, option, prefix, columns) for option in options]
    first = readings[0]
    return {
        key: cell for key, cell in first.items()
        if all(r[key].value == cell.value and r[key].span == cell.span for r in readings[1:])
    }


def glued_message(reading: RowReading, options: list, table_name: str, count: int, agreed: dict) -> str:
    """Why a run-together row could not be read: never "0 种"."""
    where = f"表格无法可靠解析：{table_name}“{reading.row.label}”行的数字连在一起（“{reading.glued}”）"
    digits = len(reading.glued.replace(" ", ""))
    if not reading.candidates and not count <= digits <= count * MAX_PART_DIGITS:
        return f"{where}，{digits} 位数字无法拆成该行的 {count} 个数，未予采用，请核对原表"
    if not options or reading.relaxed:
        return f"{where}，没有一种拆分符合该行的勾稽关系（总计等于各项之和），未予采用，请核对原表"
    kept = f"；各种拆分一致的 {len(agreed)} 个数已读出" if agreed else ""
    return f"{where}，可拆分为 {len(options)} 种不同的数值组合，无法确定，未予采用{kept}"


def relaxed_problem(reading: RowReading, choice: list[tuple[int, int, int]], table_name: str) -> ParseProblem:
    """A run-together row no split of which adds up, read in the split that breaks the fewest of the table's
    relations: said so at the row, with its figures as related places (the relation findings name the cell)."""
    values = "、".join(str(v) for v, _, _ in choice)
    return ParseProblem(
        f"{table_name}“{reading.row.label}”行的数字连在一起（“{reading.glued}”），没有一种拆分符合该行的勾稽关系，"
        f"已按与勾稽关系矛盾最少的拆分读作 {values}，请核对原表",
        Span(reading.label_span.start, reading.label_span.end), related=[Span(a, b) for _, a, b in choice])


def label_problem(reading: RowReading, table_name: str) -> ParseProblem:
    """A row read under a damaged label: one finding at the label, not a missing row."""
    right = printed_label(reading.row.label)
    return ParseProblem(f"{table_name}行名“{reading.damaged}”应为“{right}”", reading.label_span, kind="label",
                        fix=(reading.damaged, right))


def resolve(
    readings: list[RowReading],
    prefix: str,
    columns: list[str],
    row_ok: Callable[[tuple[int, ...]], bool],
    table_ok: Callable[[dict[str, tuple[int, ...]]], int] | None,
    table_name: str,
    row_failures: Callable[[tuple[int, ...]], int] | None = None,
) -> tuple[dict[str, Cell], list[ParseProblem]]:
    """Settle every row; split run-together digits only where exactly one reading is consistent.  A row no
    split of which is consistent is read in the one split breaking the fewest relations (``row_failures``: of
    the row's own, else ``table_ok``: of the table's), when that split is the only one."""
    cells: dict[str, Cell] = {}
    problems: list[ParseProblem] = []
    split_rows: list[tuple[RowReading, list[tuple[int, int, int]]]] = []
    open_rows: dict[str, list[list[tuple[int, int, int]]]] = {}
    settled: dict[str, tuple[int, ...]] = {}
    for reading in readings:
        key = reading.row.key
        if reading.candidates or reading.glued:
            options = reading.candidates if reading.forced or reading.relaxed else [c for c in reading.candidates if row_ok(tuple(v for v, _, _ in c))]
            if reading.relaxed and row_failures is not None and options:
                fewest = min(row_failures(tuple(v for v, _, _ in c)) for c in options)
                options = [c for c in options if row_failures(tuple(v for v, _, _ in c)) == fewest]
            open_rows[key] = options
            if len(options) == 1:
                settled[key] = tuple(v for v, _, _ in options[0])
        elif reading.tokens is not None and len(reading.tokens) == len(columns):
            if all(t.value is not None for t in reading.tokens):
                settled[key] = tuple(t.value for t in reading.tokens)
    ambiguous = {k: v for k, v in open_rows.items() if len(v) > 1}
    chosen: dict[str, list[tuple[int, int, int]]] = {k: v[0] for k, v in open_rows.items() if len(v) == 1}
    if ambiguous and table_ok is not None:
        keys = list(ambiguous)
        total = 1
        for k in keys:
            total *= len(ambiguous[k])
        if total <= 20000:
            # the reading under which the fewest column identities fail, when it is the only one: all hold, or
            # a figure printed wrong elsewhere (a row read one digit a cell) breaks its column whatever is chosen
            scored: dict[int, list] = {}
            for combo in itertools.product(*(ambiguous[k] for k in keys)):
                trial = dict(settled)
                trial.update({k: tuple(v for v, _, _ in c) for k, c in zip(keys, combo)})
                scored.setdefault(table_ok(trial), []).append(combo)
            best = scored[min(scored)]
            if len(best) == 1:
                chosen.update(dict(zip(keys, best[0])))
    for reading in readings:
        key = reading.row.key
        if reading.label_span is None:
            continue
        if key in open_rows:
            choice = chosen.get(key)
            cells.update(cells_of(reading, choice, prefix, columns))
            span = Span(reading.label_span.start, reading.label_span.end)
            if reading.damaged:
                problems.append(label_problem(reading, table_name))
            if choice is None:
                options = [{k: c.value for k, c in cells_of(reading, o, prefix, columns).items()} for o in open_rows[key]]
                agreed = common_cells(reading, open_rows[key], prefix, columns)
                cells.update(agreed)
                figures = [(a, b) for _, a, b in (reading.candidates[0] if reading.candidates else ())]
                problems.append(ParseProblem(glued_message(reading, open_rows[key], table_name, len(columns), agreed), span,
                                             options=options if len(options) < MAX_SPLITS and not reading.relaxed else [],
                                             related=[Span(figures[0][0], figures[-1][1])] if figures else []))
            elif reading.relaxed:
                problems.append(relaxed_problem(reading, choice, table_name))
            else:
                split_rows.append((reading, choice))
            continue
        cells.update(cells_of(reading, None, prefix, columns))
        if reading.damaged:
            problems.append(label_problem(reading, table_name))
        if reading.tokens is not None and reading.tokens and len(reading.tokens) != len(columns):
            printed = " ".join(t.text for t in reading.tokens)
            fewer = "，数字可能连在一起或缺了一列，无法确定各列的分界，未予采用" if len(reading.tokens) < len(columns) else ""
            if reading.lost is not None:
                fewer = f"，表格外单独一行的“{reading.lost.text}”似为该行缺失的一格，但无法确定它原在哪一列，未予采用"
            problems.append(ParseProblem(
                f"表格无法可靠解析：{table_name}“{reading.row.label}”行应有 {len(columns)} 个数，读到 {len(reading.tokens)} 个（{printed}）{fewer}",
                reading.label_span, options=lost_columns(reading, prefix, columns),
                related=[Span(reading.lost.start, reading.lost.end)] if reading.lost is not None else [],
            ))
        elif reading.tokens is not None and any(t.value is None and not t.blank for t in reading.tokens):
            bad = next(t for t in reading.tokens if t.value is None and not t.blank)
            problems.append(ParseProblem(
                f"表格无法可靠解析：{table_name}“{reading.row.label}”行有非数字内容“{bad.text}”", Span(bad.start, bad.end)
            ))
        elif reading.tokens and len(reading.tokens) == len(columns):
            for token in reading.tokens:
                if token.unit == "元":
                    problems.append(ParseProblem(
                        f"{table_name}“{reading.row.label}”行写为“{token.text}”，表头单位为万元，已换算为 {token.value} 万元，请核对",
                        Span(token.start, token.end), severity="info"))
    if split_rows:
        first, choice = split_rows[0]
        values = "、".join(str(v) for v, _, _ in choice)
        more = f"等 {len(split_rows)} 行" if len(split_rows) > 1 else ""
        forced = all(len(reading.glued.replace(" ", "")) == len(columns) for reading, _ in split_rows)  # 000: one digit a cell
        how = "只有一种拆分方式" if forced else "已按唯一符合表格勾稽关系的方式拆分"
        # one note for the table, at its first run-together row: it stays put when one of its rows is read otherwise
        anchor = next(r.label_span for r in readings if r.label_span is not None and (r.glued or r.candidates))
        problems.append(ParseProblem(
            f"{table_name}“{first.row.label}”行{more}的数字连在一起（如“{first.glued}”），"
            f"{how}（如 {values}），请核对原表",
            Span(anchor.start, anchor.end),
            severity="info",
        ))
    return cells, problems


def t3_consistent(layout: Layout) -> Callable[[dict[str, tuple[int, ...]]], int]:
    """How many table-3 column identities fail on the rows known so far (used to split run-together digits)."""
    keys = [row.key for row in layout.t3_rows]
    results = keys[keys.index("granted"):keys.index("processed_total")]

    def failures(values: dict[str, tuple[int, ...]]) -> int:
        count = 0
        for c in range(7):
            if all(k in values for k in ("new_received", "carried_over", "processed_total", "carry_forward")):
                count += values["new_received"][c] + values["carried_over"][c] != values["processed_total"][c] + values["carry_forward"][c]
            if all(k in values for k in results + ["processed_total"]):
                count += sum(values[k][c] for k in results) != values["processed_total"][c]
        return count

    return failures


FIGURE = compiled(r"(?:[\d/／\-－—–]|[+＋](?=\d))(?![.．、][^\d])")  # a cell value (+239: signed), not a list number (1.属于)


def table3_layout(text: str, region: Span | None, layout: Layout) -> Layout:
    """The layout table 3 actually has: a table whose （六）其他处理 rows are the other format version's
    (a 2021 report with the single 2019 row, or the reverse) is read in those rows and checked by them."""
    if region is None:
        return layout
    compact = Compact(text, region.start, region.end).text

    def present(rows: tuple[Row, ...], tolerant: bool = False) -> int:
        """Rows of ``rows`` printed with figures after them (``tolerant``: a damaged label counts too)."""
        return sum(any(FIGURE.match(compact, m.end()) for m in row.pattern.finditer(compact))
                   or (tolerant and closest_label(compact, printed_label(row.label), 0, len(compact)) is not None)
                   for row in rows)

    own = other_rows(layout.format)
    if present(own):
        return layout
    other = next(fmt for fmt in FORMATS if fmt != layout.format)
    if any(row.pattern.search(compact) for row in own) and not present(other_rows(other)):
        return layout  # its own rows are there, only blank (the template): a damaged other row does not count
    return layout.t3_variant(other) if present(other_rows(other), tolerant=True) else layout


def parse_t3(text: str, region: Span, layout: Layout, where: RawColumns | None = None) -> tuple[dict[str, Cell], list[ParseProblem]]:
    columns = [c for c, _ in layout.t3_columns]
    readings = read_rows(text, region, layout.t3_rows, lambda row: len(columns), total_last=True, where=where)  # 总计 last
    cells, problems = resolve(readings, "t3", columns, lambda v: sum(v[:6]) == v[6], t3_consistent(layout), "表三")
    if layout.mixed:
        problems.append(mixed_problem(readings, layout, region))
    return cells, problems


def mixed_problem(readings: list[RowReading], layout: Layout, region: Span) -> ParseProblem:
    """Table 3 in the other format's （六）其他处理 rows: one note at those rows naming what the year requires."""
    own = {row.key for row in layout.t3_variant(layout.format).t3_rows}
    deviating = [r for r in readings if r.row.key not in own]
    spans = [r.label_span for r in deviating if r.label_span is not None]
    span = Span(spans[0].start, spans[-1].end) if spans else Span(region.start, region.start)
    wanted = [r for r in other_rows(layout.format)]
    printed = "、".join(f"“{r.row.label}”" for r in deviating)
    names = "、".join(f"“{printed_label(r.label).split('、')[0]}”" for r in wanted)
    shape = f"分为 {names} {len(wanted)} 行" if len(wanted) > 1 else f"为 {names} 一行"
    return ParseProblem(
        f"表三按 {layout.t3_format} 年格式填报了 {printed}；{{year}}应使用{layout.document}格式，"
        f"（六）其他处理{shape}（已按表格实际的行读取和核对）",
        span, severity="error", kind="mixed",
    )


LOOSE = compiled(r"^[ \t]*(\d+)[ \t]*$", re.MULTILINE)


def place_loose(text: str, region: Span, readings: list[RowReading], notes: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
    """A converted grid whose rows each lost one cell (``规章 | 22 | 235`` under three columns), while as many
    figures stand alone on lines of the table's region outside the grid (a cell of two lines, ``55`` and
    ``（含自然失效 29 件）``, which the conversion moved out): those figures are the lost cells, one a row in
    order.  Where in its row each goes is known only from a note that names its column (``noted_column``);
    otherwise ``lost_columns`` keeps every place (``RowReading.lost``)."""
    def short(reading: RowReading) -> bool:
        tokens = reading.tokens
        return (reading.label_span is not None and tokens is not None and len(tokens) == len(reading.row.columns) - 1
                and len(tokens) > 0 and all(t.value is not None and not t.blank for t in tokens)
                and CELL_SEP in text[text.rfind("\n", 0, tokens[0].start) + 1:tokens[0].start])
    rows = [r for r in readings if short(r)]
    if not rows:
        return
    claimed = {t.start for r in readings for t in r.tokens or ()}
    first = min(r.label_span.start for r in rows)
    loose = [m for m in LOOSE.finditer(text, region.start, first) if m.start(1) not in claimed]
    if len(loose) != len(rows):
        return
    for reading, found in zip(rows, loose):
        reading.lost = Token(found.group(1), found.start(1), found.end(1), int(found.group(1)))
        column = noted_column(text, found.end(), reading, notes)
        if column is not None:  # its note names the column: the row is whole again
            reading.tokens = reading.tokens[:column] + [reading.lost] + reading.tokens[column:]
            reading.noted = NOTE.match(text, found.end()).group(1)


NOTE = compiled(r"[ \t]*\n[ \t]*([（(][^\n（()）]{1,30}[)）])[ \t]*$", re.MULTILINE)


def noted_column(text: str, end: int, reading: RowReading, notes: tuple[tuple[str, tuple[str, ...]], ...]) -> int | None:
    """The column a loose figure belongs to by the note on its next line (``（含自然失效 29 件）`` → 本年废止件数):
    the one column whose words the note has, none when no column's or several columns' words are there."""
    note = NOTE.match(text, end)
    if note is None:
        return None
    keys = [key for key, _ in reading.row.columns]
    named = [keys.index(key) for key, words in notes if key in keys and any(w in note.group(1) for w in words)]
    return named[0] if len(named) == 1 else None


def parse_t2(text: str, region: Span, layout: Layout, where: RawColumns | None = None) -> tuple[dict[str, Cell], list[ParseProblem]]:
    cells: dict[str, Cell] = {}
    problems: list[ParseProblem] = []
    readings = read_rows(text, region, layout.t2, lambda row: len(row.columns), values=T2_CELL, where=where)
    place_loose(text, region, readings, layout.t2_cell_notes)
    for reading in readings:
        columns = [c for c, _ in reading.row.columns]
        row_cells, row_problems = resolve([reading], "t2", columns, lambda v: True, None, "表二")
        cells.update(row_cells)
        problems += row_problems
        if reading.noted:
            column = dict(reading.row.columns)[columns[reading.tokens.index(reading.lost)]]
            problems.append(ParseProblem(
                f"表二“{reading.row.label}”行在表格中少了一格：表格外单独一行的“{reading.lost.text}{reading.noted}”"
                f"按其注释归入“{column}”列，请核对", reading.label_span, severity="info",
                related=[Span(reading.lost.start, reading.lost.end)]))
    return cells, problems


def failing_groups(v: tuple[int, ...]) -> int:
    """Table 4: how many of its three groups of five do not add up (the fifth, 总计, the sum of the four before)."""
    return sum(sum(v[i * 5:i * 5 + 4]) != v[i * 5 + 4] for i in range(len(v) // 5))


def group_sums(v: tuple[int, ...]) -> bool:
    return not failing_groups(v)


def groups_so_far(values: list[tuple[int, int, int]]) -> bool:
    """The group just completed by the last number read adds up (table 4's splits are cut early)."""
    if len(values) % 5:
        return True
    group = [v for v, _, _ in values[-5:]]
    return sum(group[:4]) == group[4]


def parse_t4(text: str, region: Span, layout: Layout, where: RawColumns | None = None) -> tuple[dict[str, Cell], list[ParseProblem]]:
    """Table 4 is one row of 15 numbers after its three-level header (which ends with 总计)."""
    columns = [f"{g}.{c}" for g, _ in layout.t4_groups for c, _ in layout.t4_columns]
    compact = Compact(text, region.start, region.end)
    header_end = compact.text.rfind("总计")
    if header_end == -1:
        return {}, [ParseProblem("表格无法可靠解析：未找到表四（行政复议、行政诉讼情况表）", Span(region.start, region.start))]
    start = compact.logical(header_end + 1) + 1
    reading = RowReading(Row("", "行政复议、行政诉讼情况", compiled("")), Span(compact.logical(header_end), start))
    line_end = text.find("\n", start, region.end)
    first_cell = text.find(CELL_SEP, line_end, region.end) if line_end != -1 else -1
    if first_cell != -1:
        reading.tokens = grid_cells(text, first_cell, region.end, len(columns), label=False)
    else:
        found = tokens_in(text, start, region.end)
        if 0 < len(found) < len(columns) and all(t.text.isdigit() for t in found):
            reading.glued = " ".join(t.text for t in found)
            reading.candidates = list(digit_splits(found, len(columns), groups_so_far)) or forced_split(reading, found, len(columns))
            if not reading.candidates:  # a figure printed wrong: no split adds up in every group
                reading.candidates, reading.relaxed = list(digit_splits(found, len(columns))), True
        else:
            reading.tokens = found[: len(columns)] if len(found) >= len(columns) else found

    return resolve([reading], "t4", columns, group_sums, None, "表四", failing_groups)


def settle_with_stated(report, stated: dict[str, int | float]) -> list[str]:
    """Settle cells of run-together rows the table alone could not split, with figures the report states
    elsewhere (its narrative: 制发行政规范性文件62件): only the readings agreeing with every stated figure
    are kept, and a cell is taken where all of those agree.  Returns the keys settled."""
    settled = []
    for problem in report.problems:
        if not problem.options or not any(k in stated for k in problem.options[0]):
            continue
        kept = [o for o in problem.options if all(o[k] == stated[k] for k in o if k in stated)]
        if not kept:
            continue
        for key in kept[0]:
            values = {o[key] for o in kept}
            value = values.pop() if len(values) == 1 else None
            if value is not None and report.cells.get(key) is not None and report.cells[key].value is None:
                cell = report.cells[key]
                report.cells[key] = Cell(key, value, str(value), cell.span, "ok")
                settled.append(key)
    return settled
