"""Names the typo rules leave alone: people in the frame reports name them in, offices' abbreviations."""

from __future__ import annotations

import pytest

from gidraft.rules.names import names


@pytest.mark.parametrize(("text", "name"), [
    ("成立了由党组书记、主任柳正建同志任组长的工作领导小组。", "柳正建"),
    ("成立了以局长吕中权为组长的领导小组。", "吕中权"),
    ("密切与市委网信办、省卫健委宣传处联系。", "网信办"),
    ("在县电政办的精心指导下，完成了网站改版。", "电政办"),
])
def test_a_name_in_its_frame(text, name):
    assert name in [text[start:end] for start, end in names(text)]


@pytest.mark.parametrize("text", [
    "局长亲自部署，主任多次听取汇报。",  # no name follows the title
    "市民政办理的事项全部公开。",  # 办理, not an office
    "全年主动公开政府信息2645条。",
])
def test_no_name_where_the_frame_is_not(text):
    assert names(text) == []
