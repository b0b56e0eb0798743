"""Sequence markers (L6xx): the real reports' lists are in order; a renumbered item is found."""

from __future__ import annotations

import pytest

from conftest import HUAIAN_TXT, PINGTAN_2021, SEED
from gidraft.report.build import build_report
from gidraft.rules.loader import load_rules
from gidraft.rules.sequence import markers
from gidraft.sources import read_source

RULES = {r.code: r for r in load_rules()}


def run(path, code):
    report = build_report(read_source(str(path)))
    return report, list(RULES[code].run(report))


def test_the_real_reports_lists_are_recognised():
    labels = [m.label for m in markers(build_report(read_source(str(SEED))))]
    assert labels.count("一是") == 5 and labels[:5] == ["（一）", "一是", "二是", "三是", "（二）"]
    assert [m.label for m in markers(build_report(read_source(str(PINGTAN_2021))))][-3:] == ["一是", "二是", "三是"]


CASES = [
    # 一是…三是…三是: a gap, then a repeat
    (SEED, "二是\n\n制度建设不断完善", "三是\n\n制度建设不断完善", "L601",
     ["序号不连续：“一是”之后是“三是”，缺少“二是”", "序号重复：“三是”前面已经有“三是”"]),
    (PINGTAN_2021, "二是规范审核审核", "三是规范审核审核", "L601",
     ["序号不连续：“一是”之后是“三是”，缺少“二是”", "序号重复：“三是”前面已经有“三是”"]),
    (HUAIAN_TXT, "二是政务公开队伍", "三是政务公开队伍", "L601", ["序号不连续：“一是”之后是“三是”，缺少“二是”"]),
    (SEED, "（三）重点领域政府信息公开工作推进情况", "（四）重点领域政府信息公开工作推进情况", "L602",
     ["序号不连续：“（二）”之后是“（四）”，缺少“（三）”", "序号重复：“（四）”前面已经有“（四）”"]),
]


@pytest.mark.parametrize("path,old,new,code,messages", CASES, ids=[f"{c[3]}-{c[0].name}" for c in CASES])
def test_a_renumbered_item_is_found(tmp_path, path, old, new, code, messages):
    assert run(path, code)[1] == []
    raw = path.read_text(encoding="utf-8")
    copy = tmp_path / path.name
    copy.write_text(raw.replace(old, new, 1), encoding="utf-8")
    report, found = run(copy, code)
    assert [f.message for f in found] == messages
    assert report.text[found[0].start:found[0].end] == new[:len(report.text[found[0].start:found[0].end])]
    assert report.source.position(found[0].start)[0] == raw.count("\n", 0, raw.index(old)) + 1
