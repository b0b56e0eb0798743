"""Inline gidraft-disable / gidraft-enable regions and the word allow-list, on the seed's real defects."""

from __future__ import annotations

from conftest import SEED
from gidraft.check import check_path
from gidraft.rules.loader import load_rules
from gidraft.suppression import inline_regions

RULES = [r for r in load_rules() if r.code.startswith("L")]


def codes(path, allow=None) -> list[tuple[str, int]]:
    result = check_path(str(path), RULES, allow=allow)
    assert result.error is None, result.error
    return sorted((f.code, f.line) for f in result.findings)


def seed_with(tmp_path, *edits: tuple[str, str]):
    raw = SEED.read_text(encoding="utf-8")
    for old, new in edits:
        assert raw.count(old) == 1, old
        raw = raw.replace(old, new)
    path = tmp_path / "seed.txt"
    path.write_text(raw, encoding="utf-8")
    return path


def test_the_seed_defects_without_suppression():
    assert codes(SEED) == [("L101", 434), ("L201", 77), ("L301", 187), ("L404", 17)]


def test_a_region_silences_its_codes_only_between_disable_and_enable(tmp_path):
    path = seed_with(tmp_path, ("（九）政府信息公开保密审查", "<!-- gidraft-disable L301, L404 -->\n（九）政府信息公开保密审查"),
                     ("（十）工作考核", "<!-- gidraft-enable L301 L404 -->\n（十）工作考核"))
    assert [code for code, _ in codes(path)] == ["L101", "L201", "L404"]


def test_a_prefix_and_a_region_running_to_the_end(tmp_path):
    path = seed_with(tmp_path, ("（九）政府信息公开保密审查", "<!-- gidraft-disable L1 L3 -->\n（九）政府信息公开保密审查"))
    assert [code for code, _ in codes(path)] == ["L201", "L404"]


def test_a_bare_disable_silences_every_rule_until_a_bare_enable(tmp_path):
    path = seed_with(tmp_path, ("联系电话：", "<!-- gidraft-disable -->联系电话："), ("（一）政府信息公开的组织", "<!-- gidraft-enable -->（一）政府信息公开的组织"))
    assert [code for code, _ in codes(path)] == ["L101", "L201", "L301"]


def test_regions_are_read_from_the_raw_text():
    raw = "a<!-- gidraft-disable L101 -->b<!-- gidraft-disable -->c<!-- gidraft-enable -->d"
    end = raw.rindex("-->") + 3
    assert sorted(inline_regions(raw)) == [(1, end, "L101"), (raw.index("<!--", 2), end, "ALL")]


def test_allowed_words_are_never_flagged():
    assert codes(SEED, allow=["各各科室", "0533-312068"]) == [("L201", 77), ("L301", 187)]
    assert codes(SEED, allow=["科室公开任务"]) == codes(SEED)  # an allowed word must overlap the flagged text
