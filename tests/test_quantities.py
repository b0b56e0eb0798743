"""Quantities in prose: numbers with units, Chinese numerals, approximations, and how they compare."""

from __future__ import annotations

import pytest

from conftest import HUAIAN_TXT, SEED
from gidraft.quantities import agrees, chinese_number, parse_quantity, quantities
from gidraft.sources import read_source


@pytest.mark.parametrize("text,value", [
    ("十", 10), ("十七", 17), ("二十", 20), ("一百零五", 105), ("两千三百", 2300), ("三万五千", 35000),
    ("一千零一十", 1010), ("两", 2), ("零", 0),
])
def test_chinese_numerals(text, value):
    assert chinese_number(text) == value


@pytest.mark.parametrize("text", ["一一", "", "十一一"])
def test_malformed_chinese_numerals(text):
    assert chinese_number(text) is None


@pytest.mark.parametrize("text,value,unit,approx", [
    ("2件", 2, "件", False),
    ("3 件", 3, "件", False),
    ("两件", 2, "件", False),
    ("十七件", 17, "件", False),
    ("一百零五条", 105, "条", False),
    ("3,119件", 3119, "件", False),
    ("12人次", 12, "人次", False),
    ("3940元", 3940, "元", False),
    ("96171.6万元", 96171.6, "万元", False),
    ("9.6亿元", 9.6, "亿元", False),
    ("33.9%", 33.9, "%", False),
    ("百分之三十", 30, "%", False),
    ("5500余条", 5500, "条", True),
    ("300多篇", 300, "篇", True),
    ("近3000件", 3000, "件", True),
    ("约20个", 20, "个", True),
    ("100件左右", 100, "件", True),
    ("50场以上", 50, "场", True),
    ("3.5万件", 35000, "件", True),
    ("十余件", 10, "件", True),
    ("20余万条", 200_000, "条", True),  # 余 before the scale: more than 200 000, not 万条
    ("二十余万条", 200_000, "条", True),
    ("20余万元", 20, "万元", True),
])
def test_parse_quantity(text, value, unit, approx):
    quantity = parse_quantity(text)
    assert (quantity.value, quantity.unit, quantity.approx) == (value, unit, approx)


def test_a_scale_after_the_approximation_is_read_with_the_figure():
    """主动公开政府信息20余万条: one quantity, 200 000 more or less; 万条 alone is not another one."""
    found = quantities("主动公开政府信息20余万条，其中门户网站发布信息16642条")
    assert [(q.text, q.value) for q in found] == [("20余万条", 200_000), ("16642条", 16642)]


def test_dates_ordinals_and_words_are_not_quantities():
    assert quantities("2019年1月1日起，第1名，一是加强领导，唯一一件，0533-312068") == []


def test_offsets_point_into_the_text():
    text = "全年收到申请两件，办结十七件。"
    found = quantities(text)
    assert [(text[q.start:q.end], q.value) for q in found] == [("两件", 2), ("十七件", 17)]


def test_yuan_of_money():
    assert parse_quantity("3.5万元").yuan == 35000
    assert parse_quantity("3件").yuan is None


@pytest.mark.parametrize("stated,value,rounded,expected", [
    ("2件", 2, False, True),
    ("2件", 3, False, False),
    ("33.9%", 33.93, True, True),
    ("34%", 33.93, True, True),
    ("4.34%", 4.348, True, True),  # truncated
    ("40.2%", 44.66, True, False),
    ("96171.6万元", 96171.6, True, True),
    ("9.6亿元", 9.61716, True, True),
])
def test_agrees(stated, value, rounded, expected):
    assert agrees(parse_quantity(stated), value, rounded) is expected


def test_real_reports():
    seed = read_source(str(SEED)).text
    found = {q.text: q for q in quantities(seed)}
    assert found["2件"].value == 2 and not found["2件"].approx
    assert found["360余条"].approx and found["300余篇"].approx
    huaian = {q.text: q for q in quantities(read_source(str(HUAIAN_TXT)).text)}
    assert huaian["5500余条"].approx and huaian["3119件"].value == 3119 and huaian["3940元"].yuan == 3940
