"""The report model: what structure detection finds in a :class:`~gidraft.sources.Source`."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..sources.model import Source
from .layout import Layout

PRE2019 = "pre2019"  # Report.format of a report in the structure used before the 2019 format


@dataclass(slots=True)
class Span:
    """A stretch of the logical text."""

    start: int  # logical offsets in Source.text, end exclusive
    end: int

    def __reduce__(self):  # as a plain tuple: a report holds hundreds, and batch workers send them back
        return Span, (self.start, self.end)


@dataclass(slots=True)
class Cell:
    """One table cell as read: its value, printed text and place."""

    key: str  # t3.granted.natural_person
    value: int | float | None  # None: blank, "/", "-", "—" or unreadable
    text: str  # as printed ("" when the cell is missing altogether)
    span: Span
    status: str = "ok"  # ok | blank (empty, "/", "-", "—") | unreadable (digits could not be told apart) | missing (row not found)

    def __reduce__(self):
        return Cell, (self.key, self.value, self.text, self.span, self.status)


@dataclass
class Section:
    """A top-level section as found: its heading and body."""

    key: str  # overview | proactive | requests | review | problems | other_matters
    number: str  # 一 … 六
    heading: str  # as written (white space removed)
    canonical: bool
    heading_span: Span
    body: Span  # from the end of the heading to the next top-level heading
    kind: str = "canonical"  # canonical | variant (a known or reworded wording) | misspelt | renamed | merged
    expected: str = ""  # the wording the heading was matched with (for a misspelt heading: the correction)
    written_number: str = ""  # the ordinal as written (another than ``number`` when the section moved)


@dataclass
class Subheading:
    """A sub-heading （一） … of a section."""

    marker: str  # （一）
    text: str
    span: Span


@dataclass
class ParseProblem:
    """Something the structure layer could not read with certainty; reported by rule T002."""

    message: str
    span: Span
    severity: str = "warning"
    kind: str = "unreadable"  # unreadable (T002) | label: a row read under a damaged label (T004)
    fix: tuple[str, str] | None = None  # (as printed, as it should read) for a damaged label
    options: list[dict] = field(default_factory=list)  # run-together digits: every reading left, {key: value}
    related: list[Span] = field(default_factory=list)  # the figures the problem is about


@dataclass
class Report:
    """A report as structured: its source, format, title, agency, year, sections and table cells."""

    source: Source
    layout: Layout
    title: str | None
    agency: str | None
    year: int | None
    format_markers: dict[str, list[str]]  # format -> marker words found
    title_span: Span | None
    sections: list[Section]
    subheadings: list[Subheading]
    cells: dict[str, Cell]
    tables: dict[str, Span]  # t2 / t3 / t4 regions
    problems: list[ParseProblem] = field(default_factory=list)
    headings: list[tuple[int, int, int, str, bool]] = field(default_factory=list)  # every top-level heading found
    pre2019: bool = False  # the report follows the structure before the 2019 format: no 2019/2021 tables

    @property
    def format(self) -> str:
        return PRE2019 if self.pre2019 else self.layout.format

    @property
    def text(self) -> str:
        return self.source.text

    def value(self, key: str) -> int | float | None:
        cell = self.cells.get(key)
        return cell.value if cell else None

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def in_table(self, index: int) -> bool:
        return any(span.start <= index < span.end for span in self.tables.values())
