"""Command line: gidraft check | extract | rules | explain."""

from __future__ import annotations

import contextlib
import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .cli_zh import install as _install_chinese

_install_chinese()

app = typer.Typer(
    name="gidraft",
    help="政府信息公开工作年度报告的检查与起草工具（check 检查，extract 提取数据，rules / explain 查看规则）。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"gidraft {version('gidraft')}")
        raise typer.Exit()


@app.callback()
def _main(
    show_version: bool = typer.Option(False, "--version", "-V", callback=_show_version, is_eager=True,
                                      help="显示版本并退出。"),
) -> None:
    """政府信息公开工作年度报告的检查与起草工具（check 检查，extract 提取数据，rules / explain 查看规则）。"""


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    sarif = "sarif"
    github = "github"
    html = "html"


class DataFormat(str, Enum):
    json = "json"
    yaml = "yaml"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


def _codes(values: Optional[List[str]], rules_dirs: Optional[List[Path]] = None) -> list[str]:
    """Rule codes, prefixes or names given on the command line, as codes; an unknown one is a usage error."""
    wanted = [code.strip() for value in values or [] for code in value.split(",") if code.strip()]
    if not wanted:
        return []
    from .rules.engine import resolve_selection

    codes, unknown = resolve_selection(wanted, _load_rules(rules_dirs))
    if unknown:
        _fail(f"未知的规则代码、前缀或名称：{'、'.join(unknown)}（用 gidraft rules 查看全部规则）")
    return codes


def _say(message: str) -> None:
    """One line on standard error; control characters in it (from a file name) are escaped."""
    from .output import printable

    typer.echo(f"gidraft: {printable(message)}", err=True)


def _fail(message: str) -> None:
    _say(message)
    raise typer.Exit(2)


def _jobs(jobs: int) -> int:
    """``--jobs`` checked: 0 means one process per CPU; the batch caps it at 4 per CPU."""
    if jobs < 0:
        _fail(f"--jobs {jobs}：进程数应为正整数（0 表示按 CPU 核数）")
    return jobs


def _load_rules(rules_dirs: Optional[List[Path]]):
    from .rules.engine import RuleError
    from .rules.loader import load_rules

    try:
        return load_rules(tuple(str(p) for p in rules_dirs or ()))
    except RuleError as exc:
        _fail(f"规则文件有误：{exc}")


def _write(text: str, output: Optional[Path], inputs=(), force: bool = False) -> None:
    """Standard output, or ``output`` written atomically (never an input, never an existing file without --force)."""
    if output is None:
        sys.stdout.write(text)
        return
    from .outputs import OutputError, write

    try:
        write(output, text, inputs, force)
    except OutputError as exc:
        _fail(str(exc))


def _writable(output: Optional[Path], inputs=(), force: bool = False) -> None:
    """Refuse a bad ``output`` before any work is done (it is checked again when written)."""
    if output is not None:
        from .outputs import OutputError, guard

        try:
            guard(output, inputs, force)
        except OutputError as exc:
            _fail(str(exc))


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def use_color(choice: "Color", output: Optional[Path]) -> bool:
    """Colour on a terminal (``auto``) unless NO_COLOR is set; ``always`` / ``never`` decide outright."""
    import os

    if choice == Color.auto:
        return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    return choice == Color.always


@app.command()
def check(
    files: List[str] = typer.Argument(..., metavar="文件...", help="年报文件、目录（递归）或通配符（.txt .md .docx .html .pdf）；- 为标准输入", show_default=False),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="输出格式"),
    select: Optional[List[str]] = typer.Option(None, "--select", help="只运行这些规则（代码、前缀或名称，逗号分隔，如 T3,S001）"),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="不运行这些规则（代码、前缀或名称）"),
    exclude: Optional[List[str]] = typer.Option(None, "--exclude", help="检查目录时排除的文件（gitignore 式通配符，可重复，如 '草稿/' '*.old.docx'）"),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", help="有此级别及以上的问题时退出码为 1（默认 error）", show_default=False),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="有问题也以 0 退出（无法读取的文件仍为 2）"),
    rules_dirs: Optional[List[Path]] = typer.Option(None, "--rules", help="追加的规则目录（YAML）"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入此文件而不是标准输出"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件"),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="基线文件：其中已审核的问题不再报告"),
    previous: Optional[Path] = typer.Option(None, "--previous", help="同一机关上一年度的年报，用于跨年度核对"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="JSON 输出中附上识别出的正文数字（facts）"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="只输出问题，不输出汇总和提示"),
    statistics: bool = typer.Option(False, "--statistics", help="只输出每条规则的问题数"),
    color: Color = typer.Option(Color.auto, "--color", help="彩色输出：auto 在终端上彩色（设置 NO_COLOR 时不彩色）"),
    languagetool: Optional[str] = typer.Option(None, "--languagetool", envvar="GIDRAFT_LANGUAGETOOL_URL",
                                               help="LanguageTool 服务器地址（可选后端），如 http://localhost:8081"),
    jobs: int = typer.Option(0, "--jobs", "-j", help="并行进程数（默认 CPU 核数）", show_default=False),
    show_config: bool = typer.Option(False, "--show-config", help="显示生效的配置及其来源，然后退出"),
    annotate: bool = typer.Option(False, "--annotate", help="为每个 .docx 另存一份带批注的副本（报告.审校.docx）"),
    trust_config: bool = typer.Option(False, "--trust-config", help="也采用报告所在目录配置文件中的 languagetool、rules、allow-files、templates（只对可信的文件夹使用）"),
    no_cache: bool = typer.Option(False, "--no-cache", help="不使用检查结果缓存：每个文件都重新检查（未改动的文件默认沿用上次的结果）"),
) -> None:
    """检查年报：表格勾稽关系、结构、正文与表格一致、文字与标点等，按 路径:行:列 报告问题。"""

    from .batch import Batch, Compactor, records, select_files
    cli = {
        "select": _codes(select, rules_dirs),
        "ignore": _codes(ignore, rules_dirs),
        "rules": [str(p) for p in rules_dirs or []],
        "languagetool": languagetool,
        "fail-on": fail_on.value if fail_on else None,
        "verbose": verbose,
        "trust-config": trust_config,
    }
    stdin = files == ["-"]
    if stdin:
        files = [_stdin_copy()]
    selection = select_files(files, exclude or [])
    paths = selection.paths
    if show_config:
        from .check import Checker
        from .config import ConfigError, describe

        try:
            typer.echo(describe(Checker(cli).settings(paths[0] if paths else "./x")), nl=False)
        except ConfigError as exc:
            _fail(str(exc))
        return
    for line in selection.notes + selection.errors:
        _say(line)
    if not paths:
        _fail("没有可检查的文件" if selection.errors else "没有找到可检查的文件（支持 .txt .md .docx .html .htm .pdf）")
    _writable(output, [*paths, baseline, previous], force)
    decided = set()
    if baseline is not None:
        from .baseline import BaselineError, load

        try:
            decided = load(baseline)
        except BaselineError as exc:
            _fail(str(exc))
    last = None
    if previous is not None:
        from .check import Checker
        from .crossyear import profile

        checked = Checker(cli).check(str(previous))
        if checked.error:
            _fail(f"{previous}: {checked.error}")
        last = profile(checked.report, excerpt=False)
    inputs = [*paths, baseline, previous]
    name = "json" if output_format == OutputFormat.jsonl else output_format.value
    compactor = Compactor(name, color=use_color(color, output), annotate=annotate, decided=decided,
                          explicit=selection.explicit, stdin=stdin)
    writer = _StatisticsWriter() if statistics else _writer(output_format, quiet, compactor.color)
    compactor.keep_reports = writer.needs_reports
    cache = None
    if not no_cache:
        from .results import ResultsCache

        cache = ResultsCache(cli, compactor) if ResultsCache.usable(cli, compactor) else None
    with _sink(output, inputs, force) as write:
        run = Batch(writer, write, cli, compactor, last)
        for record in records(paths, cli, _jobs(jobs), compactor, cache):
            run.add(record)
        run.close()
    if cache is not None and cache.misses:
        cache.prune()
    selection.skipped += run.skipped
    kept = [r.result for r in run.written if r.result is not None]
    annotated = _annotate_copies(kept, force) if annotate else True
    _notes(run.written, selection, quiet)
    if any(r.error for r in run.written) or not annotated or selection.errors:
        raise typer.Exit(2)
    if run.failing and not exit_zero:
        raise typer.Exit(1)


def _stream(text: str) -> None:
    """A piece of the output on standard output, at once (a batch writes each file as it is done)."""
    if text:
        sys.stdout.write(text)
        sys.stdout.flush()


@contextlib.contextmanager
def _sink(output: Optional[Path], inputs, force: bool):
    """Where a batch writes its output as each file is done: standard output, or ``output`` through a
    temporary file that replaces it only when the run is complete (interrupted, the old file stays)."""
    if output is None:
        yield _stream
        return
    from .outputs import OutputError, replacement

    try:
        with replacement(output, inputs, force) as out:
            yield out.write
    except OutputError as exc:
        _fail(str(exc))


def _writer(output_format: OutputFormat, quiet: bool, color: bool):
    import importlib

    module = "json" if output_format == OutputFormat.jsonl else output_format.value
    renderer = importlib.import_module(f"gidraft.output.{module}")
    if output_format == OutputFormat.jsonl:
        return renderer.LinesWriter()
    return renderer.Writer(quiet=quiet, color=color)


class _StatisticsWriter:
    """Counts per rule, most frequent first, like ``ruff --statistics``."""

    needs_reports = False

    def __init__(self) -> None:
        from collections import Counter

        self.counts = Counter()

    def file(self, record) -> str:
        self.counts.update((e.key[2], e.severity) for e in record.entries)
        return ""

    def close(self, summary: dict) -> str:
        from .severity import SEVERITY_ZH

        names = {item.code: item.name for item in _load_rules(None)}
        lines = [f"{n:>5}  {code:<6} {SEVERITY_ZH[severity]}  {names.get(code, '')}"
                 for (code, severity), n in sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        return "\n".join(lines) + ("\n" if lines else "")


def _stdin_copy() -> str:
    """Standard input saved to a private temporary file (the readers decide its kind from its bytes)."""
    import atexit
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="gidraft-")
    atexit.register(shutil.rmtree, folder, True)
    path = os.path.join(folder, "标准输入.txt")
    with open(path, "wb") as handle:
        handle.write(sys.stdin.buffer.read())
    return path


def _notes(results, selection, quiet: bool) -> None:
    """One line per skipped file, refused configuration entry or backend problem (a note about a shared
    setting or backend is said once); unreadable files once."""
    if not quiet:
        for path, reason in selection.skipped:
            _say(f"{path}: {reason}")
    shown = set()
    for result in results:
        for key, line in [*((n, n) for n in result.config_notes), *((n, f"{result.path}: {n}") for n in result.notes)]:
            if key not in shown and not quiet:
                shown.add(key)
                _say(line)
        if result.error:
            _say(f"{result.path}: {result.error}")


def _annotate_copies(results, force: bool) -> bool:
    """Save a commented copy of each checked Word file beside it (an existing file only with --force);
    False when one could not be written."""
    from .word import WordError, output_path
    from .word.comments import annotate

    written = True
    for result in results:
        if result.report is None or result.source.kind != "docx":
            continue
        try:
            target = output_path(Path(result.path), None, "审校", force)
            count = annotate(result.path, result, target)
            _say(f"{result.path}: 已写入带 {count} 条批注的副本 {target}")
        except (WordError, OSError) as exc:
            _say(f"{result.path}: {exc}")
            written = False
        except Exception as exc:  # noqa: BLE001 - python-docx on a package it cannot handle
            _say(f"{result.path}: 无法写出批注稿（{type(exc).__name__}: {exc}）")
            written = False
    return written


@app.command()
def extract(
    file: Path = typer.Argument(..., help="年报文件", show_default=False),
    output_format: DataFormat = typer.Option(DataFormat.json, "--format", "-f", help="输出格式"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入此文件而不是标准输出"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件"),
) -> None:
    """提取年报数据（ReportData：meta、t2、t3、t4、fees、sections），键名见数据约定。"""
    from .report.build import build_report
    from .report.data import report_data
    from .sources import SourceError, read_source

    _writable(output, [file], force)
    try:
        source = read_source(str(file))
        data = report_data(build_report(source))
    except SourceError as exc:
        _fail(f"{file}: {exc}")
    except (MemoryError, RecursionError) as exc:
        _fail(f"{file}: 文件过于复杂，无法读取（{type(exc).__name__}）")
    if output_format == DataFormat.yaml:
        import yaml

        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    else:
        import json

        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    _write(text, output, [file], force)


class RulesFormat(str, Enum):
    text = "text"
    json = "json"


@app.command("rules")
def list_rules(
    select: Optional[List[str]] = typer.Option(None, "--select", help="只列出这些规则（代码、前缀或名称，逗号分隔，如 T3,L1）"),
    output_format: RulesFormat = typer.Option(RulesFormat.text, "--format", "-f", help="输出格式"),
    rules_dirs: Optional[List[Path]] = typer.Option(None, "--rules", help="追加的规则目录"),
) -> None:
    """列出规则：代码、严重程度、名称、依据和一句话说明；可按代码、前缀（规则组）或名称筛选。"""
    from .rules.engine import selected
    from .severity import SEVERITY_ZH

    items = selected(_load_rules(rules_dirs), _codes(select, rules_dirs) or ["ALL"])
    if output_format == RulesFormat.json:
        import json

        fields = ("code", "name", "severity", "tier", "summary", "fixable", "formats")
        typer.echo(json.dumps([{k: getattr(item, k) for k in fields} for item in items], ensure_ascii=False, indent=2))
        return
    for item in items:
        typer.echo(f"{item.code:<6} {SEVERITY_ZH[item.severity]}  {item.name:<28} 〔{item.tier}〕{item.summary}")


@app.command()
def explain(
    code: str = typer.Argument(..., metavar="规则", help="规则代码或名称，如 T301 或 doubled-character", show_default=False),
    rules_dirs: Optional[List[Path]] = typer.Option(None, "--rules", help="追加的规则目录"),
) -> None:
    """显示一条规则的完整说明（按代码或名称）。"""
    from .severity import SEVERITY_ZH

    wanted = code.strip()
    for item in _load_rules(rules_dirs):
        if item.code == wanted.upper() or item.name == wanted.lower():
            fix = {"safe": "可自动修正", "unsafe": "有修改建议（需人工确认）"}.get(item.fixable or "", "无自动修正")
            typer.echo(f"{item.code} {item.name}\n严重程度：{SEVERITY_ZH[item.severity]}　依据：{item.tier}　{fix}")
            typer.echo(f"适用格式：{'、'.join(item.formats)}　定义：{item.origin}\n\n{item.summary}\n\n{item.doc}")
            return
    _fail(f"没有规则 {wanted}（用 gidraft rules 查看全部规则）")


def _register_commands() -> None:
    """Commands beyond check/extract/rules/explain live one per module in gidraft.commands."""
    import importlib
    import pkgutil

    from . import commands

    for info in pkgutil.iter_modules(commands.__path__):
        importlib.import_module(f"gidraft.commands.{info.name}")


def _command_name(info) -> str:
    """The name a registered command is invoked by (typer's own default: the function's, with dashes)."""
    return info.name or info.callback.__name__.lower().replace("_", "-")


def main() -> None:
    """Run the command line.  Typer turns every registered command into a Click command (each signature
    inspected) on every start, so when the command asked for is one of this module's (``gidraft check …``)
    only that one is built, and the other commands' modules are not imported; any other command line
    (``gidraft``, ``gidraft -h``, ``gidraft draft …``, a misspelt command) gets the whole app."""
    wanted = sys.argv[1] if len(sys.argv) > 1 else ""
    everything = app.registered_commands
    own = [info for info in everything if _command_name(info) == wanted]
    if not own:
        _register_commands()
        app()
        return
    app.registered_commands = own
    try:
        app()
    finally:
        app.registered_commands = everything
