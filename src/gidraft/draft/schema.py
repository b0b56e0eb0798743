"""The data file of a draft: ReportData as YAML, loaded with the line of every key, and validated.

The keys are those of ``docs/report-data-keys.md`` (``meta``, ``t2``, ``t3``, ``t4``, ``fees``, ``sections``)
plus ``contact``; ``gidraft extract --format yaml`` writes a valid data file.  :func:`load` keeps the line
of every key and notes the null values whose line carries the comment ``# 待填写`` (still to be filled in).
:func:`validate` checks the file against the table layout of its format version and returns every
problem with its key path, what was expected and what was found.  The table relations (勾稽关系) are not
restated here: the relation rules of ``rules/tables.yaml`` run on a report built from the data.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from array import array
from dataclasses import dataclass, field

import yaml

from ..report.layout import FORMATS, Layout, layout, other_rows
from ..report.meta import TITLE, TITLE_YEAR_FIRST, choose_format
from ..report.model import Cell, Report, Span
from ..report.sections import heading_matches
from ..report.tables import Compact
from ..sources.model import Source
from . import PENDING_COMMENT

TOP_KEYS = ("meta", "contact", "t2", "t3", "t4", "fees", "sections")
REQUIRED_TOP = ("meta", "t2", "t3", "t4")
META_KEYS = ("title", "agency", "year", "format")
CONTACT_KEYS = ("unit", "address", "postcode", "phone", "email", "website")
FEE_KEYS = ("info_processing_yuan",)
REQUIRED_BLOCKS = ("overview", "problems", "other_matters")
INTRO_BLOCKS = ("proactive", "requests", "review")  # optional text before the table of sections 二、三、四
BLOCK_KEYS = REQUIRED_BLOCKS + INTRO_BLOCKS
FIRST_YEAR = 2019  # the first report year of the unified formats
COMMENT = re.compile(r"(?:^|\s)#(.*)$")


class DataError(Exception):
    """A data file that cannot be read at all (missing, not UTF-8, not YAML); the message is Chinese."""


@dataclass
class Problem:
    path: str  # key path such as t3.new_received.total; "" for the file as a whole
    message: str
    line: int | None = None
    forceable: bool = False  # the draft may still be written with --force (empty figure, broken relation)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass
class DataFile:
    path: str
    data: object
    lines: dict[str, int] = field(default_factory=dict)  # key path -> 1-based line of the key
    pending: set[str] = field(default_factory=set)  # key paths of null values marked "# 待填写"
    derived: list[str] = field(default_factory=list)  # blank figures computed from the table relations

    def line(self, path: str) -> int | None:
        """The line of ``path``, or of its nearest ancestor present in the file."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path.rpartition(".")[0]
        return None

    @property
    def layout(self) -> Layout:
        return data_layout(self.data)


def shown(value: object) -> str:
    """A value as the user wrote it, for messages: strings quoted, null as null."""
    if isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False, default=str)
        return text if len(text) <= 40 else text[:37] + "…"
    return json.dumps(value, ensure_ascii=False, default=str)


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _walk(node: yaml.Node, path: str, lines: list[str], out: DataFile, duplicates: list[tuple[str, int]]) -> None:
    if not isinstance(node, yaml.MappingNode):
        return
    seen: set[str] = set()
    for key_node, value_node in node.value:
        key = f"{path}.{key_node.value}" if path else str(key_node.value)
        line = key_node.start_mark.line + 1
        if key in seen:
            duplicates.append((key, line))
        seen.add(key)
        out.lines[key] = line
        if _is_null(value_node):
            comment = COMMENT.search(lines[value_node.start_mark.line]) if value_node.start_mark.line < len(lines) else None
            if comment and PENDING_COMMENT in comment.group(1):
                out.pending.add(key)
        _walk(value_node, key, lines, out, duplicates)


MAX_NODES = 200_000  # a full data file has a few hundred; aliases must not multiply it (billion laughs)


def _expanded_size(node, sizes: dict[int, int]) -> int:
    """Nodes of ``node`` with every alias expanded, counted over the shared graph (linear in its size)."""
    if id(node) in sizes:
        return sizes[id(node)]
    sizes[id(node)] = MAX_NODES + 1  # a node reached again while counting it: a cycle
    if isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(child, sizes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, sizes) + _expanded_size(v, sizes) for k, v in node.value)
    else:
        size = 1
    sizes[id(node)] = min(size, MAX_NODES + 1)
    return sizes[id(node)]


def load(path: str) -> tuple[DataFile, list[Problem]]:
    """Read a data file; duplicate keys come back as problems.  Raises DataError when unreadable."""
    from ..sources import SourceError, max_bytes, read_bounded

    if not os.path.lexists(path):
        raise DataError("文件不存在")
    try:
        text = read_bounded(path, max_bytes()).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError("不是 UTF-8 编码的文本文件") from exc
    except SourceError as exc:
        raise DataError(str(exc)) from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if root is not None and _expanded_size(root, {}) > MAX_NODES:
            raise DataError(f"YAML 别名（& 与 *）展开后超过 {MAX_NODES} 个节点，数据文件不会这么大，未读取")
        data = yaml.safe_load(text) if root is not None else None
    except RecursionError as exc:
        raise DataError("YAML 嵌套过深，数据文件不会这么复杂，未读取") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行：" if mark is not None else ""
        raise DataError(f"{where}YAML 语法错误：{getattr(exc, 'problem', None) or exc}") from exc
    if root is None:
        raise DataError("文件为空")
    out = DataFile(path, data)
    duplicates: list[tuple[str, int]] = []
    _walk(root, "", text.split("\n"), out, duplicates)
    return out, [Problem(key, "键重复出现（后一个会覆盖前一个）", line) for key, line in duplicates]


class _Checker:
    """Collects problems while walking the data against the expected shape."""

    def __init__(self, datafile: DataFile) -> None:
        self.file = datafile
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, forceable: bool = False) -> None:
        self.problems.append(Problem(path, message, self.file.line(path), forceable))

    def mapping(self, value: object, path: str) -> bool:
        if isinstance(value, dict):
            return True
        self.add(path, f"应为映射（键：值），实际为 {shown(value)}")
        return False

    def keys(self, value: dict, path: str, allowed: tuple[str, ...], required: tuple[str, ...] = (),
             describe=None, elsewhere: dict[str, str] | None = None) -> None:
        """Unknown keys (with a suggestion) and missing required keys of a mapping."""
        for key in value:
            if key in allowed:
                continue
            sub = f"{path}.{key}" if path else str(key)
            guess = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            if elsewhere and key in elsewhere:
                hint = elsewhere[key]
            elif guess:
                hint = f"是否应为 {guess[0]}？"
            else:
                hint = f"可用的键：{'、'.join(allowed)}"
            self.add(sub, f"未知的键（{hint}）")
        for key in required:
            if key not in value:
                sub = f"{path}.{key}" if path else key
                what = f"（{describe(key)}）" if describe else ""
                self.add(sub, f"缺少此项{what}")


def _integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: object) -> bool:
    return (_integer(value) or isinstance(value, float)) and value == value and value not in (float("inf"), float("-inf"))


def figure_kind(lay: Layout, key: str) -> str:
    """count | signed | money: what a table figure holds."""
    table, row_key, col = key.split(".")
    if table == "t2":
        row = next(r for r in lay.t2 if r.key == row_key)
        return "signed" if col in row.signed else "money" if col in row.money else "count"
    return "count"


def figure(data: dict, key: str) -> object:
    table, row, col = key.split(".")
    return data[table][row][col]


def _check_meta(check: _Checker, meta: object) -> Layout | None:
    if not check.mapping(meta, "meta"):
        return None
    check.keys(meta, "meta", META_KEYS, ("agency", "year", "format"))
    agency, year, fmt, title = meta.get("agency"), meta.get("year"), meta.get("format"), meta.get("title")
    ok = True
    if "agency" in meta and (not isinstance(agency, str) or not agency.strip()):
        check.add("meta.agency", f"应为机关名称（文本），实际为 {shown(agency)}")
        ok = False
    if "year" in meta and (not _integer(year) or year < FIRST_YEAR):
        check.add("meta.year", f"应为 {FIRST_YEAR} 年及以后的报告年度（整数），实际为 {shown(year)}")
        ok = False
    if _integer(fmt):
        fmt = meta["format"] = str(fmt)
    if "format" in meta and fmt not in FORMATS:
        check.add("meta.format", f"应为 \"2019\" 或 \"2021\"，实际为 {shown(fmt)}")
        ok = False
    if title is not None and not isinstance(title, str):
        check.add("meta.title", f"应为文本或 null（null 时按机关名称和年度生成），实际为 {shown(title)}")
        ok = False
    if not ok or not all(k in meta for k in ("agency", "year", "format")):
        return None
    expected = choose_format({f: [] for f in FORMATS}, year)
    if fmt != expected:
        check.add("meta.format", f"{year} 年度应使用 \"{expected}\" 格式（{layout(expected).document}），实际为 \"{fmt}\"")
        return None
    effective = title.strip() if isinstance(title, str) and title.strip() else default_title(agency, year)
    match = TITLE.fullmatch(effective) or TITLE_YEAR_FIRST.fullmatch(effective)  # 2025年上海市…年度报告 too
    if match is None:
        where = "meta.title" if title else "meta.agency"
        check.add(where, f"标题“{effective}”不合年报标题的写法（机关名称只用汉字，后接“YYYY年政府信息公开工作年度报告”）")
    elif match.group("agency") != agency.strip() or int(match.group("year")) != year:
        check.add("meta.title", f"标题中的机关“{match.group('agency')}”和年度 {match.group('year')} 应与 meta.agency“{agency}”、meta.year {year} 一致")
    return layout(fmt)


def data_layout(data: dict) -> Layout:
    """The layout the data is written in: its format's, with table 3 in the other version's （六） rows when the
    data has those rows and none of its own (a report whose table 3 mixes the versions, read as printed)."""
    fmt = data["meta"]["format"]
    other = "2019" if fmt == "2021" else "2021"
    t3 = data.get("t3")
    if isinstance(t3, dict):
        own, theirs = ({r.key for r in other_rows(f)} for f in (fmt, other))
        if theirs & t3.keys() and not own & t3.keys():
            return layout(fmt, other)
    return layout(fmt)


def default_title(agency: str, year: int) -> str:
    return f"{agency.strip()}{year}年政府信息公开工作年度报告"


def _check_value(check: _Checker, lay: Layout, key: str, value: object) -> None:
    if value is None:
        label = lay.label_of(key)
        if key in check.file.pending:
            check.add(key, f"待填写：{label}尚未填写", forceable=True)
        else:
            check.add(key, f"为空：{label}没有数字（没有数据应填 0）", forceable=True)
        return
    kind = figure_kind(lay, key)
    if kind == "count" and not (_integer(value) and value >= 0):
        check.add(key, f"应为非负整数，实际为 {shown(value)}")
    elif kind == "signed" and not _integer(value):
        check.add(key, f"应为整数（增加为正、减少为负），实际为 {shown(value)}")
    elif kind == "money" and not (_number(value) and value >= 0):
        check.add(key, f"应为非负数（万元），实际为 {shown(value)}")


def _other_format_hint(lay: Layout, table: str, row: str | None = None) -> dict[str, str]:
    """Keys that belong to the other format version, with a message saying so."""
    other = layout("2019" if lay.format == "2021" else "2021")
    if table == "t2" and row is None:
        names = [r.key for r in other.t2]
    elif table == "t2":
        spec = next((r for r in other.t2 if r.key == row), None)
        names = [c for c, _ in spec.columns] if spec else []
    else:
        names = [r.key for r in other.t3_rows]
    return {n: f"这是 {other.format} 年格式的键，meta.format 为 \"{lay.format}\"" for n in names}


def _check_tables(check: _Checker, data: dict, lay: Layout) -> None:
    t2 = data.get("t2")
    if "t2" in data and check.mapping(t2, "t2"):
        rows = tuple(r.key for r in lay.t2)
        check.keys(t2, "t2", rows, rows, lambda k: lay.row_name(f"t2.{k}.x"), _other_format_hint(lay, "t2"))
        for row in lay.t2:
            path = f"t2.{row.key}"
            if row.key not in t2 or not check.mapping(t2[row.key], path):
                continue
            columns = tuple(c for c, _ in row.columns)
            check.keys(t2[row.key], path, columns, columns, lambda c, row=row: f"“{dict(row.columns)[c]}”",
                       _other_format_hint(lay, "t2", row.key))
            for col in columns:
                if col in t2[row.key]:
                    _check_value(check, lay, f"{path}.{col}", t2[row.key][col])
    grids = (
        ("t3", tuple(r.key for r in lay.t3_rows), lay.t3_columns, lambda k: f"表三“{lay.t3_label(k)}”行"),
        ("t4", tuple(g for g, _ in lay.t4_groups), lay.t4_columns, lambda k: f"表四“{dict(lay.t4_groups)[k]}”"),
    )
    for table, rows, columns, describe in grids:
        value = data.get(table)
        if table not in data or not check.mapping(value, table):
            continue
        check.keys(value, table, rows, rows, describe, _other_format_hint(lay, table) if table == "t3" else None)
        names = tuple(c for c, _ in columns)
        for row in rows:
            path = f"{table}.{row}"
            if row not in value or not check.mapping(value[row], path):
                continue
            check.keys(value[row], path, names, names, lambda c: f"“{dict(columns)[c]}”列")
            for col in names:
                if col in value[row]:
                    _check_value(check, lay, f"{path}.{col}", value[row][col])


def _check_text_map(check: _Checker, data: dict, name: str, keys: tuple[str, ...]) -> None:
    value = data.get(name)
    if value is None:
        data[name] = {}
        return
    if not check.mapping(value, name):
        return
    check.keys(value, name, keys)
    for key in keys:
        item = value.get(key)
        if _integer(item) and name == "contact":
            value[key] = str(item)  # an unquoted postcode or phone number
        elif item is not None and not isinstance(item, str):
            check.add(f"{name}.{key}", f"应为文本，实际为 {shown(item)}")


def _check_fees(check: _Checker, data: dict) -> None:
    fees = data.get("fees")
    if fees is None:
        data["fees"] = {"info_processing_yuan": None}
        return
    if not check.mapping(fees, "fees"):
        return
    check.keys(fees, "fees", FEE_KEYS)
    value = fees.setdefault("info_processing_yuan", None)
    if value is None:
        if "fees.info_processing_yuan" in check.file.pending:
            check.add("fees.info_processing_yuan", "待填写：本年收取的信息处理费（元）尚未填写", forceable=True)
    elif not (_number(value) and value >= 0):
        check.add("fees.info_processing_yuan", f"应为非负数（元），实际为 {shown(value)}")


def _check_blocks(check: _Checker, data: dict, lay: Layout) -> None:
    from .sentences import stated_fee

    blocks = data.get("sections") or {}
    sections = {s.key: s for s in lay.sections}
    for key in REQUIRED_BLOCKS:
        text = blocks.get(key)
        if not isinstance(text, str) or not text.strip():
            spec = sections[key]
            check.add(f"sections.{key}", f"待填写：“{spec.number}、{spec.canonical}”的内容尚未填写", forceable=True)
    first_rows = {"proactive": lay.t2[0], "requests": lay.t3_rows[0]}
    for key in BLOCK_KEYS:
        text = blocks.get(key)
        if not isinstance(text, str) or not text.strip():
            continue
        for index, _, _, heading, _ in heading_matches(text, Compact(text, 0, len(text)), lay):
            spec = lay.sections[index]
            check.add(f"sections.{key}", f"含有第{spec.number}部分的标题“{heading}”：各部分标题由起草模板生成，叙述中不能再写")
        row = first_rows.get(key)
        if row is not None and row.pattern.search(Compact(text, 0, len(text)).text):
            check.add(f"sections.{key}", f"表前说明含有表格的行名“{row.label}”，读取时会被当作表格的一行；请把这段文字写进 sections.overview")
    fees = data.get("fees") if isinstance(data.get("fees"), dict) else {}
    fee = fees.get("info_processing_yuan")
    stated = stated_fee(blocks.get("other_matters") or "")
    if fee is not None and stated is not None and abs(stated - fee) > 1e-9:
        check.add("sections.other_matters", f"写明信息处理费 {stated:g} 元，与 fees.info_processing_yuan {fee:g} 不一致", forceable=True)
    pending = "fees.info_processing_yuan" in check.file.pending
    if lay.format == "2021" and fee is None and stated is None and not pending:
        check.add("fees.info_processing_yuan", f"为空：{lay.document}格式要求在第六部分说明信息处理费，请填写本年收取的金额（元），未收取填 0", forceable=True)


def data_report(data: dict, lay: Layout) -> Report:
    """A report whose cells are the data's figures: the cell of the i-th key of the layout spans [i, i+1)."""
    cells = {}
    for index, key in enumerate(lay.keys()):
        value = figure(data, key)
        cells[key] = Cell(key, value, "" if value is None else str(value), Span(index, index + 1),
                          "ok" if value is not None else "blank")
    meta = data["meta"]
    source = Source(path="", kind="data", raw="", text="", origin=array("l"))
    return Report(source, lay, meta.get("title"), meta["agency"], meta["year"], {f: [] for f in FORMATS},
                  None, [], [], cells, {})


def relation_problems(data: dict, lay: Layout, datafile: DataFile) -> list[Problem]:
    """The relations of ``rules/tables.yaml`` evaluated on the data, by the rule engine itself."""
    from ..rules.loader import load_rules
    from ..rules.tables import RELATIONS

    rules = load_rules()
    codes = {item.code for item, _ in RELATIONS}
    report = data_report(data, lay)
    keys = lay.keys()
    problems = []
    for item in rules:
        if item.code not in codes:
            continue
        for finding in item.run(report):
            key = keys[finding.start]
            problems.append(Problem(key, f"{finding.message}（{item.code}）", datafile.line(key), forceable=True))
    return problems


def validate(datafile: DataFile) -> list[Problem]:
    """Every problem of the data file; the data is normalised in place (format as text, defaults filled)."""
    check = _Checker(datafile)
    data = datafile.data
    if not isinstance(data, dict):
        return [Problem("", f"数据文件应为映射（meta、t2、t3、t4……），实际为 {shown(data)}")]
    check.keys(data, "", TOP_KEYS, REQUIRED_TOP, lambda k: {"meta": "标题、机关、年度、格式", "t2": "表二", "t3": "表三", "t4": "表四"}[k])
    lay = _check_meta(check, data["meta"]) if "meta" in data else None
    if lay is not None:
        lay = data_layout(data)
    _check_text_map(check, data, "contact", CONTACT_KEYS)
    _check_text_map(check, data, "sections", BLOCK_KEYS)
    _check_fees(check, data)
    if lay is None:
        return check.problems
    _check_tables(check, data, lay)
    if all(p.forceable for p in check.problems):
        from .derive import derive

        datafile.derived = derive(data, lay)
        check.problems = [p for p in check.problems if p.path not in datafile.derived]
        datafile.pending -= set(datafile.derived)
    if isinstance(data.get("sections"), dict):
        _check_blocks(check, data, lay)
    if all(p.forceable for p in check.problems):
        check.problems += relation_problems(data, lay, datafile)
    return check.problems
