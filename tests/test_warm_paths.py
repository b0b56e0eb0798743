"""The faster paths of the language rules give what the plain computation gives (warm-throughput work)."""

from __future__ import annotations

from conftest import CORPUS, SEED

from gidraft.report.build import build_report
from gidraft.rules.omissions import shared_suffixes
from gidraft.rules.typos import COUNT_SCAN, Context, _offsets, clauses, judge_for, terms
from gidraft.sources import read_source


def test_context_counts_as_str_count_for_rare_and_common_pairs():
    text = "公开" * (COUNT_SCAN + 5) + "公开公开信息" + "申请人申请" + "啊啊啊啊啊" + "信息公开。" * 3
    context = Context(text)
    for unit in ("公开", "公开公开", "开公", "公开信息", "申请人", "申请", "啊啊", "啊啊啊", "信息公开。", "无此词", "公"):
        assert context.count(unit) == text.count(unit), unit
    assert text.count("公开") > COUNT_SCAN  # the common pair takes the str.count path


def test_shared_suffixes_are_the_characters_before_repeated_commas():
    judge = judge_for()
    window = "政治关、法律关、纪律关以及情况、情况、"
    plain = [window[i] for i in range(1, len(window) - 1) if window[i + 1] == "、" and not judge.freq(window[i - 1:i + 1])]
    assert shared_suffixes(judge, window) == {c for c in plain if plain.count(c) > 1}
    assert "关" in shared_suffixes(judge, window)
    assert shared_suffixes(judge, "、、") == set()


def test_terms_are_those_of_every_position():
    judge = judge_for()
    report = build_report(read_source(str(CORPUS / "pingtan-2021.web.txt")))
    for _, clause in list(clauses(report))[:200]:
        _, tokens = judge.route(clause)
        bounds = {at for at, _ in _offsets(tokens)} | {len(clause)}
        short = {at for at, token in _offsets(tokens) if len(token) == 1}
        for length in (3, 4):
            plain = [(at, clause[at:at + length]) for at in range(len(clause) - length + 1)
                     if at in bounds and at + length in bounds and not any(at <= s < at + length for s in short)]
            assert list(terms(judge, clause, length)) == plain


def test_a_reports_clauses_are_the_same_on_every_walk():
    report = build_report(read_source(str(SEED)))
    first, again = list(clauses(report)), list(clauses(report))
    quoted = list(clauses(report, quoted=True))
    assert first == again and first
    assert not set(first) & set(quoted)
    assert all(report.text[start:start + len(clause)] == clause for start, clause in first + quoted)


def test_routes_of_a_whole_report_at_once_are_the_routes_one_by_one():
    from gidraft.rules.typos import Judge

    report = build_report(read_source(str(CORPUS / "pingtan-2019.web.txt")))
    texts = [clause for _, clause in clauses(report)] + ["信息公开工作年度报告", "政务公开" * 3]
    together, alone = Judge(), Judge()
    asked = []
    query = together.lex.prefetch
    together.lex.prefetch = lambda pieces: asked.append(1) or query(pieces)
    together.route_all(texts)
    assert len(asked) < min(20, len(texts))  # one query per piece length (a word's at most), not one per text
    for text in texts:
        assert text in together.routes
        assert together.route(text) == alone.route(text)
        assert together.spans(text) == tuple(_offsets(alone.route(text)[1]))
    pieces = [t[i:j] for t in texts for i in range(len(t)) for j in range(i + 1, len(t) + 1)]
    asked_once = {p for p in pieces if p in alone.known}
    assert asked_once <= set(together.known)  # every piece the routes asked was looked up together
