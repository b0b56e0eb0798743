"""信息处理费: what the report says about the disclosure-processing fee, and whether it holds together.

The fee (条例第四十二条, 国办函〔2020〕109号) is reported in yuan in section 六 of a 2021-format report.
It is not table 2's 行政事业性收费 (the agency's regulatory fee income, in 万元); the only table figure
touching it is table 3's row （六）2. (requests dropped because the applicant did not pay the fee
notified).  :func:`statements` finds every sentence that states the fee: an amount, none, or that
the fee regime was never applied.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..cache import compiled
from ..quantities import MONEY_UNITS, parse_quantity, quantities, quantity_pattern
from ..report.model import Report
from .engine import Rule, rule
from .narrative import Prose, cell_places, number, phrase, prose_of, where

NOUN = "(?:政府)?信息(?:公开)?处理费"  # also written 信息公开处理费
AMOUNT = compiled(
    rf"(?:收取|收缴|收到|共收|征收)[^。；，,]{{0,16}}?{NOUN}(?:收入|金额)?(?:共|共计|合计|总计|为|达)?"
    + quantity_pattern(MONEY_UNITS, "m")
)
NONE = compiled(
    rf"(?:未|没有|无|未曾)(?:收取|发生|产生|收缴)(?:过|任何)?[^。；，,\d]{{0,12}}?{NOUN}"
    rf"|{NOUN}[^。；，,\d]{{0,8}}?(?:为0|为零|0元|零元|未收取|均未收取)"
)
NEVER_APPLIED = compiled(
    r"未(?:向申请人)?(?:发出|发送|送达|下发)(?:过|任何)?[^。；，,]{0,6}?收费通知"
    rf"|(?:未|没有)(?:适用|执行|启动|涉及)[^。；，,]{{0,10}}?(?:{NOUN}|收费)"
)
WAIVED = compiled(r"减免|免收|免予收取|退还|退回|未缴|欠缴|逾期未")
STATED_IN_SIX = compiled(rf"{NOUN}|收费|收取[^。；]{{0,6}}?费用")


@dataclass
class Statement:
    """What the report says about fees charged: an amount, none, or never."""

    kind: str  # amount | none | never
    start: int  # logical span of the wording
    end: int
    yuan: float | None  # the amount, in yuan (0 for none / never)
    in_six: bool  # stands in section 六
    alone: bool  # the only amount of money in its sentence


def _sentence(prose: Prose, pos: int) -> tuple[int, int]:
    start = prose.sentence_start(pos)
    ends = [i for i in (prose.text.find(ch, pos) for ch in "。；！？\n") if i != -1]
    return start, min(ends) if ends else len(prose.text)


def statements(report: Report) -> list[Statement]:
    """Every statement of the 信息处理费 in the narrative, in text order (cached on the report)."""
    cached = report.__dict__.get("_fee_statements")
    if cached is not None:
        return cached
    prose = prose_of(report)
    six = report.section("other_matters")
    found: list[Statement] = []
    taken: list[tuple[int, int]] = []
    for kind_, pattern in (("amount", AMOUNT), ("never", NEVER_APPLIED), ("none", NONE)):
        for match in pattern.finditer(prose.text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            s_start, s_end = _sentence(prose, match.start())
            if kind_ == "amount" and WAIVED.search(prose.text, match.start(), match.end()):
                continue
            if kind_ != "amount" and AMOUNT.search(prose.text, s_start, s_end):
                continue  # “10件以内未收取……共收取300元”: the amount is the statement
            yuan = 0.0
            if kind_ == "amount":
                quantity = parse_quantity(match.group("m"))
                if quantity.approx:
                    continue
                yuan = quantity.yuan
            start, end = prose.logical(match.start()), prose.logical_end(match.end())
            in_six = bool(six and six.body.start <= start < six.body.end)
            money = [q for q in quantities(prose.text, s_start, s_end) if q.unit in MONEY_UNITS]
            taken.append((match.start(), match.end()))
            found.append(Statement(kind_, start, end, yuan, in_six, len(money) <= 1))
    found.sort(key=lambda s: s.start)
    report.__dict__["_fee_statements"] = found
    return found


def reference(report: Report) -> Statement | None:
    """The statement the report gives as its fee figure: the first in section 六, else the first anywhere."""
    found = statements(report)
    return next((s for s in found if s.in_six), found[0] if found else None)


def _shown(report: Report, statement: Statement) -> str:
    return f"“{phrase(report, statement.start, statement.end)}”{where(report, [statement.start])}"


def _body(report: Report, section) -> tuple[int, int]:
    """The written text of a section (white space trimmed), or its heading when the body is empty."""
    text = report.text[section.body.start:section.body.end]
    if not text.strip():
        return section.heading_span.start, section.heading_span.end
    lead = len(text) - len(text.lstrip())
    return section.body.start + lead, section.body.start + len(text.rstrip())


def _unpaid(report: Report) -> tuple[str, int] | None:
    key = "t3.other_fee_unpaid.total"
    value = report.value(key)
    return (key, value) if value else None


@rule("N301", "fee-statements-disagree", "error", "国办年报格式", "正文各处所述信息处理费金额不一致", examples={
    "fire": [{"overview": "依申请公开方面，全年收取信息处理费200元。", "other_matters": "本年度未收取信息处理费。"},
             {"overview": "全年收取信息处理费200元。", "other_matters": "全年共收取信息处理费300元。"}],
    "silent": [{"overview": "全年收取信息处理费300元。", "other_matters": "全年共收取信息处理费300元。"},
               {"overview": "对3件申请按件收取100元、按量收取200元信息处理费。", "other_matters": "全年共收取信息处理费300元。"}],
})
def fee_disagree(report: Report, item: Rule):
    """检查正文各处关于信息处理费的说法是否一致：以第六部分的说法为准，
    其他部分（如“依申请公开”一节）所述收取金额或“未收取”应与之相同。

    为什么：同一年度的信息处理费只有一个数，前后说法不同，读者无法判断。
    一句中出现多个金额（如按件、按量分别列出）时不作比较。

    错误示例：一、总体情况称“收取信息处理费 200 元”，六、其他需要报告的事项称“本年度未收取信息处理费”。
    正确示例：两处都写“收取信息处理费 200 元”。
    """
    ref = reference(report)
    if ref is None or not ref.alone:
        return
    for other in statements(report):
        if other is ref or other.in_six == ref.in_six or not other.alone:
            continue
        if abs((other.yuan or 0) - (ref.yuan or 0)) > 1e-6:
            where_ref = "第六部分" if ref.in_six else "前文"
            yield item.finding(other.start, other.end, f"正文称{_shown(report, other)}，{where_ref}称{_shown(report, ref)}",
                               evidence={"stated": other.yuan, "reference": ref.yuan})


@rule("N302", "fee-not-stated", "warning", "国办年报格式", "2021 年格式的年报第六部分未说明信息处理费情况", formats=("2021",),
      examples={"fire": [{"other_matters": "无。"}],
                "silent": [{"other_matters": "本年度未收取信息处理费。"}, {"other_matters": "2024年，无收取信息处理费情况。"},
                           {"other_matters": "2025年度本机关未收取信息公开处理费。"}]})
def fee_not_stated(report: Report, item: Rule):
    """检查 2021 年格式年报的“六、其他需要报告的事项”是否说明了信息处理费的收取情况。

    为什么：国办公开办函〔2021〕30号格式要求在第六部分报告《政府信息公开信息处理费管理办法》的执行情况，
    没有收取也应写明（如“本年度未收取信息处理费”）；只写“无”无法判断。
    若表三“（六）2.申请人逾期未按收费通知要求缴纳费用”不为 0，或正文别处提到信息处理费，则按 N303 报错。

    错误示例：六、其他需要报告的事项　无。
    正确示例：六、其他需要报告的事项　本年度未收取信息处理费。
    """
    six = report.section("other_matters")
    if six is None or STATED_IN_SIX.search(report.text, six.body.start, six.body.end):
        return
    if _unpaid(report) or statements(report):
        return  # N303
    start, end = _body(report, six)
    yield item.finding(start, end, "第六部分未说明信息处理费收取情况（2021 年格式要求写明，没有收取也应写“本年度未收取信息处理费”）")


@rule("N303", "fee-not-stated-but-used", "error", "国办年报格式", "第六部分未说明信息处理费，表三或正文却显示发出过收费通知或收过费", formats=("2021",))
def fee_not_stated_but_used(report: Report, item: Rule):
    """检查第六部分未说明信息处理费、而表三“（六）2.申请人逾期未按收费通知要求缴纳费用”不为 0
    或正文别处提到信息处理费的情况。

    为什么：表三这一行不为 0，说明本年度向申请人发出过收费通知；正文别处写了收费，
    第六部分却只字不提，都不符合 2021 年格式在第六部分报告收费情况的要求。

    错误示例：表三“（六）2.”为 2，第六部分写“无。”。
    正确示例：第六部分写明发出收费通知和实际收取信息处理费的情况。
    """
    six = report.section("other_matters")
    if six is None or STATED_IN_SIX.search(report.text, six.body.start, six.body.end):
        return
    unpaid = _unpaid(report)
    elsewhere = statements(report)
    if unpaid:
        key, value = unpaid
        because = f"{report.layout.label_of(key)}为 {value}{cell_places(report, [key])}，说明发出过收费通知"
    elif elsewhere:
        because = f"正文{_shown(report, elsewhere[0])}"
    else:
        return
    start, end = _body(report, six)
    yield item.finding(start, end, f"第六部分未说明信息处理费情况，但{because}")


@rule("N304", "fee-never-applied-contradicted", "error", "国办年报格式", "正文称未发出收费通知，表三却有逾期未缴纳信息处理费的申请", formats=("2021",))
def fee_never_applied(report: Report, item: Rule):
    """检查正文“未发出收费通知”“未涉及信息处理费”一类说法与表三是否矛盾。

    为什么：表三“（六）2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请”
    不为 0，表示本年度确实向申请人发出过收费通知；此时不能说从未适用收费。
    （“未收取信息处理费”可以成立：发出通知而申请人未缴费，费用确实没有收到。）

    错误示例：第六部分“本年度未向申请人发出收费通知”，表三“（六）2.”为 3。
    正确示例：第六部分“本年度向 3 件申请发出收费通知，申请人均未缴费，未收取信息处理费”。
    """
    unpaid = _unpaid(report)
    if not unpaid:
        return
    key, value = unpaid
    for statement in statements(report):
        if statement.kind == "never":
            yield item.finding(statement.start, statement.end,
                               f"正文称{_shown(report, statement)}，但{report.layout.label_of(key)}为 {value}{cell_places(report, [key])}")


@rule("N305", "fee-without-requests", "warning", "实务", "正文称收取了信息处理费，表三却没有任何政府信息公开申请")
def fee_without_requests(report: Report, item: Rule):
    """检查收取信息处理费与表三申请数是否相容：收了费，就应当有申请（本年新收或上年结转不为 0）。

    为什么：信息处理费只能对政府信息公开申请收取；表三没有申请而正文称收了费，
    多半是把其他收费（如表二“行政事业性收费”）写成了信息处理费，或表三漏填。
    """
    ref = reference(report)
    received, carried = report.value("t3.new_received.total"), report.value("t3.carried_over.total")
    if ref is None or not ref.yuan or received is None or carried is None or received + carried:
        return
    keys = ["t3.new_received.total", "t3.carried_over.total"]
    yield item.finding(ref.start, ref.end, f"正文称{_shown(report, ref)}，但表三本年新收与上年结转的申请均为 0{cell_places(report, keys)}")


@rule("N306", "fee-confused-with-admin-fees", "warning", "国办年报格式", "所述信息处理费与表二“行政事业性收费”金额相同，疑将两者混淆")
def fee_confused(report: Report, item: Rule):
    """检查第六部分所述信息处理费是否恰好等于表二“行政事业性收费”的金额。

    为什么：信息处理费（依申请公开收取，第六部分，通常以元计）与表二第二十条第（八）项
    “行政事业性收费”（本机关的行政事业性收费，万元）是两回事；两者金额相同，多半是把表二的数字抄到了第六部分。

    错误示例：表二“行政事业性收费”为 96171.6 万元，第六部分“收取信息处理费 96171.6 万元”。
    """
    ref = reference(report)
    key = "t2.fees.amount_wanyuan"
    amount = report.value(key)
    if ref is None or not ref.yuan or not amount or abs(ref.yuan - amount * 10_000) > 0.5:
        return
    yield item.finding(ref.start, ref.end, f"正文称{_shown(report, ref)}，与{report.layout.label_of(key)} {number(amount)} 万元"
                       f"{cell_places(report, [key])}相同；信息处理费不是行政事业性收费，请核对")
