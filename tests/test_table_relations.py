"""Table arithmetic on the real reports: silent when consistent, and a changed figure is reported at its line."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import HUAIAN_TXT, PINGTAN_2021, PINGTAN_2024, SEED, run_cli
from gidraft.report.build import build_report
from gidraft.sources import read_source


def findings(path, *extra) -> list[dict]:
    result = run_cli("check", path, "--format", "json", *extra)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["files"][0]["findings"]


@pytest.mark.parametrize("path", [SEED, HUAIAN_TXT, PINGTAN_2021, PINGTAN_2024], ids=lambda p: p.name)
def test_real_reports_have_no_structure_or_table_error(path):
    errors = [f for f in findings(path, "--select", "S,T") if f["severity"] == "error"]
    assert errors == []


def _numbers(path, table):
    source = read_source(str(path))
    report = build_report(source)
    return source, [c for k, c in report.cells.items() if k.startswith(table + ".") and c.value is not None]


def _mutate(raw: str, offset: int, digit: str) -> str:
    new = "7" if digit != "7" else "5"
    return raw[:offset] + new + raw[offset + 1:]


@pytest.mark.parametrize("table,codes", [("t3", ("T301", "T302", "T303")), ("t4", ("T401",))])
def test_every_changed_seed_figure_is_reported_at_its_line(tmp_path, table, codes):
    source, cells = _numbers(SEED, table)
    assert len(cells) == (23 * 7 if table == "t3" else 15)
    raw = SEED.read_text(encoding="utf-8")
    for cell in cells[:: 3 if table == "t3" else 1]:
        offset = source.origin[cell.span.start]
        line = raw.count("\n", 0, offset) + 1
        copy = tmp_path / f"{cell.key}.txt"
        copy.write_text(_mutate(raw, offset, raw[offset]), encoding="utf-8")
        hits = [f for f in findings(copy, "--select", ",".join(codes)) if f["code"] in codes]
        assert hits, f"changing {cell.key} went unnoticed"
        assert line in {f["line"] for f in hits}, (cell.key, line, hits)


def test_message_names_column_and_values(tmp_path):
    raw = SEED.read_text(encoding="utf-8")
    copy = tmp_path / "seed.txt"
    copy.write_text(raw.replace("（一）予以公开 2 0 0 0 0 0 2", "（一）予以公开 2 0 0 0 0 0 3"), encoding="utf-8")
    table = [f for f in findings(copy) if f["code"].startswith(("T3", "T4"))]
    # One wrong cell, one finding: on the cell, naming both relations it breaks and the value they agree on.
    assert [f["code"] for f in table] == ["T302"]
    assert table[0]["message"] == ("表三“（一）予以公开”行：总计 3 ≠ 各列之和 2；表三“总计”列：（七）总计 2 ≠ 各项办理结果之和 3；"
                                   "按勾稽关系，表三“（一）予以公开”行“总计”列应为 2")
    assert table[0]["fix"] == "2"


def test_huaian_pdftotext_figures():
    report = build_report(read_source(str(HUAIAN_TXT)))
    assert report.format == "2021" and report.year == 2024 and report.agency == "淮安市人民政府"
    assert report.value("t3.new_received.total") == 3119
    assert report.value("t3.processed_total.total") == 3050
    assert report.value("t3.carry_forward.total") == 103
    assert report.value("t3.other_misc.total") == 110
    assert [report.value(f"t4.review.{c}") for c in ("upheld", "corrected", "other", "pending", "total")] == [72, 64, 178, 37, 351]
    assert report.value("t2.fees.amount_wanyuan") == 96171.6


def test_pingtan_2021_table3_recovered_table4_never_wrong():
    report = build_report(read_source(str(PINGTAN_2021)))
    assert [report.value(f"t3.new_received.{c}") for c in
            ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")] == [64, 0, 0, 2, 0, 4, 70]
    assert report.value("t3.processed_total.total") == 69
    assert report.value("t3.carry_forward.total") == 1
    review = [report.value(f"t4.review.{c}") for c in ("upheld", "corrected", "other", "pending", "total")]
    # Either read exactly as printed (1 0 2 0 3) or reported as unreadable - never a wrong figure.
    assert review in ([1, 0, 2, 0, 3], [None] * 5)


def test_ambiguous_run_together_digits_are_reported_not_guessed():
    report = build_report(read_source(str(PINGTAN_2021)))
    assert report.value("t2.normative_documents.issued") is None
    messages = [f["message"] for f in findings(PINGTAN_2021, "--select", "T002")]
    assert any(m.startswith("表格无法可靠解析：表二“行政规范性文件”行") and "693665" in m for m in messages)


def test_glued_table3_with_a_wrong_total_is_not_silently_split(tmp_path):
    text = PINGTAN_2024.read_text(encoding="utf-8").replace("（七）总计21710000218", "（七）总计21710000219")
    copy = tmp_path / "p.txt"
    copy.write_text(text, encoding="utf-8")
    report = build_report(read_source(str(copy)))
    assert report.value("t3.processed_total.total") != 218 or report.value("t3.processed_total.natural_person") != 217
    codes = {f["code"] for f in findings(copy)}
    assert codes & {"T002", "T301", "T302", "T303"}


def test_blank_cells_are_a_warning_not_zero(tmp_path):
    raw = SEED.read_text(encoding="utf-8").replace("行政强制 0 0 0", "行政强制 / / 0")
    copy = tmp_path / "s.txt"
    copy.write_text(raw, encoding="utf-8")
    blank = [f for f in findings(copy, "--select", "T001")]
    assert any("行政强制" in f["message"] and f["severity"] == "warning" for f in blank)
    data = json.loads(run_cli("extract", copy).stdout)
    assert data["t2"]["coercion"] == {"last_year_items": None, "change": None, "decisions": 0}


def _every_reading(digit_groups: list[str], count: int) -> set[tuple[int, ...]]:
    """All readings by brute force: every way to cut each group, kept when the numbers are well formed."""
    from itertools import combinations, product

    from gidraft.report.tables import MAX_PART_DIGITS

    def cuts(digits: str):
        for k in range(len(digits)):
            for points in combinations(range(1, len(digits)), k):
                bounds = (0, *points, len(digits))
                parts = [digits[a:b] for a, b in zip(bounds, bounds[1:])]
                if all(len(p) <= MAX_PART_DIGITS and (p == "0" or p[0] != "0") for p in parts):
                    yield tuple(int(p) for p in parts)

    return {sum(combo, ()) for combo in product(*(cuts(d) for d in digit_groups)) if len(sum(combo, ())) == count}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text("0123456789", min_size=1, max_size=9), min_size=1, max_size=3), st.integers(1, 12))
def test_run_together_digits_are_read_every_possible_way_and_only_so(groups, count):
    from gidraft.report.tables import MAX_SPLITS, Token, digit_splits

    tokens, at = [], 0
    for digits in groups:
        tokens.append(Token(digits, at, at + len(digits)))
        at += len(digits) + 1
    readings = [tuple(v for v, _, _ in split) for split in digit_splits(tokens, count)]
    assert len(readings) == len(set(readings))
    expected = _every_reading(groups, count)
    if len(expected) <= MAX_SPLITS:
        assert set(readings) == expected
    else:  # the search stops at MAX_SPLITS readings: such a row is ambiguous anyway
        assert len(readings) == MAX_SPLITS and set(readings) <= expected
    for split in digit_splits(tokens, count):
        assert all(str(value) == " ".join(groups)[start:end] for value, start, end in split)
    if len(expected) <= MAX_SPLITS:  # a row ending with its total: exactly the readings whose last is the sum
        totals = [tuple(v for v, _, _ in split) for split in digit_splits(tokens, count, total_last=True)]
        assert sorted(totals) == sorted(r for r in expected if count > 1 and sum(r[:-1]) == r[-1]) or count == 1


def test_a_sentence_naming_table_2_rows_before_the_table_is_not_read_as_the_table(tmp_path):
    """Rows of table 2 are looked for after its 信息内容 header: 未制发规章…15件…2件 before it is not the 规章 row."""
    text = SEED.read_text(encoding="utf-8").replace(
        "二、主动公开政府信息情况\n", "二、主动公开政府信息情况\n本年度我局未制发规章，办理行政许可事项15件，行政处罚2件。\n", 1)
    copy = tmp_path / "s.txt"
    copy.write_text(text, encoding="utf-8")
    before, after = build_report(read_source(str(SEED))), build_report(read_source(str(copy)))
    assert "未制发规章" in after.text
    t2 = {k: c.value for k, c in before.cells.items() if k.startswith("t2.")}
    assert {k: c.value for k, c in after.cells.items() if k.startswith("t2.")} == t2
    assert not [p for p in after.problems if "表二" in p.message and "规章" in p.message]


def test_split_notes_say_whether_the_digits_or_the_arithmetic_decided():
    """Pingtan 2021: 规章 “000” has one digit a cell (no arithmetic needed); table 3's rows were settled by it."""
    messages = [f["message"] for f in findings(PINGTAN_2021, "--select", "T002") if f["severity"] == "info"]
    regulations = next(m for m in messages if m.startswith("表二“规章”行"))
    assert "只有一种拆分方式" in regulations and "勾稽关系" not in regulations
    assert any(m.startswith("表三") and "唯一符合表格勾稽关系" in m for m in messages)
