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


def _queries(judge) -> list[str]:
    asked = []
    judge.lex.db.set_trace_callback(asked.append)
    return asked


def test_a_reports_slips_planned_together_are_those_of_each_clause_alone():
    from gidraft.rules.typos import Judge, context_for, corrections, plans

    report = build_report(read_source(str(CORPUS / "pingtan-2019.web.txt")))
    items = [(clause, frozenset(), frozenset()) for _, clause in clauses(report)]
    together, alone = Judge(), Judge()
    asked = _queries(together)
    try:
        planned = plans(together, items)
    finally:
        together.lex.db.set_trace_callback(None)
    assert len(asked) < 30  # a few per kind of question for the whole report, not some per clause
    context = context_for(report)
    found = 0
    for (clause, protected, fixed), plan in zip(items, planned):
        assert plan == plans(alone, [(clause, protected, fixed)])[0]
        mine = corrections(together, clause, context, protected)
        assert mine == corrections(alone, clause, context, protected)
        found += len(mine) + len(plan)
    assert found  # the report has candidates: the comparison compares something


def test_a_reports_omissions_walked_together_are_those_of_each_clause_alone():
    from gidraft.rules.omissions import omissions, omissions_all
    from gidraft.rules.typos import Judge, context_for

    report = build_report(read_source(str(CORPUS / "pingtan-2021.web.txt")))
    context = context_for(report)
    texts = [clause for _, clause in clauses(report)]
    together, alone = Judge(), Judge()
    walked = omissions_all(together, context, [(clause, (), True, "", ()) for clause in texts])
    assert [omissions(alone, clause, context) for clause in texts] == walked
    assert sum(map(len, walked))  # some clause has a gap to restore
    assert sum(len(spots) for spots in together.spots.values())


def test_the_pieces_around_a_changed_character_are_all_the_route_asks():
    from gidraft.rules.typos import Judge

    texts = ["政府信息公开工作年度报告", "依申请公开政府信息办理情况", "主动公开政府信息情况"]
    judge, plain = Judge(), Judge()
    judge.route_all(texts)
    changed = [(text[:at] + "某" + text[at:], at) for text in texts for at in range(len(text))]
    changed += [(text[:at] + "申" + text[at + 1:], at) for text in texts for at in range(len(text))]
    judge.prefetch_around(changed)
    asked = _queries(judge)
    try:
        for text, _ in changed:
            assert judge.route(text) == plain.route(text)
    finally:
        judge.lex.db.set_trace_callback(None)
    assert asked == []  # every piece the routes asked was looked up beforehand


def test_the_judges_memories_forgotten_when_full_still_answer_every_clause(monkeypatch):
    from gidraft.rules import omissions, typos
    from gidraft.rules.typos import Judge, context_for, plans

    report = build_report(read_source(str(CORPUS / "pingtan-2021.web.txt")))
    context = context_for(report)
    texts = [clause for _, clause in clauses(report)][:60]
    items = [(clause, frozenset(), frozenset()) for clause in texts]
    full = Judge()
    expected_plans = plans(full, items)
    expected = omissions.omissions_all(full, context, [(clause, (), True, "", ()) for clause in texts])
    monkeypatch.setattr(typos, "ROUTES", 40)  # fewer than the clauses: the memories are emptied on the way
    monkeypatch.setattr(omissions, "ROUTES", 40)
    small = Judge()
    for at in range(0, len(items), 25):  # overlapping walks: some clauses remembered, others not
        assert plans(small, items[max(0, at - 10):at + 25]) == expected_plans[max(0, at - 10):at + 25]
        some = [(clause, (), True, "", ()) for clause in texts[max(0, at - 10):at + 25]]
        assert omissions.omissions_all(small, context, some) == expected[max(0, at - 10):at + 25]
    assert len(small.plans) <= 40 + 35 and len(small.like) <= 40 + 35 * 9
