"""Names in report prose that no typo rule may change: a person named in the frame reports write names in
(a title before, 同志 or the part they take after: 主任范正建同志任组长, 局长吕中权为组长) and an office's
abbreviation between the place it belongs to and 办 or 委 (县电政办, 市委网信办).

A name is not a word of the dictionary, so the typo rules find it rare and propose the word it looks like
(吕中 → 宫中, 信办 → 信心, 电政 → 民政): the “correction” renames a person or an office.  The frames are the
genre's own, not a list of names.
"""

from __future__ import annotations

from ..cache import compiled

TITLES = ("秘书长|书记|局长|主任|处长|科长|部长|组长|主席|省长|市长|县长|区长|镇长|乡长|厅长|院长|所长|站长|队长"
          "|主管|委员|负责人")
PERSON = compiled(rf"(?:{TITLES})(?P<name>[\u4e00-\u9fff]{{2,3}}?)(?=同志|任|为|担任|牵头|主持|带队|分管|兼任)")
OFFICE = compiled(  # 办 or 委 ending the name, not a word it begins (办理, 办公, 委员, 委托)
    r"(?<=[省市县区镇乡委])(?![委办])(?P<name>[\u4e00-\u9fff]{2,3}?[办委])(?![理公法事学案好结件员托屈派任会])"
)


def names(text: str) -> list[tuple[int, int]]:
    """(start, end) of the names in ``text``: people in their frame, offices' abbreviations."""
    return [match.span("name") for pattern in (PERSON, OFFICE) for match in pattern.finditer(text)]


def named_positions(text: str) -> frozenset[int]:
    """The positions of ``text`` inside a name."""
    return frozenset(at for start, end in names(text) for at in range(start, end))
