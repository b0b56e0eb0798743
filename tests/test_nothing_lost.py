"""Nothing lost: reading commands never touch their inputs, ``fix --write`` is atomic, output is deterministic."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from conftest import HUAIAN_PDF, HUAIAN_TXT, PINGTAN_2021, SEED, TEMPLATE_DOCX, run_cli


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folder``: content hash and modification time."""
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _html(text: str) -> str:
    from html import escape

    body = "\n".join(f"<p>{escape(line)}</p>" for line in text.split("\n") if line.strip())
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>\n{body}\n</body></html>\n"


@pytest.fixture
def inputs(tmp_path) -> Path:
    """The sample reports in every input kind, read-only to gidraft."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    seed = SEED.read_text(encoding="utf-8")
    shutil.copy(SEED, folder / "seed.txt")
    (folder / "seed-gb18030.txt").write_bytes(seed.replace("\n", "\r\n").encode("gb18030"))
    (folder / "seed.md").write_text(seed, encoding="utf-8")
    (folder / "seed.html").write_text(_html(seed), encoding="utf-8")
    shutil.copy(TEMPLATE_DOCX, folder / "template.docx")
    shutil.copy(HUAIAN_PDF, folder / "huaian.pdf")
    return folder


def _has_command(name: str) -> bool:
    return run_cli(name, "--help").returncode == 0


def test_check_leaves_every_input_untouched(inputs, tmp_path):
    before = snapshot(inputs)
    result = run_cli("check", inputs, "--format", "json", "--jobs", "2", "--output", tmp_path / "out.json")
    assert result.returncode == 1, result.stderr
    assert (tmp_path / "out.json").read_text(encoding="utf-8").count('"path"') == len(before)
    assert snapshot(inputs) == before


def test_extract_leaves_every_input_untouched(inputs, tmp_path):
    before = snapshot(inputs)
    for name in ("seed-gb18030.txt", "seed.html", "template.docx", "huaian.pdf"):
        result = run_cli("extract", inputs / name, "--format", "yaml", "--output", tmp_path / f"{name}.yaml")
        assert result.returncode == 0, result.stderr
    assert "淄博市工业和信息化局" in (tmp_path / "seed.html.yaml").read_text(encoding="utf-8")
    assert snapshot(inputs) == before


def test_draft_leaves_its_data_untouched(tmp_path):
    if not _has_command("draft"):
        pytest.skip("gidraft draft does not exist yet")
    data = tmp_path / "data"
    data.mkdir()
    assert run_cli("extract", SEED, "--format", "yaml", "--output", data / "seed.yaml").returncode == 0
    before = snapshot(data)
    result = run_cli("draft", data / "seed.yaml", "--output", tmp_path / "draft.md", "--allow-incomplete")
    assert result.returncode == 0, result.stderr
    assert "淄博市工业和信息化局" in (tmp_path / "draft.md").read_text(encoding="utf-8")
    assert snapshot(data) == before


def test_fix_without_write_leaves_inputs_untouched(inputs):
    if not _has_command("fix"):
        pytest.skip("gidraft fix does not exist yet (src/gidraft/commands/fix.py)")
    before = snapshot(inputs)
    for name in ("seed.txt", "seed-gb18030.txt", "seed.md", "template.docx"):
        result = run_cli("fix", inputs / name, "--unsafe")
        assert result.returncode in (0, 1), result.stderr  # 1: something would change
        if name != "template.docx":
            assert "-落实。对照局信息公开指南、主动公开目录，进一步明确各各科室公" in result.stdout
    assert snapshot(inputs) == before


# ------------------------------------------------------------------------------------- fix --write

@pytest.fixture
def planned(tmp_path):
    """A copy of the seed (CRLF, GB18030) and the edits its fixes make, unsafe ones included."""
    fix = pytest.importorskip("gidraft.fix")
    from gidraft.check import check_path
    from gidraft.rules.loader import load_rules

    path = tmp_path / "report.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").replace("\n", "\r\n").encode("gb18030"))
    result = check_path(str(path), load_rules())
    plan = fix.plan_fixes(result.source, result.findings, unsafe=True)
    assert any(edit.finding.code == "L101" for edit in plan.edits)
    return fix, path, result.source, plan.edits


def test_fix_write_changes_only_the_fixed_places(planned):
    fix, path, source, edits = planned
    original = path.read_bytes()
    backup = fix.write_text(path, source, edits)
    assert backup.read_bytes() == original
    fixed = path.read_bytes().decode("gb18030")
    assert "各各" not in fixed and "明确各科室" in fixed
    assert fixed.count("\r\n") == original.decode("gb18030").count("\r\n")


class _DiskFull:
    """A file that takes half of what is written to it, then fails as a full disk does."""

    def __init__(self, handle) -> None:
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.handle.close()

    def __getattr__(self, name):  # flush, fileno, close, closed: those of the real file
        return getattr(self.handle, name)

    def write(self, data: bytes) -> None:
        self.handle.write(data[:len(data) // 2])
        raise OSError(28, "No space left on device")

    def flush(self) -> None:
        self.handle.flush()

    def fileno(self) -> int:
        return self.handle.fileno()


@pytest.mark.parametrize("failing", ["writing the backup", "writing the new file", "moving the new file into place"])
def test_fix_write_is_atomic(planned, monkeypatch, failing):
    """A failure while the new file is written or moved into place leaves the original as it was, and no debris."""
    fix, path, source, edits = planned
    original = path.read_bytes()
    real_mkstemp, real_fdopen, real_replace = tempfile.mkstemp, os.fdopen, os.replace
    temporary: dict[int, str] = {}

    def mkstemp(*args, **kwargs):
        handle, name = real_mkstemp(*args, **kwargs)
        temporary[handle] = os.path.basename(name)
        return handle, name

    def fdopen(handle, *args, **kwargs):
        name = temporary.get(handle, "")
        is_backup = name.startswith(f".{path.name}.bak.")
        if name and (is_backup if failing == "writing the backup" else not is_backup):
            return _DiskFull(real_fdopen(handle, *args, **kwargs))
        return real_fdopen(handle, *args, **kwargs)

    def replace(src, dst, *args, **kwargs):
        if Path(dst) == path:
            raise OSError(18, "Invalid cross-device link")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    if failing == "moving the new file into place":
        monkeypatch.setattr(os, "replace", replace)
    else:
        monkeypatch.setattr(os, "fdopen", fdopen)
    from gidraft.outputs import OutputError

    with pytest.raises(OutputError, match="无法写入"):
        fix.write_text(path, source, edits)
    assert path.read_bytes() == original
    leftovers = sorted(p.name for p in path.parent.iterdir())
    assert leftovers in (["report.txt"], ["report.txt", "report.txt.bak"]), leftovers
    if len(leftovers) == 2:
        assert (path.parent / "report.txt.bak").read_bytes() == original


# ------------------------------------------------------------------------------- outputs: -o, --force

def _one_line_refusal(result, *words: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and all(w in lines[0] for w in words), lines
    return lines[0]


@pytest.mark.parametrize("command", ["check", "extract", "baseline"])
def test_output_equal_to_the_input_is_refused_even_with_force(tmp_path, command):
    report = tmp_path / "r.txt"
    shutil.copy(SEED, report)
    before = report.read_bytes()
    for extra in ([], ["--force"]):
        _one_line_refusal(run_cli(command, report, "-o", report, *extra), "输入文件")
        link = tmp_path / "same.json"
        link.unlink(missing_ok=True)
        os.link(report, link)  # another name of the same file
        _one_line_refusal(run_cli(command, report, "-o", link, *extra), "输入文件")
    assert report.read_bytes() == before


@pytest.mark.parametrize("command", ["check", "extract", "baseline"])
def test_existing_output_needs_force(tmp_path, command):
    out = tmp_path / "out.json"
    out.write_text("earlier work", encoding="utf-8")
    _one_line_refusal(run_cli(command, SEED, "-o", out), str(out), "--force")
    assert out.read_text(encoding="utf-8") == "earlier work"
    result = run_cli(command, SEED, "-o", out, "--force")
    assert result.returncode in (0, 1), result.stderr
    assert out.read_text(encoding="utf-8") != "earlier work"


def test_new_output_has_normal_permissions(tmp_path):
    out = tmp_path / "out.json"
    old = os.umask(0o022)
    try:
        assert run_cli("extract", SEED, "-o", out).returncode == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644


def test_draft_output_equal_to_its_data_or_existing_is_refused(tmp_path):
    data = tmp_path / "d.yaml"
    assert run_cli("extract", SEED, "--format", "yaml", "-o", data).returncode == 0
    before = data.read_bytes()
    _one_line_refusal(run_cli("draft", data, "-o", data, "--allow-incomplete", "--force"), "输入文件")
    word = tmp_path / "real.docx"
    shutil.copy(TEMPLATE_DOCX, word)
    _one_line_refusal(run_cli("draft", data, "-o", word, "--allow-incomplete"), str(word), "--force")
    assert word.read_bytes() == TEMPLATE_DOCX.read_bytes()
    assert run_cli("draft", data, "-o", word, "--allow-incomplete", "--force").returncode == 0
    assert word.read_bytes() != TEMPLATE_DOCX.read_bytes()
    assert data.read_bytes() == before


def test_init_output_equal_to_its_source_is_refused(tmp_path):
    report = tmp_path / "last.txt"
    shutil.copy(SEED, report)
    _one_line_refusal(run_cli("init", "--from", report, "-o", report, "--force"), "输入文件")
    assert report.read_bytes() == SEED.read_bytes()


def test_full_disk_keeps_the_previous_output(tmp_path, monkeypatch):
    """A write that fails midway leaves the earlier output whole and no temporary file."""
    from gidraft import outputs

    out = tmp_path / "out.json"
    out.write_text("earlier", encoding="utf-8")
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda handle, *a, **k: _DiskFull(real_fdopen(handle, *a, **k)))
    with pytest.raises(outputs.OutputError, match="无法写入"):
        outputs.write(out, "x" * 10000, force=True)
    assert out.read_text(encoding="utf-8") == "earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_fix_write_keeps_mode_and_group_and_backup_mode(tmp_path):
    report = tmp_path / "report.txt"
    shutil.copy(SEED, report)
    os.chmod(report, 0o640)
    group = report.stat().st_gid
    result = run_cli("fix", report, "--write", "--unsafe")
    assert result.returncode == 0, result.stderr
    assert report.read_bytes() != SEED.read_bytes()
    assert report.stat().st_mode & 0o777 == 0o640 and report.stat().st_gid == group
    backup = tmp_path / "report.txt.bak"
    assert backup.read_bytes() == SEED.read_bytes() and backup.stat().st_mode & 0o777 == 0o640


def test_fix_write_refuses_a_read_only_file(tmp_path):
    report = tmp_path / "report.txt"
    shutil.copy(SEED, report)
    os.chmod(report, 0o444)
    _one_line_refusal(run_cli("fix", report, "--write", "--unsafe"), "只读")
    assert report.read_bytes() == SEED.read_bytes() and not (tmp_path / "report.txt.bak").exists()


def test_fix_write_docx_does_not_replace_an_existing_fixed_copy(tmp_path):
    import docx

    document = docx.Document()
    for line in SEED.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    word = tmp_path / "r.docx"
    document.save(word)
    fixed = tmp_path / "r.修正.docx"
    fixed.write_bytes(b"earlier work")
    result = run_cli("fix", word, "--write", "--unsafe")
    assert "已存在" in result.stderr and "--force" in result.stderr and result.returncode == 2, result.stderr
    assert fixed.read_bytes() == b"earlier work"


def test_fix_write_does_not_follow_a_link_out_of_its_folder(tmp_path):
    outside = tmp_path / "outside.txt"
    shutil.copy(SEED, outside)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "r.txt").symlink_to(outside)
    _one_line_refusal(run_cli("fix", tree / "r.txt", "--write", "--unsafe"), "链接")
    assert outside.read_bytes() == SEED.read_bytes()


# ------------------------------------------------------------------------------------ determinism

def test_json_is_byte_identical_across_runs_hash_seeds_and_jobs(tmp_path, monkeypatch):
    (tmp_path / "seed.html").write_text(_html(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    files = [SEED, HUAIAN_TXT, PINGTAN_2021, tmp_path / "seed.html"]
    outputs = set()
    for seed, jobs in (("0", "1"), ("1", "2"), ("12345", "2")):
        monkeypatch.setenv("PYTHONHASHSEED", seed)
        result = run_cli("check", *files, "--format", "json", "--jobs", jobs)
        assert result.returncode == 1, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1
    assert outputs.pop().count('"fingerprint"') > 4


def test_extract_is_byte_identical_across_hash_seeds(monkeypatch):
    outputs = set()
    for seed in ("0", "1", "4242"):
        monkeypatch.setenv("PYTHONHASHSEED", seed)
        result = run_cli("extract", SEED)
        assert result.returncode == 0, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1
