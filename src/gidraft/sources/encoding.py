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


COMMON_SHARE = 0.9  # of the Chinese characters of real GB text, nearly all are in GB2312; Big5 read as GB: ~30 %


def _common_share(text: str) -> float:
    """Share of the Chinese characters of ``text`` that GB2312 has (the common simplified characters)."""
    cjk = [ch for ch in text[:20000] if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return 1.0
    common = 0
    for ch in cjk:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(cjk)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a byte-order mark: its zero bytes (the high bytes of ASCII, the low bytes of
    a few characters such as 一 U+4E00) nearly all on one side, and the whole decoding as text."""
    sample = data[:8192 - len(data[:8192]) % 2]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for name, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros > 8 * others and len(data) % 2 == 0:
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                continue
            if not any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text):
                return text, name
    return None


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name).  Raise SourceError for binary data."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise SourceError(f"带有 {name} 字节顺序标记，但内容无法按该编码解码（第 {exc.start} 字节）") from exc
    if b"\x00" in data[:8192]:
        utf16 = _utf16_without_bom(data)
        if utf16:
            return utf16
        raise SourceError("不是文本文件（含有二进制内容）")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _cjk_ratio(text) > 0.05 and _common_share(text) >= COMMON_SHARE:
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise SourceError("无法识别文件编码（不是 UTF-8、GB18030 或 UTF-16 文本）")
    return str(best), best.encoding
