"""The cheap tests before a regular expression is run must never lose a match (rules/prefilter.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import HUAIAN_TXT, PINGTAN_2021, PINGTAN_2024, SEED
from gidraft.report.build import build_report
from gidraft.rules import narrative
from gidraft.resources import data_dir
from gidraft.rules.loader import load_rules, read_rule_file
from gidraft.rules.prefilter import MultiPattern, Search, required_text, start_chars
from gidraft.rules.words import _entry
from gidraft.sources import read_source

RULES = {r.code: r for r in load_rules()}
REPORTS = [SEED, HUAIAN_TXT, PINGTAN_2021, PINGTAN_2024]


@pytest.mark.parametrize(
    ("pattern", "chars"),
    [
        ("做为", {"做"}),
        ("(?<![样么])做为(?!了)", {"做"}),
        ("(?:结果)?(?:被|获)?维持", {"结", "被", "获", "维"}),
        ("[甲乙]丙|丁", {"甲", "乙", "丁"}),
        ("(?i:a)b", None),  # case-insensitive: not a known set
        ("x*", None),  # may match the empty string
        (".做", None),
        ("[^做]为", None),
    ],
)
def test_start_chars(pattern, chars):
    assert start_chars(re.compile(pattern)) == (frozenset(chars) if chars else None)


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        ("(?:收到|受理)(?:各类)?申请共\ue000", ("申请共",)),
        ("(?:结果)?(?:被|获)?维持(?:原决定)?", ("维持",)),
        ("(?:办结|答复完毕)", ("办结", "答复完毕")),
        ("(?:甲|乙丙)?", None),  # optional: nothing is required
        ("(?=申请)x", ("x",)),  # a look-ahead is not part of the match
    ],
)
def test_required_text(pattern, needs):
    assert required_text(re.compile(pattern)) == needs


def _texts() -> list[str]:
    return [read_source(str(p)).text for p in REPORTS]


def test_word_list_matches_are_those_of_one_alternation():
    """L201's MultiPattern finds exactly what the alternation of all its entries finds, on the real
    reports and on every example sentence (which contain the words, so each entry is exercised)."""
    words = RULES["L201"]
    path = data_dir("rules") / "language" / "confusables.yaml"
    patterns = [_entry(raw, "warning", str(path)).pattern for raw in read_rule_file(path)[0]["entries"]]
    alternation = re.compile("|".join(f"(?:{p.pattern})" for p in patterns))
    matcher = MultiPattern(patterns)
    texts = _texts() + ["。".join(words.examples["fire"]), "。".join(words.examples["silent"])]
    for text in texts:
        expected = [(m.start(), m.end()) for m in alternation.finditer(text)]
        got = [(m.start(), m.end()) for _, m in matcher.finditer(text)]
        assert got == expected
        for index, match in matcher.finditer(text):
            own = patterns[index].match(text, match.start())
            assert own and own.end() == match.end()
            assert not any(p.match(text, match.start()) for p in patterns[:index])  # the first in list order


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text("做为作参见加截止至", min_size=1, max_size=3), min_size=1, max_size=6),
       st.text("做为作参见加截止至。x", max_size=40))
def test_multipattern_equals_the_alternation_on_any_text(words, text):
    patterns = [re.compile(re.escape(w)) for w in words] + [re.compile("(?<!参)见(?=加)")]
    alternation = re.compile("|".join(f"(?:{p.pattern})" for p in patterns))
    assert [m.span() for _, m in MultiPattern(patterns).finditer(text)] == [m.span() for m in alternation.finditer(text)]


def test_fact_searches_find_what_the_patterns_find():
    """Every narrative fact pattern, run through its Search, finds the same matches on the masked text
    of the real reports as the plain pattern does."""
    searched = 0
    for path in REPORTS:
        masked = narrative.masked_of(build_report(read_source(str(path)))).text
        for _, facts, _ in narrative.FACT_RULES:
            for fact in facts:
                for search in fact.searches:
                    expected = [m.span() for m in search.pattern.finditer(masked)]
                    assert [m.span() for m in search.finditer(masked)] == expected, search.pattern.pattern
                    searched += bool(expected)
    assert searched >= 20  # the reports do contain facts: the comparison is not vacuous


def test_rule_module_searches_find_what_their_patterns_find():
    """Searches declared by the Python rule modules (DASH, HALF_MARK …) against their plain patterns."""
    import importlib

    from gidraft.rules.loader import python_rule_modules

    searches = [value for name in python_rule_modules() for value in vars(importlib.import_module(name)).values()
                if isinstance(value, Search)]
    assert len(searches) >= 5
    texts = _texts() + ["政务公开--透明政府建设。共1,234件，占比12%。情况.政策,通过。2019年至2018年。…… 10件，占50%"]
    for search in searches:
        for text in texts:
            assert [m.span() for m in search.finditer(text)] == [m.span() for m in search.pattern.finditer(text)]
