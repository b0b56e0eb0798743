"""gidraft draft DATA.yaml -o OUT: write the report from a data file (.md, .txt or .docx by OUT's extension)."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Optional

import typer

from ..cli import _say, app

SHOWN = 20  # problems listed one by one; the rest are counted


def _stop(message: str) -> None:
    _say(message)
    raise typer.Exit(2)


def _place(path: Path, line: int | None) -> str:
    return f"{path}:{line}" if line else str(path)


@app.command()
def draft(
    data: Path = typer.Argument(..., help="数据文件（YAML，键名见数据约定；gidraft extract 或 gidraft init 可生成）", show_default=False),
    output: Path = typer.Option(..., "--output", "-o", help="输出文件：.md、.txt 或 .docx", show_default=False),
    templates: Optional[Path] = typer.Option(None, "--templates", help="模板目录：其中的同名模板优先于内置模板"),
    allow_incomplete: bool = typer.Option(False, "--allow-incomplete", help="数字待填写、空白或勾稽关系不符时仍然起草（相应位置留下【待填写】或“—”，检查时会报告）"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件"),
) -> None:
    """按数据文件起草年报：标题、说明、一至六部分、表二至表四（按格式版本）和根据数字生成的叙述。"""
    from ..draft.render import kind_of
    from ..draft.schema import DataError, load, validate
    from ..outputs import OutputError, guard

    try:
        guard(output, [data], force)
    except OutputError as exc:
        _stop(str(exc))
    if kind_of(output) is None:
        _stop(f"{output}: 无法从扩展名判断输出格式（应为 .md、.txt 或 .docx）")
    if templates is None:
        templates = _configured_templates(data)
    if templates is not None and not templates.is_dir():
        _stop(f"{templates}: 模板目录不存在")
    try:
        datafile, problems = load(str(data))
    except DataError as exc:
        _stop(f"{data}: {exc}")
    problems += validate(datafile)
    blocking = [p for p in problems if not (p.forceable and allow_incomplete)]
    warnings = [p for p in problems if p not in blocking]
    _report(data, warnings, "警告：")
    if warnings:
        _say(f"警告：{data}: 已按 --allow-incomplete 起草，{len(warnings)} 处问题留在稿中（【待填写】或“—”），gidraft check 会报告")
    if len(blocking) == 1:
        hint = "（可用 --allow-incomplete 仍然起草）" if blocking[0].forceable else ""
        _stop(f"{_place(data, blocking[0].line)}: {blocking[0]}；未起草{hint}")
    if blocking:
        _report(data, blocking)
        hint = "；数字待填写、空白或勾稽关系不符时可用 --allow-incomplete 仍然起草" if all(p.forceable for p in blocking) else ""
        _stop(f"{data}: 数据文件有 {len(blocking)} 处问题，未起草{hint}")
    if datafile.derived:
        shown = "、".join(datafile.derived[:3]) + ("等" if len(datafile.derived) > 3 else "")
        typer.echo(f"gidraft: {data}: 按表格勾稽关系算出 {len(datafile.derived)} 个未填的数字（{shown}）", err=True)
    contradictions, remaining = _templated(lambda: _check_draft(datafile, templates), output)
    for finding in contradictions[:SHOWN]:
        prefix = "警告：" if allow_incomplete else ""
        typer.echo(f"gidraft: {prefix}{data}: 叙述与表格不符：{finding.message}（{finding.code}）", err=True)
    if contradictions and not allow_incomplete:
        _stop(f"{data}: 叙述中有 {len(contradictions)} 处与表格不符，未起草；请改正 sections 中的文字或表格数字"
              "（可用 --allow-incomplete 仍然起草）")
    _render(datafile, output, templates, [data], force)
    tail = "，".join(f"{n} 个{name}" for n, name in remaining if n)
    typer.echo(f"已起草 {output}" + (f"；gidraft check 将报告 {tail}" if tail else ""), err=True)


def _check_draft(datafile, templates: Path | None) -> tuple[list, list[tuple[int, str]]]:
    """The draft read back and checked: its narrative-versus-table errors (N rules), and the counts of all
    its findings by severity."""
    from ..check import check_report
    from ..report.build import build_report
    from ..severity import SEVERITY_ZH
    from ..rules.loader import load_rules
    from ..sources.text import read_text
    from ..draft.render import render_text

    from ..sources import SourceError

    text = render_text(datafile, "md", templates)
    try:
        report = build_report(read_text("draft.md", text.encode("utf-8"), "md"))
    except SourceError:  # control characters in the data: the writers cope, the text reader refuses them
        return [], []
    findings = check_report(report, load_rules())
    contradictions = [f for f in findings if f.code.startswith("N") and f.severity == "error"]
    counts = [(sum(1 for f in findings if f.severity == level), SEVERITY_ZH[level]) for level in SEVERITY_ZH]
    return contradictions, counts


def _configured_templates(data: Path) -> Path | None:
    """``templates`` of the configuration (the user's own file; a folder's file only says it was not used)."""
    from ..config import ConfigError, resolve

    try:
        settings = resolve(data.absolute().parent, {}, {})
    except ConfigError as exc:
        _stop(str(exc))
    if "templates" in settings.untrusted:
        _say(settings.untrusted_note())
    return Path(settings.get("templates")) if settings.get("templates") else None


def _report(data: Path, problems: list, prefix: str = "") -> None:
    for problem in problems[:SHOWN]:
        _say(f"{prefix}{_place(data, problem.line)}: {problem}")
    if len(problems) > SHOWN:
        _say(f"{prefix}……另有 {len(problems) - SHOWN} 处")


def _template_place(exc: Exception) -> str:
    """``file.j2:line: `` of the innermost template frame of a rendering error, or ''."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    return f"{frames[-1].filename}:{frames[-1].lineno}: " if frames else ""


def _render(datafile, output: Path, templates: Path | None, inputs: list, force: bool) -> None:
    from ..draft.render import write_draft

    _templated(lambda: write_draft(datafile, output, templates, inputs, force), output)


def _templated(work, output: Path):
    """Run ``work`` (rendering through the templates), turning template and write errors into messages."""
    import jinja2

    from ..outputs import OutputError

    try:
        return work()
    except OutputError as exc:
        _stop(str(exc))
    except jinja2.TemplateSyntaxError as exc:
        _stop(f"{exc.filename or exc.name}:{exc.lineno}: 模板语法错误：{exc.message}")
    except jinja2.TemplateError as exc:
        _stop(f"{_template_place(exc)}模板出错：{exc}")
    except OSError as exc:
        _stop(f"{output}: 无法写入：{exc.strerror or exc}")
