"""Structure: from a Source to a Report (title, year, format, sections, tables)."""

from __future__ import annotations

from ..sources.model import Source
from . import meta, sections, tables
from .layout import layout
from .model import Report, Span


def _region(found: list, key: str, text_length: int) -> Span | None:
    section = next((s for s in found if s.key == key), None)
    return section.body if section else None


def build_report(source: Source) -> Report:
    text = source.text
    title, agency, year, title_span = meta.find_title(source)
    if year is None:
        year = meta.guess_year(text)
    whole = tables.Compact(text, 0, len(text))
    markers = meta.format_markers(whole.text)
    fmt = meta.choose_format(markers, year)
    spec = layout(fmt)
    found, headings = sections.find_sections(text, spec, whole)
    spec = tables.table3_layout(text, _region(found, "requests", len(text)), spec)
    cells, problems, regions = {}, [], {}
    for key, section_key, parse in (
        ("t2", "proactive", tables.parse_t2),
        ("t3", "requests", tables.parse_t3),
        ("t4", "review", tables.parse_t4),
    ):
        region = _region(found, section_key, len(text))
        if region is None:
            continue
        regions[key] = region
        table_cells, table_problems = parse(text, region, spec, tables.RawColumns(source.raw, source.origin))
        cells.update(table_cells)
        problems += table_problems
    return Report(
        source=source,
        layout=spec,
        title=title,
        agency=agency,
        year=year,
        format_markers=markers,
        title_span=title_span,
        sections=found,
        subheadings=sections.find_subheadings(text),
        cells=cells,
        tables=regions,
        problems=problems,
        headings=headings,
    )
