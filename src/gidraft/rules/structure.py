"""Structure rules: the six sections, the format version and the title."""

from __future__ import annotations

from ..report.model import PRE2019, Report
from ..report.sections import NUMERALS, heading_matches, titles
from ..report.tables import Compact
from .engine import ANY_FORMAT, Rule, rule


def _all_headings(report: Report):
    """Every top-level heading: found when the report was built (a report made otherwise: found here)."""
    if not report.headings:
        report.headings = heading_matches(report.text, Compact(report.text, 0, len(report.text)), report.layout)
    return report.headings


def _ordinal_gaps(report: Report, item: Rule):
    """A report in the pre-2019 structure has no fixed list of parts: a heading is missing where the
    numbering of the headings found skips (一、 三、)."""
    numbers = [(NUMERALS.index(s.written_number) + 1, s) for s in sorted(report.sections, key=lambda s: s.heading_span.start)
               if s.written_number in NUMERALS]
    expected = 1
    for number, section in numbers:
        if number > expected:
            gap = "、".join(f"“{NUMERALS[n - 1]}、”" for n in range(expected, number))
            yield item.finding(section.heading_span.start, section.heading_span.start,
                               f"标题“{section.heading}”之前缺少{gap}部分的标题（部分编号不连续）")
        expected = max(expected, number + 1)


@rule("S001", "section-missing", "error", "条例", "缺少年报规定的部分（一至六）", formats=ANY_FORMAT)
def missing_section(report: Report, item: Rule):
    """检查年报是否包含规定的六个部分：一、总体情况；二、主动公开政府信息情况；
    三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；
    五、存在的主要问题及改进情况；六、其他需要报告的事项。

    为什么：《政府信息公开条例》第五十条规定年报内容，年报格式要求“不能遗漏”。

    标题按意思查找，不论它在行首还是紧接在表格数字、上一句之后：有错字的标题（S008）、
    常见的变体标题（S004）、本单位自拟或合并的标题（S007）都不算缺少。
    缺少几个部分时只报一条，列出所缺的部分。2019 年以前旧格式的报告没有固定的部分清单，
    只在部分编号不连续（一、之后是三、）时报告缺少标题。
    """
    if report.format == PRE2019:
        yield from _ordinal_gaps(report, item)
        return
    order = [s.key for s in report.layout.sections]
    present = {s.key for s in report.sections}
    missing = [spec for spec in report.layout.sections if spec.key not in present]
    if not missing:
        return
    position = order.index(missing[0].key)
    later = [s for s in report.sections if order.index(s.key) > position]
    at = min(s.heading_span.start for s in later) if later else len(report.text.rstrip())
    names = "、".join(f"第{spec.number}部分“{spec.number}、{spec.canonical}”" for spec in missing)
    content = _headless_content(report, missing[0], at) if len(missing) == 1 else None
    if content is not None:  # the part is there, only its heading is not
        yield item.finding(content.span.start, content.span.start,
                           f"缺少{names}的标题（该部分内容似从“{content.marker}{content.text}”开始）")
        return
    yield item.finding(at, at, f"缺少{names}")


def _headless_content(report: Report, spec, before: int):
    """A first sub-heading （一） between the previous section's heading and ``before`` that names the missing
    section's key words (（一）2024 年工作中存在问题的改进情况 for 五、存在的主要问题及改进情况), where a new
    part can open: after the previous section's table, or where the numbering starts again at （一）."""
    title = next((t for t in titles() if t.key == spec.key), None)
    if title is None or not title.keys:
        return None
    earlier = [s.heading_span.end for s in report.sections if s.heading_span.end <= before]
    after = max(earlier, default=0)
    tables_end = max((c.span.end for c in report.cells.values() if c.text and after <= c.span.start < before), default=None)
    firsts = [sub for sub in report.subheadings if after <= sub.span.start < before and sub.marker[1:-1] == "一"]
    for position, sub in enumerate(firsts):
        opens = position > 0 or (tables_end is not None and sub.span.start >= tables_end)
        if opens and all(any(word in sub.text for word in group) for group in title.keys):
            return sub
    return None


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
    hosts = {s.heading_span.start for s in report.sections if s.kind == "merged"}  # S007 says it once
    for section in report.sections:
        if section.kind == "variant" and section.heading_span.start not in hosts:
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


@rule("S006", "title-missing", "warning", "实务", "未找到年报标题（机关名称 + 年度 + 政府信息公开工作年度报告）",
      formats=ANY_FORMAT)
def title_missing(report: Report, item: Rule):
    """检查开头是否有规范标题，例如“淄博市工业和信息化局2019年政府信息公开工作年度报告”。

    为什么：标题中的年度是统计年度，缺少标题或年度时，无法核对统计期限和各处年份。
    """
    if report.title is None or report.year is None:
        yield item.finding(0, 0, "未找到年报标题（应为“机关名称＋YYYY年＋政府信息公开工作年度报告”）")


@rule("S007", "section-layout", "warning", "国办年报格式", "本单位自拟了部分的划分（合并或改写了一至六部分的标题）")
def own_layout(report: Report, item: Rule):
    """检查一至六各部分是否按年报格式划分：把两个部分合在一个标题下（如“五、存在的主要问题、改进情况及
    其他需要报告的事项”），或在该部分的位置用了自拟的标题（如“二、政务公开工作情况”）。

    为什么：内容还在，不算缺少；但年报格式规定了六个部分及其标题，汇总和评估按格式逐部分查找。
    整份报告只报一条，列出与格式不同的地方。
    """
    deviations = [s for s in report.sections if s.kind in ("renamed", "merged")]
    if not deviations:
        return
    parts = []
    for section in deviations:
        expected = f"{section.number}、{section.expected}"
        if section.kind == "merged":
            parts.append(f"第{section.number}部分“{expected}”并入了“{section.heading}”")
        else:
            parts.append(f"第{section.number}部分的标题是“{section.heading}”（格式为“{expected}”）")
    first = min(deviations, key=lambda s: s.heading_span.start)
    yield item.finding(first.heading_span.start, first.heading_span.end,
                       "部分的划分与年报格式不同：" + "；".join(parts))


@rule("S008", "section-heading-misspelt", "warning", "国办年报格式", "部分标题有错字、漏字或多字", fixable="unsafe",
      formats=ANY_FORMAT)
def misspelt_heading(report: Report, item: Rule):
    """检查一至六各部分标题是否写错（如“四、政府信息公开行政法复议、行政诉讼情况”多了“法”字），
    以及六个部分齐全时标题序号是否写错（如第六部分写成“五、其他需要报告的事项”）。

    为什么：标题错字会被读者和评估者一眼看到；标题按意思找到了，所以只在标题处报一条，并给出规范写法，
    不按“缺少该部分”处理。
    """
    complete = report.format == PRE2019 or {s.key for s in report.layout.sections} <= {s.key for s in report.sections}
    for section in report.sections:
        renumbered = complete and section.written_number and section.written_number != section.number
        if report.format != PRE2019 and renumbered and section.kind in ("canonical", "variant"):
            right = f"{section.number}、{section.heading[2:]}"  # every part is there: only the number is wrong
            yield item.finding(section.heading_span.start, section.heading_span.end,
                               f"标题“{section.heading}”的序号有误，应为“{right}”", fix=right, fix_safe=False,
                               evidence={"expected": right})
            continue
        if section.kind != "misspelt":
            continue
        number = section.written_number or section.number
        right = f"{number}、{section.expected}"
        yield item.finding(section.heading_span.start, section.heading_span.end,
                           f"标题“{section.heading}”有误，应为“{right}”", fix=right, fix_safe=False,
                           evidence={"expected": right})


@rule("S009", "pre2019-format", "error", "国办年报格式", "报告采用 2019 年以前的旧格式（概述、依申请公开……统计表）",
      formats=(PRE2019,))
def pre2019_format(report: Report, item: Rule):
    """识别采用 2019 年以前旧格式的年报：概述 / 主动公开 / 依申请公开 / 收费及减免 / 复议诉讼 /
    问题和改进 / 统计表（“指标名称”“计量单位”），没有 2019、2021 年格式的表二至表四。

    为什么：2019 年度起年报须按国办公开办函〔2019〕60号（2021 年度起〔2021〕30号）格式编写；
    报告年度为 2019 年或以后仍用旧格式是错误，2018 年及以前的报告用旧格式是正常的，只作提示。
    旧格式报告不按新格式逐表、逐部分检查，文字和标点照常检查。
    """
    first = report.sections[0].heading_span if report.sections else report.title_span
    start, end = (first.start, first.end) if first else (0, 0)
    if report.year is not None and report.year >= 2019:
        yield item.finding(start, end, f"{report.year} 年度报告仍采用 2019 年以前的旧格式（概述、依申请公开、统计表等），"
                                       "应按国办公开办函〔2019〕60号或〔2021〕30号格式编写六个部分和表二至表四")
        return
    out = item.finding(start, end, "本报告采用 2019 年以前的旧格式（概述、依申请公开、统计表等），"
                                   "不按 2019、2021 年格式逐表检查，文字和标点照常检查")
    out.severity = "info"
    yield out
