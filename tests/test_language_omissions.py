"""Missing characters (L104) on real prose: the excerpts of 71 agencies and the sample reports, with one
character dropped from a word, and as they are."""

from __future__ import annotations

import pytest

from conftest import CORPUS, HUAIAN_TXT, PINGTAN_2021, SEED
from gidraft.report.build import build_report
from gidraft.rules.omissions import SURE, listed_characters, mirrored
from gidraft.rules.prose import is_prose
from gidraft.rules.typos import judge_for
from gidraft.sources import read_source
from test_language_typos import RULES, excerpts, report_of  # the excerpts and reports of the typo tests

L104 = RULES["L104"]
SAMPLES = (SEED, PINGTAN_2021, *sorted(CORPUS.glob("*.txt")), CORPUS / "shanghai-szfbgt-2025.md")


def dropped(tmp_path, phrase: str, char: str):
    """The first excerpt that writes ``phrase``, with ``char`` dropped from it there; the report and where
    the phrase now starts."""
    excerpt = next(e for e in excerpts() if phrase in e["text"])
    text = excerpt["text"]
    at = text.index(phrase)
    cut = phrase.replace(char, "", 1)
    report = report_of(tmp_path, text[:at] + cut + text[at + len(phrase):])
    return report, report.text.index(cut), cut


def near(findings, start: int, end: int):
    return [f for f in findings if f.start < end and f.end > start]


@pytest.mark.parametrize("phrase, char, word", [
    ("紧紧围绕卫生健康", "围", "紧紧围绕"),       # a four-character phrase: 紧紧|绕
    ("行政复议、行政诉讼的情况", "诉", "行政诉讼"),  # the lone half of a word (行政|讼) before 的
    ("认真贯彻落实《条例》", "贯", "贯彻落实"),     # the first character of a fixed phrase
    ("不断增强工作透明度", "明", "透明度"),        # a three-character word, before punctuation
    ("进一步完善规章制度,", "度", "规章制度"),      # a word cut short before punctuation
    ("确保公开信息的完整性", "信", "信息"),        # a two-character word's remaining half
    ("建立健全依申请公开", "全", "建立健全"),      # a phrase jieba's dictionary tags as a name (nr, frequency 3)
])
def test_a_character_dropped_from_real_prose_is_found_with_its_word(tmp_path, phrase, char, word):
    report, at, cut = dropped(tmp_path, phrase, char)
    found = near(list(L104.run(report)), at, at + len(cut))
    assert found, f"{cut} for {phrase}"
    assert found[0].fix == word and found[0].evidence["right"] == word


def test_a_clear_gap_is_a_warning_and_a_plausible_one_information(tmp_path):
    """行政讼 (a fixed four-character term with its half left) is clear; 息 for 信息 only plausible (息 is
    a word of its own in 利息, 休息 …)."""
    report, at, cut = dropped(tmp_path, "年度无行政复议、行政诉讼的情况", "诉")
    strong = near(list(L104.run(report)), at, at + len(cut))
    assert strong and strong[0].evidence["score"] >= SURE and strong[0].severity == "warning"
    report, at, cut = dropped(tmp_path, "确保公开信息的完整性", "信")
    weak = near(list(L104.run(report)), at, at + len(cut))
    assert weak and weak[0].evidence["score"] < SURE and weak[0].severity == "info"


def test_two_words_nearly_as_likely_give_no_replacement(tmp_path):
    """政府信息理: 信息管理 or 信息处理 — both are named, neither is offered as the fix."""
    report, at, cut = dropped(tmp_path, "(三)政府信息管理情况", "管")
    found = near(list(L104.run(report)), at, at + len(cut))
    assert found and found[0].fix is None and "或" in found[0].message


@pytest.mark.parametrize("phrase, char, words", [
    ("2021年政务公开工作要点", "政", ("政务", "服务", "任务", "业务")),  # 务 is left of 政务, 服务, 任务 …
    ("三是强化业务知识学习", "务", ("业务知识", "专业知识", "农业知识")),
])
def test_a_gap_with_two_likely_words_is_reported_with_both_and_no_fix(tmp_path, phrase, char, words):
    """A character is as clearly missing when two words could fill the gap: it is reported (as information)
    naming both, and nothing is offered as the fix."""
    report, at, cut = dropped(tmp_path, phrase, char)
    found = near(list(L104.run(report)), at, at + len(cut))
    assert found and found[0].fix is None and found[0].severity == "info"
    assert "或" in found[0].message and any(f"“{word}”" in found[0].message for word in words)


def test_a_character_left_out_of_a_phrase_the_report_uses_elsewhere_is_found(tmp_path):
    text = PINGTAN_2021.read_text(encoding="utf-8")
    clean = build_report(read_source(str(PINGTAN_2021)))
    after_title = clean.title_span.end + 200
    at = next(i for i in range(after_title, len(clean.text)) if clean.text.startswith("政府信息公开", i) and is_prose(clean, i))
    at = text.index(clean.text[at - 10:at + 6]) + 10
    report = report_of(tmp_path, text[:at + 3] + text[at + 4:])  # 政府信公开
    found = [f for f in L104.run(report) if f.fix == "信息"]
    assert len(found) == 1


def test_a_word_cut_by_a_line_break_is_joined_again(tmp_path):
    """PDF text breaks lines inside words' sentences: 行政复议纠错或⏎行诉讼败诉 is one clause."""
    text = (CORPUS / "shanghai-szfbgt-2025.md").read_text(encoding="utf-8")
    at = text.index("\n行政诉讼败诉")
    report = report_of(tmp_path, text[:at + 2] + text[at + 3:], "report.md")  # ⏎行诉讼
    cut = report.text.index("\n行诉讼败诉") + 1
    found = near(list(L104.run(report)), cut, cut + 3)
    assert found and found[0].evidence["right"] == "行政诉讼"


@pytest.mark.parametrize("written, last, found", [("检查况\n\n", "况", "情况"), ("检查情 况。", "情", None)])
def test_a_paragraph_that_ends_without_punctuation_ends_its_last_word(tmp_path, written, last, found):
    """A paragraph of web text may end without punctuation (保密审查及监督检查况⏎⏎, of 情况): no word goes on past a
    blank line, so its last character is judged like one before 。; past a space a word may go on (检查情 况)."""
    text = (CORPUS / "pingtan-2019.web.txt").read_text(encoding="utf-8")
    at = text.index("。", text.index("政府信息公开")) + 1
    report = report_of(tmp_path, text[:at] + "全年开展保密审查及监督" + written + text[at:])
    cut = report.text.index("检查" + last) + 2
    assert [f.fix for f in near(list(L104.run(report)), cut, cut + 1)] == ([found] if found else [])


def test_the_word_cut_short_in_the_hongze_report_is_found():
    """The Hongze report really writes 畅通⏎依申请公开受理渠。 (for 受理渠道), across a PDF line break."""
    report = build_report(read_source(str(CORPUS / "hongze-qzf-2023.pdftotext.txt")))
    found = list(L104.run(report))
    assert [(report.text[f.start - 4:f.end + 1], f.fix) for f in found] == [("公开受理渠。", "渠道")]


@pytest.mark.parametrize("path", [p for p in SAMPLES if "hongze" not in p.name], ids=lambda p: p.name)
def test_the_sample_reports_as_they_are_raise_nothing(path):
    assert list(L104.run(build_report(read_source(str(path))))) == []


def test_the_excerpts_as_they_are_raise_nothing(tmp_path):
    """71 agencies' prose: abbreviations (工信局, 区府办, 卫健委), terms jieba lacks (导办台, 政社合作, 问题工单),
    parallel items (可读、可视、可感; 政治关、法律关) and names are not words cut short."""
    found = []
    for i, excerpt in enumerate(excerpts()):
        report = report_of(tmp_path, excerpt["text"], f"e{i}.txt")
        found += [report.text[f.start - 4:f.end + 4] for f in L104.run(report)]
    assert found == []


@pytest.mark.parametrize("phrase, char", [
    ("公开的信息", "的"),        # a dropped 的 leaves prose that reads right: not guessed
    ("收到和处理", "和"),        # … and so does a dropped 和
])
def test_a_dropped_function_word_is_not_guessed(tmp_path, phrase, char):
    report, at, cut = dropped(tmp_path, phrase, char)
    assert near(list(L104.run(report)), at - 2, at + len(cut) + 2) == []


def test_a_place_name_of_the_least_frequency_shortened_is_left_alone(tmp_path):
    """南明区 (ns, jieba's least frequency, like the phrases it mistags as names) written 南区: still a name."""
    report, at, cut = dropped(tmp_path, "南明区统计局", "明")
    assert near(list(L104.run(report)), at, at + len(cut)) == []


def test_a_place_name_shortened_is_left_alone(tmp_path):
    """淮安市 written 淮市 in the Huai'an report: a name, never restored by this rule."""
    text = HUAIAN_TXT.read_text(encoding="utf-8")
    at = text.index("淮安市人民政府办公室")
    report = report_of(tmp_path, text[:at + 1] + text[at + 2:])
    cut = report.text.index("淮市人民政府办公室")
    assert near(list(L104.run(report)), cut, cut + 3) == []



def drop_at(tmp_path, number: int, phrase: str, char: str, *occurrences: int):
    """Excerpt ``number`` (1-based, as the quality benchmark counts) with ``char`` dropped from the given
    occurrences of ``phrase`` (the last by default); the report and where the first cut phrase now starts."""
    text = excerpts()[number - 1]["text"]
    places = [i for i in range(len(text)) if text.startswith(phrase, i)]
    chosen = sorted(places[k] for k in (occurrences or (-1,)))
    cut = phrase.replace(char, "", 1)
    for at in reversed(chosen):
        text = text[:at] + cut + text[at + len(phrase):]
    report = report_of(tmp_path, text)
    at = chosen[0]
    anchor = text[max(0, at - 6):at + len(cut) + 4]
    return report, report.text.index(anchor) + (at - max(0, at - 6)), cut


@pytest.mark.parametrize("number, phrase, char", [
    (25, "门户网站", "门"),   # 户|网站: the term is written intact three times in the excerpt
    (14, "年度报告", "度"),   # 年报|告: a term of jieba's least frequency (3), four times intact
    (61, "年度报告", "告"),   # 年度|报
])
def test_a_term_the_report_writes_intact_elsewhere_is_restored_where_a_character_is_missing(tmp_path, number, phrase,
                                                                                              char):
    report, at, cut = drop_at(tmp_path, number, phrase, char)
    found = near(list(L104.run(report)), at, at + len(cut))
    assert found and found[0].evidence["right"] == phrase and found[0].fix == phrase
    assert "本报告其他地方写了" in found[0].message and f"“{phrase}”" in found[0].message


def test_a_term_written_twice_with_the_same_character_missing_is_the_reports_own_wording(tmp_path):
    """户网站 written twice (门户网站 once): not one slip but the report's wording; nothing is restored."""
    report, _, _ = drop_at(tmp_path, 25, "门户网站", "门", 0, 1)
    assert [f for f in L104.run(report) if f.evidence["right"] == "门户网站"] == []


def test_a_character_seldom_written_alone_left_between_words_is_found(tmp_path):
    """服务群众需求,范开展政府信息依申请公开 (excerpt 25, 规范 dropped to 范): 范 is written inside words (规范,
    范围, 模范) far more than alone, and the report writes 规范 elsewhere."""
    report, at, cut = drop_at(tmp_path, 25, "规范", "规", 1)
    found = near(list(L104.run(report)), at, at + len(cut))
    assert found and found[0].evidence["right"] == "规范"


@pytest.mark.parametrize(("window", "listed"), [
    ("本年度报告根据国、省、市政府信息公开相关法律、法规的规定编制", set("国省市")),
    ("全面把握政府信息公开的主体、范、内容、形式和程序", set()),  # 范 of 范围, cut short: it does not stand alone
    ("在公交车、地铁、医院、社区等平台投放", set()),
])
def test_the_items_of_a_list_of_single_characters_are_abbreviations(window, listed):
    assert listed_characters(judge_for(), window, "") == listed


@pytest.mark.parametrize(("clause", "char", "expected"), [
    ("已经按时按规完成答复", "规", True),   # ABAC: 按时 | 按 | 规
    ("按规按时完成答复", "规", True),       # CA-B order: 按 | 规 | 按时
    ("按照要求按规定办理", "规", False),    # 按规定 is one word here: no lone 规
    ("监督检查况年度报告", "况", False),    # no repeated character: a gap
])
def test_a_lone_character_of_an_abac_pattern_is_a_coinage(clause, char, expected):
    """按时按规 repeats 按 before 规 as in the word 按时: a four-character pattern of the genre, not 按规定 cut short."""
    judge = judge_for()
    spans = judge.spans(clause)
    index = next((i for i, (_, token) in enumerate(spans) if token == char), None)
    assert (index is not None and mirrored(spans, index)) == expected
