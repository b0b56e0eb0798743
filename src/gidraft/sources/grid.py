"""A table resolved to a grid, written into the logical text one row per line.

Readers of Word, HTML and PDF tables place each cell on the grid positions it covers (merged cells
cover several).  :meth:`Grid.write` emits every grid row as one line with the row's distinct cells
separated by ``CELL_SEP``: a cell spanning several columns appears once in its row, a cell spanning
several rows appears again in each of them, and an empty cell stays an empty field, so the numbers
at the end of a row keep their columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import CELL_SEP, TextBuilder


def joiner(before: str, after: str) -> str:
    """What joins two pieces of one cell or paragraph broken over lines: a space only between Latin letters or digits."""
    latin = before.isascii() and before.isalnum() and after.isascii() and after.isalnum()
    return " " if latin else ""


@dataclass
class GridCell:
    text: str
    origin: list[int]  # raw offset of each character of text
    anchor: int | None  # raw offset that stands for the cell when it is empty (None: the one before)


class Grid:
    def __init__(self) -> None:
        self.cells: list[GridCell] = []
        self._rows: dict[int, dict[int, int]] = {}  # row -> column -> index of the cell covering it
        self.lefts: list[float] = []  # a PDF table's column left edges and right edge (points), to continue it
        self.right = 0.0  # on the next page

    @property
    def rows(self) -> int:
        return max(self._rows, default=-1) + 1

    @property
    def columns(self) -> int:
        return max((max(covered) + 1 for covered in self._rows.values() if covered), default=0)

    def add(self, text: str, origin: list[int], anchor: int | None, row: int, col: int, rowspan: int = 1, colspan: int = 1) -> int:
        """Place a new cell (its text stripped) on the free positions of the block it covers; returns its index."""
        index = len(self.cells)
        lead = len(text) - len(text.lstrip())
        stripped = text.strip()
        self.cells.append(GridCell(stripped, list(origin[lead:lead + len(stripped)]), anchor))
        self.span(index, row, col, rowspan, colspan)
        return index

    def span(self, index: int, row: int, col: int, rowspan: int = 1, colspan: int = 1) -> None:
        """Let cell ``index`` also cover a block (a vertically merged continuation, for instance)."""
        for r in range(row, row + rowspan):
            covered = self._rows.setdefault(r, {})
            for c in range(col, col + colspan):
                covered.setdefault(c, index)

    def cell_at(self, row: int, col: int) -> int | None:
        return self._rows.get(row, {}).get(col)

    def free_column(self, row: int, col: int = 0) -> int:
        """The first column at or after ``col`` not yet covered in ``row`` (HTML's placing rule)."""
        covered = self._rows.get(row, {})
        while col in covered:
            col += 1
        return col

    def row_cells(self, row: int) -> list[int | None]:
        """Distinct cells of a row in column order; None for an uncovered position before the last cell."""
        covered = self._rows.get(row, {})
        out: list[int | None] = []
        seen: set[int] = set()
        for col in range(max(covered, default=-1) + 1):
            index = covered.get(col)
            if index is None or index not in seen:
                out.append(index)
                seen.add(index)
        return out

    def write(self, builder: TextBuilder, anchor: int) -> None:
        """Append the table, one line per grid row; ``anchor`` stands for a position with no raw text."""
        for row in range(self.rows):
            indices = self.row_cells(row)
            if not indices:
                continue
            if len(builder):
                builder.insert("\n", anchor)
            for position, index in enumerate(indices):
                if position:
                    builder.insert(CELL_SEP, anchor)
                if index is None:
                    continue
                cell = self.cells[index]
                for ch, at in zip(cell.text, cell.origin):
                    builder.put(ch, at)
                if cell.origin:
                    anchor = cell.origin[-1] + 1
                elif cell.anchor is not None:
                    anchor = cell.anchor

    def _broken(self, other: Grid, row: int) -> bool:
        """Whether ``other``'s ``row``, the first after its repeated header, is the rest of this table's last row
        that the page broke: the rest of its label (``息``: words only left of the last row's first figure, its
        figure cells there and empty), or the rest of a figure wrapped in a narrow cell (``7``: figures in
        fewer than half of its cells and no words).  A row of its own has its label and figures; a heading
        row of the table (第二十条第（五）项, 信息内容 | 本年处理决定数量) has words across the figure columns."""
        mine = self.row_texts(self.rows - 1)
        figure_at = next((self.row_cells(self.rows - 1)[k] for k, text in enumerate(mine) if _figure(text)), None)
        if figure_at is None:
            return False  # the last row has no figure: a heading row, not a row the page broke
        figure_col = min(col for col, index in self._rows[self.rows - 1].items() if index == figure_at)
        cells = sorted(other._rows.get(row, {}).items())
        texts = [other.cells[index].text for _, index in cells]
        joined = "".join(texts)
        if not any(ch.isdigit() for ch in joined):
            left = [bool(text) and self._column_at(other, col) < figure_col for (col, _), text in zip(cells, texts)]
            figure_cells = [not text for (col, _), text in zip(cells, texts) if self._column_at(other, col) >= figure_col]
            return any(left) and bool(figure_cells) and all(figure_cells) and all(l or not t for l, t in zip(left, texts))
        words = [text for text in other.row_texts(row)]
        return not any("\u4e00" <= ch <= "\u9fff" for ch in joined) and 2 * sum(1 for t in words if t) < len(words)

    def _column_at(self, other: Grid, col: int) -> int:
        """This table's column that ``other``'s column ``col`` continues: the nearest left edge (a page's part
        may lack a column boundary the other part has), else the same index."""
        if not (self.lefts and col < len(other.lefts)):
            return col
        return min(range(len(self.lefts)), key=lambda mine: abs(self.lefts[mine] - other.lefts[col]))

    def words(self, row: int) -> tuple[str, ...]:
        """The texts of a row's cells that have any (the same row whatever column boundaries the grid has)."""
        return tuple(text for text in self.row_texts(row) if text)

    def row_texts(self, row: int) -> tuple[str, ...]:
        return tuple("" if index is None else self.cells[index].text for index in self.row_cells(row))

    def continue_with(self, other: Grid) -> None:
        """Append the rows of ``other``, the same table continued on the next page: without the header rows it
        prints again (those equal to this table's first rows), and with a row broken by the page (its first
        row after them, the rest of a label or of a figure, see :meth:`_broken`) joined to this table's last
        row, cell by cell."""
        repeated = 0
        while repeated < min(self.rows, other.rows) and other.words(repeated) and other.words(repeated) == self.words(repeated):
            repeated += 1
        first = repeated
        last = self.rows - 1
        broken = first < other.rows and self._broken(other, first)
        if broken:
            for col, index in sorted(other._rows.get(first, {}).items()):
                cell, mine = other.cells[index], self.cell_at(last, self._column_at(other, col))
                if cell.text and mine is not None and col == min(c for c, i in other._rows[first].items() if i == index):
                    before, after = self.cells[mine].text[-1:], cell.text[:1]
                    self.cells[mine].text += ("" if before.isdigit() and after.isdigit() else joiner(before, after)) + cell.text
                    self.cells[mine].origin += cell.origin
            first += 1
        offset, shift = len(self.cells), self.rows - first
        self.cells += other.cells
        for row in range(first, other.rows):
            for col, index in other._rows.get(row, {}).items():
                self._rows.setdefault(row + shift, {})[col] = index + offset


def _figure(text: str) -> bool:
    """A cell holding a figure (12, 1,234, 3.5), not a label that starts with a list number (1.属于…)."""
    return text.replace(",", "").replace(".", "", 1).isdigit()
