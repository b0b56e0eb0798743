"""Decode the bytes of a text-like file: BOMs first, then strict UTF-8, then GB18030, then detection."""

from __future__ import annotations

import codecs

from .model import SourceError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _cjk_ratio(text: str) -> float:
    sample = text[:4000]
    if not sample:
        return 0.0
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    return cjk / len(sample)


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name).  Raise SourceError for binary data."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise SourceError(f"带有 {name} 字节顺序标记，但内容无法按该编码解码（第 {exc.start} 字节）") from exc
    if b"\x00" in data[:8192]:
        raise SourceError("不是文本文件（含有二进制内容）")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _cjk_ratio(text) > 0.05:
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise SourceError("无法识别文件编码（不是 UTF-8、GB18030 或 UTF-16 文本）")
    return str(best), best.encoding
