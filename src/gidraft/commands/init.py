"""gidraft init: the data file of a new report, begun from last year's report or empty."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..cli import _say, app


def _stop(message: str) -> None:
    _say(message)
    raise typer.Exit(2)


@app.command("init")
def init(
    output: Path = typer.Option(..., "--output", "-o", help="要生成的数据文件（YAML）", show_default=False),
    last_report: Optional[Path] = typer.Option(None, "--from", help="上年的年报（.txt .md .docx .html .pdf），据此生成下一年度的数据文件"),
    year: Optional[int] = typer.Option(None, "--year", help="新报告的年度（用 --from 时默认为上年报告年度加一）"),
    agency: Optional[str] = typer.Option(None, "--agency", help="机关名称（不用 --from 时必填）"),
    force: bool = typer.Option(False, "--force", help="覆盖已有的数据文件"),
) -> None:
    """生成起草用的数据文件：用 --from 从上年年报开始（上年结转、联系方式、叙述沿用并标注【待更新】），或用 --year 和 --agency 生成带说明的空白文件。"""
    from ..draft.init import InitError, empty, from_report, to_yaml

    from ..outputs import OutputError, guard, write

    try:
        guard(output, [last_report], force)
    except OutputError as exc:
        _stop(str(exc))
    if last_report is None:
        if year is None or not agency:
            _stop("请用 --from 指定上年年报，或同时用 --year 和 --agency 指定年度和机关名称")
        if year < 2019:
            _stop(f"--year {year}：统一年报格式从 2019 年度开始使用")
        plan = empty(agency.strip(), year)
    else:
        from ..report.build import build_report
        from ..sources import SourceError, read_source

        try:
            report = build_report(read_source(str(last_report)))
        except SourceError as exc:
            _stop(f"{last_report}: {exc}")
        except (MemoryError, RecursionError) as exc:
            _stop(f"{last_report}: 文件过于复杂，无法读取（{type(exc).__name__}）")
        try:
            plan = from_report(report, year, agency.strip() if agency else None)
        except InitError as exc:
            _stop(f"{last_report}: {exc}")
    try:
        write(output, to_yaml(plan), [last_report], force)
    except OutputError as exc:
        _stop(str(exc))
    left = len(plan.pending)
    typer.echo(f"已生成 {output}：{plan.data['meta']['year']} 年度，{plan.layout.document}格式，{left} 项待填写" + (f"，沿用的叙述带有上年的 {len(plan.carried)} 个问题（已列在文件开头）" if plan.carried else "") + "。", err=True)
    for item in plan.carried:
        typer.echo(f"gidraft: {last_report}: 沿用的叙述中有上年的问题：{item}", err=True)
