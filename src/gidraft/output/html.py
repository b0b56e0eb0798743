"""The review page: one self-contained HTML file in which an editor goes through a report's findings.

The report's logical text is shown line by line (grid-table rows as real tables) with every flagged
span highlighted by severity; a side panel lists the findings by severity and rule, with filters,
the rules' documentation, and a 已确认 / 忽略 decision and a note for each finding, exported from the
page as a baseline file (``reviewed.json``).  All report text goes through jinja2's autoescaping;
the findings are also embedded as JSON (``<script type="application/json" id="gidraft-data">``).
The template, style sheet and script sit beside this module and are inlined at render time.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from .. import __version__
from ..check import FileResult, Located
from ..report.layout import format_name
from ..report.model import Report
from ..severity import SEVERITIES, SEVERITY_RANK, SEVERITY_ZH
from ..sources.model import CELL_SEP, Source
from .json import finding_object
from .sarif import fired_rules
from .tableview import Spot, table_views, terms

ASSETS = Path(__file__).resolve().parent


@dataclass
class Mark:
    start: int
    end: int  # start == end: a point (a missing row, a missing section)
    id: str
    related: bool = False


@dataclass
class Piece:
    text: str
    ids: list[str] = field(default_factory=list)  # findings whose span covers this piece
    related: list[str] = field(default_factory=list)  # findings that point here as a related place
    severity: str = ""  # the worst severity among ids

    @property
    def point(self) -> bool:
        return not self.text and bool(self.ids)


@dataclass
class GridCell:
    pieces: list[Piece]
    repeat: bool = False  # the same merged cell as in the row above (shown as a ditto mark)

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)

    @property
    def ids(self) -> list[str]:
        return list(dict.fromkeys(i for piece in self.pieces for i in piece.ids))

    @property
    def severity(self) -> str:
        return worst(piece.severity for piece in self.pieces if piece.severity)

    @property
    def numeric(self) -> bool:
        text = self.text.strip()
        return bool(text) and text.lstrip("+-−").replace(".", "", 1).replace(",", "").isdigit()


@dataclass
class Row:
    label: str  # the gutter: the line in the original file where this logical line starts, or a short place
    title: str  # the gutter's tooltip: the original lines it spans (原文第 66–93 行) or the place (表2第3行第1列)
    pieces: list[Piece] = field(default_factory=list)  # a text line
    cells: list[GridCell] = field(default_factory=list)  # a grid-table row
    kind: ClassVar[str] = "line"


@dataclass
class Table:
    rows: list[Row]
    kind: ClassVar[str] = "table"

    @property
    def width(self) -> int:
        return max(len(row.cells) for row in self.rows)


def worst(severities) -> str:
    return max(severities, key=SEVERITY_RANK.__getitem__, default="")


def pieces(text: str, start: int, end: int, marks: list[Mark], severity: dict[str, str]) -> list[Piece]:
    """text[start:end] cut where a mark begins or ends; points are empty pieces."""
    inside = [m for m in marks if (m.start < end and m.end > start) or (m.start == m.end and start <= m.start <= end)]
    cuts = sorted({start, end, *(min(max(m.start, start), end) for m in inside), *(min(max(m.end, start), end) for m in inside)})
    out: list[Piece] = []
    for left, right in zip(cuts, cuts[1:] + [end]):
        points = [m.id for m in inside if m.start == m.end == left and not m.related]
        if points:
            out.append(Piece("", points, severity=worst(severity[i] for i in points)))
        if left < right:
            ids = [m.id for m in inside if not m.related and m.start <= left and m.end >= right and m.start < m.end]
            related = [m.id for m in inside if m.related and m.start <= left and m.end >= right and m.start < m.end]
            out.append(Piece(text[left:right].replace("\n", ""), ids, related, worst(severity[i] for i in ids)))
    return out


def spans_of(findings: list[Located]) -> list[tuple[int, int, list]]:
    return [(f.finding.start, f.finding.end, f.related) for f in findings]


def marks_of(text: str, spans: list[tuple[int, int, list]], ids: list[str]) -> list[Mark]:
    """Highlights of findings given as (start, end, related places) in the logical text."""
    marks = []
    for (start, end, related), id_ in zip(spans, ids):
        if not text[start:end].strip("\n"):
            end = start  # nothing visible to highlight: show a point
        marks.append(Mark(start, end, id_))
        marks += [Mark(s, e, id_, related=True) for s, e, _ in related if e > s]
    return marks


def spots_of(spans: list[tuple[int, int, list]], ids: list[str]) -> list[Spot]:
    """The places each finding points at, for the rebuilt tables."""
    out = []
    for (start, end, related), id_ in zip(spans, ids):
        out.append(Spot(start, end, id_))
        out += [Spot(s, e, id_, related=True) for s, e, _ in related if e > s]
    return out


def gutter(source: Source, start: int, end: int) -> tuple[str, str]:
    """Label and tooltip naming where the logical line text[start:end] comes from."""
    number, last = source.position(start)[0], source.position(max(start, end - 1))[0]
    if source.places and number <= len(source.places):
        place = source.places[number - 1]
        return re.sub(r"第\d+列$", "", place), place
    return str(number), f"原文第 {number}–{last} 行" if last > number else f"原文第 {number} 行"


ENDS = "。！？；：”’」』）)"


def heading_ends(report: Report) -> set[int]:
    """Where a title or heading ends: a PDF line ending there ends its paragraph."""
    out = {section.heading_span.end for section in report.sections} | {sub.span.end for sub in report.subheadings}
    out |= {end for _, _, end, _, _ in report.headings}
    return out | ({report.title_span.end} if report.title_span else set())


def breaks_of(report: Report) -> set[int]:
    """Where the structure says a new display line starts: the title, headings and tables, before and after."""
    out = {span.start for span in report.tables.values()} | {span.end for span in report.tables.values()}
    for section in report.sections:
        out |= {section.heading_span.start, section.heading_span.end}
    out |= {start for _, start, _, _, _ in report.headings}
    out |= {sub.span.start for sub in report.subheadings}
    if report.title_span:
        out |= {report.title_span.start, report.title_span.end}
    return out


def display_lines(report: Report) -> list[tuple[int, int]]:
    """The logical text as readable lines: cut where the structure starts something new (crawler text arrives as
    one line), and in PDF text joined across the breaks of the printed line that do not end a sentence."""
    text, breaks = report.text, breaks_of(report)
    lines, at = [], 0
    for end in [m.start() for m in re.finditer("\n", text)] + [len(text)]:
        if CELL_SEP in text[at:end]:
            lines.append((at, end))
        else:
            cuts = sorted(b for b in breaks if at < b < end and text[at:b].strip() and text[b:end].strip())
            lines += list(zip([at, *cuts], [*cuts, end]))
        at = end + 1
    if not report.source.pdf_like:
        return lines
    joined: list[tuple[int, int]] = []
    ends = heading_ends(report)
    for start, end in lines:
        if joined:
            last_start, last_end = joined[-1]
            above, here = text[last_start:last_end].rstrip(), text[start:end]
            if (above and here.strip() and CELL_SEP not in above + here and start not in breaks
                    and not above.endswith(tuple(ENDS)) and last_end + 1 == start
                    and last_start + len(above) not in ends):
                joined[-1] = (last_start, end)
                continue
        joined.append((start, end))
    return joined


def by_line(lines: list[tuple[int, int]], marks: list[Mark]) -> list[list[Mark]]:
    """The marks that touch each display line."""
    starts = [start for start, _ in lines]
    buckets: list[list[Mark]] = [[] for _ in starts]
    for mark in marks:
        first = max(0, bisect.bisect_right(starts, mark.start) - 1)
        last = max(0, bisect.bisect_right(starts, max(mark.start, mark.end - 1)) - 1)
        for line in range(first, last + 1):
            buckets[line].append(mark)
    return buckets


def blocks_of(report: Report, marks: list[Mark], severity: dict[str, str]) -> list[Row | Table]:
    """The logical text as blocks: a text line is a Row, consecutive grid rows (cells split by TAB) a Table."""
    source = report.source
    text = source.text
    blocks: list[Row | Table] = []
    above: set[int] = set()  # where the cells of the grid row above come from in the original
    lines = display_lines(report)
    for (start, end), nearby in zip(lines, by_line(lines, marks)):
        row = Row(*gutter(source, start, end))
        line = text[start:end]
        if CELL_SEP not in line:
            row.pieces = pieces(text, start, end, nearby, severity)
            blocks.append(row)
            above = set()
            continue
        here, at, own = set(), start, None
        for field_text in line.split(CELL_SEP):
            cell = GridCell(pieces(text, at, at + len(field_text), nearby, severity))
            if field_text:
                origin = source.raw_offset(at)
                cell.repeat = origin in above and not any(p.ids or p.related for p in cell.pieces)
                here.add(origin)
            if own is None and not cell.repeat:
                own = at  # the row's first cell of its own names the row
            row.cells.append(cell)
            at += len(field_text) + 1
        above = here
        row.label, row.title = gutter(source, own, end)
        if len(blocks) > 1 and isinstance(blocks[-2], Table) and not blocks[-1].pieces:
            blocks.pop()  # a blank line inside a table (a Markdown rule line): keep the table whole
        if blocks and isinstance(blocks[-1], Table):
            blocks[-1].rows.append(row)
        else:
            blocks.append(Table([row]))
    return blocks


def where(source: Source, located: Located) -> str:
    if source.places:
        return source.place(located.line, located.column)
    return f"第 {located.line} 行第 {located.column} 列"


def file_view(index: int, result: FileResult) -> dict:
    view = {"id": f"file-{index}", "path": result.path, "name": Path(result.path).name, "error": result.error,
            "counts": {s: 0 for s in SEVERITIES},
            "title": None, "agency": None, "year": None, "format": None, "places": False}
    if result.error:
        return {**view, "blocks": [], "tables": [], "by_id": {}, "groups": [], "codes": [], "findings": []}
    report, source = result.report, result.source
    ids = [f"f{index}-{n}" for n in range(len(result.findings))]
    severity = dict(zip(ids, (f.severity for f in result.findings)))
    findings = [
        {
            **finding_object(f),
            "id": id_,
            "where": where(source, f),
            "fix_safe": f.fix_safe,
            "related": [what for _, _, what in f.related],
            "terms": terms(report, f.evidence),
        }
        for id_, f in zip(ids, result.findings)
    ]
    groups = []
    for level in SEVERITIES:
        of_level = [f for f in findings if f["severity"] == level]
        view["counts"][level] = len(of_level)
        codes = sorted({f["code"] for f in of_level})
        if codes:
            groups.append({"severity": level, "rules": [(code, [f for f in of_level if f["code"] == code]) for code in codes]})
    return {
        **view,
        "title": report.title, "agency": report.agency, "year": report.year, "format": report.format,
        "places": bool(source.places),
        "blocks": blocks_of(report, marks_of(source.text, spans_of(result.findings), ids), severity),
        "tables": table_views(report, spots_of(spans_of(result.findings), ids), severity),
        "groups": groups,
        "codes": [(code, len(items)) for group in groups for code, items in group["rules"]],
        "findings": findings,
        "by_id": {f["id"]: f for f in findings},
    }


def json_script(data: object) -> str:
    """JSON safe inside <script>: '<', '>' and '&' written as \\u escapes (so no '</script>' or '<!--')."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def entry(result: FileResult, located: Located, color: bool = False) -> None:
    """The page is drawn from the reports themselves (:class:`Writer` keeps them)."""
    return None


class Writer:
    """The review page shows every report's whole text: it keeps the results (reports included) and draws the
    page at the end; meant for the tens of reports an editor goes through, not for thousands."""

    needs_reports = True

    def __init__(self, **_) -> None:
        self.results: list[FileResult] = []

    def file(self, record) -> str:
        self.results.append(record.result)
        return ""

    def close(self, summary: dict) -> str:
        return render(self.results, summary)


def render(results: list[FileResult], summary: dict) -> str:
    import jinja2
    from markupsafe import Markup

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(ASSETS), autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.globals["format_name"] = format_name
    files = [file_view(n, result) for n, result in enumerate(results)]
    data = {
        "version": 1,
        "files": [{"path": f["path"], "agency": f["agency"], "year": f["year"], "error": f["error"],
                   "findings": f["findings"]} for f in files],
        "summary": summary,
    }
    script = (ASSETS / "review.js").read_text(encoding="utf-8")
    return environment.get_template("review.html.j2").render(
        files=files,
        total=sum(len(f["findings"]) for f in files),
        totals={level: sum(f["counts"][level] for f in files) for level in SEVERITIES},
        rules=fired_rules(results),
        summary=summary,
        severity_zh=SEVERITY_ZH,
        severities=SEVERITIES,
        version=__version__,
        style=Markup("".join((ASSETS / name).read_text(encoding="utf-8") for name in ("review.css", "tables.css"))),
        script=Markup(script),
        script_hash="sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode(),
        data=Markup(json_script(data)),
    )
