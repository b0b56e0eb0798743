"""Word-processing files gidraft does not read itself -- Word 97-2003 (.doc), WPS (.wps), OpenDocument (.odt),
RTF -- read through LibreOffice when it is installed: converted headless into a .docx in a temporary folder,
which the Word reader reads.  Findings name the places of that Word text (第N段, 表N第N行第N列), which are the
original's paragraphs and cells.  Without LibreOffice the file is refused with how to convert it by hand.

``GIDRAFT_SOFFICE`` names the program (else ``soffice`` or ``libreoffice`` on the PATH, or the usual install
folders); ``GIDRAFT_SOFFICE=off`` never converts.  Each process keeps one LibreOffice profile folder, made on the
first conversion and removed at exit, so that parallel batch workers never share one (LibreOffice hands a request
to another instance running on the same profile).
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from functools import lru_cache

from .kinds import SAVE_AS_DOCX, Convertible
from .model import Source, SourceError

TIMEOUT = 180  # seconds one conversion may take; LibreOffice's first start on a machine takes a few
INSTALLED = ("/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
             "/Applications/LibreOffice.app/Contents/MacOS/soffice",
             r"C:\Program Files\LibreOffice\program\soffice.exe")
WITHOUT = "（安装 LibreOffice 后，gidraft 会自动转换这类文件）"


def office() -> str | None:
    """The LibreOffice program to convert with, or None."""
    named = os.environ.get("GIDRAFT_SOFFICE", "").strip()
    if named.lower() in ("off", "0", "no", "none"):
        return None
    if named:
        return named
    return shutil.which("soffice") or shutil.which("libreoffice") or next((p for p in INSTALLED if os.path.isfile(p)), None)


@lru_cache(maxsize=1)
def _profile() -> str:
    folder = tempfile.mkdtemp(prefix="gidraft-office-")
    atexit.register(shutil.rmtree, folder, True)
    return folder


def read_converted(path: str, data: bytes, refused: Convertible) -> Source:
    """The report in ``data`` (the bytes of ``path``) read as the .docx LibreOffice makes of it."""
    from .docx import read_docx

    program = office()
    if program is None:
        raise SourceError(f"{refused}{WITHOUT}")
    source = read_docx(path, _to_docx(program, data, refused))
    source.kind = refused.suffix.lstrip(".")
    return source


def _to_docx(program: str, data: bytes, refused: Convertible) -> bytes:
    failed = f"{refused.this}，用 LibreOffice 转换为 Word 文档失败"
    with tempfile.TemporaryDirectory(prefix="gidraft-convert-") as folder:
        source = os.path.join(folder, "report" + refused.suffix)
        with open(source, "wb") as handle:
            handle.write(data)
        command = [program, f"-env:UserInstallation=file://{_profile()}", "--headless", "--norestore",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", os.path.join(folder, "out"), source]
        try:
            subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired as exc:
            raise SourceError(f"{failed}（超过 {TIMEOUT} 秒）；请手工“另存为” .docx 或导出为 PDF") from exc
        except OSError as exc:
            raise SourceError(f"{failed}（无法运行 {program}：{exc.strerror or exc}）{WITHOUT}") from exc
        converted = os.path.join(folder, "out", "report.docx")
        if not os.path.isfile(converted):
            raise SourceError(f"{failed}（文件可能已损坏）；{SAVE_AS_DOCX}")
        with open(converted, "rb") as handle:
            return handle.read()
