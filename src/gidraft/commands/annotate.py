"""`gidraft annotate`: a copy of a Word report with every finding as a comment."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..cli import _codes, _fail, _say, app


@app.command("annotate")
def annotate_command(
    file: Path = typer.Argument(..., help="要审校的 Word 年报（.docx）", show_default=False),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="批注稿的文件名（默认：NAME.审校.docx）"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件"),
    select: Optional[List[str]] = typer.Option(None, "--select", help="只运行这些规则（代码或前缀，逗号分隔）"),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="不运行这些规则（代码或前缀）"),
    rules_dirs: Optional[List[Path]] = typer.Option(None, "--rules", help="追加的规则目录（YAML）"),
) -> None:
    """把检查出的每个问题写成 Word 批注（作者 gidraft），另存为批注稿；原文件不变。"""
    from ..check import Checker
    from ..word import WordError, output_path
    from ..word.comments import annotate

    try:
        target = output_path(file, output, "审校", force)
    except WordError as exc:
        _fail(f"{file}: {exc}")
    result = Checker({"select": _codes(select, rules_dirs), "ignore": _codes(ignore, rules_dirs), "rules": [str(p) for p in rules_dirs or []]}).check(str(file))
    for note in result.notes:
        _say(f"{file}: {note}")
    if result.error:
        _fail(f"{file}: {result.error}")
    if result.source.kind != "docx":
        _fail(f"{file}: 只能为 Word（.docx）文件添加批注（这是 {result.source.kind} 文件）；其他文件请用 gidraft check")
    try:
        count = annotate(file, result, target)
    except WordError as exc:
        _fail(f"{file}: {exc}")
    except OSError as exc:
        _fail(f"{target}: 无法写入：{exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - python-docx on a package it cannot handle
        _fail(f"{file}: 无法写出批注稿（{type(exc).__name__}: {exc}）")
    typer.echo(f"已写出 {target}：{count} 条批注", err=True)
