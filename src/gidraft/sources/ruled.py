"""Ruled tables: the cells a page's ruling lines enclose.

Every straight horizontal or vertical stretch a page paints (a rectangle's sides, a line, the straight
pieces of any path) is a ruling.  Rulings within :data:`SNAP` points of one line are moved onto their mean
position, pieces of one line that meet or nearly meet (:data:`JOIN`) become one, and pieces shorter than
:data:`MIN_LENGTH` are dropped.  Where a horizontal and a vertical ruling cross (within :data:`REACH`) is a
corner; a cell is the smallest rectangle of four corners whose sides are rulings; cells that share a
corner make one table, and a table has at least two cells.  (The method, and its tolerances, are those of
pdfplumber's ``lines`` strategy, so tables read as they did when pdfplumber read them.)
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

SNAP = 3.0  # points: rulings this close are one line drawn twice (or a border drawn per cell)
JOIN = 3.0  # points: a gap this small along one line does not interrupt it
MIN_LENGTH = 3.0  # points: shorter pieces are tick marks or glyph parts, not rulings
REACH = 3.0  # points: how far a ruling may stop short of the one it crosses
MIN_PAINTED = 1.0  # points: pieces shorter than this are not even considered
MAX_CROSSINGS = 4_000_000  # horizontal × vertical rulings of one page; a page of tables has a few thousand


class TooManyRulings(Exception):
    """The page's rulings would cost more crossing tests than :data:`MAX_CROSSINGS` (a hostile page)."""

Cell = tuple[float, float, float, float]  # x0, top, x1, bottom (points, y downwards)


@dataclass(frozen=True)
class Table:
    cells: list[Cell]

    @property
    def bbox(self) -> Cell:
        return (min(c[0] for c in self.cells), min(c[1] for c in self.cells),
                max(c[2] for c in self.cells), max(c[3] for c in self.cells))


def clusters(values, tolerance: float) -> dict[float, int]:
    """Each value's cluster: sorted distinct values chained while each is within tolerance of the last."""
    out, index, last = {}, -1, None
    for value in sorted(set(values)):
        if last is None or value > last + tolerance:
            index += 1
        out[value] = index
        last = value
    return out


def _snap(rulings: list[list[float]], at: int) -> list[list[float]]:
    """Rulings (position, start, end) of one direction moved onto the mean position of their cluster."""
    cluster = clusters([r[at] for r in rulings], SNAP)
    members: dict[int, list[list[float]]] = {}
    for ruling in rulings:
        members.setdefault(cluster[ruling[at]], []).append(ruling)
    out = []
    for group in (members[k] for k in sorted(members)):
        mean = sum(r[at] for r in group) / len(group)
        out += [[mean, r[1], r[2]] for r in group]
    return out


def _join(rulings: list[list[float]]) -> list[tuple[float, float, float]]:
    """Pieces of one line joined where they overlap or nearly meet; too short ones dropped."""
    out: list[list[float]] = []
    for position, start, end in sorted(rulings, key=lambda r: (r[0], r[1])):
        if out and out[-1][0] == position and start <= out[-1][2] + JOIN:
            out[-1][2] = max(out[-1][2], end)
        else:
            out.append([position, start, end])
    return [tuple(r) for r in out if r[2] - r[1] >= MIN_LENGTH]


def find_tables(horizontal: list[tuple[float, float, float]], vertical: list[tuple[float, float, float]]) -> list[Table]:
    """Tables from painted rulings: horizontal ones as (y, x0, x1), vertical ones as (x, top, bottom)."""
    h = _join(_snap([list(r) for r in horizontal if r[2] - r[1] >= MIN_PAINTED], 0))
    v = _join(_snap([list(r) for r in vertical if r[2] - r[1] >= MIN_PAINTED], 0))
    if len(h) * len(v) > MAX_CROSSINGS:
        raise TooManyRulings(len(h), len(v))
    # corners: (x, y) -> the vertical and the horizontal rulings through it
    corners: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    across = sorted(enumerate(h), key=lambda item: (item[1][0], item[1][1]))
    heights = [y for _, (y, _, _) in across]
    for vi, (x, top, bottom) in sorted(enumerate(v), key=lambda item: (item[1][0], item[1][1])):
        # only the horizontal rulings near the vertical one's span (a point wider than REACH: the test decides)
        first, last = bisect.bisect_left(heights, top - REACH - 1), bisect.bisect_right(heights, bottom + REACH + 1)
        for hi, (y, x0, x1) in across[first:last]:
            if top <= y + REACH and bottom >= y - REACH and x0 - REACH <= x <= x1 + REACH:
                through = corners.setdefault((x, y), (set(), set()))
                through[0].add(vi)
                through[1].add(hi)
    return _tables(_cells(corners))


def _cells(corners: dict[tuple[float, float], tuple[set[int], set[int]]]) -> list[Cell]:
    """For each corner (in x, then y order), the smallest cell it is the top-left corner of."""
    points = sorted(corners)
    by_x: dict[float, list[float]] = {}
    by_y: dict[float, list[float]] = {}
    for x, y in points:
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)
    cells = []
    for x, y in points:
        column, row = by_x[x], by_y[y]
        below = column[bisect.bisect_right(column, y):]
        right = row[bisect.bisect_right(row, x):]
        cell = _smallest_cell(corners, x, y, below, right)
        if cell:
            cells.append(cell)
    return cells


def _smallest_cell(corners, x: float, y: float, below: list[float], right: list[float]) -> Cell | None:
    vertical, horizontal = corners[(x, y)]
    for y1 in below:
        if not vertical & corners[(x, y1)][0]:
            continue
        for x1 in right:
            if not horizontal & corners[(x1, y)][1]:
                continue
            far = corners.get((x1, y1))
            if far and far[0] & corners[(x1, y)][0] and far[1] & corners[(x, y1)][1]:
                return (x, y, x1, y1)
    return None


def _tables(cells: list[Cell]) -> list[Table]:
    """Cells grouped into tables: a cell joins the growing table when it shares a corner with it."""
    remaining = list(cells)
    groups: list[list[Cell]] = []
    current: list[Cell] = []
    reached: set[tuple[float, float]] = set()
    while remaining:
        before = len(current)
        for cell in list(remaining):
            x0, top, x1, bottom = cell
            own = {(x0, top), (x0, bottom), (x1, top), (x1, bottom)}
            if not current or own & reached:
                reached |= own
                current.append(cell)
                remaining.remove(cell)
        if len(current) == before:
            groups.append(current)
            current, reached = [], set()
    if current:
        groups.append(current)
    groups.sort(key=lambda group: min((c[1], c[0]) for c in group))
    return [Table(group) for group in groups if len(group) > 1]
