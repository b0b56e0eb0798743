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
    document.save(buffer)
    try:
        write(target, buffer.getvalue(), force=True)
    except OutputError as exc:
        raise WordError(str(exc)) from exc
