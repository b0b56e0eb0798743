"""Hostile and huge inputs: refused or read, but never a hang, a traceback or unbounded memory.

Every case runs the real ``gidraft check`` in its own process.  The timeout is a hang guard, not a
performance assertion; the memory bound is the process's own peak RSS (``VmHWM`` read by the process at
exit: the rusage of a child keeps the high-water mark of the large test process it was forked from).
(A symbolic-link loop in batch mode is covered by tests/test_batch.py.)
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pytest

from conftest import HUAIAN_PDF, SEED, TEMPLATE_DOCX

HANG_GUARD = 300  # seconds; a busy 2-core machine runs a cold check in ~10 s
PEAK_MB = 150  # the bound for one check
MB = 2**20
PEAK_REPORTER = """
import atexit, os, sys
def _report_peak():
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(os.environ["GIDRAFT_TEST_PEAK_FILE"], "w") as out:
        out.write(peak)
atexit.register(_report_peak)
sys.argv = ["gidraft", *sys.argv[1:]]
from gidraft.cli import main
main()
"""


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    peak_mb: float


def gidraft(*args, env: dict | None = None) -> Outcome:
    """Run ``gidraft`` with a hang guard; returns its output and its peak memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as scratch:
        peak_file = Path(scratch) / "peak"
        process = subprocess.Popen([sys.executable, "-c", PEAK_REPORTER, *map(str, args)], stdout=out, stderr=err,
                                   env={**os.environ, "PYTHONIOENCODING": "utf-8", "GIDRAFT_TEST_PEAK_FILE": str(peak_file),
                                        **(env or {})})
        guard = threading.Timer(HANG_GUARD, process.kill)
        guard.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            guard.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        peak_kb = int(peak_file.read_text()) if peak_file.exists() else usage.ru_maxrss
        outcome = Outcome(process.returncode, out.read().decode("utf-8"), err.read().decode("utf-8"), peak_kb / 1024)
    assert outcome.returncode != -9, f"gidraft {' '.join(map(str, args))} did not finish within {HANG_GUARD} s"
    assert "Traceback" not in outcome.stdout + outcome.stderr, outcome.stderr
    return outcome


def refused(outcome: Outcome, path: Path, words: str) -> None:
    """Exit 2 with one Chinese line that names the file and says what is wrong."""
    assert outcome.returncode == 2, (outcome.returncode, outcome.stderr)
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert str(path) in lines[0] and words in lines[0], lines[0]


# --------------------------------------------------------------------------------------------- docx

def _docx_with_document(path: Path, megabytes: int) -> None:
    """The blank template with word/document.xml replaced by ``megabytes`` MB of spaces (deflates ~1000:1)."""
    with zipfile.ZipFile(TEMPLATE_DOCX) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, source.read(info))
                continue
            with out.open("word/document.xml", "w", force_zip64=True) as member:
                member.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n')
                for _ in range(megabytes):
                    member.write(b" " * MB)


def _declare_size(path: Path, member: str, size: int) -> None:
    """Make the central directory claim ``size`` bytes for ``member`` (a bomb that lies about itself)."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + name_length]) == member.encode():
            struct.pack_into("<I", data, at + 24, size)
            break
        at = data.find(b"PK\x01\x02", at + 4)
    else:
        raise AssertionError(f"{member} not in {path}")
    path.write_bytes(bytes(data))


def test_docx_zip_bomb_is_refused(tmp_path):
    bomb = tmp_path / "bomb.docx"
    _docx_with_document(bomb, 300)
    assert bomb.stat().st_size < 2 * MB
    outcome = gidraft("check", bomb)
    refused(outcome, bomb, "压缩炸弹")
    assert outcome.peak_mb < PEAK_MB


def test_docx_bomb_that_lies_about_its_size_stays_small(tmp_path):
    liar = tmp_path / "liar.docx"
    _docx_with_document(liar, 300)
    _declare_size(liar, "word/document.xml", 10_000)
    outcome = gidraft("check", liar)
    refused(outcome, liar, "Word")
    assert outcome.peak_mb < PEAK_MB, f"peak {outcome.peak_mb:.0f} MB"


# ---------------------------------------------------------------------------------------------- pdf

def minimal_pdf(pages: int, text: str | None = None, xref: bool = True) -> bytes:
    """A valid PDF 1.4 with ``pages`` pages (empty, or one line of Helvetica ``text``), classic xref table."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    resources = ""
    if text:
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        resources = f"/Resources << /Font << /F1 {len(objects)} 0 R >> >>"
    kids = []
    for number in range(1, pages + 1):
        content = f"BT /F1 12 Tf 72 720 Td ({text} {number}) Tj ET" if text else ""
        objects.append(f"<< /Length {len(content)} >>\nstream\n{content}\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {len(objects)} 0 R {resources} >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {pages} >>"
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    start = len(out)
    entries = "".join(f"{(offset if xref else 7 * offset + 13) % 10**10:010} 00000 n \n" for offset in offsets)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n{entries}".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{start}\n%%EOF\n".encode()
    return bytes(out)


def test_pdf_with_thousands_of_pages_is_refused(tmp_path):
    path = tmp_path / "pages.pdf"
    path.write_bytes(minimal_pdf(5000))
    outcome = gidraft("check", path)
    refused(outcome, path, "PDF 共 5000 页")
    assert outcome.peak_mb < PEAK_MB


def test_pdf_whose_startxref_points_nowhere(tmp_path):
    data = HUAIAN_PDF.read_bytes()
    at = data.rindex(b"startxref")
    path = tmp_path / "startxref.pdf"
    path.write_bytes(data[:at] + b"startxref\n999999999\n%%EOF\n")
    outcome = gidraft("check", path)
    refused(outcome, path, "无法读取 PDF 文件")
    assert outcome.peak_mb < PEAK_MB


def test_pdf_with_a_garbled_xref_table(tmp_path):
    """Every xref offset wrong: refused as damaged (not as a scan), or read -- then with the intact file's findings."""
    good, broken = tmp_path / "good.pdf", tmp_path / "garbled.pdf"
    good.write_bytes(minimal_pdf(3, "Annual report"))
    broken.write_bytes(minimal_pdf(3, "Annual report", xref=False))
    expected = gidraft("check", good, "--format", "json")
    assert expected.returncode == 1  # read: a page of English is not a report (structure findings)
    outcome = gidraft("check", broken, "--format", "json")
    if outcome.returncode == 2:
        refused(outcome, broken, "PDF")
        assert "扫描件" not in outcome.stderr, outcome.stderr
    else:
        codes = lambda o: sorted(f["code"] for f in json.loads(o.stdout)["files"][0]["findings"])  # noqa: E731
        assert codes(outcome) == codes(expected)
    assert outcome.peak_mb < PEAK_MB


# --------------------------------------------------------------------------------------------- html

def _seed_html(depth: int) -> str:
    body = "\n".join(f"<p>{escape(line)}</p>" for line in SEED.read_text(encoding="utf-8").split("\n") if line.strip())
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{'<div>' * depth}\n{body}\n{'</div>' * depth}</body></html>"


def test_deeply_nested_html(tmp_path):
    deep = tmp_path / "deep.html"
    deep.write_text(_seed_html(100_000), encoding="utf-8")
    outcome = gidraft("check", deep, "--format", "json")
    assert outcome.peak_mb < PEAK_MB
    if outcome.returncode == 2:
        refused(outcome, deep, "HTML")
    else:
        assert json.loads(outcome.stdout)["files"][0]["agency"] == "淄博市工业和信息化局"


def test_moderately_nested_html_is_read(tmp_path):
    page = tmp_path / "nested.html"
    page.write_text(_seed_html(200), encoding="utf-8")
    outcome = gidraft("check", page, "--format", "json")
    document = json.loads(outcome.stdout)["files"][0]
    assert outcome.returncode == 1 and document["error"] is None
    assert document["agency"] == "淄博市工业和信息化局" and document["year"] == 2019


# --------------------------------------------------------------------------------------- huge text

def test_100_mb_text_file_is_refused_without_being_read(tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(100 * MB)  # sparse: 100 MB long, nothing on disk
    outcome = gidraft("check", huge)
    refused(outcome, huge, f"文件过大（{100 * MB} 字节，上限 {50 * MB} 字节")
    assert outcome.peak_mb < 100, f"peak {outcome.peak_mb:.0f} MB: the file was read"


def test_size_limit_comes_from_the_environment(tmp_path):
    report = tmp_path / "report.txt"
    report.write_bytes(SEED.read_bytes())
    size = report.stat().st_size
    below = gidraft("check", report, env={"GIDRAFT_MAX_BYTES": str(size - 1)})
    refused(below, report, f"文件过大（{size} 字节，上限 {size - 1} 字节")
    at = gidraft("check", report, "--exit-zero", env={"GIDRAFT_MAX_BYTES": str(size)})
    assert at.returncode == 0 and "各各" in at.stdout


# ------------------------------------------------------------------------------------ mixed coding

def test_file_half_utf8_half_gb18030(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    middle = text.index("三、")
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes(text[:middle].encode("utf-8") + text[middle:].encode("gb18030"))
    outcome = gidraft("check", mixed, "--format", "json")
    if outcome.returncode == 2:
        refused(outcome, mixed, "编码")
    else:  # read: then the UTF-8 half must have been decoded correctly
        document = json.loads(outcome.stdout)["files"][0]
        assert document["agency"] == "淄博市工业和信息化局", document
    assert outcome.peak_mb < PEAK_MB


# ------------------------------------------------------------- issue 17: under resource limits
#
# Each reproduction runs in a child limited to 1 GB of address space and 60 s of CPU, so a regression
# fails fast (MemoryError or SIGXCPU) instead of exhausting the machine; its peak RSS must stay under
# 300 MB and it must end in a clear message and exit 2 (or a normal result).

LIMITED_PEAK_MB = 300
LIMITER = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
resource.setrlimit(resource.RLIMIT_CPU, (60, 60))
exec(compile(sys.argv.pop(1), "<peak>", "exec"))
"""


def limited(*args, env: dict | None = None) -> Outcome:
    outcome = _limited(args, env)
    assert outcome.peak_mb < LIMITED_PEAK_MB, f"peak {outcome.peak_mb:.0f} MB"
    return outcome


def _limited(args, env) -> Outcome:
    with tempfile.TemporaryDirectory() as scratch:
        peak_file = Path(scratch) / "peak"
        result = subprocess.run([sys.executable, "-c", LIMITER, PEAK_REPORTER, *map(str, args)], capture_output=True,
                                timeout=HANG_GUARD, env={**os.environ, "PYTHONIOENCODING": "utf-8",
                                                         "GIDRAFT_TEST_PEAK_FILE": str(peak_file), **(env or {})})
        peak = int(peak_file.read_text()) / 1024 if peak_file.exists() else float("inf")
    outcome = Outcome(result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8"), peak)
    assert "Traceback" not in outcome.stdout + outcome.stderr, outcome.stderr
    assert outcome.returncode in (0, 1, 2), (outcome.returncode, outcome.stderr)  # not killed by a limit
    return outcome


def test_html_spans_over_billions_of_cells_are_refused(tmp_path):
    page = tmp_path / "spans.html"
    rows = "".join("<tr><td colspan=1000 rowspan=100000>1</td><td>2</td></tr>" for _ in range(2000))
    page.write_text(f"<html><body><table>{rows}</table></body></html>", encoding="utf-8")
    assert page.stat().st_size < 150_000
    refused(limited("check", page), page, "表格的单元格")


def test_html_spans_are_clamped_and_a_real_table_with_spans_is_read(tmp_path):
    page = tmp_path / "t.html"
    page.write_text("<html><body><p>正文</p><table><tr><td rowspan=99999>项目</td><td colspan=3>数量</td></tr>"
                    "<tr><td>1</td><td>2</td><td>3</td></tr></table></body></html>", encoding="utf-8")
    outcome = limited("extract", page)
    assert outcome.returncode == 0, outcome.stderr


def _docx_with_span(path: Path, element: str) -> None:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "项目"
    if element == "gridSpan":
        holder = table.cell(0, 0)._tc.get_or_add_tcPr()
    else:
        holder = table.rows[0]._tr.get_or_add_trPr()
    span = OxmlElement(f"w:{element}")
    span.set(qn("w:val"), "2000000000")
    holder.append(span)
    document.save(path)


@pytest.mark.parametrize("element", ["gridSpan", "gridBefore"])
def test_word_span_of_two_billion_is_clamped(tmp_path, element):
    path = tmp_path / f"{element}.docx"
    _docx_with_span(path, element)
    assert path.stat().st_size < 40_000
    outcome = limited("check", path)
    assert outcome.returncode in (1, 2)
    if outcome.returncode == 2:
        refused(outcome, path, "表格")


def _flate_pdf(content: bytes) -> bytes:
    import zlib

    data = zlib.compress(content, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    return bytes(out)


def test_pdf_content_stream_of_hundreds_of_megabytes_is_refused(tmp_path):
    path = tmp_path / "stream.pdf"
    path.write_bytes(_flate_pdf(b"BT /F1 12 Tf 72 720 Td (a) Tj ET\n" + b" " * (400 * MB)))
    assert path.stat().st_size < 2 * MB
    refused(limited("check", path), path, "内容流")


def test_pdf_with_hundreds_of_thousands_of_text_operators_is_refused(tmp_path):
    path = tmp_path / "operators.pdf"
    path.write_bytes(_flate_pdf(b"BT /F1 12 Tf 72 720 Td " + b"(a) Tj " * 300_000 + b"ET"))
    assert path.stat().st_size < 100_000
    refused(limited("check", path), path, "文字绘制指令")


def test_truncated_pdf_names_the_problem(tmp_path):
    path = tmp_path / "cut.pdf"
    path.write_bytes(HUAIAN_PDF.read_bytes()[:5000])
    outcome = limited("check", path)
    refused(outcome, path, "截断")
    assert "PSEOF" not in outcome.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "fifo"])
def test_devices_and_fifos_are_refused_up_front(tmp_path, device):
    if device == "fifo":
        device = tmp_path / "report.txt"
        os.mkfifo(device)
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    refused(limited("check", device), device, "不是普通文件")


def test_non_integer_size_limit_is_a_clear_error(tmp_path):
    report = tmp_path / "r.txt"
    report.write_bytes(SEED.read_bytes())
    for value in ("abc", "1.5", "-3"):
        refused(limited("check", report, env={"GIDRAFT_MAX_BYTES": value}), report, "GIDRAFT_MAX_BYTES")


def test_yaml_alias_bomb_in_draft_data(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]")
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert bomb.stat().st_size < 600
    refused(limited("draft", bomb, "-o", tmp_path / "out.md"), bomb, "别名")
    assert not (tmp_path / "out.md").exists()


def test_empty_zip_named_docx(tmp_path):
    path = tmp_path / "empty.docx"
    zipfile.ZipFile(path, "w").close()
    refused(limited("check", path), path, "空的压缩包")


def test_file_name_cannot_inject_workflow_commands(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    name = folder / "a\n::error file=x.txt,line=1::pwned\n.txt"
    name.write_bytes(SEED.read_bytes())
    for fmt in ("text", "github"):
        outcome = limited("check", folder, "--format", fmt)
        assert outcome.returncode == 1, outcome.stderr
        lines = (outcome.stdout + outcome.stderr).splitlines()
        assert not any(line.lstrip().startswith("::error file=x.txt") for line in lines), lines[:5]
        assert "pwned" in outcome.stdout


def test_pdf_library_runs_on_a_cpu_budget():
    """The CPU-time budget around pdfminer is enforced (here shrunk so a real report exceeds it)."""
    # in a fresh process: the budget is a signal timer, armed on the main thread (a test runner's worker may
    # run tests elsewhere, and other tests of the same process may have handled SIGPROF)
    script = (
        "import sys\n"
        "from gidraft.sources import SourceError, pdf\n"
        "pdf.CPU_SECONDS = float(sys.argv[2])\n"
        "try:\n"
        "    print(len(pdf.read_pdf(sys.argv[1], open(sys.argv[1], 'rb').read()).text))\n"
        "except SourceError as exc:\n"
        "    print(exc)\n"
    )
    run = lambda seconds: subprocess.run([sys.executable, "-c", script, str(HUAIAN_PDF), str(seconds)],  # noqa: E731
                                         capture_output=True, text=True, timeout=300)
    stopped = run(0.001)
    assert stopped.returncode == 0 and "CPU 时间" in stopped.stdout, stopped.stdout + stopped.stderr
    done = run(600.0)
    assert done.returncode == 0 and int(done.stdout) > 1000, done.stdout + done.stderr
