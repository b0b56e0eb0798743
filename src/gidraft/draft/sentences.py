"""Sentences a draft writes from the figures: requests received and concluded, outcomes, carried forward,
行政复议 and 行政诉讼, and the 信息处理费.

They use the wording the narrative rules and ``extract`` read (本年度新收…件, 上年结转…件, 办结…件,
结转下年度继续办理…件, 被申请行政复议…件, 被提起行政诉讼…件, 收取信息处理费…元), so a draft agrees with its
tables by construction.  A sentence is left out when a figure it needs is still empty.
"""

from __future__ import annotations

from ..report.data import FEE_AMOUNT, FEE_NONE
from ..report.layout import Layout

# Outcome groups of table 3 by key prefix: (name in a listing, predicate after 均).
OUTCOMES = {
    "granted": ("予以公开", "予以公开"),
    "partially_granted": ("部分公开", "部分公开"),
    "withheld": ("不予公开", "不予公开"),
    "unavailable": ("无法提供", "无法提供"),
    "rejected": ("不予处理", "不予处理"),
    "other": ("其他处理", "作其他处理"),
}


def stated_fee(text: str) -> float | int | None:
    """The 信息处理费 in yuan a narrative states (the same reading ``extract`` applies to section 六)."""
    amount = FEE_AMOUNT.search(text)
    if amount:
        value = float(amount.group(1)) * (10000 if amount.group(2) == "万元" else 1)
        return int(value) if value == int(value) else value
    return 0 if FEE_NONE.search(text) else None


def yuan(value: float | int) -> str:
    """An amount in yuan as written in prose: 3940, 12.5."""
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".") if round(value, 2) == value else repr(float(value))


def _total(t3: dict, row: str) -> int | None:
    return t3[row]["total"]


def _listing(groups: list[tuple[str, int]]) -> str:
    return "、".join(f"{OUTCOMES[group][0]}{count}件" for group, count in groups if count)


def requests(data: dict, lay: Layout) -> str | None:
    """Section 三: received, carried over, concluded with outcomes, carried forward."""
    t3 = data["t3"]
    keys = [row.key for row in lay.t3_rows]
    if any(t3[k][c] is None for k in keys for c, _ in lay.t3_columns):
        return None
    new, carried = _total(t3, "new_received"), _total(t3, "carried_over")
    done, forward = _total(t3, "processed_total"), _total(t3, "carry_forward")
    if new == 0 and carried == 0:
        return "本年度未收到政府信息公开申请，也没有上年结转的申请。"
    persons = t3["new_received"]["natural_person"]
    received = "本年度未新收政府信息公开申请" if new == 0 else f"本年度新收政府信息公开申请{new}件"
    if new and persons not in (0, new):
        received += f"，其中自然人申请{persons}件、法人或其他组织申请{new - persons}件"
    elif new and persons == new:
        received += "，均为自然人申请"
    elif new:
        received += "，均为法人或其他组织申请"
    if carried:
        received += f"；上年结转政府信息公开申请{carried}件"
    groups = _outcomes(t3, lay)
    if done == 0:
        concluded = "本年度尚无办结的申请"
    elif len([n for _, n in groups if n]) == 1:
        group = next(group for group, n in groups if n)
        concluded = f"本年度办结{done}件，均{OUTCOMES[group][1]}"
    else:
        concluded = f"本年度办结{done}件，其中{_listing(groups)}"
    after = f"结转下年度继续办理{forward}件" if forward else "无结转下年度继续办理的申请"
    return f"{received}。{concluded}；{after}。"


def _outcomes(t3: dict, lay: Layout) -> list[tuple[str, int]]:
    """(group name, total) of the outcome groups （一）…（六）, in table order."""
    totals: dict[str, int] = {}
    for key, _ in lay.key_sets()["results"]:
        group = next(g for g in OUTCOMES if key == g or key.startswith(g + "_"))
        totals[group] = totals.get(group, 0) + t3[key]["total"]
    return [(g, n) for g, n in totals.items()]


def review(data: dict, lay: Layout) -> str | None:
    """Section 四: 行政复议 and 行政诉讼 with their results."""
    t4 = data["t4"]
    if any(v is None for group in t4.values() for v in group.values()):
        return None
    parts = [(label, key) for key, label in lay.t4_columns if key != "total"]
    review_total = t4["review"]["total"]
    direct, after = t4["litigation_direct"]["total"], t4["litigation_after_review"]["total"]
    if review_total == 0 and direct + after == 0:
        return "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    if review_total:
        detail = "、".join(f"{label}{t4['review'][key]}件" for label, key in parts if t4["review"][key])
        first = f"本年度因政府信息公开工作被申请行政复议{review_total}件（{detail}）"
    else:
        first = "本年度未因政府信息公开工作被申请行政复议"
    if direct + after == 0:
        second = "未被提起行政诉讼"
    else:
        results = {key: t4["litigation_direct"][key] + t4["litigation_after_review"][key] for _, key in parts}
        detail = "、".join(f"{label}{results[key]}件" for label, key in parts if results[key])
        branches = "、".join(f"{name}{n}件" for name, n in (("未经复议直接起诉", direct), ("复议后起诉", after)) if n)
        second = f"被提起行政诉讼{direct + after}件（{branches}；{detail}）"
    return f"{first}；{second}。"


def fee(data: dict, pending: bool, fill_mark: str) -> str | None:
    """Section 六: the 信息处理费, unless the writer's own text already states it."""
    amount = data["fees"]["info_processing_yuan"]
    if stated_fee(data["sections"].get("other_matters") or "") is not None:
        return None
    if amount is None:
        return f"本年度收取信息处理费{fill_mark}元。" if pending else None
    if amount == 0:
        return "本年度未收取信息处理费。"
    return f"本年度依据《政府信息公开信息处理费管理办法》共收取信息处理费{yuan(amount)}元。"
