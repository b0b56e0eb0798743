"""The doubled-character rules' segmenter gives jieba's segmentation with its whole dictionary, by construction
(gidraft/segmenter.py); checked here on every clause the rules would judge in the sample reports and in
variants of them with characters doubled and phrases repeated."""

from __future__ import annotations

import re

import pytest

from conftest import HUAIAN_TXT, PINGTAN_2021, PINGTAN_2024, SEED
from gidraft.report.build import build_report
from gidraft.rules.doubled import clause
from gidraft.rules.prose import CJK, is_prose
from gidraft.segmenter import ClauseDictionary, _jieba, build_index
from gidraft.sources import read_source


@pytest.fixture(scope="module")
def tokenizers(tmp_path_factory):
    jieba = _jieba()
    index = tmp_path_factory.mktemp("jieba") / "prefix.sqlite"
    build_index(jieba, index)
    whole = jieba.Tokenizer()
    whole.initialize()
    return ClauseDictionary(index), whole


def clauses(path) -> list[str]:
    """The windows the rules segment, around every character of prose, with a character doubled there
    (every third place) or a two-character phrase repeated (every fifth)."""
    report = build_report(read_source(str(path)))
    text, out = report.text, []
    for index, match in enumerate(re.finditer(f"[{CJK}]", text)):
        at = match.start()
        if not is_prose(report, at):
            continue
        window, _ = clause(text, at, at + 1)
        out.append(window)
        if index % 3 == 0:
            out.append(clause(text[:at + 1] + text[at:], at, at + 2)[0])
        if index % 5 == 0 and re.fullmatch(f"[{CJK}]{{2}}", text[at:at + 2]):
            out.append(clause(text[:at + 2] + text[at:], at, at + 4)[0])
    return list(dict.fromkeys(out))


@pytest.mark.parametrize("path", [SEED, HUAIAN_TXT, PINGTAN_2021, PINGTAN_2024], ids=lambda p: p.name)
def test_clause_dictionary_segments_as_the_whole_dictionary(tokenizers, path):
    clause_dictionary, whole = tokenizers
    windows = clauses(path)
    assert len(windows) > 500
    differing = [w for w in windows if clause_dictionary.lcut(w) != whole.lcut(w)]
    assert differing == []


def test_known_judgements(tokenizers):
    clause_dictionary, _ = tokenizers
    assert clause_dictionary.lcut("张丽丽认认真真地学习习近平讲话") == ["张", "丽丽", "认认真真", "地", "学习", "习近平", "讲话"]
    assert clause_dictionary.lcut("各各科室") == ["各", "各", "科室"]


def test_prefetch_finds_what_single_lookups_find(tokenizers):
    """The pieces looked up at once (by a JSON list joined with the index, or by IN lists where SQLite lacks its
    JSON functions) are answered as when each is looked up alone: entries, prefixes (frequency 0), absences."""
    lexicon = tokenizers[0]
    pieces = [text[i:j] for text in clauses(SEED)[:60] for i in range(len(text)) for j in range(i + 1, min(len(text), i + 8) + 1)]
    pieces += ["“引号”", "a'b\"c", "\\", ""]
    single = ClauseDictionary(lexicon.db.execute("PRAGMA database_list").fetchone()[2])
    expected = {piece: single.entry(piece) for piece in set(pieces)}
    assert any(v and v[0] for v in expected.values()) and any(v and not v[0] for v in expected.values()) and None in expected.values()
    for joined in {lexicon.joined, False}:  # the JSON route wherever this SQLite has it
        batch = ClauseDictionary(lexicon.db.execute("PRAGMA database_list").fetchone()[2])
        batch.joined = joined
        batch.prefetch(iter(pieces))
        assert {piece: batch.known[piece] for piece in expected} == expected
