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
        cached = self._instances.get((report.format, report.layout.t3_format))
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
        self._instances[(report.format, report.layout.t3_format)] = out
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


def _blamed(report: Report) -> list[tuple[str, list]]:
    """Failing relations grouped by the cell blamed for them, in the order of their first failure: the
    cell taking part in the most failing relations (a wrong figure breaks its row and its column)."""
    cache = report.__dict__.get("_relation_blame")
    if cache is not None:
        return cache
    failures = _failures(report)
    blame = Counter(k for _, _, _, left, right in failures for k, _, _ in left + right)
    groups: dict[str, list] = {}
    for failure in failures:
        keys = [k for k, _, _ in failure[3] + failure[4]]
        groups.setdefault(max(keys, key=lambda k: (blame[k], -keys.index(k))), []).append(failure)
    report.__dict__["_relation_blame"] = out = list(groups.items())
    return out


def determined_value(report: Report, key: str, group: list) -> int | float | None:
    """The value the arithmetic gives cell ``key`` when that is settled: it breaks two or more relations,
    each solved for it gives the same value, and with that value every relation it takes part in holds."""
    if len(group) < 2:
        return None
    current = report.value(key)
    solved = set()
    for _, _, _, left, right in group:
        lhs, rhs = sum(report.value(k) for k, _, _ in left), sum(report.value(k) for k, _, _ in right)
        on_left = any(k == key for k, _, _ in left)
        solved.add(round(current + (rhs - lhs if on_left else lhs - rhs), 6))
    if len(solved) != 1:
        return None
    value = solved.pop()
    if value < 0:
        return None
    for item, relation in RELATIONS:
        if report.format not in item.formats:
            continue
        for _, left, right, _ in relation.instances(report):
            terms = left + right
            if not any(k == key for k, _, _ in terms):
                continue
            values = [[value if k == key else report.value(k) for k, _, _ in side] for side in (left, right)]
            if None not in values[0] + values[1] and abs(sum(values[0]) - sum(values[1])) > 1e-9:
                return None
    return int(value) if value == int(value) else value


RELATIONS: list[tuple[Rule, Relation]] = []


def suspects(report: Report) -> dict[str, list[int | float]]:
    """The cells the table findings are placed on (see ``_blamed``), with the value each of the relations it
    breaks implies for it (what the cell would need for that relation to hold): a narrative figure compared
    with such a cell must not be "corrected" to it."""
    out: dict[str, list[int | float]] = {}
    for culprit, group in _blamed(report):
        for _, _, _, left, right in group:
            own, other = (left, right) if culprit in [k for k, _, _ in left] else (right, left)
            implied = sum(report.value(k) for k, _, _ in other) - sum(report.value(k) for k, _, _ in own if k != culprit)
            out.setdefault(culprit, []).append(implied)
    return out


@kind("relation")
def compile_relation(entry: dict, where: str) -> Rule:
    relation = Relation(entry, where)

    def check(report: Report):
        for culprit, group in _blamed(report):
            if group[0][0] is not item:
                continue  # one finding per wrong cell, under the first relation it breaks
            messages, keys = [], []
            for _, rel, bindings, left, right in group:
                left_text, _ = rel.describe(report, left, bindings)
                right_text, _ = rel.describe(report, right, bindings, rel.right_name)
                sets = report.layout.key_sets()
                labels = {n: dict(sets[rel.each[n]])[v] for n, v in bindings.items()}
                messages.append(rel.message.format(left=left_text, right=right_text, **labels))
                keys += [k for k, _, _ in left + right if k not in keys]
            cell = report.cells[culprit]
            related = [(report.cells[k].span.start, report.cells[k].span.end, report.layout.label_of(k)) for k in keys if k != culprit]
            value = determined_value(report, culprit, group)
            extra = {}
            if value is not None:
                messages[-1] += f"；按勾稽关系，{report.layout.label_of(culprit)}应为 {value}"
                extra = {"fix": str(value), "fix_safe": False}
            yield item.finding(cell.span.start, cell.span.end, "；".join(messages),
                               evidence={k: report.value(k) for k in keys}, related=related, **extra)

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

    说明：每张表一条提示，列出空白的行和列（整行空白写“整行”）；三张表全部空白（尚未填写的模板）
    只提示一次“表格尚未填写”。2019 年格式的“其他对外管理服务事项”行若整行留空，同样提示。
    """
    layout = report.layout
    tables: dict[str, list] = {}
    for key, cell in report.cells.items():
        tables.setdefault(key.split(".")[0], []).append(cell)
    blank_tables = [t for t, cells in tables.items() if all(c.status == "blank" for c in cells)]
    if len(blank_tables) == len(tables) and tables:
        first = next(iter(tables.values()))[0]
        count = sum(len(cells) for cells in tables.values())
        names = "、".join(TABLE_NAMES[t] for t in tables)
        yield item.finding(first.span.start, first.span.end, f"表格尚未填写：{names}的 {count} 个单元格全部为空白；请填入本年度数字（没有数据填 0）")
        return
    for table, cells in tables.items():
        blank = [c for c in cells if c.status == "blank"]
        if not blank:
            continue
        first = blank[0]
        if table in blank_tables:
            message = f"{TABLE_NAMES[table]}尚未填写：{len(blank)} 个单元格全部为空白；请填入本年度数字（没有数据填 0）"
        else:
            message = f"{TABLE_NAMES[table]}有 {len(blank)} 个单元格为空白或“/”（{_blank_places(layout, cells, blank)}），无法核对；没有数据应填 0"
        related = [(c.span.start, c.span.end, layout.label_of(c.key)) for c in blank[1:]]
        yield item.finding(first.span.start, first.span.end, message, evidence={c.key: c.text for c in blank}, related=related)


TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}


def _blank_places(layout, cells: list, blank: list) -> str:
    """The blank cells of one table by row: ``“（一）予以公开”行“科研机构”“其他”列；“规章”行整行``."""
    rows: dict[str, list] = {}
    for cell in cells:
        rows.setdefault(cell.key.rsplit(".", 1)[0], []).append(cell)
    parts = []
    for row_key, row_cells in rows.items():
        empty = [c for c in row_cells if c.status == "blank"]
        if not empty:
            continue
        name = layout.row_name(empty[0].key)[2:]  # without 表三
        if len(empty) == len(row_cells) and len(row_cells) > 1:
            parts.append(f"{name}整行")
        else:
            columns = "".join(layout.column_name(c.key) for c in empty)
            parts.append(f"{name}{columns}{'列' if row_key.startswith(('t2', 't3')) else ''}")
    return "；".join(parts)


@rule("T002", "table-unreadable", "warning", "实务", "表格数字无法可靠解析（如数字连在一起），未予猜测")
def unreadable(report: Report, item: Rule):
    """报告表格中无法可靠读出的部分：数字连在一起无法唯一拆分、一行的数字个数不对、单元格里不是数字。

    为什么：网页抓取或复制粘贴的文本常把单元格连成一串（如“640020470”），
    拆分方式不唯一时 gidraft 不猜测，相关单元格按“未读出”处理，依赖它们的勾稽关系不做判断。
    能按表格勾稽关系唯一拆分时，以“提示”级别说明已拆分，请对照原表核对。

    处理：对照原件核对，或使用原始 Word/PDF 文件检查。
    """
    for problem in report.problems:
        if problem.kind != "unreadable":
            continue
        finding = item.finding(problem.span.start, problem.span.end, problem.message,
                               related=[(s.start, s.end, f"数字“{report.text[s.start:s.end]}”") for s in problem.related])
        finding.severity = problem.severity
        yield finding


@rule("T004", "table-row-label", "warning", "国办年报格式", "表格行名与年报格式不一致（缺字、错字），该行已按位置读取")
def damaged_labels(report: Report, item: Rule):
    """表格的行名有缺字、错字（如“其他法律行政止公开”），与年报格式规定的行名不一致。

    为什么：行名是表格的一部分，须与国办年报格式一字不差；缺字或错字多为排版、复制时的失误。
    gidraft 按表格行序把最接近的文字认作该行（至多四分之一的字不同），照常读取该行数字、核对勾稽关系，
    只在行名处提示一次，而不报“缺少该行”。

    错误示例：表三“2.其他法律行政止公开”。
    正确示例：表三“2.其他法律行政法规禁止公开”。
    """
    for problem in report.problems:
        if problem.kind != "label":
            continue
        printed, right = problem.fix
        start, end = problem.span.start, problem.span.end
        at = report.text.find(printed, start, end)
        if at == -1:  # the label is broken by the layout: no safe replacement
            yield item.finding(start, end, problem.message)
        else:
            yield item.finding(at, at + len(printed), problem.message, fix=right, fix_safe=False)


@rule("T005", "table-format-mixed", "error", "国办年报格式", "表三混用两种格式版本的行（如 2021 年格式的报告用 2019 年的“（六）其他处理”一行）")
def mixed_format(report: Report, item: Rule):
    """检查表三“（六）其他处理”是否按报告年度应使用的格式版本填报。

    为什么：2021 年格式（国办公开办函〔2021〕30号）把“（六）其他处理”分为三个小项
    （申请人逾期不补正、逾期未缴费、其他），2019 年格式（国办公开办函〔2019〕60号）只有一行。
    混用时 gidraft 按表格实际的行读取并核对勾稽关系，只在这里提示一次。

    错误示例：2023 年度报告的表三只有“（六）其他处理”一行。
    """
    year = f"{report.year} 年度报告" if report.year else "本报告"
    for problem in report.problems:
        if problem.kind == "mixed":
            yield item.finding(problem.span.start, problem.span.end, problem.message.format(year=year))


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
