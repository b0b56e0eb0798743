"""`gidraft baseline`: record every current finding as reviewed, for adopting gidraft on old reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from ..cli import _codes, _fail, _jobs, _say, _writable, _write, app


@app.command("baseline")
def make_baseline(
    files: List[str] = typer.Argument(..., help="年报文件、目录或通配符", show_default=False),
    output: Path = typer.Option(..., "--output", "-o", help="要写入的基线文件（JSON）"),
    select: Optional[List[str]] = typer.Option(None, "--select", help="只记录这些规则的问题"),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="不记录这些规则的问题"),
    jobs: int = typer.Option(0, "--jobs", "-j", help="并行进程数（默认 CPU 核数）", show_default=False),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的基线文件"),
) -> None:
    """把当前全部问题记为“已审核”，写入基线文件；之后 check --baseline 只报告新问题。"""
    from ..baseline import document
    from ..batch import check_all, expand

    skipped, unreadable = [], []
    paths = expand(files, skipped, unreadable)
    for line in skipped + unreadable:
        _say(f"{line}")
    _writable(output, paths, force)
    results = check_all(paths, {"select": _codes(select), "ignore": _codes(ignore)}, _jobs(jobs))
    for result in results:
        if result.error:
            _say(f"{result.path}: {result.error}")
    baseline = document(results)
    _write(json.dumps(baseline, ensure_ascii=False, indent=2) + "\n", output, paths, force)
    typer.echo(f"已写入 {output}：{len(baseline['decisions'])} 条已审核的问题")
    if any(r.error for r in results) or unreadable:
        _fail("部分文件无法读取，基线中不含它们的问题")
