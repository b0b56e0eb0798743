"""Review inside Word: findings as comments (:mod:`.comments`), fixes as tracked changes (:mod:`.tracked`).

Both write a copy of the report; :mod:`.locate` finds a finding's text among the paragraphs and table
cells of the document, in the order the Word reader numbers them.
"""

from __future__ import annotations

from pathlib import Path

AUTHOR = "gidraft"


class WordError(Exception):
    """A Word copy that cannot be written; the message is Chinese and names the problem."""


def open_document(path):
    """python-docx's Document of ``path``.  The checker reads only the body, so a package whose other parts
    (styles, relationships, content types) python-docx cannot take is refused here, as WordError."""
    import docx

    try:
        return docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx and lxml raise many kinds on a damaged package
        raise WordError(f"Word 文件的结构有问题（{part_problem(exc)}），无法写出副本；可在 Word 中打开后另存为 .docx 再试") from exc


def part_problem(exc: Exception) -> str:
    """What is wrong with a Word package, from python-docx's or lxml's exception, in Chinese."""
    text = str(exc)
    if "macroEnabled" in text:
        return "这是启用宏的文档（.docm），不是普通 Word 文档"
    if "content type" in text.lower():
        return f"主文档的内容类型不是 Word 文档：{text[-120:]}"
    if "[Content_Types].xml" in text:
        return "缺少 [Content_Types].xml"
    if type(exc).__name__ == "KeyError":
        return f"缺少部件 {text[:120]}"
    if type(exc).__name__ == "XMLSyntaxError":
        return f"某个部件的 XML 已损坏：{text[:120]}"
    return f"{type(exc).__name__}: {text[:120]}"


def output_path(source: Path, output: Path | None, label: str, force: bool) -> Path:
    """Where to write the copy: ``output`` or ``NAME.<label>.docx`` beside the source.

    Never the source itself, and never an existing file unless ``force``.
    """
    from ..outputs import OutputError, guard

    try:
        return guard(output if output is not None else source.with_name(f"{source.stem}.{label}.docx"), [source], force)
    except OutputError as exc:
        raise WordError(str(exc)) from exc


def save(document, target: Path) -> None:
    """Save a python-docx document to ``target`` (already checked by :func:`output_path`) atomically."""
    import io

    from ..outputs import OutputError, write

    buffer = io.BytesIO()
    try:
        document.save(buffer)
    except Exception as exc:  # noqa: BLE001 - a part python-docx cannot write back
        raise WordError(f"Word 文件的结构有问题（{part_problem(exc)}），无法写出副本") from exc
    try:
        write(target, buffer.getvalue(), force=True)
    except OutputError as exc:
        raise WordError(str(exc)) from exc
