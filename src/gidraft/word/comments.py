"""Findings as Word comments on a copy of the report (``gidraft annotate``, ``gidraft check --annotate``).

One comment per finding, author ``gidraft``, anchored on exactly the flagged characters (runs are
split only where a comment starts or ends, each piece keeping the run's formatting), or on the cell
or heading :func:`gidraft.word.locate.target` chooses for a finding with no text of its own.  The
comment reads ``【CODE】（严重程度）message`` and, when the finding has a fix, ``建议改为：“…”``.
Comments use python-docx's own support; nothing else in the document changes, except that comments
gidraft left in an earlier run (on a copy annotated before) are replaced, never those of people.
"""

from __future__ import annotations

from pathlib import Path

from . import AUTHOR, WordError, open_document, save


def comment_text(located) -> str:
    from ..severity import SEVERITY_ZH

    text = f"【{located.code}】（{SEVERITY_ZH[located.severity]}）{located.message}"
    if located.fix is not None:
        text += (f"\n建议改为：“{located.fix}”" if located.fix else "\n建议删除") + ("" if located.fix_safe else "（需人工确认）")
    return text


def _remove_own_comments(document) -> None:
    """Remove the comments authored by gidraft, with their ranges and reference runs in the body."""
    from .locate import RPR, RUN, W

    own = [c for c in document.comments if c.author == AUTHOR]
    ids = {str(c.comment_id) for c in own}
    for comment in own:
        comment._comment_elm.getparent().remove(comment._comment_elm)
    marks = (W + "commentRangeStart", W + "commentRangeEnd", W + "commentReference")
    for mark in [m for m in document.element.body.iter(*marks) if m.get(W + "id") in ids]:
        parent = mark.getparent()
        parent.remove(mark)
        if parent.tag == RUN and all(child.tag == RPR for child in parent):
            parent.getparent().remove(parent)


def annotate(path, result, output_path) -> int:
    """Write a copy of the Word file ``path`` to ``output_path`` with one comment per finding of ``result``.

    ``result`` is the :class:`gidraft.check.FileResult` of checking ``path``.  Returns the number of
    comments.  Raises :class:`WordError` when the findings cannot be placed in this document.
    """
    from docx.text.run import Run

    from .locate import span_runs, spelled, target, units

    document = open_document(path)
    _remove_own_comments(document)
    body_units = units(document.element.body)
    source = result.report.source
    lines = source.raw.split("\n")
    if len(body_units) != len(lines):
        raise WordError(f"无法把检查结果对应到 Word 文档的段落和单元格（读到 {len(lines)} 处，文档中有 {len(body_units)} 处）")
    for located in result.findings:
        where = target(result.report, located.finding, body_units)
        for line in {where.first, where.last}:
            if spelled(body_units[line]) != lines[line]:
                raise WordError(f"{source.place(line + 1, 1)}的文字与检查时读到的不同，无法放置批注")
        first, last = span_runs(body_units, where)
        document.add_comment([Run(first, document.part), Run(last, document.part)],
                             text=comment_text(located), author=AUTHOR, initials="gd")
    save(document, Path(output_path))
    return len(result.findings)
