"""Project configuration: ``gidraft.toml`` or ``[tool.gidraft]`` in ``pyproject.toml``.

The file is looked for from the checked file's directory upwards; the nearest one wins.  Command-line
options override it.  Every setting remembers where it came from, for ``gidraft check --show-config``.

A unit's configuration may re-weight or switch off 实务 and 本单位 rules, but not rules grounded in the
条例, the official format or a national standard: such entries are refused (and shown as refused);
the command line (``--ignore``) still can, since that is the user's explicit choice for one run.

Trust: a file found beside the reports may have been planted by whoever sent them.  It may select
rules and severities, but the settings that send text elsewhere or load code or files
(:data:`TRUSTED_ONLY`) are taken only from the user's own file (``$XDG_CONFIG_HOME/gidraft/gidraft.toml``,
default ``~/.config/gidraft/gidraft.toml``), the command line, or a folder's file when the user
passes ``--trust-config``; otherwise they are refused and shown as refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROTECTED_TIERS = ("条例", "国办年报格式", "GB/T")
TRUSTED_ONLY = ("languagetool", "rules", "allow-files", "templates")
KEYS = ("select", "ignore", "severity", "rules", "allow", "allow-files", "templates", "languagetool", "fail-on", "exclude")


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file."""


@dataclass
class Setting:
    """One setting's value and where it came from."""

    value: object
    origin: str  # 默认 / 命令行 / path of the file


@dataclass
class Settings:
    """The settings in effect for a folder's files, with the files they came from and what was refused."""

    values: dict[str, Setting] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    file: str | None = None
    files: list[str] = field(default_factory=list)  # every file that applied: the user's, then the folder's
    untrusted: list[str] = field(default_factory=list)  # settings of a folder's file not taken (see TRUSTED_ONLY)

    def untrusted_note(self) -> str | None:
        if not self.untrusted:
            return None
        return (f"{self.file}: 未采用此配置文件中的 {'、'.join(self.untrusted)}（它们会连接服务器或加载规则、文件，"
                f"只从用户自己的配置 {user_config()} 或命令行采用；信任此文件夹请加 --trust-config）")

    def get(self, key: str):
        setting = self.values.get(key)
        return setting.value if setting else None


DEFAULTS = {
    "select": ["ALL"],
    "ignore": [],
    "severity": {},
    "rules": [],
    "allow": [],
    "allow-files": [],
    "templates": None,
    "languagetool": None,
    "fail-on": "error",
    "exclude": [],
}


def user_config() -> Path:
    """The user's own configuration file (trusted: it is theirs)."""
    import os

    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "gidraft" / "gidraft.toml"


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a folder without search permission: nothing can be found there
        return False


def _parse(raw: bytes, path: Path) -> dict:
    import tomllib  # only when the file's parse is not in gidraft's cache: 3 ms of start-up

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: 配置文件格式错误：{exc}") from exc


def _read(path: Path) -> dict | None:
    from .cache import by_content
    from .sources import SourceError, read_bounded

    try:
        raw = read_bounded(str(path), 1 << 20)
        data = by_content("toml", raw, lambda: _parse(raw, path))  # the parse of these bytes, kept between runs
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: 配置文件不是 UTF-8 编码") from exc
    except SourceError as exc:
        raise ConfigError(f"{path}: 无法读取配置文件：{exc}") from exc
    if path.name == "pyproject.toml":
        return data.get("tool", {}).get("gidraft")
    return data


@lru_cache(maxsize=256)
def find_config(directory: Path) -> tuple[Path, dict] | None:
    """The nearest configuration at or above ``directory``: (file, table)."""
    for folder in (directory, *directory.parents):
        for name in ("gidraft.toml", "pyproject.toml"):
            candidate = folder / name
            if _is_file(candidate):
                table = _read(candidate)
                if table is not None:
                    return candidate, table
    return None


def _validate(path: Path, table: dict) -> dict:
    from .severity import SEVERITIES

    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{path}: 未知的配置项 {', '.join(unknown)}（可用：{', '.join(KEYS)}）")
    for key in ("select", "ignore", "rules", "allow", "allow-files", "exclude"):
        if key in table and not (isinstance(table[key], list) and all(isinstance(v, str) for v in table[key])):
            raise ConfigError(f"{path}: {key} 应为字符串列表")
    for key in ("templates", "languagetool", "fail-on"):
        if key in table and not isinstance(table[key], str):
            raise ConfigError(f"{path}: {key} 应为字符串")
    if "severity" in table:
        if not isinstance(table["severity"], dict):
            raise ConfigError(f"{path}: severity 应为表（[severity] 下每行 规则代码 = \"error\" / \"warning\" / \"info\"）")
        bad = {k: v for k, v in table["severity"].items() if v not in SEVERITIES}
        if bad:
            raise ConfigError(f"{path}: severity 中的级别无效：{bad}（应为 error / warning / info）")
    if "fail-on" in table and table["fail-on"] not in SEVERITIES:
        raise ConfigError(f"{path}: fail-on 应为 error / warning / info")
    return table


def _known_codes(path: Path, table: dict, tiers: dict[str, str]) -> None:
    """Every code or prefix of select, ignore and severity names a rule: a typo must not switch nothing off."""
    from .rules.engine import DYNAMIC_PREFIXES

    entries = [*table.get("select", []), *table.get("ignore", []), *dict(table.get("severity", {}))]
    unknown = [e for e in entries if not (e.upper() == "ALL" or e.upper().startswith(DYNAMIC_PREFIXES)
                                          or any(code.startswith(e.upper()) for code in tiers))]
    if unknown and tiers:
        raise ConfigError(f"{path}: 未知的规则代码或前缀 {'、'.join(unknown)}（用 gidraft rules 查看全部规则）")


def _protected(code_or_prefix: str, tiers: dict[str, str]) -> bool:
    return any(code.startswith(code_or_prefix) and tier.startswith(PROTECTED_TIERS) for code, tier in tiers.items())


def resolve(start: Path, cli: dict, tiers: dict[str, str]) -> Settings:
    """Effective settings for files in directory ``start``: defaults < config file < command line."""
    settings = Settings({key: Setting(value, "默认") for key, value in DEFAULTS.items()})
    own = user_config()
    if _is_file(own):
        _apply(settings, own, _validate(own, _read(own) or {}), tiers)
        settings.files.append(str(own))
    found = find_config(start.resolve())
    if found and found[0] != own:
        path, table = found[0], _validate(*found)
        _known_codes(path, table, tiers)
        if not cli.get("trust-config"):
            settings.untrusted = [key for key in TRUSTED_ONLY if table.get(key)]
            settings.refused += [f"{key}：来自报告所在目录的配置文件，未采用（加 --trust-config 才采用）" for key in settings.untrusted]
            table = {k: v for k, v in table.items() if k not in TRUSTED_ONLY}
        _apply(settings, path, table, tiers)
        settings.file = str(path)
        settings.files.append(str(path))
    for key, value in cli.items():
        if value not in (None, [], ()):
            settings.values[key] = Setting(value, "命令行")
    return settings


def exclude_patterns(directory: str) -> tuple[str, list[str]] | None:
    """(folder of the configuration, its ``exclude`` patterns) for files in ``directory``, if any."""
    try:
        found = find_config(Path(directory).resolve())
    except ConfigError:
        return None  # reported when the file is checked
    if not found or not found[1].get("exclude"):
        return None
    return str(found[0].parent), [str(p) for p in found[1]["exclude"]]


def _apply(settings: Settings, path: Path, table: dict, tiers: dict[str, str]) -> None:
    """Take a validated file's settings, paths relative to the file, protected rules refused."""
    for key, value in table.items():
        if key in ("rules", "allow-files", "templates") and value:
            value = [str((path.parent / v).resolve()) for v in value] if isinstance(value, list) else str((path.parent / value).resolve())
        if key == "ignore":
            kept = [c for c in value if not _protected(c.upper(), tiers)]
            settings.refused += [f"ignore {c}：依据条例、年报格式或国家标准的规则不能在配置中关闭" for c in value if c not in kept]
            value = [c.upper() for c in kept]
        if key == "severity":
            weighted = {}
            for code, level in value.items():
                if _protected(code.upper(), tiers) and level != "error":
                    settings.refused.append(f"severity {code} = {level}：依据条例、年报格式或国家标准的规则不能在配置中降级")
                else:
                    weighted[code.upper()] = level
            value = weighted
        if key == "select":
            value = [c.upper() for c in value]
        settings.values[key] = Setting(value, str(path))


def allow_words(settings: Settings) -> list[str]:
    words = list(settings.get("allow") or [])
    from .sources import SourceError, read_bounded

    for name in settings.get("allow-files") or []:
        try:
            text = read_bounded(name, 8 << 20).decode("utf-8-sig")
        except SourceError as exc:
            raise ConfigError(f"{name}: 无法读取允许词表：{exc}") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{name}: 允许词表不是 UTF-8 编码（第 {exc.start} 字节）") from exc
        words += [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return words


def describe(settings: Settings) -> str:
    """Human-readable effective settings with their origins (for --show-config)."""
    lines = [f"配置文件：{'、'.join(settings.files) or '（未找到，使用默认值）'}"]
    for key in KEYS:
        setting = settings.values[key]
        lines.append(f"{key:<12} = {setting.value!r:<40}  # 来自：{setting.origin}")
    lines += [f"已拒绝：{item}" for item in settings.refused]
    return "\n".join(lines) + "\n"
