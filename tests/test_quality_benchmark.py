"""The quality benchmark's injectors make the defect they claim, and its judge tells a found defect from a
new false alarm.  (The benchmark itself is run by hand: ``python benchmarks/quality.py``.)"""

from __future__ import annotations

import random
import re

import pytest
from conftest import HUAIAN_TXT, PINGTAN_2021, benchmark_module

pytest.importorskip("pypinyin")


quality = benchmark_module("quality_benchmark", "quality.py")


@pytest.fixture(scope="module")
def gidraft():
    return quality.Gidraft()


@pytest.fixture(scope="module")
def language():
    return quality.Language()


@pytest.fixture(scope="module")
def huaian(gidraft):
    return quality.report_sample(gidraft, HUAIAN_TXT)


@pytest.fixture(scope="module")
def words(huaian, language):
    return quality.prose_words(huaian, language)


def inject(injector, sample, words, language, limit=8):
    mutants = injector(sample, words, language, random.Random(3), limit)
    assert len(mutants) == limit
    return [(m, m.apply(sample.raw)) for m in mutants]


def test_doubled_character_is_doubled_inside_a_word_and_not_a_reduplication(huaian, words, language):
    for mutant, raw in inject(quality.inject_doubled, huaian, words, language):
        a, b = mutant.place
        assert b - a == 2 and raw[a] == raw[a + 1] == mutant.new
        word, new = mutant.words
        assert new in raw and len(new) == len(word) + 1 and new.replace(mutant.new * 2, mutant.new, 1) == word
        assert language.word(word) and not language.word(mutant.new * 2)
        assert huaian.raw[a - 1:a] != mutant.new and huaian.raw[a + 1:a + 2] != mutant.new  # not a triple


def test_repeated_word_is_written_twice(huaian, words, language):
    for mutant, raw in inject(quality.inject_repeated, huaian, words, language):
        word = mutant.words[0]
        a, b = mutant.place
        assert raw[a:b] == word * 2 and huaian.raw[a:a + len(word)] == word and 2 <= len(word) <= 4


def changed_at(mutant) -> int:
    word, new = mutant.words
    (i,) = [i for i, (x, y) in enumerate(zip(word, new, strict=True)) if x != y]
    return i


def test_pinyin_substitution_sounds_the_same_and_is_no_word(huaian, words, language):
    for mutant, raw in inject(quality.inject_pinyin, huaian, words, language):
        word, new = mutant.words
        i = changed_at(mutant)
        assert raw[mutant.start - i:mutant.start - i + len(new)] == new and huaian.raw[mutant.start] == word[i]
        assert language.pinyin(new[i]) == [language.pinyin(word)[i]]  # tone-insensitive, in context
        assert language.word(word) and not language.word(new)


def test_shape_substitution_uses_a_similar_character_and_is_no_word(huaian, words, language):
    for mutant, raw in inject(quality.inject_shape, huaian, words, language, limit=4):
        word, new = mutant.words
        i = changed_at(mutant)
        assert new[i] == mutant.new in quality.SHAPE[word[i]] and raw[mutant.start - i:][:len(new)] == new
        assert language.word(word) and not language.word(new)


def test_deleted_character_leaves_no_word(huaian, words, language):
    for mutant, raw in inject(quality.inject_deleted, huaian, words, language):
        word, rest = mutant.words
        assert len(raw) == len(huaian.raw) - 1 and huaian.raw[mutant.start] == mutant.old
        assert len(rest) == len(word) - 1 and (not language.word(rest) or len(rest) == 1)
        assert rest in raw


def test_table_cell_mutant_changes_exactly_that_cell_as_re_extracted(gidraft, huaian):
    before = quality.flatten(gidraft.extract(gidraft.check(HUAIAN_TXT)))
    mutants = quality.inject_cells(huaian, random.Random(5), 6)
    assert len(mutants) == 6
    for mutant in mutants:
        after = quality.flatten(gidraft.extract(gidraft.check_text(huaian.filename, mutant.apply(huaian.raw))))
        changed = {k for k in before if before[k] != after.get(k)}
        assert changed == {mutant.key}
        assert abs(after[mutant.key] - before[mutant.key]) == 1 and len(mutant.new) == len(mutant.old)


def test_report_defects_change_what_they_claim(huaian, language):
    rng = random.Random(2)
    deleted, misspelt = quality.inject_headings(huaian, language, rng, 6)
    assert len(deleted) == len(misspelt) == 6
    for mutant in deleted:
        assert re.match(r"[一二三四五六]、", mutant.old) and mutant.new == ""
        assert huaian.raw.count(mutant.old) > mutant.apply(huaian.raw).count(mutant.old)
    for mutant in misspelt:
        assert len(mutant.old) == len(mutant.new) == 1 and mutant.old != mutant.new
    for mutant in quality.inject_row_labels(huaian, language, rng, 6):
        label = huaian.raw[mutant.place[0]:mutant.place[1] + (1 if not mutant.new else 0)]
        assert mutant.old in label and label in quality.row_labels(huaian.report)[mutant.key]
    (year,) = quality.inject_year(huaian, rng)
    assert abs(int(year.new) - int(year.old)) == 1 and year.old == "2024"
    for mutant in quality.inject_narrative(huaian, rng, 4) + quality.inject_total(huaian, rng, 4):
        assert not huaian.report.in_table(mutant.start) and int(mutant.new) != int(mutant.old)


def test_judge_counts_the_finding_at_the_place_and_a_new_one_elsewhere_as_false(gidraft):
    sample = quality.report_sample(gidraft, PINGTAN_2021)
    at = sample.raw.index("审核审核")  # a real doubled word, already found in the clean original
    mutant = quality.Mutant("doubled-char", sample.name, 100, "", "x", (99, 101), "test")
    shifted = [quality.Found(f.code, f.severity, f.start + (1 if f.start >= 100 else 0),
                             f.end + (1 if f.end > 100 else 0), f.message) for f in sample.findings]
    assert at > 100 and any(f.code == "L102" for f in shifted)
    outcome = quality.judge(mutant, sample.findings, shifted, sample.raw)
    assert not outcome.found and outcome.false == []  # the clean findings, moved by the edit, are not new
    hit = quality.Found("L101", "error", 99, 101, "重复")
    elsewhere = quality.Found("L201", "warning", 400, 402, "易混")
    outcome = quality.judge(mutant, sample.findings, shifted + [hit, elsewhere], sample.raw)
    assert outcome.found and len(outcome.hit) == 1 and len(outcome.false) == 1 and "L201" in outcome.false[0]


@pytest.mark.parametrize("text, total, why", [
    ("全年办理申请7件，其中自然人6件，法人1件，予以公开1件，本机关不掌握4件，不予公开1件，其他1件。", "7件", "breakdown"),
    ("人大代表建议17件、政协委员提案33件，目前，50件建议和提案已全部办理。", "50件", "breakdown"),
    ("主动公开信息共20条，其中：动态10条；通知10条。", "20条", "breakdown"),
    ("刊发稿件40篇，其中国家级10篇、省级10篇；自主运营媒体刊发稿件20篇。", "40篇", None),
    ("发布信息77条，其中年度报告1条，招标信息37条，交易信息27条，动态信息4条，公告信息6条，提案2条，机构职能1条。", "77条", None),
    ("发布信息9条，其中新闻1条，通知5条，公告4条。", "9条", None),
], ids=["two-lists", "parts-before", "listed-across-semicolons", "semicolon", "left-over", "middle-run"])
def test_a_total_is_checkable_only_by_the_parts_the_text_gives(text, total, why):
    """The narrative-total injector takes a total as a breakdown only where the text gives its parts: a change
    the report itself cannot contradict is no defect anyone can find."""
    at = text.index(total)
    assert quality.checkable_total(text, at, int(total[:-1]), total[-1], set()) == why
