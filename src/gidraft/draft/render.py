"""Write a draft: the output kind from the file's extension, text through the templates, Word through the writer."""

from __future__ import annotations

import re
from pathlib import Path

from .schema import DataFile

KINDS = {".md": "md", ".markdown": "md", ".txt": "txt", ".docx": "docx"}
TRAILING_SPACE = re.compile(r"[ \t]+$", re.M)
BLANK_LINES = re.compile(r"\n{3,}")


def kind_of(path: Path) -> str | None:
    return KINDS.get(path.suffix.lower())


def write_draft(datafile: DataFile, path: Path, templates: Path | None = None, inputs=(), force: bool = False) -> None:
    """Render a validated data file to ``path`` (through :func:`gidraft.outputs.write`: never an input, an
    existing file only with ``force``).  Jinja2 errors and OutputError propagate to the caller."""
    from ..outputs import write
    from .environment import environment
    from .view import context

    env = environment(templates)
    ctx = context(datafile)
    kind = kind_of(path)
    if kind == "docx":
        from .docx import document_bytes

        write(path, document_bytes(ctx, env), inputs, force)
        return
    write(path, render_text(datafile, kind, templates), inputs, force)


def render_text(datafile: DataFile, kind: str = "md", templates: Path | None = None) -> str:
    """The draft as Markdown (``md``) or plain text (``txt``)."""
    from .environment import environment
    from .view import context

    text = environment(templates).get_template(f"report.{kind}.j2").render(context(datafile))
    text = BLANK_LINES.sub("\n\n", TRAILING_SPACE.sub("", text))
    return text.strip("\n") + "\n"
