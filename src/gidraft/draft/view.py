"""What a draft shows, prepared once for every output kind: the context of the templates and of the Word writer.

Labels come from the table layouts of ``rules/formats/`` (:mod:`gidraft.report.layout`); this module adds
only the printed furniture the layouts do not name: the 第二十条 captions of table 2, the group labels of
table 3 (三、本年度办理结果, （三）不予公开 …) and its header, and the 行政诉讼 header of table 4.
Table 3's row labels are laid out on three label columns as in the official template: a row's levels
(三、本年度办理结果 › （三）不予公开 › 1.属于国家秘密) stand in columns 1–3, the last level spanning the rest,
and a level equal to the one above continues that cell downwards.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..report.layout import Layout
from . import FILL_MARK
from .environment import signed, wanyuan
from .schema import BLOCK_KEYS, CONTACT_KEYS, REQUIRED_BLOCKS, DataFile, default_title, figure_kind
from .sentences import fee, requests, review

T2_ARTICLES = {
    "regulations": "（一）", "normative_documents": "（一）",
    "licensing": "（五）", "other_services": "（五）",
    "penalty": "（六）", "coercion": "（六）",
    "fees": "（八）",
    "procurement": "（九）",
}
T2_LABEL_HEADER = "信息内容"
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANTS = "申请人情况"
T3_ORGANISATIONS = "法人或其他组织"
T3_RESULTS = "三、本年度办理结果"
T3_GROUPS = {"（三）": "（三）不予公开", "（四）": "（四）无法提供", "（五）": "（五）不予处理", "（六）": "（六）其他处理"}
T3_FULL_LABELS = {"partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"}
T4_LITIGATION = "行政诉讼"
BLANK = "—"
BARE_NONE = {"无", "无。"}
SUBITEM = re.compile(r"^(（[一二三四五六七八九十]）)(\d+[.．].*)$")
FORMAT_NAMES = {"2019": "《中华人民共和国政府信息公开工作年度报告格式（试行）》", "2021": "《中华人民共和国政府信息公开工作年度报告格式》"}


@dataclass
class LabelCell:
    text: str
    column: int  # 0..2
    colspan: int
    rowspan: int = 1


@dataclass
class T3Row:
    key: str
    levels: list[str]
    cells: list[str]
    starts: list[LabelCell] = field(default_factory=list)  # label cells that begin on this row

    @property
    def label_texts(self) -> list[str]:
        """The three label columns with merged continuations left empty (for Markdown)."""
        out = ["", "", ""]
        for cell in self.starts:
            out[cell.column] = cell.text
        return out

    @property
    def opened(self) -> list[tuple[int, str]]:
        """(level, text) of the group labels that begin here, for text layouts that print them on their own line."""
        return [(cell.column, cell.text) for cell in self.starts if cell.column < len(self.levels) - 1]


class Figures:
    """Formats the table figures of a data file: null is ``—`` (blank in the source) or 【待填写】 (still to fill in)."""

    def __init__(self, datafile: DataFile, lay: Layout) -> None:
        self.data = datafile.data
        self.pending = datafile.pending
        self.layout = lay

    def __call__(self, key: str) -> str:
        table, row, col = key.split(".")
        value = self.data[table][row][col]
        if value is None:
            return FILL_MARK if key in self.pending else BLANK
        kind = figure_kind(self.layout, key)
        if kind == "money":
            return wanyuan(value)
        return signed(value) if kind == "signed" else str(value)


def t2_blocks(lay: Layout, figures: Figures) -> dict:
    """Table 2 as captioned blocks; ``grid`` is the number of value columns every row is spread over."""
    blocks: list[dict] = []
    for row in lay.t2:
        caption = f"第二十条第{T2_ARTICLES[row.key]}项"
        if not blocks or blocks[-1]["caption"] != caption:
            blocks.append({"caption": caption, "columns": [label for _, label in row.columns], "rows": []})
        blocks[-1]["rows"].append({
            "key": row.key,
            "label": row.label,
            "cells": [figures(f"t2.{row.key}.{col}") for col, _ in row.columns],
        })
    grid = math.lcm(*(len(block["columns"]) for block in blocks))
    return {"label_header": T2_LABEL_HEADER, "blocks": blocks, "grid": grid}


def _levels(key: str, label: str, results: set[str]) -> list[str]:
    """The printed label levels of a table-3 row: (三、本年度办理结果, （三）不予公开, 1.属于国家秘密)."""
    if key not in results:
        return [label]
    label = T3_FULL_LABELS.get(key, label)
    sub = SUBITEM.match(label)
    if sub and sub.group(1) in T3_GROUPS:
        return [T3_RESULTS, T3_GROUPS[sub.group(1)], sub.group(2)]
    return [T3_RESULTS, label]


def t3_table(lay: Layout, figures: Figures) -> dict:
    results = {key for key, _ in lay.key_sets()["results"]} | {"processed_total"}
    rows = [
        T3Row(row.key, _levels(row.key, row.label, results), [figures(f"t3.{row.key}.{col}") for col, _ in lay.t3_columns])
        for row in lay.t3_rows
    ]
    open_cells: dict[int, LabelCell] = {}
    for row in rows:
        last = len(row.levels) - 1
        for column, text in enumerate(row.levels):
            above = open_cells.get(column)
            if column < last and above is not None and above.text == text and above.colspan == 1:
                above.rowspan += 1
                continue
            cell = LabelCell(text, column, 3 - column if column == last else 1)
            row.starts.append(cell)
            open_cells[column] = cell
        for column in range(last + 1, 3):
            open_cells.pop(column, None)
    columns = [label for _, label in lay.t3_columns]
    return {
        "note": T3_NOTE,
        "applicants": T3_APPLICANTS,
        "organisations": T3_ORGANISATIONS,
        "columns": columns,
        "person": columns[0],
        "organisation_columns": columns[1:-1],
        "total": columns[-1],
        "rows": rows,
    }


def t4_table(lay: Layout, figures: Figures) -> dict:
    labels = [label for _, label in lay.t4_groups]
    return {
        "review": labels[0],
        "litigation": T4_LITIGATION,
        "litigation_groups": labels[1:],
        "columns": [label for _, label in lay.t4_columns],
        "cells": [figures(f"t4.{group}.{col}") for group, _ in lay.t4_groups for col, _ in lay.t4_columns],
    }


def paragraphs(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def _broken_tables(datafile: DataFile, lay: Layout) -> set[str]:
    """Tables (t3, t4) with a relation that fails: their figures cannot all be right."""
    from .schema import relation_problems

    return {problem.path.split(".")[0] for problem in relation_problems(datafile.data, lay, datafile)}


def context(datafile: DataFile) -> dict:
    """Everything the templates and the Word writer use."""
    data = datafile.data
    lay = datafile.layout
    meta = data["meta"]
    figures = Figures(datafile, lay)
    blocks = data["sections"]
    narrative = {key: paragraphs(blocks.get(key)) for key in BLOCK_KEYS}
    for key in REQUIRED_BLOCKS:
        narrative[key] = narrative[key] or [FILL_MARK]
    fee_sentence = fee(data, "fees.info_processing_yuan" in datafile.pending, FILL_MARK)
    if fee_sentence and narrative["other_matters"] and "".join(narrative["other_matters"]) in BARE_NONE:
        narrative["other_matters"] = []  # "无。" after a sentence on the fee would contradict it
    contact = {key: (data["contact"].get(key) or "").strip() for key in CONTACT_KEYS}
    broken = _broken_tables(datafile, lay)  # a sentence is written only from figures that agree with each other
    return {
        "meta": {
            "title": (meta.get("title") or "").strip() or default_title(meta["agency"], meta["year"]),
            "agency": meta["agency"].strip(),
            "year": meta["year"],
            "format": lay.format,
            "document": f"{FORMAT_NAMES[lay.format]}（{lay.document}）",
        },
        "contact": contact,
        "headings": {s.key: f"{s.number}、{s.canonical}" for s in lay.sections},
        "narrative": narrative,
        "sentences": {"requests": None if "t3" in broken else requests(data, lay),
                      "review": None if "t4" in broken else review(data, lay), "fee": fee_sentence},
        "t2": t2_blocks(lay, figures),
        "t3": t3_table(lay, figures),
        "t4": t4_table(lay, figures),
    }
