"""Command line: gidraft check | extract | rules | explain."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(
    name="gidraft",
    help="政府信息公开工作年度报告的检查与起草工具（check 检查，extract 提取数据，rules / explain 查看规则）。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class DataFormat(str, Enum):
    json = "json"
    yaml = "yaml"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


def _codes(values: Optional[List[str]]) -> list[str]:
    return [code.strip().upper() for value in values or [] for code in value.split(",") if code.strip()]


def _fail(message: str) -> None:
    typer.echo(f"gidraft: {message}", err=True)
    raise typer.Exit(2)


def _load_rules(rules_dirs: Optional[List[Path]]):
    from .rules.engine import RuleError
    from .rules.loader import load_rules

    try:
        return load_rules(tuple(str(p) for p in rules_dirs or ()))
    except RuleError as exc:
        _fail(f"规则文件有误：{exc}")


def _write(text: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")


@app.command()
def check(
    files: List[Path] = typer.Argument(..., help="要检查的年报文件（.txt .md .docx .html .pdf）", show_default=False),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="输出格式"),
    select: Optional[List[str]] = typer.Option(None, "--select", help="只运行这些规则（代码或前缀，逗号分隔，如 T3,S001）"),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="不运行这些规则（代码或前缀）"),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", help="有此级别及以上的问题时退出码为 1"),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="有问题也以 0 退出（无法读取的文件仍为 2）"),
    rules_dirs: Optional[List[Path]] = typer.Option(None, "--rules", help="追加的规则目录（YAML）"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入此文件而不是标准输出"),
) -> None:
    """检查年报：表格勾稽关系、结构与格式版本等，按 path:行:列 报告问题。"""
    from .check import check_path
    from .rules.engine import SEVERITY_RANK, selected

    rules = selected(_load_rules(rules_dirs), _codes(select) or ["ALL"], _codes(ignore))
    results = [check_path(str(path), rules) for path in files]
    summary = {
        "files": len(results),
        "errors": sum(1 for r in results for f in r.findings if f.severity == "error"),
        "warnings": sum(1 for r in results for f in r.findings if f.severity == "warning"),
        "infos": sum(1 for r in results for f in r.findings if f.severity == "info"),
    }
    if output_format == OutputFormat.json:
        from .output.json import render as render_json

        _write(render_json(results, summary), output)
    else:
        from .output.text import render as render_text

        _write(render_text(results, {**summary, "unreadable": sum(1 for r in results if r.error)}), output)
    for result in results:
        if result.error:
            typer.echo(f"gidraft: {result.path}: {result.error}", err=True)
    if any(r.error for r in results):
        raise typer.Exit(2)
    threshold = SEVERITY_RANK[fail_on.value]
    if not exit_zero and any(SEVERITY_RANK[f.severity] >= threshold for r in results for f in r.findings):
        raise typer.Exit(1)


@app.command()
def extract(
    file: Path = typer.Argument(..., help="年报文件", show_default=False),
    output_format: DataFormat = typer.Option(DataFormat.json, "--format", "-f", help="输出格式"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入此文件而不是标准输出"),
) -> None:
    """提取年报数据（ReportData：meta、t2、t3、t4、fees、sections），键名见数据约定。"""
    from .report.build import build_report
    from .report.data import report_data
    from .sources import SourceError, read_source

    try:
        source = read_source(str(file))
    except SourceError as exc:
        _fail(f"{file}: {exc}")
    data = report_data(build_report(source))
    if output_format == DataFormat.yaml:
        import yaml

        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    else:
        import json

        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    _write(text, output)


@app.command("rules")
def list_rules(rules_dirs: Optional[List[Path]] = typer.Option(None, "--rules", help="追加的规则目录")) -> None:
    """列出全部规则：代码、严重程度、依据和一句话说明。"""
    from .rules.engine import SEVERITY_ZH

    for item in _load_rules(rules_dirs):
        typer.echo(f"{item.code:<6} {SEVERITY_ZH[item.severity]}  {item.name:<28} [{item.tier}] {item.summary}")


@app.command()
def explain(
    code: str = typer.Argument(..., help="规则代码，如 T301", show_default=False),
    rules_dirs: Optional[List[Path]] = typer.Option(None, "--rules", help="追加的规则目录"),
) -> None:
    """显示一条规则的完整说明。"""
    from .rules.engine import SEVERITY_ZH

    wanted = code.strip().upper()
    for item in _load_rules(rules_dirs):
        if item.code == wanted:
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


def main() -> None:
    _register_commands()
    app()
