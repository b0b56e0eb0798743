"""This year's report against last year's (X101–X104): last year's reports are built from the real ones."""

from __future__ import annotations

import re

import pytest

from conftest import HUAIAN_TXT, PINGTAN_2021, PINGTAN_2024
from gidraft.crossyear import compare, overlap, pair_reports
from gidraft.report.build import build_report
from gidraft.rules.engine import REGISTRY
from gidraft.sources import read_source

CARRY_FORWARD = re.compile(r"^四、结转下年度继续办理.*$", re.M)


def build(path):
    return build_report(read_source(str(path)))


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return build(path)


def huaian_2023(tmp_path, carry_forward: str, in_force: tuple[str, str] = ("10", "84"), name="huaian-2023.txt"):
    """Huaian's 2024 report relabelled 2023, with the given carry-forward row and 现行有效件数."""
    text = HUAIAN_TXT.read_text(encoding="utf-8").replace("2024", "2023")
    text = CARRY_FORWARD.sub(f"四、结转下年度继续办理 {carry_forward}", text)
    text = text.replace("规章            1          0        11", f"规章            1          0        {in_force[0]}")
    text = text.replace("行政规范性文件       8          26       66", f"行政规范性文件       8          26       {in_force[1]}")
    return write(tmp_path, name, text)


def codes(findings, report):
    return [(f.code, report.source.position(f.start)[0]) for f in findings]


def test_carry_over_agrees(tmp_path):
    this, last = build(HUAIAN_TXT), huaian_2023(tmp_path, "34 0 0 0 0 0 34")
    assert last.year == 2023 and last.value("t3.carry_forward.total") == 34
    found = compare(this, last)
    assert [f.code for f in found if f.code != "X104"] == []


def test_carry_over_disagrees(tmp_path):
    this, last = build(HUAIAN_TXT), huaian_2023(tmp_path, "30 0 0 0 0 0 30", name="2023年报.txt")
    found = [f for f in compare(this, last) if f.code == "X101"]
    assert codes(found, this) == [("X101", 125), ("X101", 125)]
    assert found[0].severity == "error"
    assert found[0].message == "表三“上年结转”“自然人”列为 34，上一年报告（2023年报.txt 第 197 行）“结转下年度继续办理”为 30"
    assert "“总计”列为 34" in found[1].message


def test_last_year_without_table_three_is_skipped(tmp_path):
    text = HUAIAN_TXT.read_text(encoding="utf-8").replace("2024", "2023")
    last = write(tmp_path, "old.txt", CARRY_FORWARD.sub("", text))
    assert last.value("t3.carry_forward.total") is None
    assert [f for f in compare(build(HUAIAN_TXT), last) if f.code == "X101"] == []


def test_in_force_counts(tmp_path):
    this = build(HUAIAN_TXT)
    assert [f for f in compare(this, huaian_2023(tmp_path, "34 0 0 0 0 0 34")) if f.code == "X103"] == []
    drifted = huaian_2023(tmp_path, "34 0 0 0 0 0 34", in_force=("11", "80"), name="drift.txt")
    found = [f for f in compare(this, drifted) if f.code == "X103"]
    assert codes(found, this) == [("X103", 72), ("X103", 74)]
    assert found[0].severity == "warning"
    assert found[0].message == ("表二“规章”行“现行有效件数”为 11，按上一年报告（drift.txt 第 72 行）"
                                "现行有效 11 + 本年制发 1 − 本年废止 0 应为 12")


def test_copied_sections(tmp_path):
    this = build(HUAIAN_TXT)
    found = [f for f in compare(this, huaian_2023(tmp_path, "34 0 0 0 0 0 34")) if f.code == "X104"]
    assert codes(found, this) == [("X104", 11), ("X104", 225)]
    assert "第一部分“总体情况”与上一年报告（huaian-2023.txt）的同一部分 100% 相同" in found[0].message


def pingtan_2023(tmp_path):
    """Pingtan's 2021 report relabelled 2023: a different text, one request carried forward."""
    return write(tmp_path, "pingtan-2023.txt", PINGTAN_2021.read_text(encoding="utf-8").replace("2021年", "2023年"))


def test_other_agency_text_is_not_a_copy_but_carry_over_differs(tmp_path):
    this, last = build(PINGTAN_2024), pingtan_2023(tmp_path)
    assert last.year == 2023 and last.value("t3.carry_forward.natural_person") == 1
    found = compare(this, last)
    assert [f.code for f in found] == ["X101", "X101"]
    assert "“自然人”列为 0" in found[0].message and "“结转下年度继续办理”为 1" in found[0].message
    overview = this.section("overview"), last.section("overview")
    ratio = overlap(this.text[overview[0].body.start:overview[0].body.end], last.text[overview[1].body.start:overview[1].body.end])
    assert ratio < 0.5


def test_years_not_adjacent(tmp_path):
    this, last = build(PINGTAN_2024), build(PINGTAN_2021)
    found = compare(this, last)
    assert [(f.code, f.severity) for f in found] == [("X102", "error")]
    assert "2024 年度" in found[0].message and "2021 年度" in found[0].message


def test_pair_reports(tmp_path):
    this, last, other = build(PINGTAN_2024), pingtan_2023(tmp_path), build(HUAIAN_TXT)
    assert pair_reports([other, last, this]) == [(this, last)]
    assert pair_reports([this, build(PINGTAN_2021)]) == []


def test_rules_are_documented():
    for code in ("X101", "X102", "X103", "X104"):
        assert REGISTRY[code].doc and REGISTRY[code].summary
        assert list(REGISTRY[code].run(build(HUAIAN_TXT))) == []


@pytest.mark.parametrize("mine,theirs,expected", [("一二三四五六七八九十", "一二三四五六七八九十", 1.0), ("abcdefghij", "klmnopqrst", 0.0),
                                                   ("2023年工作要点完成", "2024年工作要点完成", 1.0)])
def test_overlap(mine, theirs, expected):
    assert overlap(mine, theirs) == expected
