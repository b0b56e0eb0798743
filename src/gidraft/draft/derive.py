"""Figures a data file need not type: the ones the table relations (rules/tables.yaml) determine.

Every relation instance says ``sum(left) = sum(right)`` over table cells.  When all its cells but one are
known, that one follows; filling it may leave another instance with a single unknown, so the relations are
applied until nothing changes (row totals, 总计 rows, the carry-forward column, table-4 totals, and any cell a
combination of relations pins down).  A figure the user typed is never replaced: the relation rules check it.
A value that would come out negative or fractional is not filled in (the data is inconsistent; validation
says where).
"""

from __future__ import annotations

from ..report.layout import Layout
from .schema import figure


def _instances(data: dict, lay: Layout) -> list[list[tuple[str, int]]]:
    """Each relation instance as signed terms: (key, +1) for the left side, (key, -1) for the right."""
    from ..rules.loader import load_rules
    from ..rules.tables import RELATIONS
    from .schema import data_report

    load_rules()
    report = data_report(data, lay)
    out = []
    for item, relation in RELATIONS:
        if lay.format not in item.formats:
            continue
        for _, left, right, _ in relation.instances(report):
            out.append([(k, 1) for k, _, _ in left] + [(k, -1) for k, _, _ in right])
    return out


def derive(data: dict, lay: Layout) -> list[str]:
    """Fill in place the blank figures the relations determine; the keys filled, in the order found."""
    instances = _instances(data, lay)
    filled: list[str] = []
    changed = True
    while changed:
        changed = False
        for terms in instances:
            unknown = {k for k, _ in terms if figure(data, k) is None}
            if len(unknown) != 1:
                continue
            key = unknown.pop()
            weight = sum(sign for k, sign in terms if k == key)
            if weight == 0:
                continue
            rest = sum(sign * figure(data, k) for k, sign in terms if k != key)
            value = -rest / weight
            if value < 0 or value != int(value):
                continue
            table, row, col = key.split(".")
            data[table][row][col] = int(value)
            filled.append(key)
            changed = True
    return filled
