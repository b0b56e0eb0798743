"""Structure: from a Source to a Report (title, year, format, sections, tables)."""

from __future__ import annotations

import re

from ..cache import compiled
from ..sources.model import Source
from . import meta, sections, tables
from .layout import layout
from .model import Report, Span


def _region(found: list, key: str, text_length: int) -> Span | None:
    section = next((s for s in found if s.key == key), None)
    return section.body if section else None


TABLES = (("t2", "proactive", tables.parse_t2), ("t3", "requests", tables.parse_t3), ("t4", "review", tables.parse_t4))


def _table_regions(text: str, found: list, spec) -> dict[str, Span]:
    """Each table's region: the body of its section.  A table whose section heading is missing is looked for
    in the previous table's region, from its own first label on (表三 一、本年新收…, 表四 行政复议), so the
    previous table does not run on into it: one missing heading stays one finding."""
    first_label = {"t3": spec.t3_rows[0].pattern, "t4": compiled(re.escape(spec.t4_groups[0][1]))}
    regions: dict[str, Span] = {}
    previous = None
    for key, section_key, _ in TABLES:
        region = _region(found, section_key, len(text))
        if region is None and previous in regions:
            before = regions[previous]
            compact = tables.Compact(text, before.start, before.end)
            match = first_label[key].search(compact.text)
            if match and match.start() > 0:
                cut = compact.logical(match.start())
                regions[previous], region = Span(before.start, cut), Span(cut, before.end)
        if region is not None:
            regions[key] = region
        previous = key
    return regions


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
    old = meta.pre2019_sections(text, whole, markers, year)
    if old is not None:  # no 2019/2021 tables to read; the old statistics table is kept out of the prose
        found, headings = old, []
    if old is None:
        spec = tables.table3_layout(text, _region(found, "requests", len(text)), spec)
    cells, problems = {}, []
    regions = _table_regions(text, found, spec) if old is None else {}
    columns = tables.RawColumns(source.raw, source.origin)
    for key, _, parse in TABLES:
        if key not in regions:
            continue
        table_cells, table_problems = parse(text, regions[key], spec, columns)
        cells.update(table_cells)
        problems += table_problems
    if old is not None and _region(found, "statistics", len(text)):
        regions["statistics"] = _region(found, "statistics", len(text))
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
        pre2019=old is not None,
    )
