"""Renderers of check results: text, json/jsonl, sarif, github, html (one module each)."""

from __future__ import annotations

import unicodedata


def printable(text: str) -> str:
    """``text`` with control, format and line-separator characters written as escapes (``\\n``, ``\\x1b``,
    ``\\u2028``): a file name can then neither start a line of its own in a CI log, where ``::error``
    would be read as a workflow command, nor send escape sequences to a terminal."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == " " or unicodedata.category(ch) == "Zs"
                   else ch.encode("unicode_escape").decode("ascii") for ch in text)
