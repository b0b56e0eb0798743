"""Bounds on what a small hostile file can make a reader build.

A merged cell covers ``rowspan × colspan`` grid positions, each held in memory and written out: a
150 KB page of ``<td colspan=1000 rowspan=100000>`` would cover billions.  Spans are clamped to what
the format itself allows (HTML: colspan 1000, rowspan 65534; Word: 63 columns), and the positions
covered by all the tables of one file are counted against a cap far above any real report (the three
statistical tables cover about 2 000).
"""

from __future__ import annotations

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
