"""The narrative facts of the report samples, read by hand (tests/data/sample-facts.yaml): each is recognised
at its figure with its keys, agrees with the hand-written truth of the sample's tables, and, changed by one in
the file, is reported at the figure; a figure that is no table fact stays unbound."""

from __future__ import annotations

import fnmatch
import json
import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from conftest import SHARED

from gidraft.check import Checker
from gidraft.rules import narrative

FACTS = yaml.safe_load((Path(__file__).parent / "data" / "sample-facts.yaml").read_text(encoding="utf-8"))["facts"]
TABLE_FACTS = [f for f in FACTS if not f.get("silent")]


def fact_id(fact: dict) -> str:
    return f"{Path(fact['file']).stem}-{fact['said']}"


@cache
def checked(path: Path):
    return Checker({}).check(str(path))


def figure_offset(raw: str, fact: dict) -> int:
    """Raw offset of the fact's digits: the statement found once, a line break (and indentation) allowed
    between any two of its characters."""
    said, at = fact["said"], fact["said"].index(fact["figure"])
    pieces = [f"({re.escape(c)})" if i == at else re.escape(c) for i, c in enumerate(said)]
    found = list(re.finditer(r"(?:\n[ \t\u3000]*)?".join(pieces), raw))
    assert len(found) == 1, fact
    return found[0].start(1)


def digits(fact: dict) -> str:
    return re.match(r"\d+", fact["figure"]).group()


def reported_at(result, raw_at: int) -> list:
    """The narrative findings (not notes) whose place holds the raw offset."""
    source = result.source
    return [f.finding for f in result.findings if f.finding.code.startswith("N") and f.finding.severity != "info"
            and source.raw_offset(f.finding.start) <= raw_at < source.raw_offset(max(f.finding.end - 1, f.finding.start)) + 1]


def bound_at(result, raw_at: int) -> list[narrative.Match]:
    source = result.source
    return [m for m in narrative.matches(result.report)
            if m.quantity is not None and source.raw_offset(m.quantity.start) == raw_at]


def truth_of(fact: dict) -> dict:
    name = Path(fact["file"]).name
    for path in (SHARED / "corpus" / "truth").glob("*.json"):
        truth = json.loads(path.read_text(encoding="utf-8"))
        if any(Path(f).name == name for f in truth["files"]):
            return {f"{t}.{row}.{col}": v for t in ("t2", "t3", "t4") for row, cols in truth[t].items()
                    for col, v in cols.items()}
    raise AssertionError(f"no truth file lists {name}")


@pytest.mark.parametrize("fact", FACTS, ids=fact_id)
def test_the_fact_is_read_as_written_down(fact):
    path = SHARED / fact["file"]
    result = checked(path)
    at = figure_offset(result.source.raw, fact)
    assert result.source.raw[at:at + len(digits(fact))] == digits(fact)
    found = bound_at(result, at)
    assert reported_at(result, at) == []  # the samples state these figures right
    if fact.get("silent"):
        assert found == []
        return
    cells = truth_of(fact)
    wanted = {k for t in fact["keys"] for k in (fnmatch.filter(cells, t) if "*" in t else [t])}
    assert sum(cells[k] for k in wanted) == fact["value"] == int(digits(fact))  # the hand readings agree
    assert found and all(set(m.keys) == wanted for m in found), [(m.keys, m.note) for m in found]


@pytest.mark.parametrize("fact", TABLE_FACTS, ids=fact_id)
def test_a_figure_changed_by_one_is_reported_at_the_figure(fact, tmp_path):
    path = SHARED / fact["file"]
    raw = checked(path).source.raw
    at = figure_offset(raw, fact)
    value = int(digits(fact))
    changed = str(value + 1 if value % 10 != 9 else value - 1)  # the same number of digits
    mutant = tmp_path / path.name
    mutant.write_text(raw[:at] + changed + raw[at + len(digits(fact)):], encoding="utf-8")
    result = Checker({}).check(str(mutant))
    assert reported_at(result, at), [(f.finding.code, f.finding.message) for f in result.findings]
