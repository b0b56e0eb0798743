"""Tables 二, 三 and 四 rebuilt from a report's cells by their stable data keys.

Whatever shape the report arrived in (a Word grid, crawler text with run-together digits, PDF lines), the
figures sit under the headers of the official format (``rules/formats/*.yaml``): the table is drawn from
``Report.cells`` and ``Report.layout``, not from the text.  A cell is marked when a finding's span covers it
(the cell held to be wrong) or when it is one of the finding's related places (the other figures of the
broken relation); the findings of a table are listed under it with their messages, which state the
relation with its figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..report.model import Cell, Report

TITLES = {"t2": "表二　主动公开政府信息情况", "t3": "表三　收到和处理政府信息公开申请情况",
          "t4": "表四　政府信息公开行政复议、行政诉讼情况"}


@dataclass
class Spot:
    """A place findings point at: (start, end) in the logical text with the finding's id."""

    start: int
    end: int
    id: str
    related: bool = False


@dataclass
class ViewCell:
    key: str
    text: str  # the figure as printed, "" when blank or missing
    status: str  # ok | blank | unreadable | missing
    ids: list[str] = field(default_factory=list)  # findings holding this cell wrong
    related: list[str] = field(default_factory=list)  # findings whose relation involves this cell
    severity: str = ""


@dataclass
class ViewRow:
    label: str
    cells: list[ViewCell]
    header: list[str] | None = None  # table 2: the column headers when they change from the row above


@dataclass
class ViewTable:
    key: str
    title: str
    header: list[str]  # column headers (table 3 and 4); table 2 carries them per row group
    groups: list[tuple[str, int]]  # table 4: the group headers with their column spans
    rows: list[ViewRow]
    findings: list[str]  # ids of findings placed in this table

    @property
    def found(self) -> bool:
        return any(c.status != "missing" for row in self.rows for c in row.cells)


def _overlaps(span, spot: Spot) -> bool:
    if spot.start == spot.end:
        return span.start <= spot.start < max(span.end, span.start + 1)
    return spot.start < span.end and spot.end > span.start


def _cell(report: Report, key: str, spots: list[Spot], severity: dict[str, str]) -> ViewCell:
    from ..severity import SEVERITY_RANK

    cell: Cell | None = report.cells.get(key)
    if cell is None:
        return ViewCell(key, "", "missing")
    text = cell.text if cell.status != "unreadable" else cell.text or "？"
    view = ViewCell(key, text.strip(), cell.status)
    if cell.status == "missing":
        return view
    for spot in spots:
        if _overlaps(cell.span, spot):
            target = view.related if spot.related else view.ids
            if spot.id not in target:
                target.append(spot.id)
    view.related = [i for i in view.related if i not in view.ids]
    view.severity = max((severity[i] for i in view.ids), key=SEVERITY_RANK.__getitem__, default="")
    return view


def terms(report: Report, evidence: dict) -> list[tuple[str, str]]:
    """The figures a relation finding names (its evidence keys), each with a short label: the part that differs
    between the keys (the column when they share a row, the row when they share a column)."""
    layout = report.layout
    keys = [k for k in evidence if isinstance(k, str) and k in report.cells]
    if len(keys) < 2:
        return []
    parts = [k.split(".") for k in keys]
    out = []
    for key, (table, row, col) in zip(keys, parts):
        same_row = all(p[1] == row for p in parts)
        same_col = all(p[2] == col for p in parts)
        if same_row and not same_col and table == "t2":
            label = next((dict(r.columns).get(col, col) for r in layout.t2 if r.key == row), col)
        elif same_row and not same_col:
            label = layout.part_label(table, 2, col)
        elif same_col and not same_row:
            label = layout.part_label(table, 1, row)
        else:
            label = layout.label_of(key)
        value = evidence[key]
        out.append((label, "—" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))))
    return out


def table_views(report: Report, spots: list[Spot], severity: dict[str, str]) -> list[ViewTable]:
    """The three tables of the report's format, every figure under its header, marked by the findings."""
    layout = report.layout
    tables = []
    rows, above = [], None
    for row in layout.t2:
        header = [label for _, label in row.columns]
        cells = [_cell(report, f"t2.{row.key}.{col}", spots, severity) for col, _ in row.columns]
        rows.append(ViewRow(row.label, cells, header if header != above else None))
        above = header
    tables.append(ViewTable("t2", TITLES["t2"], [], [], rows, []))
    t3 = [ViewRow(row.label, [_cell(report, f"t3.{row.key}.{col}", spots, severity) for col, _ in layout.t3_columns])
          for row in layout.t3_rows]
    tables.append(ViewTable("t3", TITLES["t3"], [label for _, label in layout.t3_columns], [], t3, []))
    t4 = [ViewRow("", [_cell(report, f"t4.{group}.{col}", spots, severity)
                       for group, _ in layout.t4_groups for col, _ in layout.t4_columns])]
    tables.append(ViewTable("t4", TITLES["t4"], [label for _ in layout.t4_groups for _, label in layout.t4_columns],
                            [(label, len(layout.t4_columns)) for _, label in layout.t4_groups], t4, []))
    for table in tables:
        table.findings = list(dict.fromkeys(i for row in table.rows for c in row.cells for i in c.ids))
    return tables
