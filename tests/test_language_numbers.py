"""Numbers and contact data (L4xx) on real reports with one slip put in, and the PDF-artefact exemption."""

from __future__ import annotations

import pytest

from conftest import HUAIAN_TXT, PINGTAN_2021, PINGTAN_2024, SEED
from gidraft.report.build import build_report
from gidraft.rules.loader import load_rules
from gidraft.sources import read_source

RULES = {r.code: r for r in load_rules()}


def run(path, code):
    report = build_report(read_source(str(path)))
    return report, list(RULES[code].run(report))


def mutated(tmp_path, path, old, new, logical=False):
    """A copy of a real report with one edit; ``logical`` writes the repaired text (a Word-made text)."""
    text = read_source(str(path)).text if logical else path.read_text(encoding="utf-8")
    assert old in text, old
    out = tmp_path / path.name
    out.write_text(text.replace(old, new, 1), encoding="utf-8")
    return out


CASES = [
    (PINGTAN_2024, "各类政府信息10407条", "各类政府信息１０４０７条", "L401", "１０４０７", "10407"),
    (PINGTAN_2024, "全年办理政府信息公开申请218件", "全年办理政府信息公开申请218 件", "L402", "218 ", "218"),
    (PINGTAN_2021, "政府信息2645条", "政府信息12,645条", "L403", "12,645", "12645"),
    (HUAIAN_TXT, "电话：0517-83605210", "电话：0517-836052", "L404", "0517-836052", None),
    (PINGTAN_2021, "电话/传真：0591-23165370", "电话/传真：0591-231653", "L404", "0591-231653", None),
    (PINGTAN_2024, "全年办理政府信息公开申请218件。", "全年办理政府信息公开申请218件，联系电话：1380000000。", "L404", "1380000000", None),
    (HUAIAN_TXT, "申请 3119 件，答", "申请 3119 件，其中予以公开 1362 件，占 43.66%，答", "L405", "43.66%", None),
]


@pytest.mark.parametrize("path,old,new,code,flagged,fix", CASES, ids=[f"{c[3]}-{c[0].name}-{i}" for i, c in enumerate(CASES)])
def test_a_slip_in_a_real_report_is_found(tmp_path, path, old, new, code, flagged, fix):
    _, before = run(path, code)
    assert before == []
    report, found = run(mutated(tmp_path, path, old, new), code)
    assert [(report.text[f.start:f.end], f.fix) for f in found] == [(flagged, fix)]


def test_percentage_message_shows_the_computation(tmp_path):
    path = mutated(tmp_path, HUAIAN_TXT, "申请 3119 件，答", "申请 3119 件，其中予以公开 1362 件，占 43.66%，答")
    _, found = run(path, "L405")
    assert found[0].message == "百分比有误：1362/3119 = 43.67%，文中为 43.66%"
    path = mutated(tmp_path, HUAIAN_TXT, "申请 3119 件，答", "申请 3119 件，其中予以公开 1362 件，占 43.67%，答")
    assert run(path, "L405")[1] == []


def test_valid_phone_shapes_are_silent(tmp_path):
    path = mutated(tmp_path, HUAIAN_TXT, "电话：0517-83605210", "电话：0517-8360521，热线：12345，手机：13912345678，传真：010-65281234")
    assert run(path, "L404")[1] == []


def test_spaces_around_digits_are_artefacts_in_pdf_text_but_slips_in_a_word_text(tmp_path):
    report, found = run(SEED, "L402")
    assert report.source.pdf_like and "2019 年" in report.source.raw and found == []
    path = mutated(tmp_path, SEED, "特向社会公布2019年度", "特向社会公布 2019 年度", logical=True)
    report, found = run(path, "L402")
    assert not report.source.pdf_like
    assert [(report.text[f.start:f.end], f.fix) for f in found] == [(" 2019 ", "2019")]
