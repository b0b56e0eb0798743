"""Punctuation rules (L3xx) on real reports with one slip put in: found at its place, fixed as expected."""

from __future__ import annotations

import pytest

from conftest import HUAIAN_TXT, PINGTAN_2021, PINGTAN_2024, SEED
from gidraft.report.build import build_report
from gidraft.rules.loader import load_rules
from gidraft.sources import read_source

RULES = {r.code: r for r in load_rules()}

CASES = [
    # (file, original text, slip, rule, flagged text, fix)
    (SEED, "取得显著成效。", "取得显著成效。。", "L303", "。。", "。"),
    (SEED, "收到政府信息公开申请 2 件，", "收到政府信息公开申请 2 件，。", "L303", "，。", None),
    (PINGTAN_2024, "加强政策解读力度，", "加强政策解读力度,", "L301", ",", "，"),
    (PINGTAN_2021, "发展规划（2021-2035）", "发展规划(2021-2035)", "L302", "(2021-2035)", "（2021-2035）"),
    (PINGTAN_2021, "发展规划（2021-2035）", "发展规划（2021-2035)", "L304", ")", "）"),
    (PINGTAN_2024, "《中华人民共和国政府信息公开条例》（国务院令", "《中华人民共和国政府信息公开条例（国务院令", "L304", "《", None),
    (HUAIAN_TXT, "坚持“先审查、后公开”“一事一", "坚持“先审查、后公开“一事一", "L304", "“", None),
    (PINGTAN_2024, "一是优化主动公开目录", "1、优化主动公开目录", "L305", "、", "."),
    (PINGTAN_2021, "（二）依申请公开方面。", "（二）、依申请公开方面。", "L305", "、", ""),
    (PINGTAN_2024, "图解、视频、访谈等多种形式", "图解、视频、访谈...等多种形式", "L306", "...", "……"),
    (PINGTAN_2024, "助推经济社会高质量发展。", "助推经济社会高质量发展 。", "L308", " ", ""),
]


def run(path, code):
    report = build_report(read_source(str(path)))
    return report, list(RULES[code].run(report))


@pytest.mark.parametrize("path,old,new,code,flagged,fix", CASES, ids=[f"{c[3]}-{c[0].name}-{i}" for i, c in enumerate(CASES)])
def test_a_slip_in_a_real_report_is_found_where_it_is(tmp_path, path, old, new, code, flagged, fix):
    raw = path.read_text(encoding="utf-8")
    assert raw.count(old) >= 1
    _, before = run(path, code)
    mutated = tmp_path / path.name
    mutated.write_text(raw.replace(old, new, 1), encoding="utf-8")
    report, after = run(mutated, code)
    added = [f for f in after if f.message not in {g.message for g in before}]
    assert [(report.text[f.start:f.end], f.fix) for f in added] == [(flagged, fix)]
    line, column = report.source.position(added[0].start)
    slip_at = raw.index(old)
    assert line == raw.count("\n", 0, slip_at) + 1
    assert report.source.raw_line(line)[column - 1:].startswith(flagged)


def test_spaces_in_pdf_extracted_text_are_not_punctuation_slips():
    report, found = run(SEED, "L308")
    assert report.source.pdf_like and found == []
