"""Review inside Word: findings as comments (:mod:`.comments`), fixes as tracked changes (:mod:`.tracked`).

Both write a copy of the report; :mod:`.locate` finds a finding's text among the paragraphs and table
cells of the document, in the order the Word reader numbers them.
"""

from __future__ import annotations

from pathlib import Path

AUTHOR = "gidraft"


class WordError(Exception):
    """A Word copy that cannot be written; the message is Chinese and names the problem."""


def output_path(source: Path, output: Path | None, label: str, force: bool) -> Path:
    """Where to write the copy: ``output`` or ``NAME.<label>.docx`` beside the source.

    Never the source itself, and never an existing file unless ``force``.
    """
    target = output if output is not None else source.with_name(f"{source.stem}.{label}.docx")
    if target.exists() and target.resolve() == source.resolve():
        raise WordError(f"输出文件 {target} 就是原文件；原文件不会被修改，请用 -o 指定另一个文件名")
    if target.exists() and not force:
        raise WordError(f"输出文件 {target} 已存在；加 --force 覆盖，或用 -o 指定另一个文件名")
    return target


def save(document, target: Path) -> None:
    """Save a python-docx document to ``target`` atomically (no half-written file on failure)."""
    import io

    from ..fix import atomic_write

    buffer = io.BytesIO()
    document.save(buffer)
    atomic_write(target, buffer.getvalue())
