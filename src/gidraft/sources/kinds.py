"""What a file is, by its bytes, when it is nothing gidraft reads -- and what the user can do instead.

gidraft reads text, Markdown, HTML, Word (.docx) and PDF.  A reviewer's folder holds much else: the binary
Office and WPS formats, OpenDocument, RTF, OFD, spreadsheets, scans saved as pictures, archives of reports.
Each is recognised by its content -- filetype's magic numbers; a zip archive by its members, since Word,
OpenDocument, OFD and spreadsheets are all zips -- and refused with a message naming it and the way to a
readable file, never read as text or as a damaged Word file.  A name that lies about its bytes
(``报告.pdf`` holding text) is refused too.
"""

from __future__ import annotations

import codecs
import io
import os

from .model import SourceError

HEAD = 8192  # bytes filetype looks at
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: Word 97-2003 .doc, .xls, .ppt, WPS .wps, .et, .dps
SAVE_AS_DOCX = "请在 Word 或 WPS 中打开，“另存为” Word 文档（.docx），或导出为 PDF，再检查"
NOT_A_REPORT = "不是年报正文；请检查年报本身（Word、PDF、网页或文本文件）"
UNPACK = "请先解压，再检查解压出的文件（也可以检查整个目录）"
SCAN = "不是带文字的报告；如果是扫描件，请向起草单位索取 Word 原稿（.docx）或可以复制文字的 PDF"

_WORD_97 = "旧版 Word 文档（.doc）"
# Compound files by what filetype recognises, then by extension (WPS's own formats carry no signature of theirs).
_OLE_KINDS = {"xls": "旧版 Excel 电子表格（.xls）", "ppt": "旧版 PowerPoint 演示文稿（.ppt）"}
_OLE_BY_EXTENSION = {".wps": "WPS 文字文档（.wps）", ".et": "WPS 表格（.et）", ".dps": "WPS 演示文稿（.dps）",
                     ".xls": _OLE_KINDS["xls"], ".ppt": _OLE_KINDS["ppt"]}
_DOCUMENTS = {"odt": "OpenDocument 文本（.odt）", "rtf": "RTF 文档（.rtf）"}
_NOT_REPORTS = {"ods": "OpenDocument 电子表格（.ods）", "odp": "OpenDocument 演示文稿（.odp）",
                "xlsx": "Excel 电子表格（.xlsx）", "pptx": "PowerPoint 演示文稿（.pptx）", "epub": "电子书（.epub）"}
_FAMILIES = {"audio": "音频文件", "video": "视频文件", "font": "字体文件"}
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CONTROL = bytes(set(range(32)) - set(b"\t\n\r\f\x1b"))
_ARCHIVES = {"zip", "rar", "7z", "gz", "bz2", "xz", "tar", "zst", "lz4", "lz", "lzo", "br", "cab", "Z", "ar"}
# A zip's members that say what it is (the OpenDocument ``mimetype`` member is read separately).
_ZIP_MARKERS = (("OFD.xml", "ofd"), ("xl/workbook.xml", "xlsx"), ("ppt/presentation.xml", "pptx"))
_OPENDOCUMENT = {"application/vnd.oasis.opendocument.text": "odt",
                 "application/vnd.oasis.opendocument.spreadsheet": "ods",
                 "application/vnd.oasis.opendocument.presentation": "odp"}
OFD = "这是 OFD 版式文件，gidraft 不能直接读取；请用 OFD 阅读器（如数科、福昕）导出为 PDF，或向起草单位索取 Word 原稿（.docx）"


class Convertible(SourceError):
    """A word-processing document in a format gidraft does not read itself (.doc, .wps, .odt, .rtf), which an
    office suite turns into .docx (:mod:`.office`).  The message is the refusal for when none is at hand."""

    def __init__(self, kind: str, suffix: str) -> None:
        self.this = f"这是{_spaced(kind)}"  # 这是 RTF 文档（.rtf）: how messages about the file begin
        super().__init__(f"{self.this}，gidraft 不能直接读取；{SAVE_AS_DOCX}")
        self.suffix = suffix


def refuse_unreadable_kind(path: str, data: bytes) -> None:
    """Raise SourceError, saying what the file is and what to do, for a kind gidraft does not read or a
    name that lies about its bytes; return quietly for anything a reader should try."""
    extension = os.path.splitext(path)[1].lower()
    if data.startswith(OLE):
        _refuse_compound(extension, data)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        kind = _zip_kind(data)
        if kind == "zip" and extension == ".docx":
            raise SourceError("扩展名是 .docx，但压缩包中没有 Word 文档正文（word/document.xml），文件已损坏或不是 Word 文档；"
                              + SAVE_AS_DOCX)
        if kind:
            _refuse_kind(kind)
        return
    if not data.startswith(b"%PDF"):
        _refuse_by_signature(data[:HEAD])  # what the bytes are comes first: an RTF or a picture named .docx or .pdf
    if extension == ".ofd":
        raise SourceError(OFD)
    if extension == ".docx":
        raise SourceError(f"扩展名是 .docx，但内容不是 Word 文档（不是 zip 格式）；{SAVE_AS_DOCX}")
    if extension == ".pdf" and not data[:1024].lstrip().startswith(b"%PDF"):
        raise SourceError("扩展名是 .pdf，但内容不是 PDF 文件（开头没有 %PDF）；请重新导出或下载 PDF")


def _refuse_compound(extension: str, data: bytes) -> None:
    import filetype

    guess = filetype.guess(data[:HEAD])
    kind = _OLE_KINDS.get(guess.extension) if guess else None
    kind = kind or _OLE_BY_EXTENSION.get(extension, _WORD_97)
    if kind in (_WORD_97, _OLE_BY_EXTENSION[".wps"]):
        raise Convertible(kind, ".doc")
    raise SourceError(f"这是{_spaced(kind)}，{NOT_A_REPORT}")


def _zip_kind(data: bytes) -> str | None:
    """What a zip archive holds when it is no Word document: ``ofd``, ``odt``, ``xlsx`` … or ``zip``; None for
    a Word document, and for an archive zipfile cannot open (the Word reader explains the damage)."""
    import zipfile  # only for a zip archive: a text report's check needs none of it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if not names or "word/document.xml" in names:
                return None
            for member, kind in _ZIP_MARKERS:
                if member in names:
                    return kind
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                return _OPENDOCUMENT.get(archive.read("mimetype").decode("ascii", "replace").strip(), "zip")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, NotImplementedError):
        return None
    return "zip"


def _refuse_by_signature(head: bytes) -> None:
    """Refuse what filetype recognises.  Text is never taken for a binary kind (a report opening with "BM" is
    no bitmap): a signature counts only in a head with bytes no text has, or when it is RTF's, which is text.
    (A text report so never loads filetype.)"""
    if head.startswith(_BOMS) or not (head.startswith(b"{\\rtf") or _binary(head)):
        return
    import filetype

    guess = filetype.guess(head)
    if guess is not None and guess.extension != "pdf":
        _refuse_kind(guess.extension, type(guess).__module__.rsplit(".", 1)[-1])


def _binary(head: bytes) -> bool:
    """Bytes no text encoding gidraft reads uses: NUL and the control characters other than tab, line ends,
    form feed and escape (UTF-16 text is binary here too, but holds no signature filetype knows)."""
    return any(byte in head for byte in _CONTROL)


def _refuse_kind(kind: str, family: str = "archive") -> None:
    """Refuse a recognised kind; ``family`` is filetype's group of it (image, audio, video, font, document,
    archive -- which holds rtf, epub and executables too -- or application)."""
    if kind == "ofd":
        raise SourceError(OFD)
    if kind in _DOCUMENTS:
        raise Convertible(_DOCUMENTS[kind], f".{kind}")
    if kind in _NOT_REPORTS:
        raise SourceError(f"这是{_spaced(_NOT_REPORTS[kind])}，{NOT_A_REPORT}")
    if family == "image":
        raise SourceError(f"这是图片（{kind.upper()}），{SCAN}")
    if family in _FAMILIES:
        raise SourceError(f"这是{_FAMILIES[family]}（{kind.upper()}），{NOT_A_REPORT}")
    if kind in _ARCHIVES:
        raise SourceError(f"这是压缩包（.{kind}），{UNPACK}")
    raise SourceError(f"这是程序或数据文件（.{kind}），{NOT_A_REPORT}")


def _spaced(kind: str) -> str:
    """A space between the Chinese of the sentence and a kind's Latin first letters (这是 WPS 文字文档)."""
    return f" {kind}" if kind[:1].isascii() else kind
