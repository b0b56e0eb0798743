"""Load every rule: the Python rule modules and the YAML rule files of ``rules/`` (and the user's folders).

A YAML rule file holds ``rules:``, a list of rule entries.  Each entry names its ``kind``; the handler
registered for that kind turns the entry into a :class:`~gidraft.rules.engine.Rule`.  A broken entry
is reported with its file and line, and a rule whose own examples do not behave is refused at load
time, so a rule that can never match cannot pass silently.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path

from ..cache import by_content
from ..resources import data_dir
from ..severity import SEVERITIES
from .engine import REGISTRY, Rule, RuleError, register

ENGINE_MODULES = {"engine", "loader", "prefilter"}
OTHER_RULE_MODULES = ("gidraft.crossyear",)  # rules that compare two reports
KINDS: dict[str, Callable[[dict, str], Rule]] = {}
REQUIRED = ("code", "name", "kind", "severity", "tier", "summary")


def kind(name: str):
    """Register the compiler of one kind of YAML rule."""

    def wrap(func: Callable[[dict, str], Rule]) -> Callable[[dict, str], Rule]:
        KINDS[name] = func
        return func

    return wrap


def _parse_with_lines(raw: bytes, path: Path) -> object:
    """The YAML file with the line of every mapping kept as ``__line__``, so errors can point at it."""
    import yaml  # only when the file is not in the cache

    class LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        def construct_mapping(self, node, deep=False):
            mapping = super().construct_mapping(node, deep=deep)
            mapping["__line__"] = node.start_mark.line + 1
            return mapping

    try:
        return yaml.load(raw.decode("utf-8"), Loader=LineLoader)
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: YAML 语法错误：{exc}") from exc


def read_rule_file(path: Path) -> list[dict]:
    try:
        raw = path.read_bytes()
        data = by_content("rule-file", raw, lambda: _parse_with_lines(raw, path))
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: 无法读取规则文件：{exc}") from exc
    if isinstance(data, dict) and isinstance(data.get("rule"), dict) and isinstance(data.get("entries"), list):
        return [{**data["rule"], "entries": data["entries"]}]  # one rule carrying a word list
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleError(f"{path}:1: 规则文件应包含 rules: 列表（或 rule: 与 entries:）")
    return data["rules"]


def compile_entry(entry: dict, path: Path) -> Rule:
    where = f"{path}:{entry.get('__line__', 1)}"
    if not isinstance(entry, dict):
        raise RuleError(f"{where}: 规则应为映射（键：值）")
    missing = [key for key in REQUIRED if key not in entry]
    if missing:
        raise RuleError(f"{where}: 规则缺少字段 {', '.join(missing)}")
    if entry["severity"] not in SEVERITIES:
        raise RuleError(f"{where}: 严重程度“{entry['severity']}”无效（应为 error / warning / info）")
    handler = KINDS.get(entry["kind"])
    if handler is None:
        raise RuleError(f"{where}: 未知的规则类型 kind: {entry['kind']}（可用：{', '.join(sorted(KINDS))}）")
    try:
        return handler(entry, where)
    except RuleError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise RuleError(f"{where}: 规则 {entry['code']} 定义有误：{exc}") from exc


def python_rule_modules() -> list[str]:
    """Every module of this package except the engine itself: each declares rules or rule kinds."""
    package = importlib.import_module("gidraft.rules")
    own = [f"gidraft.rules.{info.name}" for info in pkgutil.iter_modules(package.__path__) if info.name not in ENGINE_MODULES]
    return sorted(own) + list(OTHER_RULE_MODULES)


def rule_files(extra_dirs: tuple[str, ...] = ()) -> list[Path]:
    files = []
    for folder in (data_dir("rules"), *map(Path, extra_dirs)):
        if not folder.is_dir():
            raise RuleError(f"{folder}: 规则目录不存在")
        files += sorted(p for p in folder.rglob("*.yaml") if "formats" not in p.relative_to(folder).parts)
    return files


_loaded: dict[tuple[str, ...], list[Rule]] = {}


def load_rules(extra_dirs: tuple[str, ...] = ()) -> list[Rule]:
    """All rules, sorted by code.  Raises RuleError for a broken rule file."""
    if extra_dirs in _loaded:
        return _loaded[extra_dirs]
    for module in python_rule_modules():
        importlib.import_module(module)
    for path in rule_files(extra_dirs):
        for entry in read_rule_file(path):
            register(compile_entry(entry, path))
    rules = sorted(REGISTRY.values(), key=lambda r: r.code)
    _loaded[extra_dirs] = rules
    return rules
