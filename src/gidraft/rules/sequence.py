"""Sequence markers (L6xx): ``一是…二是…三是``, ``（一）（二）（三）``, ``1. 2. 3.`` and ``（1）（2）`` in order.

Markers count only where a list item can start: at the start of a paragraph or of a section body, or
after a sentence-ending mark (and, for 一是, after a comma: ``…差距，一是…；二是…``).  A sequence
starts at its first item (一是, （一）, 1.) and is judged from there; markers before any first item
are not judged, so a list whose start the reader could not see raises nothing.  Every top-level
section starts afresh; a higher level marker restarts the levels below it (GB/T 9704: 一、 → （一） →
1. → （1）; 一是 lists sit below （一）).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..cache import compiled
from ..report.model import Report
from .engine import ANY_FORMAT, Rule, rule
from .prose import CJK, is_prose

NUMERALS = "一二三四五六七八九十"
MARKERS = {
    "shi": compiled(rf"(?P<n>[{NUMERALS}]{{1,3}})是(?![否非的])"),
    "paren": compiled(rf"[（(](?P<n>[{NUMERALS}]{{1,3}})[）)]"),
    "arabic": compiled(rf"(?P<n>\d{{1,2}})[.．、](?=[{CJK}“《（])"),
    "arabic_paren": compiled(r"[（(](?P<n>\d{1,2})[）)]"),
}
AFTER = {family: "。；：！？;:!?\n" for family in MARKERS}
AFTER["shi"] += "，,"
LEVEL = {"paren": 1, "shi": 2, "arabic": 3, "arabic_paren": 4}  # a marker restarts every family of a higher level number


@dataclass
class Marker:
    """A list marker of the prose: its family (一、 （一） 1. …) and number."""

    family: str
    number: int
    start: int
    end: int
    label: str


def chinese_number(numeral: str) -> int | None:
    """一 … 九十九 as an integer (None for a malformed numeral such as 十十)."""
    if not numeral or numeral.count("十") > 1:
        return None
    if "十" not in numeral:
        return NUMERALS.index(numeral) + 1 if len(numeral) == 1 else None
    tens, _, ones = numeral.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (NUMERALS.index(tens) + 1 if tens else 1) * 10 + (NUMERALS.index(ones) + 1 if ones else 0)


def _item_start(text: str, at: int, family: str, body_starts: set[int]) -> bool:
    """Whether a list item can start at ``at``: after a paragraph break, a sentence end or a heading."""
    before = at
    while before > 0 and text[before - 1] in " \t\u3000":
        before -= 1
    return before == 0 or text[before - 1] in AFTER[family] or any(before <= s <= at for s in body_starts)


def markers(report: Report) -> list[Marker]:
    """Every list marker of the narrative, in text order (found once per report for L601–L603)."""
    cached = report.__dict__.get("_markers")
    if cached is None:
        cached = report.__dict__["_markers"] = _find_markers(report)
    return cached


def _find_markers(report: Report) -> list[Marker]:
    text = report.text
    body_starts = {s.body.start for s in report.sections}
    found = []
    for family, pattern in MARKERS.items():
        for match in pattern.finditer(text):
            numeral = match.group("n")
            number = int(numeral) if numeral.isdigit() else chinese_number(numeral)
            if number and _item_start(text, match.start(), family, body_starts) and is_prose(report, match.start()):
                found.append(Marker(family, number, match.start(), match.end(), match.group()))
    return sorted(found, key=lambda m: m.start)


def _label(family: str, number: int, like: str) -> str:
    if family == "shi":
        return _numeral(number) + "是"
    if family == "paren":
        return f"（{_numeral(number)}）"
    if family == "arabic_paren":
        return f"（{number}）"
    return f"{number}{like[-1]}"


def _numeral(number: int) -> str:
    tens, ones = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else NUMERALS[tens - 1] + "十")
    return head + (NUMERALS[ones - 1] if ones else "")


def sequence_findings(report: Report, item: Rule, families: tuple[str, ...]):
    """Gaps, repeats and reversals within each sequence of the given marker families."""
    sections = sorted(s.body.start for s in report.sections)
    previous: dict[str, Marker | None] = {family: None for family in LEVEL}
    next_section = 0
    for marker in markers(report):
        while next_section < len(sections) and sections[next_section] <= marker.start:
            previous = {family: None for family in LEVEL}
            next_section += 1
        for family, level in LEVEL.items():
            if level > LEVEL[marker.family]:
                previous[family] = None
        last = previous[marker.family]
        if marker.number == 1 or last is not None:  # a sequence starts at its first item
            previous[marker.family] = marker
        if marker.family not in families or marker.number == 1 or last is None or marker.number == last.number + 1:
            continue
        if marker.number == last.number:
            message = f"序号重复：“{marker.label}”前面已经有“{last.label}”"
        elif marker.number > last.number:
            missing = "、".join(_label(marker.family, n, last.label) for n in range(last.number + 1, marker.number))
            message = f"序号不连续：“{last.label}”之后是“{marker.label}”，缺少“{missing}”"
        else:
            message = f"序号顺序颠倒：“{last.label}”之后是“{marker.label}”"
        yield item.finding(marker.start, marker.end, message, evidence={"previous": last.label, "marker": marker.label},
                           related=[(last.start, last.end, "前一个序号")])


@rule("L601", "shi-sequence", "warning", "实务", "“一是、二是、三是”序号跳号、重复或颠倒",
      examples={"fire": ["一是加强组织领导。三是完善制度建设。", "一是加强组织领导。二是完善制度建设。二是强化监督检查。",
                         "存在差距，一是交流不充分；三是解读不到位。"],
                "silent": ["一是加强组织领导。二是完善制度建设。三是强化监督检查。", "三是完善制度建设。五是强化监督检查。",
                           "一是加强组织领导；二是完善制度。下一步，一是强化责任；二是加强公开。",
                           "坚持统一是前提，实事求是，二是非题。"]}, formats=ANY_FORMAT)
def shi_sequence(report: Report, item: Rule):
    """检查什么：“一是……二是……三是……”的列举是否连续：有无跳号（一是、三是）、重复（二是、二是）或颠倒。

    为什么：跳号和重复多是删改段落后忘了调整序号，读者会以为漏了一条内容。
    新的“一是”开始一组新的列举；每个部分、每个“（一）”小标题下重新计数。

    错误示例：一是加强组织领导。三是完善制度建设。
    正确示例：一是加强组织领导。二是完善制度建设。
    """
    yield from sequence_findings(report, item, ("shi",))


@rule("L602", "heading-sequence", "warning", "GB/T 9704", "“（一）（二）（三）”小标题序号跳号、重复或颠倒",
      examples={"fire": ["（一）主动公开情况。全年公开信息100条。\n（二）依申请公开情况。\n（四）政府信息管理情况。"],
                "silent": ["（一）主动公开情况。全年公开信息100条。按照第（三）项规定办理。"]}, formats=ANY_FORMAT)
def heading_sequence(report: Report, item: Rule):
    """检查什么：各部分中“（一）（二）（三）……”小标题（段首或句首）是否连续。

    为什么：GB/T 9704-2012 规定第二层序数用“（一）”；跳号、重复通常是删除或合并小标题后未重新编号。
    每个部分（一至六）重新计数；“第（三）项”这类文中引用不算小标题。表格中的序号不查。

    错误示例：（一）主动公开情况……（二）依申请公开情况……（四）政府信息管理情况
    正确示例：（一）……（二）……（三）政府信息管理情况
    """
    yield from sequence_findings(report, item, ("paren",))


@rule("L603", "number-sequence", "warning", "GB/T 9704", "“1. 2. 3.”或“（1）（2）”序号跳号、重复或颠倒",
      examples={"fire": ["整改措施：1.加强培训。2.完善制度。2.强化考核。", "整改措施：（1）加强培训。（3）完善制度。"],
                "silent": ["整改措施：1.加强培训。2.完善制度。3.强化考核。", "预算3.5万元。2.5万元已支出。"]}, formats=ANY_FORMAT)
def number_sequence(report: Report, item: Rule):
    """检查什么：段首或句首的“1.”“2.”（或“1、”）与“（1）”“（2）”列举是否连续。

    为什么：GB/T 9704-2012 规定第三、四层序数用“1.”“（1）”；跳号、重复会让读者以为漏了一条。
    上一级序号（（一）、一是）之后重新计数。

    错误示例：1.加强培训。2.完善制度。2.强化考核。
    正确示例：1.加强培训。2.完善制度。3.强化考核。
    """
    yield from sequence_findings(report, item, ("arabic", "arabic_paren"))
