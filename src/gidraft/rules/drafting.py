"""Drafting rules: the marks ``gidraft init`` and ``gidraft draft --force`` leave in an unfinished draft.

An unfinished draft must not pass ``gidraft check``: every 【待更新】 (a block copied from last year's report)
and every 【待填写】 (a figure or block still empty when the draft was forced) is an error.  The data file
itself is checked by ``gidraft draft``, which refuses empty figures and broken relations unless forced.
"""

from __future__ import annotations

from ..draft import FILL_MARK, UPDATE_MARK
from ..report.model import Report
from .engine import ANY_FORMAT, Rule, rule


def _marks(report: Report, mark: str):
    text = report.text
    at = text.find(mark)
    while at != -1:
        yield at, at + len(mark)
        at = text.find(mark, at + len(mark))


def _where(report: Report, index: int) -> str:
    """The cell (grid tables), the table row (text tables) or the section a mark stands in."""
    line_start = report.text.rfind("\n", 0, index) + 1
    row_key, row_start = None, -1
    for key, cell in report.cells.items():
        if cell.span.start <= index < cell.span.end:
            return report.layout.label_of(key)
        if line_start <= cell.span.start <= index and cell.span.start > row_start:
            row_key, row_start = key, cell.span.start
    if row_key is not None:
        return report.layout.row_name(row_key)
    section = next((s for s in report.sections if s.heading_span.start <= index < s.body.end), None)
    return f"第{section.number}部分" if section else "报告开头"


@rule("D001", "update-mark", "error", "实务", "沿用上年报告的内容仍带“【待更新】”标记，尚未更新", formats=ANY_FORMAT)
def update_mark(report: Report, item: Rule):
    """检查起草稿中是否还留有“【待更新】”标记。

    为什么：gidraft init 从上年报告开始起草时，把上年的叙述（年份已顺延）抄进新数据文件，并在每段开头
    标上“【待更新】”。上年的事实、数字不能原样当作本年的发布，内容更新后才能删去标记；
    标记还在，说明这段文字还没有人核对过。

    错误示例：“【待更新】2020年，市工信局深入学习贯彻《条例》……”
    正确示例：“2020年，市工信局深入学习贯彻《条例》……”（内容已按本年情况改写，标记已删去）
    """
    for start, end in _marks(report, UPDATE_MARK):
        yield item.finding(start, end, f"{_where(report, start)}仍有“{UPDATE_MARK}”标记：这段内容沿用上年报告，请按本年情况更新后删去标记")


@rule("D002", "fill-mark", "error", "实务", "起草稿中的数字或内容仍是“【待填写】”", formats=ANY_FORMAT)
def fill_mark(report: Report, item: Rule):
    """检查起草稿中是否还留有“【待填写】”标记。

    为什么：数据文件中尚未填写的数字（null 并注明“# 待填写”）或必填的叙述，只有在 gidraft draft --force
    时才会起草出来，并在相应位置写上“【待填写】”。年报中的每个数字都必须填写（没有数据填 0），
    留着标记的稿子不能发布。

    错误示例：表三“（一）予以公开”行“自然人”列为“【待填写】”。
    正确示例：在数据文件中填上数字（如 2）后重新起草。
    """
    for start, end in _marks(report, FILL_MARK):
        yield item.finding(start, end, f"{_where(report, start)}仍是“{FILL_MARK}”：请在数据文件中填写后重新起草")
