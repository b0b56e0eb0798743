"""Shared test helpers: the real sample reports (copied into tests/fixtures from the project's shared corpus;
public government documents) and a way to run the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The samples live inside the project so that the tests pass in a clone with nothing beside it.
SHARED = Path(os.environ.get("GIDRAFT_SHARED", ROOT / "tests" / "fixtures"))
SEED = SHARED / "seed" / "000_f277899e5bf77171.txt"
CORPUS = SHARED / "corpus"
HUAIAN_PDF = CORPUS / "huaian-szf-2024.pdf"
HUAIAN_TXT = CORPUS / "huaian-szf-2024.pdftotext.txt"
PINGTAN_2021 = CORPUS / "pingtan-2021.web.txt"
PINGTAN_2024 = CORPUS / "pingtan-2024.web.txt"
TEMPLATE_DOCX = CORPUS / "template-2021-format.docx"
EXAMPLE = ROOT / "examples" / "zibo-2019.txt"

# gidraft's cache (compiled patterns, parsed rule files, jieba's prefix index) for the whole run, beside
# pytest's own: every test process shares it, and the user's ~/.cache is left alone.
os.environ.setdefault("GIDRAFT_CACHE_DIR", str(ROOT / ".pytest_cache" / "gidraft"))


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m gidraft`` as a user would; returns the completed process (text mode)."""
    return subprocess.run(
        [sys.executable, "-m", "gidraft", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=input,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def mutated(tmp_path: Path, path: Path, *changes: tuple[str, str]) -> Path:
    """A copy of a sample under tmp_path with each (old, new) replaced once; every old must be there."""
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    target = tmp_path / path.name
    target.write_text(text, encoding="utf-8")
    return target


def assert_refused(result: subprocess.CompletedProcess, path, words: str) -> None:
    """Exit 2, no traceback, and one stderr line naming the file and the problem."""
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and words in lines[0], lines


def benchmark_module(name: str, script: str):
    """A script of benchmarks/ imported as a module (registered, so its dataclasses find their module)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / script)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def pytest_report_header(config):
    return f"gidraft samples: {SHARED} ({'present' if SEED.exists() else 'MISSING'})"


def pytest_sessionstart(session):
    if not SEED.exists():
        raise pytest.UsageError(f"gidraft test samples missing: {SEED} (set GIDRAFT_SHARED or restore tests/fixtures)")
