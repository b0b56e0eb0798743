"""Sums stated in the narrative: parts and the total the same sentence gives for them.

Three shapes are checked, always within one sentence and only with exact figures of one unit:

- parts, then a total that names them (``人大代表建议17件、政协委员提案33件，目前，50件建议和提案已全部
  办理完毕``) or follows them with 共/合计 (``…33件，共计50件``): the parts must add up to the total;
- a total, then ``其中`` and its parts (``行政复议351件，其中结果维持72件，结果纠正64件，其他结果178件，
  尚未审结37件``): parts of one known breakdown (the four results of table 4, the six outcomes of
  table 3, natural and legal persons) may not exceed the total and must equal it when the breakdown
  is complete; an ad-hoc list joined by 、 may not exceed it;
- a total and what it includes (``答复3050件（含上年度结转申请34件）``): the part may not exceed it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from ..cache import compiled
from ..quantities import PERCENT_UNITS, Quantity
from ..report.model import Report
from .engine import Rule, rule
from .narrative import cell_within, number, prose_of, where

NOT_CHINESE = compiled(r"[^\u4e00-\u9fff]")
CLAUSE_END = compiled(r"[，,。；]")
SENTENCE = compiled(r"[^。；！？!?;\n]+")
LABEL_STOP = "、，,；;：:（(）)"
TOTAL_WORDS = compiled(r"[，,]?(?:共|共计|合计|总计|累计)(?:为|达)?")
MARKER = compiled(r"[，,（(]?(?:其中|含|包括|包含)")
NESTED = compiled(r"(?:其中|含|包括|包含)")  # an item that opens a breakdown of the one before it
SUBSET = ("含", "包括", "包含")
JOINERS = compiled(r"[和及与、]")
TAIL = 12
REST = compiled(r"其[他它](?:类|信息|事项|文件)?$")
MAX_LABEL = 14

FAMILIES: dict[str, dict[str, re.Pattern]] = {
    "表四的结果": {
        "upheld": compiled(r"维持"),
        "corrected": compiled(r"纠正|纠错|败诉"),
        "other": compiled(r"^(?:结果)?其他(?:结果)?$|其他结果"),
        "pending": compiled(r"未审结|审理中|尚在审理"),
    },
    "表三的办理结果": {
        "granted": compiled(r"(?<!部分)(?<!不)予以公开|同意公开"),
        "partially_granted": compiled(r"部分(?:予以)?公开"),
        "withheld": compiled(r"不予(?:以)?公开"),
        "unavailable": compiled(r"无法提供"),
        "rejected": compiled(r"不予处理"),
        "other": compiled(r"其他处理|^其他$"),
    },
    "申请人类别": {
        "natural_person": compiled(r"自然人"),
        "legal_persons": compiled(r"法人"),
    },
}


@dataclass
class Stated:
    """A figure of a sentence with the words that label it."""

    quantity: Quantity  # offsets in the prose
    label: str  # the words before the figure, back to the previous separator
    separator: str  # the character before the label ("" at the start of the sentence)


def _statements(report: Report) -> list[list[Stated]]:
    """The exact, non-table quantities of each sentence of the prose, with their labels."""
    cached = report.__dict__.get("_stated")
    if cached is not None:
        return cached
    prose = prose_of(report)
    text = prose.text
    out = []
    every = prose.quantities
    starts = [q.start for q in every]
    for sentence in SENTENCE.finditer(text):
        found = []
        previous_end = sentence.start()
        first = bisect_left(starts, sentence.start())
        for quantity in every[first:bisect_left(starts, sentence.end(), first)]:  # no quantity spans a sentence end
            start, end = prose.logical(quantity.start), prose.logical_end(quantity.end)
            if cell_within(report, start, end):
                previous_end = quantity.end
                continue
            cut = max([text.rfind(ch, previous_end, quantity.start) for ch in LABEL_STOP] + [previous_end - 1])
            label = text[cut + 1:quantity.start]
            separator = text[cut] if cut >= sentence.start() and text[cut] in LABEL_STOP else ""
            if not found and cut < sentence.start() and sentence.start() and text[sentence.start() - 1] in "；;":
                separator = "；"  # the first figure after a semicolon: a list may go on across it (其中：a；b；c)
            found.append(Stated(quantity, label, separator))
            previous_end = quantity.end
        out.append(found)
    report.__dict__["_stated"] = out
    return out


def _span(report: Report, quantity: Quantity) -> tuple[int, int]:
    prose = prose_of(report)
    return prose.logical(quantity.start), prose.logical_end(quantity.end)


def _quote(report: Report, start: int, end: int) -> str:
    text = prose_of(report).text[start:end].replace("\n", "")
    return text if len(text) <= 48 else f"{text[:20]}…{text[-24:]}"


def _places(report: Report, items: list[Quantity]) -> str:
    return where(report, [_span(report, q)[0] for q in items])


def _noun(label: str) -> str:
    words = NOT_CHINESE.sub("", label)
    return words[-2:] if len(words) >= 2 else ""


def _family_member(label: str) -> tuple[str, str] | None:
    """(family, member) when the label names exactly one member of one known breakdown."""
    hits = [(family, member) for family, members in FAMILIES.items() for member, pattern in members.items()
            if pattern.search(label)]
    return hits[0] if len(hits) == 1 else None


def _message(report: Report, parts: list[Stated], total: Stated, relation: str) -> str:
    items = [p.quantity for p in parts]
    every = items + [total.quantity]
    first = min(parts + [total], key=lambda p: p.quantity.start)
    quote = _quote(report, first.quantity.start - len(first.label), max(q.end for q in every))
    head = f"正文“{quote}”{_places(report, every)}："
    shown = " + ".join(str(number(q.value)) for q in items)
    sum_ = number(sum(q.value for q in items))
    if relation == "exceeds" and len(items) == 1:
        return f"{head}所含 {shown} 超过总数 {number(total.quantity.value)}"
    if relation == "exceeds":
        return f"{head}其中各项 {shown} = {sum_}，超过总数 {number(total.quantity.value)}"
    return f"{head}各项 {shown} = {sum_}，与所称合计 {number(total.quantity.value)} 不符"


def _finding(report: Report, item: Rule, parts: list[Stated], total: Stated, relation: str):
    start, end = _span(report, total.quantity)
    evidence = {"parts": [p.quantity.value for p in parts], "total": total.quantity.value}
    return item.finding(start, end, _message(report, parts, total, relation), evidence=evidence,
                        related=[(*_span(report, p.quantity), p.label) for p in parts])


@rule("N201", "narrative-sum", "error", "实务", "正文列出的各项数字之和与随后所称的合计不符", examples={
    "fire": ["2019年共承接、办理人大代表建议17件、政协委员提案33件，目前，51件建议和提案已全部办理完毕。",
             "全年办理人大代表建议17件、政协委员提案33件，共计51件。"],
    "silent": ["2019年共承接、办理人大代表建议17件、政协委员提案33件，目前，50件建议和提案已全部办理完毕。",
               "全年受理政府信息公开申请3119件，答复3050件，其中34件为上年度结转。",
               "办理人大代表建议17件、政协委员提案30余件，共计50件。"],
})
def stated_sum(report: Report, item: Rule):
    """检查正文同一句中先列出各项、再给出合计的数字是否相加一致。

    为什么：正文中“某某 N 件、某某 M 件，共 K 件”一类的合计写错，读者一眼就能发现，
    也是评估中常见的“数据失准”问题。只比较单位相同的精确数字，约数（“余”“多”“近”等）不比较；
    合计须紧跟在各项之后（“共计”“合计”），或明确指称各项（“50件建议和提案”）。

    错误示例：办理人大代表建议 17 件、政协委员提案 33 件，目前，51 件建议和提案已全部办理完毕。
    正确示例：办理人大代表建议 17 件、政协委员提案 33 件，目前，50 件建议和提案已全部办理完毕。
    """
    text = prose_of(report).text
    for sentence in _statements(report):
        runs = _Runs(sentence)
        for index, total in enumerate(sentence):
            first = runs.start(index)
            count = index - first
            if count < 2 or total.quantity.approx or runs.approx(first, index):
                continue
            between = text[sentence[index - 1].quantity.end:total.quantity.start]
            summed = TOTAL_WORDS.fullmatch(between) and runs.commas(first + 1, index) == 0
            named = False
            if not summed and count <= TAIL:  # each part's noun must appear in the short tail
                tail = CLAUSE_END.split(text[total.quantity.end:total.quantity.end + TAIL])[0]
                nouns = [_noun(p.label) for p in sentence[first:index]]
                named = (all(nouns) and len(set(nouns)) == len(nouns) and all(n in tail for n in nouns)
                         and JOINERS.search(tail))
            if not (named or summed):
                continue
            if abs(runs.sum(first, index) - total.quantity.value) > 1e-9:
                yield _finding(report, item, sentence[first:index], total, "sum")


class _Runs:
    """For each figure of a sentence, where the list of same-unit figures right before it begins
    (each after 、 or ，), with prefix counts so that every question about a run is answered at once."""

    def __init__(self, sentence: list[Stated]) -> None:
        self.chain: list[int | None] = []  # chain[j]: first figure of the run ending with j (None: j ends no run)
        self.sentence = sentence
        self.totals, self.approximate, self.not_enumeration = [0.0], [0], [0]
        for j, stated in enumerate(sentence):
            quantity = stated.quantity
            if len(stated.label) > MAX_LABEL:
                start = None
            elif (j and self.chain[j - 1] is not None and stated.separator in ("、", "，", ",")
                  and sentence[j - 1].quantity.unit == quantity.unit):
                start = self.chain[j - 1]
            else:
                start = j
            self.chain.append(start)
            self.totals.append(self.totals[-1] + quantity.value)
            self.approximate.append(self.approximate[-1] + quantity.approx)
            self.not_enumeration.append(self.not_enumeration[-1] + (stated.separator != "、"))

    def start(self, index: int) -> int:
        """First figure of the run right before ``index`` (``index`` itself when there is none)."""
        before = index - 1
        if before < 0 or self.chain[before] is None:
            return index
        if self.sentence[before].quantity.unit != self.sentence[index].quantity.unit:
            return index
        return self.chain[before]

    def sum(self, lo: int, hi: int) -> float:
        return self.totals[hi] - self.totals[lo]

    def approx(self, lo: int, hi: int) -> bool:
        return self.approximate[hi] > self.approximate[lo]

    def commas(self, lo: int, hi: int) -> int:
        """How many figures of [lo, hi) are not joined by 、."""
        return self.not_enumeration[hi] - self.not_enumeration[lo] if hi > lo else 0



def _breakdowns(report: Report):
    """(total, parts, family, complete) for each ``总数，其中…`` and ``总数（含…）`` in the prose."""
    text = prose_of(report).text
    sentences = _statements(report)
    for number_, sentence in enumerate(sentences):
        for index, head in enumerate(sentence[:-1]):
            marker = MARKER.match(text, head.quantity.end, sentence[index + 1].quantity.start)
            if marker is None or head.quantity.approx or head.quantity.unit in PERCENT_UNITS:
                continue
            subset = marker.group().lstrip("，,（(") in SUBSET
            listed = text[marker.end():marker.end() + 1] in ("：", ":")  # 其中：a，b，c announces a list
            closing = len(text)
            if marker.group()[:1] in ("（", "("):  # （其中…）: the list ends with the bracket
                found_close = [i for i in (text.find(c, marker.end()) for c in "）)") if i != -1]
                closing = min(found_close) if found_close else closing
            following = sentence[index + 1:]
            if listed:  # 其中：a；b；c: the list runs on across semicolons
                for later in sentences[number_ + 1:]:
                    if not later or later[0].separator != "；":
                        break
                    following = following + later
            parts: list[Stated] = []
            family, members = None, set()
            for stated in following:
                if stated.quantity.unit != head.quantity.unit or stated.quantity.approx or stated.quantity.start > closing:
                    break
                found = _family_member(MARKER.sub("", stated.label, count=1))
                if parts and (
                    (family is None and (found or not (stated.separator == "、" or listed or _parallel(parts[0], stated))))
                    or (family is not None and (found is None or found[0] != family or found[1] in members))
                    or stated.separator not in ("、", "，", ",", "）", ")", *(("；", ";") if listed else ()))
                ):
                    break
                if not parts:
                    family = found[0] if found else None
                if found:
                    members.add(found[1])
                parts.append(stated)
                if subset and family is None:
                    break
            if listed and family is None:
                parts = _top_level(parts)
            complete = family is not None and members == set(FAMILIES[family])
            yield head, parts, family, complete


def _top_level(parts: list[Stated]) -> list[Stated]:
    """The items of a ``其中：`` list without the breakdown an item opens (政策文件类207条，包含事故调查类11条，安全生产类
    95条；工作动态145条: 207 and 145): from an item named 包含/包括/含… on, up to the next one after a semicolon."""
    out, nested = [], False
    for stated in parts:
        if stated.separator in ("；", ";"):
            nested = False
        if out and NESTED.match(NOT_CHINESE.sub("", stated.label)):
            nested = True
        if not nested:
            out.append(stated)
    return out


def _parallel(first: Stated, other: Stated) -> bool:
    """Items named alike (…平台发布信息398条，…专题发布信息318条): the same counted word ends both labels."""
    noun = _noun(first.label)
    return bool(noun) and _noun(other.label) == noun


@rule("N202", "narrative-breakdown", "error", "实务", "正文“共…其中…”所列各类数字超过总数，或分类齐全却与总数不符", examples={
    "fire": ["政府信息公开行政复议351件，其中结果维持72件，结果纠正64件，其他结果178件，尚未审结38件。",
             "政府信息公开行政诉讼46件，其中结果维持25件，结果纠正5件，其他结果9件，尚未审结6件。",
             "共答复申请5件，其中予以公开4件，不予公开2件。",
             "答复3050件（含上年度结转申请3434件）。"],
    "silent": ["政府信息公开行政复议351件，其中结果维持72件，结果纠正64件，其他结果178件，尚未审结37件。",
               "共答复申请5件，其中予以公开3件，不予公开1件。",
               "共收到申请218件，其中自然人申请217件、法人申请1件，予以公开71件。",
               "答复3050件（含上年度结转申请34件，另有103件顺延到下年度答复）。"],
})
def stated_breakdown(report: Report, item: Rule):
    """检查正文“总数，其中各类数字”是否相符：各类之和不能超过总数；
    分类齐全时（如表四的维持、纠正、其他结果、尚未审结四项，表三的六类办理结果，自然人与法人或其他组织），
    各类之和应当等于总数；“答复 N 件（含……M 件）”中 M 不能超过 N。

    为什么：“其中”列出的是总数的组成部分，加起来超过总数必有一处写错；分类齐全而合计不符，同样说明数字有误。

    错误示例：政府信息公开行政复议 351 件，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，尚未审结 38 件。
    正确示例：……尚未审结 37 件（72 + 64 + 178 + 37 = 351）。
    """
    for head, parts, family, complete in _breakdowns(report):
        total = sum(p.quantity.value for p in parts)
        if family is None:
            if len(parts) == 1 and total > head.quantity.value + 1e-9:
                yield _finding(report, item, parts, head, "exceeds")
            continue
        if total > head.quantity.value + 1e-9:
            yield _finding(report, item, parts, head, "exceeds")
        elif complete and abs(total - head.quantity.value) > 1e-9:
            yield _finding(report, item, parts, head, "sum")


@rule("N203", "narrative-list-exceeds", "warning", "实务", "正文“其中”后列出的各项之和超过总数", examples={
    "fire": ["全年收到申请100件，其中网上申请70件、信函申请40件。",
             "累计发布各类信息715条，其中政务公开平台发布信息398条，基层政务公开专题发布信息318条。",
             "主动公开政府信息共4496条，其中：动态新闻类信息908条，通知公告类信息2660条，目录信息929条。",
             "主动公开政府信息8660条，其中：概况类信息7条，政务动态信息5061条，其他3591条。",
             "公开政府信息352条，其中：政策文件类207条，包含事故调查类11条，安全生产类95条；工作动态145条；年度报告1条。"],
    "silent": ["全年收到申请100件，其中网上申请60件、信函申请40件。", "全年收到申请100件，其中网上申请70件，予以公开40件。",
               "公开政府信息352条，其中：政策文件类206条，包含事故调查类11条，安全生产类95条；工作动态145条；年度报告1条。",
               "主动公开政府信息8659条，其中：概况类信息7条，政务动态信息5061条，其他3591条。",
               "累计发布各类信息716条，其中政务公开平台发布信息398条，基层政务公开专题发布信息318条。"],
})
def stated_list(report: Report, item: Rule):
    """检查“总数，其中甲 a 件、乙 b 件、丙 c 件”这类并列的分项（以顿号并列，或“其中：”之后逐项列出，
    或各项名称同类，如“平台发布信息 398 条，专题发布信息 318 条”），其和是否超过总数。
    “其中：”之后某项又以“包含”“包括”细分的（“政策文件类207条，包含……；工作动态145条；……”），细分各项不计入。

    为什么：并列的分项通常互不重叠，合计超过总数多半是某个数字写错；
    若各项确有交叉（一件申请同时属于两类），请在正文说明，或忽略本条提示。

    错误示例：收到申请 100 件，其中网上申请 70 件、信函申请 40 件。
    正确示例：收到申请 100 件，其中网上申请 60 件、信函申请 40 件。
    """
    for head, parts, family, _ in _breakdowns(report):
        if family is not None or len(parts) < 2:
            continue
        total = sum(p.quantity.value for p in parts)
        if total > head.quantity.value + 1e-9:
            yield _finding(report, item, parts, head, "exceeds")
        elif REST.match(NOT_CHINESE.sub("", parts[-1].label)) and abs(total - head.quantity.value) > 1e-9:
            yield _finding(report, item, parts, head, "sum")  # …，其他3215条 closes the list: it is complete
