"""Names in report prose that the typo rules leave alone or correct only into a name: a person named in the
frame reports write names in (a title before, 同志 or the part they take after: 主任范正建同志任组长, 局长吕中权为组长)
and an office naming itself (我办, 本局) are left alone; an office's abbreviation between the place it belongs to
and 办, 委 or 局 (县电政办, 市委网信办, 市政数局) is corrected only into a name (民整局 → 民政局); a postal address
(地址:……) and a road before its number (东圳东路2006号) only into a name the report writes elsewhere: a place's
name jieba lacks is as likely a name of its own as a slip for the name it resembles (东圳 is no slip for 东川).

A name is not a word of the dictionary, so the typo rules find it rare and propose the word it looks like
(吕中 → 宫中, 信办 → 信心, 电政 → 民政): the “correction” renames a person or an office.  The frames are the
genre's own, not a list of names.
"""

from __future__ import annotations

from functools import lru_cache

from ..cache import compiled

TITLES = ("秘书长|书记|局长|主任|处长|科长|部长|组长|主席|省长|市长|县长|区长|镇长|乡长|厅长|院长|所长|站长|队长"
          "|主管|委员|负责人")
PERSON = compiled(rf"(?:{TITLES})(?P<name>[\u4e00-\u9fff]{{2,3}}?)(?=同志|任|为|担任|牵头|主持|带队|分管|兼任)")
OFFICE = compiled(  # 办 or 委 ending the name, not a word it begins (办理, 办公, 委员, 委托); 局 not before 长
    r"(?<=[省市县区镇乡委州旗盟])(?![委办局])(?P<name>[\u4e00-\u9fff]{2,3}?(?:[办委](?![理公法事学案好结件员托屈派任会])|局(?!长)))"
)
GOVERNMENT_OFFICE = compiled(r"(?P<name>[省市县区州旗]府办)")  # 区府办: 区政府办公室, its own abbreviation
OWN_OFFICE = compiled(r"(?<=[我本该])(?P<name>[办局委厅])")  # the office speaking of itself: 我办共发布 is 我办|共
ADDRESS = compiled(r"(?:地址|住址)[:：]\s*(?P<name>[^,，。;；()（）\n]{2,40})")  # 地址:池州市百牙中路188号
ROAD = compiled(r"(?P<name>[\u4e00-\u9fff]{2}[东西南北中]?(?:路|街|大道|巷))(?=[0-9０-９]+号)")  # 东圳东路2006号


def _positions(text: str, patterns) -> frozenset[int]:
    return frozenset(at for pattern in patterns for match in pattern.finditer(text) for at in range(*match.span("name")))


@lru_cache(maxsize=4)
def fixed_names(text: str) -> frozenset[int]:
    """The positions of ``text`` (a report's text: asked once per clause, found once) that no typo rule may
    change: a person in the frame, an office naming itself."""
    return _positions(text, (PERSON, OWN_OFFICE))


@lru_cache(maxsize=4)
def proper_names(text: str) -> frozenset[int]:
    """The positions of ``text`` inside the name of an office, an address or a road: a slip there is corrected
    only into a name (民整局 → 民政局; not 市政数局 → 数据)."""
    return _positions(text, (OFFICE, GOVERNMENT_OFFICE)) | places(text)


@lru_cache(maxsize=4)
def places(text: str) -> frozenset[int]:
    """The positions of ``text`` inside an address or a road's name: a slip there is corrected only into a name the
    report writes elsewhere (not 东圳东路 → 东征, 东川)."""
    return _positions(text, (ADDRESS, ROAD))


def named_positions(text: str) -> frozenset[int]:
    """Every position of ``text`` inside a name of any kind."""
    return fixed_names(text) | proper_names(text)
