"""This year's report against last year's report of the same agency (rules X1xx).

:func:`compare` takes two built reports and returns findings located in this year's report;
:func:`pair_reports` finds (this, last) pairs of the same agency and consecutive years in a batch.
The X rules are registered with the engine (for ``gidraft rules`` / ``explain``) but find nothing on
a single report: they need the previous year's report.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from .report.model import Report
from .rules.engine import Finding, Rule, register
from .rules.narrative import number

SHINGLE = 8
COPIED = 0.8  # share of this year's text found in last year's section
MIN_COPIED_CHARS = 60
COPY_SECTIONS = (("overview", "一"), ("problems", "五"))


def _rule(code: str, name: str, severity: str, tier: str, summary: str) -> Callable:
    def wrap(func: Callable) -> Callable:
        func.rule = register(Rule(code, name, severity, tier, summary, (func.__doc__ or "").strip(), lambda report: (),
                                  origin=f"python:{__name__}"))
        return func

    return wrap


def _place(report: Report, index: int) -> str:
    source = report.source
    line, column = source.position(index)
    return source.places[line - 1] if source.places and line <= len(source.places) else f"第 {line} 行"


def _name(report: Report) -> str:
    return os.path.basename(report.source.path)


@_rule("X101", "carry-over-mismatch", "error", "国办年报格式", "表三“上年结转”与上一年报告的“结转下年度继续办理”不一致")
def carry_over(this: Report, last: Report) -> list[Finding]:
    """检查本年表三“二、上年结转政府信息公开申请数量”每一列是否等于上一年报告表三
    “四、结转下年度继续办理”的同一列。

    为什么：上一年结转到下一年继续办理的申请，就是本年的上年结转，两份报告的数字必须一致。
    机构改革（合并、划转）可能造成不一致，应在正文说明。上一年报告没有表三（如 2019 年以前的格式）时不检查。

    错误示例：本年表三“上年结转”“自然人”列为 3，上一年报告“结转下年度继续办理”“自然人”列为 2。
    """
    item = carry_over.rule
    out = []
    for column, label in this.layout.t3_columns:
        mine, theirs = this.cells.get(f"t3.carried_over.{column}"), last.cells.get(f"t3.carry_forward.{column}")
        if mine is None or theirs is None or mine.value is None or theirs.value is None or mine.value == theirs.value:
            continue
        message = (f"表三“上年结转”“{label}”列为 {number(mine.value)}，上一年报告（{_name(last)} {_place(last, theirs.span.start)}）"
                   f"“结转下年度继续办理”为 {number(theirs.value)}")
        out.append(item.finding(mine.span.start, mine.span.end, message, evidence={"this": mine.value, "last": theirs.value}))
    return out


@_rule("X102", "previous-year-not-adjacent", "error", "实务", "作为上一年报告比对的报告，年度不是本年度减一")
def adjacent_year(this: Report, last: Report) -> list[Finding]:
    """检查用来比对的上一年报告，其报告年度是否正好比本报告早一年。

    为什么：跨年度核对（上年结转、现行有效件数、内容雷同）只对相邻年度有意义；
    年度不相邻，通常是选错了文件，或某一份报告标题中的年度写错。
    """
    if this.year is None or last.year is None or this.year == last.year + 1:
        return []
    at = this.title_span.start if this.title_span else 0
    end = this.title_span.end if this.title_span else 0
    message = f"本报告为 {this.year} 年度，上一年报告（{_name(last)}）为 {last.year} 年度，不是相邻年度，跨年度核对未进行"
    return [adjacent_year.rule.finding(at, end, message, evidence={"this": this.year, "last": last.year})]


@_rule("X103", "in-force-count-drift", "warning", "实务", "表二“现行有效件数”不等于上年现行有效件数 + 本年制发 − 本年废止")
def in_force(this: Report, last: Report) -> list[Finding]:
    """检查 2021 年格式表二“规章”“行政规范性文件”的现行有效件数是否前后衔接：
    本年现行有效 ≈ 上年现行有效 + 本年制发 − 本年废止。

    为什么：现行有效件数逐年累计，对不上多半是某年漏计或错填；但集中清理、统计口径调整
    （如把修改计为制发）也会造成差异，故只作提醒。两份报告都须为 2021 年格式。
    """
    if this.format != "2021" or last.format != "2021":
        return []
    out = []
    for row in ("regulations", "normative_documents"):
        cell = this.cells.get(f"t2.{row}.in_force")
        before = last.cells.get(f"t2.{row}.in_force")
        issued, repealed = this.value(f"t2.{row}.issued"), this.value(f"t2.{row}.repealed")
        if cell is None or before is None or None in (cell.value, before.value, issued, repealed):
            continue
        expected = before.value + issued - repealed
        if cell.value == expected:
            continue
        label = this.layout.row_name(cell.key)
        message = (f"{label}“现行有效件数”为 {number(cell.value)}，按上一年报告（{_name(last)} {_place(last, before.span.start)}）"
                   f"现行有效 {number(before.value)} + 本年制发 {number(issued)} − 本年废止 {number(repealed)} 应为 {number(expected)}")
        out.append(in_force.rule.finding(cell.span.start, cell.span.end, message,
                                         evidence={"this": cell.value, "last": before.value, "issued": issued, "repealed": repealed}))
    return out


def _normalised(text: str) -> str:
    """Text without blanks and with every digit alike, so that a changed year does not count as new text."""
    return re.sub(r"\d", "0", re.sub(r"\s+", "", text))


def overlap(mine: str, theirs: str) -> float:
    """Share of the 8-character pieces of ``mine`` that also occur in ``theirs`` (0 … 1)."""
    a, b = _normalised(mine), _normalised(theirs)
    pieces = {a[i:i + SHINGLE] for i in range(len(a) - SHINGLE + 1)}
    if not pieces:
        return 0.0
    known = {b[i:i + SHINGLE] for i in range(len(b) - SHINGLE + 1)}
    return len(pieces & known) / len(pieces)


@_rule("X104", "section-copied", "warning", "实务", "第一或第五部分与上一年报告几乎相同")
def copied(this: Report, last: Report) -> list[Finding]:
    """检查“一、总体情况”和“五、存在的主要问题及改进情况”是否照抄上一年报告（只改了年份）。

    为什么：国办公开办函〔2021〕30号格式把“内容雷同、敷衍塞责”列为问责情形；
    照抄上一年的问题和改进措施，说明没有报告本年的实际情况。计算时忽略空白，数字一律视为相同。
    """
    out = []
    for key, number_ in COPY_SECTIONS:
        mine, theirs = this.section(key), last.section(key)
        if mine is None or theirs is None:
            continue
        text = this.text[mine.body.start:mine.body.end]
        if len(_normalised(text)) < MIN_COPIED_CHARS:
            continue
        ratio = overlap(text, last.text[theirs.body.start:theirs.body.end])
        if ratio >= COPIED:
            message = (f"第{number_}部分“{mine.heading[2:]}”与上一年报告（{_name(last)}）的同一部分 {ratio:.0%} 相同，"
                       f"疑为照抄上一年内容，请写本年度的实际情况")
            out.append(copied.rule.finding(mine.heading_span.start, mine.heading_span.end, message,
                                           evidence={"overlap": round(ratio, 3)}))
    return out


CHECKS = (carry_over, in_force, copied)


def compare(this: Report, last: Report) -> list[Finding]:
    """Findings (X1xx) located in ``this`` from comparing it with ``last``, last year's report."""
    findings = adjacent_year(this, last)
    if findings:
        return findings
    for check in CHECKS:
        findings += check(this, last)
    return sorted(findings, key=lambda f: (f.start, f.end, f.code))


def _agency(report: Report) -> str | None:
    return re.sub(r"\s+", "", report.agency) if report.agency else None


def pair_reports(reports: list[Report]) -> list[tuple[Report, Report]]:
    """(this, last) pairs in a batch: same agency, consecutive report years, one report per agency and year."""
    groups: dict[tuple[str, int], list[Report]] = {}
    for report in reports:
        agency = _agency(report)
        if agency and report.year is not None:
            groups.setdefault((agency, report.year), []).append(report)
    pairs = []
    for report in reports:
        agency = _agency(report)
        if not agency or report.year is None:
            continue
        mine, previous = groups[(agency, report.year)], groups.get((agency, report.year - 1), [])
        if len(mine) == 1 and len(previous) == 1:
            pairs.append((report, previous[0]))
    return pairs
