"""The genre's word counts: how often reports of other agencies write each two-character dictionary word
(rules/language/genre-frequency.txt, built by benchmarks/build_genre_frequency.py), which the typo rule L103 reads."""

from __future__ import annotations

import pytest
from conftest import CORPUS, benchmark_module

from gidraft.report.build import build_report
from gidraft.rules.loader import load_rules
from gidraft.rules.typos import GENRE_PENALTY, genre_counts, genre_rarity, judge_for
from gidraft.sources import read_source

L103 = next(r for r in load_rules() if r.code == "L103")


def test_the_shipped_counts_tell_the_genre_words_from_those_of_general_prose():
    """Reports write 申请 and 公开 far more often than general prose does, 两位 and 专用 far less."""
    counts, words, unseen = genre_counts()
    assert words > 50_000 and int(counts["申请"]) > 100 and all(len(word) == 2 for word in counts)
    assert 0.1 < unseen < 0.9
    judge = judge_for()
    assert genre_rarity(judge, "申请") == genre_rarity(judge, "公开") == 0.0
    assert genre_rarity(judge, "两位") == GENRE_PENALTY and genre_rarity(judge, "专用") > 0.5


@pytest.mark.parametrize("word", ["铸件", "重创", "鼻子"])
def test_a_word_the_counts_never_met_is_as_rare_in_the_genre_as_the_words_not_counted_are(word):
    """Katz's backing off: the words not counted take a share of jieba's occurrences (``unseen``) many times the share
    the discount leaves them in the genre, so a correction into a word of general prose the counts never met (铸牢 →
    铸件, 众创 → 重创, 箅子 → 鼻子) needs the full penalty, however rare jieba finds it: 0.5 occurrences over the
    words counted would make 铸件 (58 in jieba) as common in reports as in general prose."""
    counts, words, unseen = genre_counts()
    judge = judge_for()
    assert word not in counts and judge.freq(word) < 2000
    assert genre_rarity(judge, word) == GENRE_PENALTY


@pytest.mark.parametrize("phrase, wrong", [("加强两微一端建设", "两微"), ("依托政务专网", "专网"), ("孵化器、众创空间认定", "众创"),
                                           ("铸牢中华民族共同体意识", "铸牢"), ("凝心聚力、攻坚克难", "凝心")])
def test_a_genre_word_is_not_corrected_into_a_word_the_genre_does_not_write(tmp_path, phrase, wrong):
    """两微 → 两位 and 专网 → 专用 raise the sentence's probability under jieba, but reports of other agencies write
    两位 and 专用 far less often than general prose does, and this report never writes them."""
    text = (CORPUS / "pingtan-2019.web.txt").read_text(encoding="utf-8")
    at = text.index("。", text.index("政府信息公开")) + 1
    path = tmp_path / "report.txt"
    path.write_text(text[:at] + f"全年{phrase}。" + text[at:], encoding="utf-8")
    report = build_report(read_source(str(path)))
    assert wrong in report.text
    assert not [f for f in L103.run(report) if report.text[f.start:f.end] == wrong]


def test_the_builder_counts_each_agency_as_one_document_and_dictionary_words_only(tmp_path):
    """Two files of one agency are one document, in which a word counts at most twice; 推文 (no dictionary word) and
    发辉 (a slip) are not counted."""
    folder = tmp_path / "crawl"
    folder.mkdir()
    files = {"001.txt": ("甲县统计局", "依申请公开政府信息。受理申请。"), "002.txt": ("甲县统计局", "全年发布推文533条，充分发辉作用，办理申请。"),
             "003.txt": ("乙区民政局", "全年发布推文120篇，受理申请2件。"), "004.txt": ("丙市财政局", "依申请公开。")}
    rows = ["file\turl\tyear\tagency"]
    for name, (agency, text) in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        rows.append(f"{name}\thttp://example.gov.cn/{name}\t2023\t{agency}")
    (folder / "index.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "_work").mkdir()
    (folder / "_work" / "raw.txt").write_text("申请申请", encoding="utf-8")  # a subfolder is not read
    module = benchmark_module("build_genre_frequency", "build_genre_frequency.py")
    texts = list(module.documents([folder]).values())
    assert len(texts) == 3
    counted = dict(module.occurrences(texts))
    assert counted["申请"] == 2 + 1 + 1 and counted["受理"] == 2 and counted["发布"] == 2
    assert "推文" not in counted and "发辉" not in counted
    output = tmp_path / "genre-frequency.txt"
    assert module.main([str(folder), "-o", str(output)]) == 0
    lines = output.read_text(encoding="utf-8").splitlines()
    characters = sum(len(c) for text in texts for c in module.CLAUSE.findall(text))
    assert "documents\t3" in lines and f"characters\t{characters}" in lines and "申请\t4" in lines
    unseen = next(float(line.split("\t")[1]) for line in lines if line.startswith("unseen\t"))
    dictionary = module.dictionary()
    assert unseen == pytest.approx(sum(f for w, f in dictionary.items() if len(w) == 2 and w not in counted)
                                   / sum(dictionary.values()), abs=1e-6)
