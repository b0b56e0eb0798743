"""This year's report against last year's report of the same agency (rules X1xx).

:func:`compare` takes two reports and returns findings located in this year's report;
:func:`pair_reports` finds (this, last) pairs of the same agency and consecutive years in a batch.
Both work on a :class:`Profile`, the little of a report that the comparison reads (a few cells, two
section texts, its agency and year), so that a batch can pair thousands of reports without keeping
them; a profile's :class:`Excerpt` locates and prints a cross-year finding after the report is gone.
The X rules are registered with the engine (for ``gidraft rules`` / ``explain``) but find nothing on
a single report: they need the previous year's report.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .report.layout import Layout
from .report.model import Cell, Report, Span
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


@dataclass
class Excerpt:
    """The answers of a report's :class:`~gidraft.sources.model.Source` at the spans where a cross-year finding
    can fall (the title, table 3's carry-over cells, table 2's in-force cells, two section headings): enough to
    locate, fingerprint and print such a finding, in every output format, once the report itself is gone."""

    places: bool  # lines are pages or paragraphs, not file lines
    at: dict[tuple[int, int], tuple] = field(default_factory=dict)  # span -> its position, context, raw text
    names: dict[tuple[int, int], str] = field(default_factory=dict)  # (line, column) -> place
    lines: dict[int, str] | None = None  # the source lines, for the text output only

    @classmethod
    def of(cls, source, spans, lines: bool = False) -> Excerpt:
        from .check import context

        excerpt = cls(bool(source.places), lines={} if lines else None)
        for start, end in spans:
            found = source.span(start, end)
            excerpt.at[(start, end)] = (found, context(source.text, start, end), source.raw_text(start, end))
            excerpt.names[found[:2]] = source.place(*found[:2])
            if lines:
                excerpt.lines[found[0]] = source.raw_line(found[0])
        return excerpt

    def span(self, start: int, end: int) -> tuple[int, int, int, int]:
        return self.at[(start, end)][0]

    def context(self, start: int, end: int) -> tuple[str, str, str]:
        return self.at[(start, end)][1]

    def raw_text(self, start: int, end: int) -> str:
        return self.at[(start, end)][2]

    def place(self, line: int, column: int) -> str:
        return self.names[(line, column)]

    def raw_line(self, line: int) -> str:
        return self.lines[line]


@dataclass
class SectionText:
    """One section of a report as the year-on-year comparison reads it."""

    heading: str
    heading_span: Span
    text: str  # the body, normalised (see :func:`_normalised`)


@dataclass
class Profile:
    """What the comparison reads of one report, as this year's or as last year's."""

    path: str
    agency: str | None
    year: int | None
    format: str
    layout: Layout
    title_span: Span | None
    cells: dict[str, Cell]
    sections: dict[str, SectionText]
    places: dict[int, str]  # how a human finds a cell of last year's report, by its start
    excerpt: Excerpt | None = None  # None once this report can no longer be the later one of a pair

    def value(self, key: str) -> int | float | None:
        cell = self.cells.get(key)
        return cell.value if cell else None


IN_FORCE_ROWS = ("regulations", "normative_documents")


def profile(report: Report | Profile, excerpt: bool = True, lines: bool = False) -> Profile:
    """The profile of ``report``: with its excerpt unless ``excerpt`` is False (with the source lines the
    text output shows if ``lines``); cells without a figure are left out, as the comparison skips them."""
    if isinstance(report, Profile):
        return report
    columns = [column for column, _ in report.layout.t3_columns]
    keys = [f"t3.{row}.{column}" for row in ("carried_over", "carry_forward") for column in columns]
    keys += [f"t2.{row}.{part}" for row in IN_FORCE_ROWS for part in ("in_force", "issued", "repealed")]
    cells = {key: report.cells[key] for key in keys if key in report.cells and report.cells[key].value is not None}
    sections = {}
    for key, _ in COPY_SECTIONS:
        section = report.section(key)
        if section is not None:
            sections[key] = SectionText(section.heading, section.heading_span,
                                        _normalised(report.text[section.body.start:section.body.end]))
    source = report.source
    places = {}
    for key, cell in cells.items():
        if key.startswith("t3.carry_forward.") or key.endswith(".in_force"):
            line, _ = source.position(cell.span.start)
            places[cell.span.start] = source.places[line - 1] if source.places and line <= len(source.places) else f"第 {line} 行"
    found = Profile(source.path, report.agency, report.year, report.format, report.layout, report.title_span,
                    cells, sections, places)
    if excerpt:
        spans = [(c.span.start, c.span.end) for k, c in cells.items() if k.startswith("t3.carried_over.") or k.endswith(".in_force")]
        spans += [(s.heading_span.start, s.heading_span.end) for s in sections.values()]
        spans.append((report.title_span.start, report.title_span.end) if report.title_span else (0, 0))
        found.excerpt = Excerpt.of(source, dict.fromkeys(spans), lines)
    return found


def _place(report: Profile, index: int) -> str:
    return report.places[index]


def _name(report: Profile) -> str:
    return os.path.basename(report.path)


@_rule("X101", "carry-over-mismatch", "error", "国办年报格式", "表三“上年结转”与上一年报告的“结转下年度继续办理”不一致")
def carry_over(this: Profile, last: Profile) -> list[Finding]:
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
def adjacent_year(this: Profile, last: Profile) -> list[Finding]:
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
def in_force(this: Profile, last: Profile) -> list[Finding]:
    """检查 2021 年格式表二“规章”“行政规范性文件”的现行有效件数是否前后衔接：
    本年现行有效 ≈ 上年现行有效 + 本年制发 − 本年废止。

    为什么：现行有效件数逐年累计，对不上多半是某年漏计或错填；但集中清理、统计口径调整
    （如把修改计为制发）也会造成差异，故只作提醒。两份报告都须为 2021 年格式。
    """
    if this.format != "2021" or last.format != "2021":
        return []
    out = []
    for row in IN_FORCE_ROWS:
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
def copied(this: Profile, last: Profile) -> list[Finding]:
    """检查“一、总体情况”和“五、存在的主要问题及改进情况”是否照抄上一年报告（只改了年份）。

    为什么：国办公开办函〔2021〕30号格式把“内容雷同、敷衍塞责”列为问责情形；
    照抄上一年的问题和改进措施，说明没有报告本年的实际情况。计算时忽略空白，数字一律视为相同。
    """
    out = []
    for key, number_ in COPY_SECTIONS:
        mine, theirs = this.sections.get(key), last.sections.get(key)
        if mine is None or theirs is None:
            continue
        if len(mine.text) < MIN_COPIED_CHARS:
            continue
        ratio = overlap(mine.text, theirs.text)
        if ratio >= COPIED:
            message = (f"第{number_}部分“{mine.heading[2:]}”与上一年报告（{_name(last)}）的同一部分 {ratio:.0%} 相同，"
                       f"疑为照抄上一年内容，请写本年度的实际情况")
            out.append(copied.rule.finding(mine.heading_span.start, mine.heading_span.end, message,
                                           evidence={"overlap": round(ratio, 3)}))
    return out


CHECKS = (carry_over, in_force, copied)


def compare(this: Report | Profile, last: Report | Profile) -> list[Finding]:
    """Findings (X1xx) located in ``this`` from comparing it with ``last``, last year's report."""
    this, last = profile(this, excerpt=False), profile(last, excerpt=False)
    findings = adjacent_year(this, last)
    if findings:
        return findings
    for check in CHECKS:
        findings += check(this, last)
    return sorted(findings, key=lambda f: (f.start, f.end, f.code))


def agency_key(report: Report | Profile) -> str | None:
    """The agency as pairing compares it (blanks removed)."""
    return re.sub(r"\s+", "", report.agency) if report.agency else None


def pair_reports(reports: list) -> list[tuple]:
    """(this, last) pairs in a batch: same agency, consecutive report years, one report per agency and year
    (of reports or profiles)."""
    groups: dict[tuple[str, int], list[Report]] = {}
    for report in reports:
        agency = agency_key(report)
        if agency and report.year is not None:
            groups.setdefault((agency, report.year), []).append(report)
    pairs = []
    for report in reports:
        agency = agency_key(report)
        if not agency or report.year is None:
            continue
        mine, previous = groups[(agency, report.year)], groups.get((agency, report.year - 1), [])
        if len(mine) == 1 and len(previous) == 1:
            pairs.append((report, previous[0]))
    return pairs
