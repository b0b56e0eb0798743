"""信息处理费 (N301–N306) on the real reports and mutated copies."""

from __future__ import annotations

import pytest

from conftest import HUAIAN_PDF, HUAIAN_TXT, PINGTAN_2021, PINGTAN_2024, SEED, mutated
from gidraft.check import check_path
from gidraft.report.build import build_report
from gidraft.rules.fees import reference, statements
from gidraft.rules.loader import load_rules
from gidraft.sources import read_source

RULES = [r for r in load_rules() if r.code.startswith("N3")]
HUAIAN_FEE = "全年收取政府信息公开信息处理费 3940 元。"


def findings(path):
    result = check_path(str(path), RULES)
    assert result.error is None
    return [(f.code, f.severity, f.line) for f in result.findings], result.findings


@pytest.mark.parametrize("path", [SEED, HUAIAN_TXT, HUAIAN_PDF, PINGTAN_2021, PINGTAN_2024], ids=lambda p: p.name)
def test_real_reports_are_clean(path):
    assert findings(path)[0] == []


@pytest.mark.parametrize("path,kind,yuan", [(HUAIAN_TXT, "amount", 3940), (HUAIAN_PDF, "amount", 3940),
                                            (PINGTAN_2021, "none", 0), (PINGTAN_2024, "none", 0)], ids=lambda p: getattr(p, "name", p))
def test_statements_of_the_real_reports(path, kind, yuan):
    report = build_report(read_source(str(path)))
    found = statements(report)
    assert [(s.kind, s.yuan, s.in_six) for s in found] == [(kind, yuan, True)]
    assert reference(report) is found[0]


def test_seed_states_no_information_fee():
    assert statements(build_report(read_source(str(SEED)))) == []


def test_mention_elsewhere_disagrees(tmp_path):
    path = mutated(tmp_path, HUAIAN_TXT, ("均在法定期限内予以答复。", "均在法定期限内予以答复，全年收取信息处理费 2000 元。"))
    codes, found = findings(path)
    assert codes == [("N301", "error", 33)]
    assert found[0].message == ("正文称“收取信息处理费2000元”（第 33 行），"
                                "第六部分称“收取政府信息公开信息处理费3940元”（第 241 行）")


def test_section_six_silent_in_2021_format(tmp_path):
    path = mutated(tmp_path, PINGTAN_2024, ("2024年，无收取信息处理费情况。", "无。"))
    codes, found = findings(path)
    assert codes == [("N302", "warning", 10)]
    assert found[0].message.startswith("第六部分未说明信息处理费收取情况")


def test_section_six_silent_while_table_shows_fee_notices(tmp_path):
    path = mutated(tmp_path, HUAIAN_TXT, ("2024 年，市政府严格落实《政府信息公开信息处理费管理\n办法》，" + HUAIAN_FEE, "无。"))
    codes, found = findings(path)
    assert codes == [("N303", "error", 240)]
    assert "逾期未按收费通知要求缴纳费用" in found[0].message and "为 6（第 188 行）" in found[0].message


def test_never_applied_against_unpaid_row(tmp_path):
    path = mutated(tmp_path, HUAIAN_TXT, (HUAIAN_FEE, "全年未向申请人发出收费通知。"))
    codes, found = findings(path)
    assert codes == [("N304", "error", 241)]


def test_fee_without_requests(tmp_path):
    path = mutated(tmp_path, SEED,
                   ("一、本年新收政府信息公开申请数量 2 0 0 0 0 0 2", "一、本年新收政府信息公开申请数量 0 0 0 0 0 0 0"),
                   ("六、其他需要报告的事项\n\n无。", "六、其他需要报告的事项\n\n本年度收取信息处理费 200 元。"))
    assert findings(path)[0] == [("N305", "warning", 459)]


def test_fee_copied_from_table_two(tmp_path):
    path = mutated(tmp_path, HUAIAN_TXT, ("信息处理费 3940 元", "信息处理费 96171.6 万元"))
    codes, found = findings(path)
    assert codes == [("N306", "warning", 241)]
    assert "行政事业性收费" in found[0].message
