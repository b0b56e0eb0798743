"""A data file to start a draft from: next year's, begun from last year's report, or an empty one.

From last year's report (any readable input): the agency, its contact details, the title with the year
advanced, the format version of the new year, 上年结转 taken from last year's 结转下年度继续办理 column by
column, last year's baselines as comments (2021 format: 现行有效件数; 2019 format: 上一年项目数量 + 本年增/减),
every other figure null and marked ``# 待填写``, and last year's narrative blocks with the report year and
the year after advanced, each starting with 【待更新】 and every figure in them (a number with its unit) marked
【待更新】 too.  Last year's findings inside the copied narrative (a typo copied is a typo again) are listed in
the file's header and returned with the plan.  The file is written as YAML by hand so that
every figure carries a Chinese comment naming it (labels from the layouts of ``rules/formats/``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from ..report.data import report_data
from ..report.layout import FORMATS, Layout, layout
from ..report.meta import PERIOD, TITLE, TITLE_YEAR_FIRST, choose_format
from ..report.model import Report
from . import PENDING_COMMENT, UPDATE_MARK
from .environment import signed
from .schema import BLOCK_KEYS, CONTACT_KEYS, REQUIRED_BLOCKS, default_title
from .view import T2_ARTICLES

YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*年)")
CONTACT_PATTERNS = {
    "unit": re.compile(r"(?:请与|可与)([^，。；,;（）()\n]{2,30}?)联系|联系单位[：:]\s*([^，。；,;（）()\n]{2,30})"),
    "address": re.compile(r"(?:通讯|通信|联系|办公)?地址[：:为]\s*([^，。；,;（）()\n]{4,60})"),
    "postcode": re.compile(r"邮(?:政)?编(?:码)?[：:为]\s*(\d{6})"),
    "phone": re.compile(r"电话(?:号码)?[：:为]\s*([（(]?0\d{2,3}[）)]?[-－—]?\d{5,8}(?:[-－]\d{1,5})?|\d{7,8}|1\d{10})"),
    "email": re.compile(r"([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"),
    "website": re.compile(r"(?:可在|可以在|可登录|请登录)([^，。；\n]{2,60}?)(?:查阅|下载|查询|浏览)"),
}
CONTACT_LABELS = {"unit": "联系单位", "address": "地址", "postcode": "邮编", "phone": "电话", "email": "电子邮箱",
                  "website": "报告电子版的下载网站（如：某某市人民政府门户网站（www.example.gov.cn））"}
BLOCK_GUIDES = {
    "overview": "一、总体情况：主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障等情况，可分（一）（二）……小标题",
    "problems": "五、存在的主要问题及改进情况：本年度存在的具体问题和改进措施，以及上年报告所列问题的整改情况",
    "other_matters": "六、其他需要报告的事项：如“无。”；信息处理费由 fees.info_processing_yuan 自动写入",
    "proactive": "可选：写在表二之前的说明（不要写表二的行名“规章”）",
    "requests": "可选：写在表三之前的说明（收到和办结申请的句子由数字自动生成）",
    "review": "可选：写在表四之前的说明（行政复议、行政诉讼的句子由数字自动生成）",
}


class InitError(Exception):
    """Last year's report does not say what the new data file needs; the message says which option to use."""


@dataclass
class Plan:
    """The data of the new file with what its comments say."""

    data: dict
    layout: Layout
    notes: dict[str, str] = field(default_factory=dict)  # key path -> comment after the value
    pending: set[str] = field(default_factory=set)  # key paths written as null # 待填写
    origin: str = ""  # first header line: where the file came from
    carried: list[str] = field(default_factory=list)  # last year's findings in the narrative copied


def format_for(year: int) -> str:
    return choose_format({f: [] for f in FORMATS}, year)


def _skeleton(agency: str, year: int, title: str | None = None) -> Plan:
    lay = layout(format_for(year))
    data = {
        "meta": {"title": title or default_title(agency, year), "agency": agency, "year": year, "format": lay.format},
        "contact": {key: None for key in CONTACT_KEYS},
        "t2": {row.key: {col: None for col, _ in row.columns} for row in lay.t2},
        "t3": {row.key: {col: None for col, _ in lay.t3_columns} for row in lay.t3_rows},
        "t4": {group: {col: None for col, _ in lay.t4_columns} for group, _ in lay.t4_groups},
        "fees": {"info_processing_yuan": None},
        "sections": {key: None for key in REQUIRED_BLOCKS},
    }
    plan = Plan(data, lay)
    for key in lay.keys():
        plan.pending.add(key)
        plan.notes[key] = f"{PENDING_COMMENT}：{_column_label(lay, key)}"
    plan.pending.add("fees.info_processing_yuan")
    plan.notes["fees.info_processing_yuan"] = f"{PENDING_COMMENT}：本年收取的信息处理费（元），未收取填 0"
    for key in REQUIRED_BLOCKS:
        plan.pending.add(f"sections.{key}")
        plan.notes[f"sections.{key}"] = f"{PENDING_COMMENT}：{BLOCK_GUIDES[key]}"
    for key in CONTACT_KEYS:
        plan.notes[f"contact.{key}"] = f"可选：{CONTACT_LABELS[key]}"
    return plan


def _column_label(lay: Layout, key: str) -> str:
    return lay.column_name(key).strip("“”")


def empty(agency: str, year: int) -> Plan:
    plan = _skeleton(agency, year)
    plan.origin = f"由 gidraft init 生成的空白数据文件（{year} 年度，{layout(format_for(year)).document}格式）"
    return plan


def advance_years(text: str, last: int, delta: int) -> str:
    """Last year's report year and the year after it (its plans) moved on by ``delta`` years."""
    return YEAR_IN_TEXT.sub(lambda m: str(int(m.group(1)) + delta) if int(m.group(1)) in (last, last + 1) else m.group(1), text)


def contact_details(text: str) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for key, pattern in CONTACT_PATTERNS.items():
        match = pattern.search(text)
        found[key] = next((g.strip() for g in match.groups() if g), None) if match else None
    return found


def _preamble_like(paragraph: str) -> bool:
    """The agency's own opening (statistics period, contact) written inside section 一: the draft writes its own."""
    return bool(PERIOD.search(paragraph)) or any(CONTACT_PATTERNS[k].search(paragraph) for k in ("phone", "address", "email"))


def from_report(report: Report, year: int | None = None, agency: str | None = None) -> Plan:
    """Next year's plan from last year's report."""
    last_year = report.year
    if year is None:
        if last_year is None:
            raise InitError("无法从上年报告中识别报告年度，请用 --year 指定新报告的年度")
        year = last_year + 1
    if last_year is not None and year <= last_year:
        raise InitError(f"新报告的年度 {year} 应晚于上年报告的年度 {last_year}")
    agency = agency or report.agency
    if not agency:
        raise InitError("无法从上年报告中识别机关名称，请用 --agency 指定")
    last = report_data(report)
    title = None
    if report.title and last_year is not None and report.agency == agency:
        candidate = report.title.replace(str(last_year), str(year), 1)
        title = candidate if TITLE.fullmatch(candidate) or TITLE_YEAR_FIRST.fullmatch(candidate) else None
    plan = _skeleton(agency, year, title)
    lay = plan.layout
    plan.origin = f"由 gidraft init 根据上年报告 {report.source.path}（{last_year or '年度不详'}）生成：{year} 年度，{lay.document}格式"
    section = report.section("proactive")
    head = report.text[: section.heading_span.start if section else min(len(report.text), 3000)]
    plan.data["contact"] = contact_details(head)
    consecutive = last_year is not None and year == last_year + 1
    for col, label in lay.t3_columns:
        key = f"t3.carried_over.{col}"
        value = last["t3"].get("carry_forward", {}).get(col) if consecutive else None
        if value is not None:
            plan.data["t3"]["carried_over"][col] = value
            plan.pending.discard(key)
            plan.notes[key] = f"{label}：上年报告“结转下年度继续办理”"
        elif not consecutive:
            plan.notes[key] += f"（上年报告不是 {year - 1} 年度的，不能直接沿用其“结转下年度继续办理”）"
    _baselines(plan, last, report.layout)
    delta = year - last_year if last_year is not None else 0
    for key in REQUIRED_BLOCKS:
        text = last["sections"].get(key)
        if not text:
            continue
        paragraphs = [p for p in text.split("\n") if p.strip()]
        while key == "overview" and paragraphs and _preamble_like(paragraphs[0]):
            paragraphs = paragraphs[1:]
        if not paragraphs:
            continue
        body = advance_years("\n".join(p.strip() for p in paragraphs), last_year or year, delta)
        plan.data["sections"][key] = UPDATE_MARK + mark_figures(body)
        plan.pending.discard(f"sections.{key}")
        plan.notes[f"sections.{key}"] = f"沿用上年报告（年份已顺延），请逐段、逐个数字更新后删去“{UPDATE_MARK}”"
    plan.carried = carried_findings(report, plan.data["sections"])
    return plan


def mark_figures(text: str) -> str:
    """Every quantity (``1200条``, ``两件``, ``3.5万元``) preceded by 【待更新】: last year's figure is not this year's.
    A quantity inside a document's title (《关于……的十条措施》) is part of the name and stays as it is."""
    from ..quantities import quantities

    out, last = [], 0
    for quantity in quantities(text):
        if text.rfind("《", 0, quantity.start) > text.rfind("》", 0, quantity.start):
            continue
        out += [text[last:quantity.start], UPDATE_MARK, text[quantity.start:quantity.end]]
        last = quantity.end
    return "".join(out) + text[last:]


def carried_findings(report: Report, copied: dict[str, str | None]) -> list[str]:
    """Last year's findings whose flagged text was copied into the new narrative blocks, one line each."""
    from ..check import check_report
    from ..rules.loader import load_rules

    spans = [s.body for s in report.sections if copied.get(s.key)]
    text = "\n".join(t for t in copied.values() if t).replace(UPDATE_MARK, "")
    out = []
    for located in check_report(report, load_rules()):
        start, end = located.finding.start, located.finding.end
        inside = any(span.start <= start < span.end for span in spans)
        if located.code[0] in "LN" and inside and report.text[start:end].replace("\n", "") in text:
            place = report.source.place(located.line, located.column)
            out.append(f"{located.code} {located.message}（上年报告 {place}）")
    return out


def _baselines(plan: Plan, last: dict, last_layout: Layout) -> None:
    """Comments carrying last year's figures that this year's start from."""
    lay = plan.layout
    if lay.format == "2021":
        for row in ("regulations", "normative_documents"):
            key = f"t2.{row}.in_force"
            if last_layout.format == "2021":
                value = last["t2"].get(row, {}).get("in_force")
                if value is not None:
                    plan.notes[key] += f"（上年现行有效 {value} 件；一般为 上年现行有效 + 本年制发 − 本年废止）"
            else:
                value = last["t2"].get(row, {}).get("public_total")
                shown = f"“对外公开总数量”{value} 件" if value is not None else "“对外公开总数量”"
                plan.notes[key] += f"（上年为 2019 年格式，其{shown}与现行有效件数口径不同，不能直接沿用）"
    elif last_layout.format == "2019":
        for row in lay.t2:
            if "last_year_items" not in dict(row.columns):
                continue
            before = last["t2"].get(row.key, {})
            items, change = before.get("last_year_items"), before.get("change")
            if items is not None and change is not None:
                plan.notes[f"t2.{row.key}.last_year_items"] += f"（上年报告：上一年项目数量 {items}，本年增/减 {signed(change)}，合计 {items + change}）"


# ---------------------------------------------------------------------------------------------- YAML


def _scalar(value: object) -> str:
    if value is None:
        return "null"
    return yaml.safe_dump({"k": value}, allow_unicode=True, width=10**9, default_flow_style=False)[3:].rstrip("\n")


def _item(lines: list[str], indent: int, key: str, value: object, note: str | None) -> None:
    pad = " " * indent
    comment = f"  # {note}" if note else ""
    if isinstance(value, str) and "\n" in value:
        if comment:
            lines.append(f"{pad}# {note}")
        lines.append(f"{pad}{key}: |-")
        lines += [f"{pad}  {line.strip(' ')}" if line.strip(" ") else "" for line in value.split("\n")]
    else:
        lines.append(f"{pad}{key}: {_scalar(value)}{comment}")


def to_yaml(plan: Plan) -> str:
    data, lay, notes = plan.data, plan.layout, plan.notes
    meta = data["meta"]
    lines = [
        f"# {plan.origin}",
        f"# 填写说明：标有“{PENDING_COMMENT}”的 null 改为数字（没有数据填 0）；叙述中的“{UPDATE_MARK}”在更新后删去。",
        "# 然后运行：gidraft draft 本文件 -o 报告.docx（或 .md、.txt），再用 gidraft check 检查起草的报告。",
    ]
    if plan.carried:
        lines.append(f"# 上年报告沿用的叙述中有 {len(plan.carried)} 个问题，更新时请一并改正：")
        lines += [f"#   {item}" for item in plan.carried]
    lines += [
        "meta:",
    ]
    _item(lines, 2, "title", meta["title"], "标题：机关名称＋YYYY年＋政府信息公开工作年度报告")
    _item(lines, 2, "agency", meta["agency"], "机关名称")
    _item(lines, 2, "year", meta["year"], "报告年度（统计年度，不是发布年份）")
    _item(lines, 2, "format", meta["format"], f"年报格式：{lay.document}")
    lines.append("contact:  # 联系方式，写入报告开头的说明（可选）")
    for key in CONTACT_KEYS:
        _item(lines, 2, key, data["contact"].get(key), notes.get(f"contact.{key}"))
    lines.append("t2:  # 表二 主动公开政府信息情况")
    for row in lay.t2:
        lines.append(f"  # {row.label}（第二十条第{T2_ARTICLES[row.key]}项）")
        lines.append(f"  {row.key}:")
        for col, _ in row.columns:
            _item(lines, 4, col, data["t2"][row.key][col], notes.get(f"t2.{row.key}.{col}"))
    lines.append("t3:  # 表三 收到和处理政府信息公开申请情况（每行七列：" + "、".join(label for _, label in lay.t3_columns) + "）")
    for row in lay.t3_rows:
        lines.append(f"  # {row.label}")
        lines.append(f"  {row.key}:")
        for col, _ in lay.t3_columns:
            _item(lines, 4, col, data["t3"][row.key][col], notes.get(f"t3.{row.key}.{col}"))
    lines.append("t4:  # 表四 政府信息公开行政复议、行政诉讼情况")
    for group, label in lay.t4_groups:
        lines.append(f"  # {label}")
        lines.append(f"  {group}:")
        for col, _ in lay.t4_columns:
            _item(lines, 4, col, data["t4"][group][col], notes.get(f"t4.{group}.{col}"))
    lines.append("fees:")
    _item(lines, 2, "info_processing_yuan", data["fees"]["info_processing_yuan"], notes.get("fees.info_processing_yuan"))
    lines.append("sections:  # 叙述（每段一行）；一、五、六部分必填")
    for key in REQUIRED_BLOCKS:
        _item(lines, 2, key, data["sections"].get(key), notes.get(f"sections.{key}"))
    for key in BLOCK_KEYS:
        if key not in REQUIRED_BLOCKS:
            lines.append(f"  # {key}: null  # {BLOCK_GUIDES[key]}")
    return "\n".join(lines) + "\n"
