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
from .layout import Layout, Row
from .model import Cell, ParseProblem, Span

NUMBER = compiled(r"(?<![\d.])([+\-−＋]?)(\d+(?:,\d{3})*(?:\.\d+)?)(?:\s*(万元|元))?")
BLANK = compiled(r"(?:(?<=\s)|^)([/／\-—–－]+|无)(?=\s|$)")
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

    def logical(self, compact_pos: int) -> int:
        return self.index[compact_pos] if compact_pos < len(self.text) else self.end

    def find_rows(self, rows: tuple[Row, ...], values: re.Pattern | None = None) -> list[tuple[Row, int, int] | tuple[Row, None, None]]:
        """Locate each row label in order; (row, label start, label end) in logical offsets.  With ``values``
        (what a row's first cell looks like), the first occurrence of a label followed by such a cell is
        preferred: a sentence before the table that names a row (未制发规章，…) is not the row."""
        found = []
        cursor = 0
        for row in rows:
            match = row.pattern.search(self.text, cursor)
            if match is not None and values is not None and not values.match(self.text, match.end()):
                match = next((m for m in row.pattern.finditer(self.text, match.end()) if values.match(self.text, m.end())), match)
            if match is None:
                found.append((row, None, None))
                continue
            found.append((row, self.logical(match.start()), self.logical(match.end() - 1) + 1))
            cursor = match.end()
        return found


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


def grid_cells(text: str, start: int, end: int, count: int) -> list[Token] | None:
    """The last ``count`` cells of the grid row that contains ``start`` (None if not a grid row)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end == -1 else line_end
    line = text[line_start:line_end]
    if CELL_SEP not in line:
        return None
    cells, offset = [], line_start
    for field in line.split(CELL_SEP):
        lead = len(field) - len(field.lstrip())
        cells.append((field.strip(), offset + lead))
        offset += len(field) + 1
    out = []
    for field, at in cells[-count:]:
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


def read_rows(
    text: str,
    region: Span,
    rows: tuple[Row, ...],
    count_of: Callable[[Row], int],
    stop_at_sentence: bool = True,
    total_last: bool = False,
    values: re.Pattern | None = None,
) -> list[RowReading]:
    compact = Compact(text, region.start, region.end)
    located = compact.find_rows(rows, values)
    readings = []
    starts = [s for _, s, _ in located if s is not None] + [region.end]
    for row, start, end in located:
        reading = RowReading(row, None if start is None else Span(start, end))
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
        found = tokens_in(text, end, stop)
        if len(found) == count or not found:
            reading.tokens = found
            continue
        digits = [t for t in found if not t.blank and t.text.isdigit()]
        if len(found) < count and len(digits) == len(found):
            reading.glued = " ".join(t.text for t in found)
            reading.candidates = list(digit_splits(found, count, total_last=total_last))
            continue
        reading.tokens = found  # wrong number of values: reported by the caller
    return readings


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


def resolve(
    readings: list[RowReading],
    prefix: str,
    columns: list[str],
    row_ok: Callable[[tuple[int, ...]], bool],
    table_ok: Callable[[dict[str, tuple[int, ...]]], bool] | None,
    table_name: str,
) -> tuple[dict[str, Cell], list[ParseProblem]]:
    """Settle every row; split run-together digits only where exactly one reading is consistent."""
    cells: dict[str, Cell] = {}
    problems: list[ParseProblem] = []
    split_rows: list[tuple[RowReading, list[tuple[int, int, int]]]] = []
    open_rows: dict[str, list[list[tuple[int, int, int]]]] = {}
    settled: dict[str, tuple[int, ...]] = {}
    for reading in readings:
        key = reading.row.key
        if reading.candidates or reading.glued:
            options = [c for c in reading.candidates if row_ok(tuple(v for v, _, _ in c))]
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
            solutions = []
            for combo in itertools.product(*(ambiguous[k] for k in keys)):
                trial = dict(settled)
                trial.update({k: tuple(v for v, _, _ in c) for k, c in zip(keys, combo)})
                if table_ok(trial):
                    solutions.append(combo)
                    if len(solutions) > 1:
                        break
            if len(solutions) == 1:
                chosen.update(dict(zip(keys, solutions[0])))
    for reading in readings:
        key = reading.row.key
        if reading.label_span is None:
            continue
        if key in open_rows:
            choice = chosen.get(key)
            cells.update(cells_of(reading, choice, prefix, columns))
            span = Span(reading.label_span.start, reading.label_span.end)
            if choice is None:
                problems.append(ParseProblem(
                    f"表格无法可靠解析：{table_name}“{reading.row.label}”行的数字连在一起（“{reading.glued}”），"
                    f"可拆分为 {len(open_rows[key])} 种不同的数值组合，无法确定，未予采用",
                    span,
                ))
            else:
                split_rows.append((reading, choice))
            continue
        cells.update(cells_of(reading, None, prefix, columns))
        if reading.tokens is not None and reading.tokens and len(reading.tokens) != len(columns):
            printed = " ".join(t.text for t in reading.tokens)
            problems.append(ParseProblem(
                f"表格无法可靠解析：{table_name}“{reading.row.label}”行应有 {len(columns)} 个数，读到 {len(reading.tokens)} 个（{printed}）",
                reading.label_span,
            ))
        elif reading.tokens is not None and any(t.value is None and not t.blank for t in reading.tokens):
            bad = next(t for t in reading.tokens if t.value is None and not t.blank)
            problems.append(ParseProblem(
                f"表格无法可靠解析：{table_name}“{reading.row.label}”行有非数字内容“{bad.text}”", Span(bad.start, bad.end)
            ))
    if split_rows:
        first, choice = split_rows[0]
        values = "、".join(str(v) for v, _, _ in choice)
        more = f"等 {len(split_rows)} 行" if len(split_rows) > 1 else ""
        forced = all(len(reading.glued.replace(" ", "")) == len(columns) for reading, _ in split_rows)  # 000: one digit a cell
        how = "只有一种拆分方式" if forced else "已按唯一符合表格勾稽关系的方式拆分"
        problems.append(ParseProblem(
            f"{table_name}“{first.row.label}”行{more}的数字连在一起（如“{first.glued}”），"
            f"{how}（如 {values}），请核对原表",
            Span(first.label_span.start, first.label_span.end),
            severity="info",
        ))
    return cells, problems


def t3_consistent(layout: Layout) -> Callable[[dict[str, tuple[int, ...]]], bool]:
    """Table 3 column identities on the rows known so far (used to split run-together digits)."""
    keys = [row.key for row in layout.t3_rows]
    results = keys[keys.index("granted"):keys.index("processed_total")]

    def ok(values: dict[str, tuple[int, ...]]) -> bool:
        for c in range(7):
            if all(k in values for k in ("new_received", "carried_over", "processed_total", "carry_forward")):
                if values["new_received"][c] + values["carried_over"][c] != values["processed_total"][c] + values["carry_forward"][c]:
                    return False
            if all(k in values for k in results + ["processed_total"]):
                if sum(values[k][c] for k in results) != values["processed_total"][c]:
                    return False
        return True

    return ok


def parse_t3(text: str, region: Span, layout: Layout) -> tuple[dict[str, Cell], list[ParseProblem]]:
    columns = [c for c, _ in layout.t3_columns]
    readings = read_rows(text, region, layout.t3_rows, lambda row: len(columns), total_last=True)  # 总计 column last
    return resolve(readings, "t3", columns, lambda v: sum(v[:6]) == v[6], t3_consistent(layout), "表三")


def parse_t2(text: str, region: Span, layout: Layout) -> tuple[dict[str, Cell], list[ParseProblem]]:
    cells: dict[str, Cell] = {}
    problems: list[ParseProblem] = []
    readings = read_rows(text, region, layout.t2, lambda row: len(row.columns), values=T2_CELL)
    for reading in readings:
        columns = [c for c, _ in reading.row.columns]
        row_cells, row_problems = resolve([reading], "t2", columns, lambda v: True, None, "表二")
        cells.update(row_cells)
        problems += row_problems
    return cells, problems


def group_sums(v: tuple[int, ...]) -> bool:
    """Table 4: in each of its three groups of five, the fifth (总计) is the sum of the four before."""
    return all(sum(v[i * 5:i * 5 + 4]) == v[i * 5 + 4] for i in range(len(v) // 5))


def groups_so_far(values: list[tuple[int, int, int]]) -> bool:
    """The group just completed by the last number read adds up (table 4's splits are cut early)."""
    if len(values) % 5:
        return True
    group = [v for v, _, _ in values[-5:]]
    return sum(group[:4]) == group[4]


def parse_t4(text: str, region: Span, layout: Layout) -> tuple[dict[str, Cell], list[ParseProblem]]:
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
        reading.tokens = grid_cells(text, first_cell, region.end, len(columns))
    else:
        found = tokens_in(text, start, region.end)
        if 0 < len(found) < len(columns) and all(t.text.isdigit() for t in found):
            reading.glued = " ".join(t.text for t in found)
            reading.candidates = list(digit_splits(found, len(columns), groups_so_far))
        else:
            reading.tokens = found[: len(columns)] if len(found) >= len(columns) else found

    return resolve([reading], "t4", columns, group_sums, None, "表四")
