"""Structure rules: the six sections, the format version and the title."""

from __future__ import annotations

from ..report.model import Report
from ..report.sections import heading_matches
from ..report.tables import Compact
from .engine import Rule, rule


def _all_headings(report: Report):
    """Every top-level heading: found when the report was built (a report made otherwise: found here)."""
    if not report.headings:
        report.headings = heading_matches(report.text, Compact(report.text, 0, len(report.text)), report.layout)
    return report.headings


@rule("S001", "section-missing", "error", "条例", "缺少年报规定的部分（一至六）")
def missing_section(report: Report, item: Rule):
    """检查年报是否包含规定的六个部分：一、总体情况；二、主动公开政府信息情况；
    三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；
    五、存在的主要问题及改进情况；六、其他需要报告的事项。

    为什么：《政府信息公开条例》第五十条规定年报内容，年报格式要求“不能遗漏”。
    合并两个部分（如把五、六写在一起）或把表格改成文字叙述，都按缺少处理。

    可接受的常见变体标题（如“一、概述”“四、因政府信息公开工作被申请行政复议、提起行政诉讼情况”）
    不算缺少，只按 S004 提示。
    """
    present = {s.key for s in report.sections}
    for position, spec in enumerate(report.layout.sections):
        if spec.key in present:
            continue
        later = [s for s in report.sections if [x.key for x in report.layout.sections].index(s.key) > position]
        at = later[0].heading_span.start if later else len(report.text.rstrip())
        yield item.finding(at, at, f"缺少第{spec.number}部分“{spec.number}、{spec.canonical}”")


@rule("S002", "section-duplicated", "error", "国办年报格式", "同一部分的标题出现了两次")
def duplicated_section(report: Report, item: Rule):
    """检查一至六各部分的标题是否重复出现。

    为什么：重复的部分标题通常是复制粘贴时多贴了一段（或把上一年的内容粘在后面），
    读者和评估者会看到两份互相矛盾的内容。
    """
    seen: dict[int, int] = {}
    for index, start, end, heading, _ in _all_headings(report):
        if index in seen:
            spec = report.layout.sections[index]
            yield item.finding(start, end, f"第{spec.number}部分标题“{heading}”重复出现（前一次在前文）")
        seen.setdefault(index, start)


@rule("S003", "section-order", "error", "国办年报格式", "一至六各部分的顺序不对")
def section_order(report: Report, item: Rule):
    """检查一至六各部分是否按规定顺序排列。

    为什么：年报格式规定了六个部分的顺序，读者和汇总统计都按这一顺序查找内容。
    """
    order = [s.key for s in report.layout.sections]
    last = -1
    for section in report.sections:
        index = order.index(section.key)
        if index < last:
            previous = report.layout.sections[last]
            yield item.finding(section.heading_span.start, section.heading_span.end,
                               f"第{section.number}部分出现在第{previous.number}部分之后，顺序不对")
        last = max(last, index)


@rule("S004", "section-heading-variant", "info", "实务", "部分标题与年报格式的规范写法不同")
def heading_variant(report: Report, item: Rule):
    """提示与规范写法不同、但属于常见变体的部分标题，例如“一、概述”“五、存在的主要问题及改进措施”。

    为什么：变体标题可以接受，但统一使用格式原文便于汇总和比对。
    规范写法：一、总体情况　二、主动公开政府信息情况　三、收到和处理政府信息公开申请情况
    四、政府信息公开行政复议、行政诉讼情况　五、存在的主要问题及改进情况　六、其他需要报告的事项
    """
    for section in report.sections:
        if not section.canonical:
            spec = next(s for s in report.layout.sections if s.key == section.key)
            yield item.finding(section.heading_span.start, section.heading_span.end,
                               f"标题“{section.heading}”与规范写法“{spec.number}、{spec.canonical}”不同")


@rule("S005", "format-year-mismatch", "error", "国办年报格式", "报告年度与所用年报格式版本不符")
def format_mismatch(report: Report, item: Rule):
    """检查报告年度与表格所用格式版本是否一致。

    为什么：2021 年及以后的年报必须使用国办公开办函〔2021〕30号格式（表二“本年制发件数/本年废止件数/
    现行有效件数”，表三“（六）其他处理”分三项）；2019、2020 年度使用国办公开办函〔2019〕60号格式。
    2021 年格式 2021 年 9 月才印发，2019、2020 年度报告出现新格式，说明年份或模板用错了。
    """
    if report.year is None:
        return
    old, new = report.format_markers["2019"], report.format_markers["2021"]
    region = report.tables.get("t2") or report.tables.get("t3")
    at = region.start if region else 0
    if report.year >= 2021 and old and len(old) > len(new):
        yield item.finding(at, at, f"{report.year} 年度报告使用了 2019 年旧格式（表中有“{old[0]}”），应使用国办公开办函〔2021〕30号格式")
    elif report.year <= 2020 and new and len(new) > len(old):
        yield item.finding(at, at, f"{report.year} 年度报告使用了 2021 年格式（表中有“{new[0]}”），该格式 2021 年 9 月才印发，请核对报告年度")


@rule("S006", "title-missing", "warning", "实务", "未找到年报标题（机关名称 + 年度 + 政府信息公开工作年度报告）")
def title_missing(report: Report, item: Rule):
    """检查开头是否有规范标题，例如“淄博市工业和信息化局2019年政府信息公开工作年度报告”。

    为什么：标题中的年度是统计年度，缺少标题或年度时，无法核对统计期限和各处年份。
    """
    if report.title is None or report.year is None:
        yield item.finding(0, 0, "未找到年报标题（应为“机关名称＋YYYY年＋政府信息公开工作年度报告”）")
