"""The official table layouts of the two format versions, read from ``rules/formats/``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..cache import compiled
from ..resources import load_yaml

FORMATS = ("2019", "2021")


@dataclass(frozen=True)
class Row:
    """One table row: its stable key, its label and the pattern that finds the label."""

    key: str
    label: str
    pattern: re.Pattern
    short: str = ""  # a short name for messages (本年新收); the label when empty
    columns: tuple[tuple[str, str], ...] = ()  # (key, label) - table 2 rows only
    signed: frozenset = frozenset()
    money: frozenset = frozenset()


@dataclass(frozen=True)
class SectionSpec:
    """One top-level section of the format."""

    key: str
    number: str
    canonical: str  # found by its wordings and key words (gidraft.report.sections), not by a pattern


@dataclass(frozen=True)
class Layout:
    """What one format version's report holds: its sections, tables, rows and columns."""

    format: str
    document: str
    markers: tuple[str, ...]
    sections: tuple[SectionSpec, ...]
    t2: tuple[Row, ...]
    t3_rows: tuple[Row, ...]
    t3_columns: tuple[tuple[str, str], ...]
    t4_groups: tuple[tuple[str, str], ...]
    t4_columns: tuple[tuple[str, str], ...]
    t2_cell_notes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # column key -> words of a note naming it
    t3_format: str = ""  # whose （六）其他处理 rows table 3 has: this format's, or the other's in a mixed table

    def __reduce__(self):
        return layout, (self.format, self.t3_format)  # sent to and from batch workers by name, not by value

    @property
    def mixed(self) -> bool:
        """Table 3 is laid out in another format version's rows than the report's own."""
        return self.t3_format != self.format

    def t3_variant(self, fmt: str) -> Layout:
        """This layout with table 3 in the rows of format ``fmt``."""
        return layout(self.format, fmt)

    def t3_label(self, key: str) -> str:
        return next((row.label for row in self.t3_rows if row.key == key), key)

    def key_sets(self) -> dict[str, list[tuple[str, str]]]:
        """Named sets of key parts used by table relations: name -> [(key, short label)]."""
        rows = [(row.key, row.short or row.label) for row in self.t3_rows]
        keys = [key for key, _ in rows]
        return {
            "columns": list(self.t3_columns),
            "applicants": [c for c in self.t3_columns if c[0] != "total"],
            "rows": rows,
            "results": rows[keys.index("granted"):keys.index("processed_total")],
            "groups": list(self.t4_groups),
            "parts": [c for c in self.t4_columns if c[0] != "total"],
        }

    def part_label(self, table: str, position: int, part: str) -> str:
        """Short Chinese name of one component (row or column) of a key."""
        if table == "t3":
            names = dict(self.key_sets()["rows"]) if position == 1 else dict(self.t3_columns)
        elif table == "t4":
            names = dict(self.t4_groups) if position == 1 else dict(self.t4_columns)
        else:
            row = next((r for r in self.t2 if r.key == part), None)
            return row.label if row else part
        return names.get(part, part)

    def column_label(self, key: str) -> str:
        return dict(self.t3_columns).get(key, key)

    def keys(self) -> list[str]:
        """Every figure key of this format, in table order (t2, t3, t4)."""
        out = [f"t2.{row.key}.{col}" for row in self.t2 for col, _ in row.columns]
        out += [f"t3.{row.key}.{col}" for row in self.t3_rows for col, _ in self.t3_columns]
        out += [f"t4.{group}.{col}" for group, _ in self.t4_groups for col, _ in self.t4_columns]
        return out

    def row_name(self, key: str) -> str:
        """``表三“（一）予以公开”行`` for any key of that row."""
        table, row = key.split(".")[:2]
        if table == "t3":
            return f"表三“{self.t3_label(row)}”行"
        if table == "t4":
            return f"表四“{dict(self.t4_groups).get(row, row)}”"
        spec = next((r for r in self.t2 if r.key == row), None)
        return f"表二“{spec.label if spec else row}”行"

    def column_name(self, key: str) -> str:
        table, row, col = key.split(".")
        if table == "t3":
            return f"“{self.column_label(col)}”"
        if table == "t4":
            return f"“{dict(self.t4_columns).get(col, col)}”"
        spec = next((r for r in self.t2 if r.key == row), None)
        return f"“{dict(spec.columns).get(col, col) if spec else col}”"

    def label_of(self, key: str) -> str:
        """Chinese name of a figure key, e.g. ``表三“（一）予以公开”行“自然人”列``."""
        suffix = "列" if key.startswith(("t3.", "t2.")) else ""
        return f"{self.row_name(key)}{self.column_name(key)}{suffix}"


def _rows(spec: dict) -> tuple[Row, ...]:
    return tuple(
        Row(
            key=key,
            label=item["label"],
            short=item.get("short", ""),
            pattern=compiled(item["pattern"]),
            columns=tuple((item.get("columns") or {}).items()),
            signed=frozenset(item.get("signed", ())),
            money=frozenset(item.get("money", ())),
        )
        for key, item in spec.items()
    )


def other_rows(fmt: str) -> tuple[Row, ...]:
    """The （六）其他处理 rows of table 3 in format ``fmt``."""
    return _rows(load_yaml(f"formats/{fmt}.yaml")["t3_other_rows"])


def layout(fmt: str, t3_format: str = "") -> Layout:
    """The layout of format ``fmt``; ``t3_format``: table 3 in that format's rows (a mixed table)."""
    return _layout(fmt, t3_format or fmt)


@lru_cache(maxsize=None)
def _layout(fmt: str, t3_format: str) -> Layout:
    common = load_yaml("formats/common.yaml")
    own = load_yaml(f"formats/{fmt}.yaml")
    sections = tuple(
        SectionSpec(s["key"], s["number"], s["canonical"]) for s in common["sections"]
    )
    t3 = common["t3"]
    return Layout(
        format=fmt,
        document=own["document"],
        markers=tuple(own["markers"]),
        sections=sections,
        t2=_rows(own["t2"]),
        t3_rows=_rows(t3["rows"]) + other_rows(t3_format) + _rows(t3["rows_after"]),
        t3_columns=tuple(t3["columns"].items()),
        t4_groups=tuple(common["t4"]["groups"].items()),
        t4_columns=tuple(common["t4"]["columns"].items()),
        t3_format=t3_format,
        t2_cell_notes=tuple((key, tuple(words)) for key, words in own.get("t2_cell_notes", {}).items()),
    )


def format_name(fmt: str) -> str:
    """A format version as a reader names it: 2019 年版, 2021 年版, or the format before 2019."""
    return "2019 年以前的旧格式" if fmt == "pre2019" else f"{fmt} 年版"
