"""Readers: one per input kind, each producing a :class:`~gidraft.sources.model.Source`.

The kind is decided from the file's content (magic bytes), not its name: a ``.txt`` that is really a
Word file is read as Word.
"""

from __future__ import annotations

import os
import stat

from .kinds import Convertible, refuse_unreadable_kind
from .model import CELL_SEP, Source, SourceError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
CHUNK = 1 << 20


def max_bytes() -> int:
    """The size limit of an input file: GIDRAFT_MAX_BYTES (a positive integer of bytes) or 50 MB."""
    value = os.environ.get("GIDRAFT_MAX_BYTES", "").strip()
    if not value:
        return DEFAULT_MAX_BYTES
    try:
        limit = int(value)
    except ValueError:
        limit = 0
    if limit <= 0:
        raise SourceError(f"环境变量 GIDRAFT_MAX_BYTES 应为正整数（字节数），现为“{value}”")
    return limit


def read_bounded(path: str, limit: int) -> bytes:
    """The bytes of regular file ``path``, read in chunks and never more than ``limit`` (else SourceError).

    Devices, FIFOs and sockets are refused before they are opened: their size says nothing and
    reading them may never end.
    """
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            kind = "目录" if stat.S_ISDIR(info.st_mode) else "设备、管道或套接字"
            raise SourceError(f"这是{kind}，不是普通文件，未读取")
        if info.st_size > limit:
            raise SourceError(f"文件过大（{info.st_size} 字节，上限 {limit} 字节；可用环境变量 GIDRAFT_MAX_BYTES 调整）")
        chunks, total = [], 0
        with open(path, "rb") as handle:
            while chunk := handle.read(min(CHUNK, limit + 1 - total)):
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:
                    raise SourceError(f"文件过大（超过上限 {limit} 字节；可用环境变量 GIDRAFT_MAX_BYTES 调整）")
        return b"".join(chunks)
    except OSError as exc:
        raise SourceError(f"无法读取文件：{exc.strerror or exc}") from exc


def sniff(path: str, data: bytes) -> str:
    head = data[:1024].lstrip().lower()
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # a zip archive (the second: an empty one)
        return "docx"
    if data.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512] or b"<body" in head:
        return "html"
    if path.lower().endswith((".md", ".markdown")):
        return "md"
    if path.lower().endswith((".htm", ".html")) and b"<" in head:
        return "html"
    return "txt"


def read_source(path: str, limit: int | None = None) -> Source:
    """Read any supported report file.  Raises SourceError with a Chinese message on bad input."""
    if not os.path.exists(path):
        if os.path.islink(path):
            raise SourceError("符号链接指向的文件不存在或形成循环")
        raise SourceError("文件不存在")
    if os.path.isdir(path):
        raise SourceError("这是一个目录，不是文件")
    data = read_bounded(path, max_bytes() if limit is None else limit)
    if not data.strip():
        raise SourceError("文件为空")
    if path.lower().endswith((".yaml", ".yml")):
        raise SourceError("这是年报数据文件，不是年报；请用 gidraft draft 校验数据并起草年报")
    try:
        refuse_unreadable_kind(path, data)
    except Convertible as refused:
        from .office import read_converted

        return read_converted(path, data, refused)
    kind = sniff(path, data)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(path, data)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(path, data)
    if kind == "html":
        from .html import read_html

        return read_html(path, data)
    from .text import read_text

    return read_text(path, data, kind)


__all__ = ["CELL_SEP", "Source", "SourceError", "read_source"]
