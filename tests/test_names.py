"""Names the typo rules leave alone: people in the frame reports name them in and an office naming itself (never
changed), offices' abbreviations, addresses and roads (corrected only into a name)."""

from __future__ import annotations

import pytest

from gidraft.rules.names import fixed_names, named_positions, proper_names


def runs(text: str, positions: frozenset[int]) -> list[str]:
    """The names as the runs of consecutive positions."""
    out, last = [], -2
    for at in sorted(positions):
        if at == last + 1:
            out[-1] += text[at]
        else:
            out.append(text[at])
        last = at
    return out


@pytest.mark.parametrize(("text", "name"), [
    ("成立了由党组书记、主任柳正建同志任组长的工作领导小组。", "柳正建"),
    ("成立了以局长吕中权为组长的领导小组。", "吕中权"),
    ("2025年全年，我办共通过门户网站发布信息。", "办"),
])
def test_a_name_never_changed(text, name):
    assert name in runs(text, fixed_names(text))


@pytest.mark.parametrize(("text", "name"), [
    ("密切与市委网信办、省卫健委宣传处联系。", "网信办"),
    ("在县电政办的精心指导下，完成了网站改版。", "电政办"),
    ("在市政府办公室和市政数局的大力支持下完成改版。", "政数局"),
    ("如有疑问请与本局联系（地址:池州市百牙中路188号,邮编:247000）。", "池州市百牙中路188号"),
    ("办公地点设在东圳东路2006号。", "东圳东路"),
    ("截至11月通报，区府办共得分246分。", "区府办"),
])
def test_a_proper_name(text, name):
    assert name in runs(text, proper_names(text))


@pytest.mark.parametrize("text", [
    "局长亲自部署，主任多次听取汇报。",  # no name follows the title
    "市民政办理的事项全部公开。",  # 办理, not an office
    "市公安局长带队检查。",  # 局长, not an office's name
    "全年主动公开政府信息2645条。",
])
def test_no_name_where_the_frame_is_not(text):
    assert named_positions(text) == frozenset()
