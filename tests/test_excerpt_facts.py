"""Narrative figures of 71 agencies never used to write the patterns: the facts of
tests/data/excerpt-facts.yaml (read by hand from tests/fixtures/corpus/excerpts-dev.jsonl) are
recognised with their keys, nothing else is bound, and with a table built from those facts a changed
figure is reported at the figure."""

from __future__ import annotations

import dataclasses
import fnmatch
import json
from array import array
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from conftest import CORPUS
from gidraft.report.build import build_report
from gidraft.report.layout import layout
from gidraft.report.model import Cell, Span
from gidraft.rules import fees, narrative
from gidraft.rules.loader import load_rules
from gidraft.sources.model import Source

FACTS = yaml.safe_load((Path(__file__).parent / "data" / "excerpt-facts.yaml").read_text(encoding="utf-8"))["facts"]
EXCERPTS = [json.loads(line) for line in (CORPUS / "excerpts-dev.jsonl").read_text(encoding="utf-8").splitlines()]
RULES = {r.code: r for r in load_rules() if r.code in ("N101", "N102")}
FIGURES = [f for f in FACTS if "figure" in f and not f.get("silent") and not f["keys"][0].startswith("fees.")]
NONE = [f for f in FACTS if "figure" not in f and not f["keys"][0].startswith("fees.")]


def source(text: str, name: str) -> Source:
    return Source(name, "txt", text, text, array("l", range(len(text))))


def text_of(index: int) -> str:
    excerpt = EXCERPTS[index]
    return f"{excerpt['title']}\n{excerpt['text']}"


@lru_cache(maxsize=None)
def report_of(index: int, text: str | None = None):
    """The excerpt as a report, in the format its year requires (an excerpt holds no table to tell it)."""
    report = build_report(source(text or text_of(index), f"<excerpt {index}>"))
    year = EXCERPTS[index]["year"]
    return dataclasses.replace(report, layout=layout("2019" if year and year < 2021 else "2021"))


def expand(templates: list[str], report) -> set[str]:
    known = report.layout.keys()
    return {k for t in templates for k in (fnmatch.filter(known, t) if "*" in t else [t])}


def figure_at(fact: dict, text: str) -> int:
    return text.index(fact["said"]) + fact["said"].index(fact["figure"])


def bound(fact: dict, report) -> list[narrative.Match]:
    """The recognised facts at this statement: at its figure, or overlapping it for a statement of none."""
    text = report.text
    if "figure" in fact:
        at = figure_at(fact, text)
        return [m for m in narrative.matches(report) if m.quantity and m.quantity.start == at]
    start = text.index(fact["said"])
    end = start + len(fact["said"])
    return [m for m in narrative.matches(report) if m.quantity is None and m.start < end and start < m.end]


def judged(fact: dict) -> str:
    """right | wrong | missed (for a silent fact: silent | wrong)."""
    report = report_of(fact["excerpt"])
    if not fact.get("silent") and fact["keys"][0] == "fees.info_processing_yuan":
        start = report.text.index(fact["said"])
        hits = [s for s in fees.statements(report) if s.start < start + len(fact["said"]) and start < s.end]
        return "right" if any(s.yuan == fact["value"] for s in hits) else "missed"
    found = bound(fact, report)
    if fact.get("silent"):
        return "wrong" if found else "silent"
    if not found:
        return "missed"
    wanted = expand(fact["keys"], report)
    if "figure" in fact:
        ok = all(set(m.keys) == wanted for m in found) and all(m.quantity.value == fact["value"] for m in found)
    else:
        ok = all(set(m.keys) <= wanted for m in found)
    return "right" if ok else "wrong"


def test_the_hand_written_facts_quote_the_excerpts():
    for fact in FACTS:
        text = EXCERPTS[fact["excerpt"]]["text"]
        assert text.count(fact["said"]) == 1, fact
        assert "figure" not in fact or fact["figure"] in fact["said"], fact


def test_excerpt_facts_are_recognised_with_their_keys():
    outcomes = {id(f): judged(f) for f in FACTS}
    wrong = [(f["excerpt"], f["said"]) for f in FACTS if outcomes[id(f)] == "wrong"]
    sure = [f for f in FACTS if not f.get("silent") and f.get("sure", True)]
    missed = [(f["excerpt"], f["said"]) for f in sure if outcomes[id(f)] != "right"]
    assert wrong == []
    assert len(missed) <= 0.05 * len(sure), missed


def given_cells(fact: dict, report, value) -> dict:
    keys = sorted(expand(fact["keys"], report))
    end = len(report.text)
    return {k: Cell(k, value if i == 0 else 0, str(value if i == 0 else 0), Span(end, end)) for i, k in enumerate(keys)}


def changed(fact: dict) -> str:
    """The excerpt with the stated figure changed by one."""
    text = text_of(fact["excerpt"])
    at = figure_at(fact, text)
    digits = fact["figure"].rstrip("件条宗项个份起次万元")
    assert digits.isdigit(), fact
    return text[:at] + str(int(digits) + 1) + text[at + len(digits):]


@pytest.mark.parametrize("fact", [f for f in FIGURES if f.get("sure", True)], ids=lambda f: f"{f['excerpt']}-{f['said']}")
def test_a_changed_figure_is_reported_at_the_figure(fact):
    report = report_of(fact["excerpt"])
    same = dataclasses.replace(report, cells=given_cells(fact, report, fact["value"]))
    assert [f for f in RULES["N101"].check(same) if f.severity != "info"] == []
    text = changed(fact)
    wrong = report_of(fact["excerpt"], text)
    wrong = dataclasses.replace(wrong, cells=given_cells(fact, wrong, fact["value"]))
    at = figure_at(fact, text_of(fact["excerpt"]))
    found = [f for f in RULES["N101"].check(wrong) if f.severity == "error"]
    assert [f.start for f in found] == [at]


@pytest.mark.parametrize("fact", [f for f in NONE if f.get("sure", True)], ids=lambda f: f"{f['excerpt']}-{f['said']}")
def test_a_statement_of_none_is_reported_when_the_table_has_one(fact):
    report = report_of(fact["excerpt"])
    keys = sorted(expand(fact["keys"], report))
    end = len(report.text)
    zero = {k: Cell(k, 0, "0", Span(end, end)) for k in keys}
    assert [f for f in RULES["N102"].check(dataclasses.replace(report, cells=zero)) if f.severity != "info"] == []
    found_keys = {k for m in bound(fact, report) for k in m.keys}
    one = {**zero, **{k: Cell(k, 1, "1", Span(end, end)) for k in found_keys}}
    start = report.text.index(fact["said"])
    found = [f for f in RULES["N102"].check(dataclasses.replace(report, cells=one)) if f.severity != "info"]
    assert [f for f in found if f.start < start + len(fact["said"]) and start < f.end], found
