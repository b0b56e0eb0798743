"""`gidraft fix`: the mechanical fixes of a report's findings, as a unified diff or written back."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..cli import _codes, _fail, _say, app

WRITABLE = ("txt", "md")


@app.command("fix")
def fix(
    file: Path = typer.Argument(..., help="要修正的年报文件（.txt .md .docx）", show_default=False),
    write: bool = typer.Option(False, "--write", help="写回：.txt/.md 原地修改（原文件保留为 FILE.bak），.docx 另存为 NAME.修正.docx"),
    unsafe: bool = typer.Option(False, "--unsafe", help="也应用需人工确认的修改建议（如易混词、重复字词）"),
    diff: bool = typer.Option(False, "--diff", help="与 --write 同用时也显示差异（不写回时总是显示差异）"),
    track_changes: bool = typer.Option(False, "--track-changes", help="Word 文件：把修正写成修订（作者 gidraft），另存为 NAME.修订.docx，在 Word 中逐条接受或拒绝"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Word 文件的输出文件名（默认 NAME.修正.docx，--track-changes 时 NAME.修订.docx）"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件（修正稿或修订稿）"),
    select: Optional[List[str]] = typer.Option(None, "--select", help="只应用这些规则的修正（代码或前缀，逗号分隔）"),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="不应用这些规则的修正"),
    rules_dirs: Optional[List[Path]] = typer.Option(None, "--rules", help="追加的规则目录（YAML）"),
) -> None:
    """按检查结果自动修正：默认只显示安全修正的差异（unified diff；有可修正之处时退出码为 1），--write 写回文件。"""
    from ..check import Checker
    from ..fix import FixError, plan_fixes, unified_diff, write_docx, write_text
    from ..outputs import OutputError

    cli = {"select": _codes(select, rules_dirs), "ignore": _codes(ignore, rules_dirs), "rules": [str(p) for p in rules_dirs or []]}
    result = Checker(cli).check(str(file))
    for note in result.notes:
        _say(f"{file}: {note}")
    if result.error:
        _fail(f"{file}: {result.error}")
    source = result.source
    plan = plan_fixes(source, result.findings, unsafe=unsafe)
    if write and source.kind not in (*WRITABLE, "docx"):
        _fail(f"{file}: 只能写回 .txt、.md 或 .docx 文件（这是 {source.kind} 文件）；可去掉 --write 查看差异")
    if track_changes and (write or source.kind != "docx"):
        _fail(f"{file}: --track-changes 只用于 Word（.docx）文件，且不与 --write 同用")
    if output is not None and not (track_changes or (write and source.kind == "docx")):
        _fail("-o 只用于 Word 文件的修正稿（--write）或修订稿（--track-changes）；.txt/.md 原地写回")
    if not (write or track_changes) or diff:
        typer.echo(unified_diff(source, plan.edits), nl=False)
    refused = list(plan.refused)
    if track_changes and plan.edits:
        from ..word import WordError, output_path
        from ..word.tracked import write_tracked

        try:
            target = output_path(file, output, "修订", force)
            written, refused = write_tracked(file, result.findings, target, unsafe, source=source)
        except (WordError, OSError) as exc:
            _fail(f"{file}: {exc}")
        except Exception as exc:  # noqa: BLE001 - python-docx on a package it cannot handle
            _fail(f"{file}: 无法写出修订稿（{type(exc).__name__}: {exc}）")
        typer.echo(f"已写出 {target}（{written} 处修订，可在 Word 中逐条接受或拒绝）", err=True)
    if write and plan.edits:
        try:
            if source.kind in WRITABLE:
                backup = write_text(file, source, plan.edits)
                typer.echo(f"已修正 {file}（{len(plan.edits)} 处），原文件保存为 {backup}", err=True)
            else:
                target, skipped = write_docx(file, source, plan.edits, force, output)
                refused += skipped
                typer.echo(f"已写出 {target}（{len(plan.edits) - len(skipped)} 处修正）", err=True)
        except (FixError, OutputError) as exc:
            _fail(f"{file}: {exc}")
        except OSError as exc:
            _fail(f"{file}: 无法写入：{exc.strerror or exc}")
        except Exception as exc:  # noqa: BLE001 - python-docx on a package it cannot handle
            _fail(f"{file}: 无法写出修正稿（{type(exc).__name__}: {exc}）")
    for finding, reason in refused:
        line, column = source.position(finding.start)
        typer.echo(f"{file}:{source.place(line, column)}: 未修正 [{finding.code}] {finding.message}：{reason}", err=True)
    pending = sum(1 for f in result.findings if f.fix is not None and not f.fix_safe and not unsafe)
    if pending:
        typer.echo(f"另有 {pending} 处修改建议需人工确认，加 --unsafe 一并应用", err=True)
    if not plan.edits:
        typer.echo("没有可自动修正的问题", err=True)
    elif not (write or track_changes):
        raise typer.Exit(1)  # like a formatter's --check: there is something to fix
