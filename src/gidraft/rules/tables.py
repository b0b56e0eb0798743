"""Table rules: relations declared in ``rules/tables.yaml`` and the readability of the tables.

A failing relation is placed on the cell most likely to be wrong: the cell that takes part in the
most failing relations of the report (a wrong figure breaks its row and its column at once).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..cache import compiled
from ..report.model import Report
from .engine import Rule, RuleError, rule
from .loader import kind

PLACEHOLDER = compiled(r"\{(\w+)\}")


@dataclass
class Instance:
    """One evaluated relation: its loop values, the terms of each side and whether it holds."""

    bindings: dict[str, str]
    left: list[str]
    right: list[str]


def _expand(template: str, bindings: dict[str, str], sets: dict) -> list[tuple[str, str]]:
    """Keys of a term template and the label of the part that varies within the term."""
    names = PLACEHOLDER.findall(template)
    free = [n for n in names if n not in bindings]
    key = template
    for name, value in bindings.items():
        key = key.replace("{" + name + "}", value)
    if not free:
        return [(key, "")]
    if len(free) > 1:
        raise ValueError(f"项 {template} 含有多个集合占位符")
    return [(key.replace("{" + free[0] + "}", member), label) for member, label in sets[free[0]]]


def _label(report: Report, key: str, given: str, template: str, bindings: dict[str, str]) -> str:
    if given:
        return given
    parts = key.split(".")
    literal = [i for i, piece in enumerate(template.split(".")) if i and not PLACEHOLDER.search(piece)]
    position = literal[0] if literal else len(parts) - 1
    return report.layout.part_label(parts[0], position, parts[position])


class Relation:
    def __init__(self, entry: dict, where: str) -> None:
        self.each: dict[str, str] = {k: v for k, v in (entry.get("each") or {}).items() if k != "__line__"}
        self.left: list[str] = list(entry["left"])
        self.right: list[str] = list(entry["right"])
        self.right_name: str = entry.get("right_name", "")
        self.message: str = entry["message"]
        self._instances: dict[str, list] = {}
        if not self.left or not self.right:
            raise RuleError(f"{where}: 关系两侧都不能为空")

    def instances(self, report: Report) -> list[tuple[dict, list, list, dict]]:
        """(bindings, left terms, right terms, key sets) of every instance: they depend on the format only."""
        cached = self._instances.get(report.format)
        if cached is not None:
            return cached
        sets = report.layout.key_sets()
        combos = [{}]
        for name, set_name in self.each.items():
            if set_name not in sets:
                raise RuleError(f"未知的键集合 {set_name}（可用：{', '.join(sets)}）")
            combos = [{**c, name: member} for c in combos for member, _ in sets[set_name]]
        out = []
        for bindings in combos:
            left = [(k, lbl, t) for t in self.left for k, lbl in _expand(t, bindings, sets)]
            right = [(k, lbl, t) for t in self.right for k, lbl in _expand(t, bindings, sets)]
            out.append((bindings, left, right, sets))
        self._instances[report.format] = out
        return out

    def describe(self, report: Report, terms, bindings, name: str = "") -> tuple[str, int | float]:
        values = [report.value(k) for k, _, _ in terms]
        total = sum(values)
        if name:
            return f"{name} {total}", total
        if len(terms) == 1:
            return f"{values[0]}", total
        shown = " + ".join(f"{_label(report, k, lbl, t, bindings)} {v}" for (k, lbl, t), v in zip(terms, values))
        return f"{shown} = {total}", total


def _failures(report: Report) -> list[tuple[Rule, Relation, dict, list, list]]:
    """Every failing relation instance of the report (cached on the report)."""
    cache = report.__dict__.setdefault("_relation_failures", None)
    if cache is not None:
        return cache
    failures = []
    for item, relation in RELATIONS:
        if report.format not in item.formats:
            continue
        for bindings, left, right, _ in relation.instances(report):
            values = [report.value(k) for k, _, _ in left], [report.value(k) for k, _, _ in right]
            if None in values[0] or None in values[1]:
                continue  # a blank, unreadable or missing cell: reported by T001-T003, not here
            if abs(sum(values[0]) - sum(values[1])) > 1e-9:
                failures.append((item, relation, bindings, left, right))
    report.__dict__["_relation_failures"] = failures
    return failures


RELATIONS: list[tuple[Rule, Relation]] = []


def _blame(failures) -> Counter:
    return Counter(k for _, _, _, left, right in failures for k, _, _ in left + right)


def _culprit(keys: list[str], blame: Counter) -> str:
    return max(keys, key=lambda k: (blame[k], -keys.index(k)))


def suspects(report: Report) -> dict[str, list[int | float]]:
    """The cells the table findings are placed on (each failing relation's most likely wrong cell), with
    the value each of its failing relations implies for it (what the cell would need for the relation to hold)."""
    failures = _failures(report)
    blame = _blame(failures)
    out: dict[str, list[int | float]] = {}
    for _, _, _, left, right in failures:
        keys = [k for k, _, _ in left + right]
        culprit = _culprit(keys, blame)
        own, other = (left, right) if culprit in [k for k, _, _ in left] else (right, left)
        implied = sum(report.value(k) for k, _, _ in other) - sum(report.value(k) for k, _, _ in own if k != culprit)
        out.setdefault(culprit, []).append(implied)
    return out


@kind("relation")
def compile_relation(entry: dict, where: str) -> Rule:
    relation = Relation(entry, where)

    def check(report: Report):
        failures = _failures(report)
        blame = _blame(failures)
        for owner, rel, bindings, left, right in failures:
            if owner is not item:
                continue
            keys = [k for k, _, _ in left + right]
            culprit = _culprit(keys, blame)
            left_text, _ = rel.describe(report, left, bindings)
            right_text, _ = rel.describe(report, right, bindings, rel.right_name)
            sets = report.layout.key_sets()
            labels = {n: dict(sets[rel.each[n]])[v] for n, v in bindings.items()}
            message = rel.message.format(left=left_text, right=right_text, **labels)
            cell = report.cells[culprit]
            related = [(report.cells[k].span.start, report.cells[k].span.end, report.layout.label_of(k)) for k in keys if k != culprit]
            yield item.finding(cell.span.start, cell.span.end, message,
                               evidence={k: report.value(k) for k in keys}, related=related)

    item = Rule(entry["code"], entry["name"], entry["severity"], entry["tier"], entry["summary"],
                entry.get("doc", "").strip(), check, origin=where, formats=tuple(entry.get("formats", ("2019", "2021"))))
    RELATIONS.append((item, relation))
    return item


@rule("T001", "blank-cell", "warning", "国办年报格式", "表格中应填数字的单元格为空白或“/”“-”“—”，无法核对")
def blank_cells(report: Report, item: Rule):
    """检查表二、表三、表四中应当填写数字却留空或填“/”“-”“—”的单元格。

    为什么：空白不等于 0。年报格式要求每个单元格都填数字（没有就填 0），
    空白或斜杠使勾稽关系无法核对，评估时按数据缺失处理。

    错误示例：表三“（一）予以公开”行“科研机构”列为“/”。
    正确示例：填“0”。

    说明：2019 年格式的“其他对外管理服务事项”行若整行留空，同样提示。
    """
    rows: dict[str, list] = {}
    for key, cell in report.cells.items():
        if cell.status == "blank":
            rows.setdefault(key.rsplit(".", 1)[0], []).append(cell)
    layout = report.layout
    for row_key, cells in rows.items():
        first = cells[0]
        shown = f"“{first.text}”" if first.text else "空白"
        if len(cells) == 1:
            message = f"{layout.label_of(first.key)}为{shown}，无法核对；没有数据应填 0"
        else:
            names = "、".join(layout.column_name(c.key) for c in cells)
            message = f"{layout.row_name(first.key)}有 {len(cells)} 个单元格为空白或“/”（{names}），无法核对；没有数据应填 0"
        yield item.finding(first.span.start, first.span.end, message, evidence={c.key: c.text for c in cells})


@rule("T002", "table-unreadable", "warning", "实务", "表格数字无法可靠解析（如数字连在一起），未予猜测")
def unreadable(report: Report, item: Rule):
    """报告表格中无法可靠读出的部分：数字连在一起无法唯一拆分、一行的数字个数不对、单元格里不是数字。

    为什么：网页抓取或复制粘贴的文本常把单元格连成一串（如“640020470”），
    拆分方式不唯一时 gidraft 不猜测，相关单元格按“未读出”处理，依赖它们的勾稽关系不做判断。
    能按表格勾稽关系唯一拆分时，以“提示”级别说明已拆分，请对照原表核对。

    处理：对照原件核对，或使用原始 Word/PDF 文件检查。
    """
    for problem in report.problems:
        finding = item.finding(problem.span.start, problem.span.end, problem.message)
        finding.severity = problem.severity
        yield finding


@rule("T003", "table-row-missing", "error", "国办年报格式", "表格缺少年报格式规定的行")
def missing_rows(report: Report, item: Rule):
    """检查表二、表三是否缺少年报格式规定的行（按报告所用格式版本）。

    为什么：2021 年格式要求“严格按照格式”填报，表三共 25 行（2019 年格式 23 行），
    擅自合并、删除行（如把“不予公开”八个小项合成一行）属于格式错误。

    错误示例：表三没有“（五）不予处理 4.无正当理由大量反复申请”一行。
    """
    for table, rows, columns in (("t3", report.layout.t3_rows, 1), ("t2", report.layout.t2, 1)):
        region = report.tables.get(table)
        present = {key.split(".")[1] for key in report.cells if key.startswith(table + ".")}  # row keys have no dot
        if region is None or not present:
            continue
        for row in rows:
            if row.key not in present:
                name = "表三" if table == "t3" else "表二"
                yield item.finding(region.start, region.start, f"{name}缺少“{row.label}”行（{report.layout.document}格式）")
