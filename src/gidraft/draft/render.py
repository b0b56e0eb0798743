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


def write_draft(datafile: DataFile, path: Path, templates: Path | None = None) -> None:
    """Render a validated data file to ``path``.  Jinja2 errors and OSError propagate to the caller."""
    from .environment import environment
    from .view import context

    env = environment(templates)
    ctx = context(datafile)
    kind = kind_of(path)
    if kind == "docx":
        from .docx import write

        write(ctx, env, path)
        return
    text = env.get_template(f"report.{kind}.j2").render(ctx)
    text = BLANK_LINES.sub("\n\n", TRAILING_SPACE.sub("", text))
    path.write_text(text.strip("\n") + "\n", encoding="utf-8")
