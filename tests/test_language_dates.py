"""Dates and years (L5xx): the real reports' periods and plans are right; one wrong year or date is found."""

from __future__ import annotations

import pytest

from conftest import PINGTAN_2021, PINGTAN_2024, SEED
from gidraft.report.build import build_report
from gidraft.rules.loader import load_rules
from gidraft.sources import read_source

RULES = {r.code: r for r in load_rules()}


def run(path, code):
    report = build_report(read_source(str(path)))
    return report, list(RULES[code].run(report))


def line_of(raw: str, needle: str) -> int:
    return raw.count("\n", 0, raw.index(needle)) + 1


CASES = [
    # (file, original, slip, rule, the text the finding covers, a word its message must contain)
    (SEED, "起至2019年 12月 31日止", "起至2018年 12月 31日止", "L501", "2019年1月1日起至2018年12月31日", "2019年1月1日至2019年12月31日"),
    (SEED, "将在 2020 年重点做好", "将在 2019 年重点做好", "L506", "2019年", "2020年"),
    (SEED, "2019 年，市工信局深入学习", "2018 年，市工信局深入学习", "L505", "2018年", "2019"),
    (PINGTAN_2024, "2025年，将重点从以下方面", "2024年，将重点从以下方面", "L506", "2024年", "2025年"),
    (PINGTAN_2024, "发布时间: 2025-03-10 15:35", "发布时间: 2024-12-20 15:35", "L504", "", "2024-12-20"),
    (PINGTAN_2024, "统计期限为2024年1月1日", "统计期限为2024年2月30日", "L502", "2024年2月30日", "2月只有29天"),
    (PINGTAN_2021, "规划（2021-2035）", "规划（2035-2021）", "L503", "2035-2021", "颠倒"),
]


@pytest.mark.parametrize("path,old,new,code,flagged,word", CASES, ids=[f"{c[3]}-{c[0].name}" for c in CASES])
def test_one_wrong_date_in_a_real_report_is_found(tmp_path, path, old, new, code, flagged, word):
    assert run(path, code)[1] == []
    raw = path.read_text(encoding="utf-8")
    copy = tmp_path / path.name
    copy.write_text(raw.replace(old, new, 1), encoding="utf-8")
    report, found = run(copy, code)
    assert [report.text[f.start:f.end] for f in found] == [flagged]
    assert word in found[0].message
    if flagged:
        assert report.source.position(found[0].start)[0] == line_of(raw, old)


def test_the_real_plans_name_the_following_year():
    for path, plan in ((SEED, "2020"), (PINGTAN_2024, "2025")):
        report, found = run(path, "L506")
        problems = report.section("problems")
        assert plan in report.text[problems.body.start:problems.body.end] and found == []


@pytest.mark.parametrize("signed,fires", [("2024年12月30日", True), ("2025年1月20日", False)])
def test_a_signature_date_before_the_year_ended(tmp_path, signed, fires):
    copy = tmp_path / PINGTAN_2024.name
    copy.write_text(PINGTAN_2024.read_text(encoding="utf-8").rstrip() + f"\n平潭综合实验区管委会办公室\n{signed}\n", encoding="utf-8")
    report, found = run(copy, "L504")
    assert [report.text[f.start:f.end] for f in found] == ([signed] if fires else [])
