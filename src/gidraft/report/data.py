"""ReportData: the figures and metadata of a report under the stable keys of the data contract."""

from __future__ import annotations

from ..cache import compiled
from ..sources.repair import rejoin
from . import tables
from .model import Report

FEE_AMOUNT = compiled(r"收取[^。；，]{0,16}?信息处理费[^。；，\d]{0,6}?(\d+(?:\.\d+)?)\s*(万元|元)")
FEE_NONE = compiled(r"(?:未|没有|无|不)(?:收取|发生)[^。；]{0,12}?信息处理费|信息处理费[^。；]{0,8}?(?:为\s*0|为零|未收取)")
SECTION_KEYS = {"overview": "overview", "problems": "problems", "other_matters": "other_matters"}


def info_processing_fee(report: Report) -> float | int | None:
    """信息处理费 in yuan as stated in section 六 (or anywhere when 六 is missing); None if not stated."""
    section = report.section("other_matters")
    text = report.text[section.body.start:section.body.end] if section else report.text
    amount = FEE_AMOUNT.search(text)
    if amount:
        value = float(amount.group(1)) * (10000 if amount.group(2) == "万元" else 1)
        return int(value) if value == int(value) else value
    if FEE_NONE.search(text):
        return 0
    return None


def section_text(report: Report, key: str) -> str | None:
    section = report.section(key)
    if section is None:
        return None
    text = report.text[section.body.start:section.body.end].strip()
    # PDF text read as printed (Markdown made from a PDF): a draft gets the author's paragraphs back
    return rejoin(text)[0].strip() if report.source.pdf_like else text


def stated_figures(report: Report) -> dict[str, int | float]:
    """Exact figures the narrative states for one table cell each (制发行政规范性文件62件)."""
    from ..rules import narrative
    from ..rules.loader import load_rules

    load_rules()
    found = {m.keys[0]: m.quantity.value for m in narrative.matches(report)
             if len(m.keys) == 1 and m.quantity is not None and not m.quantity.approx}
    report.__dict__.pop("_facts", None)  # compared against the cells as they were: recomputed when needed
    return found


def report_data(report: Report) -> dict:
    """ReportData of a report; a run-together table row the arithmetic could not split is settled as far
    as the narrative's own figures decide it (the other cells stay null)."""
    if any(p.options for p in report.problems):
        tables.settle_with_stated(report, stated_figures(report))
    layout = report.layout
    data: dict = {
        "meta": {"title": report.title, "agency": report.agency, "year": report.year, "format": report.format},
        "t2": {},
        "t3": {},
        "t4": {},
    }
    for row in layout.t2:
        data["t2"][row.key] = {col: report.value(f"t2.{row.key}.{col}") for col, _ in row.columns}
    for row in layout.t3_rows:
        data["t3"][row.key] = {col: report.value(f"t3.{row.key}.{col}") for col, _ in layout.t3_columns}
    for group, _ in layout.t4_groups:
        data["t4"][group] = {col: report.value(f"t4.{group}.{col}") for col, _ in layout.t4_columns}
    data["fees"] = {"info_processing_yuan": info_processing_fee(report)}
    data["sections"] = {key: section_text(report, key) for key in SECTION_KEYS}
    return data
