"""Import budget of ``gidraft check`` on a .txt report: heavy libraries load only when a file or rule needs them.

Each case runs the real command in a fresh interpreter and lists the modules loaded once it is done.
This guards start-up time without timing anything.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from conftest import SEED

NEVER_FOR_TXT = ("pdfplumber", "pdfminer", "pypdfium2", "docx", "lxml", "jinja2", "language_tool_python", "filetype")
# standard modules the seed's check needs none of: decimal only checks a percentage stated with its total (L405)
NOT_FOR_SEED = ("decimal",)
CJK = "\u3400-\u4dbf\u4e00-\u9fff"

PROBE = """
import io, json, sys
sys.argv = ["gidraft", "check", "--no-cache", *sys.argv[1:]]  # what a check loads, not what a cached result does
out, sys.stdout = sys.stdout, io.StringIO()
from gidraft.cli import main
try:
    main()
    code = 0
except SystemExit as exc:
    code = exc.code
report, sys.stdout = sys.stdout.getvalue(), out
jieba = sys.modules.get("jieba")
print(json.dumps({"code": code, "report": report, "modules": sorted({m.split(".")[0] for m in sys.modules if sys.modules[m]}),
                  "jieba_whole_dictionary": bool(jieba and jieba.dt.initialized)}))
"""


def loaded_by_check(*args: str) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE, *map(str, args)], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def without_doubles(text: str) -> str:
    """The text with every doubled character and every repeated short phrase written once."""
    doubled = re.compile(rf"([{CJK}]{{1,4}})(\s*)\1")
    while doubled.search(text):
        text = doubled.sub(r"\1\2", text)
    return text


def test_seed_check_loads_nothing_heavy():
    probe = loaded_by_check(SEED, "--format", "json")
    assert probe["code"] == 1
    findings = json.loads(probe["report"])["files"][0]["findings"]
    assert any(f["code"] == "L101" and "各各" in f["message"] for f in findings)
    loaded = set(probe["modules"])
    assert not loaded & set(NEVER_FOR_TXT), sorted(loaded & set(NEVER_FOR_TXT))
    assert not loaded & set(NOT_FOR_SEED), sorted(loaded & set(NOT_FOR_SEED))


def test_a_percentage_with_its_total_loads_decimal(tmp_path):
    """L405 computes the percentage exactly (Decimal): loaded when a sentence states one with its total."""
    report = tmp_path / "report.txt"
    report.write_text(SEED.read_text(encoding="utf-8").replace("无。", "全年共受理申请805件，其中予以公开35件，占4.34%。", 1),
                      encoding="utf-8")
    probe = loaded_by_check(report, "--format", "json")
    findings = json.loads(probe["report"])["files"][0]["findings"]
    assert any(f["code"] == "L405" for f in findings), findings
    assert "decimal" in set(probe["modules"])


def test_jieba_is_loaded_when_a_doubled_character_needs_segmenting(tmp_path):
    """的的 can be a typo (的|的) or a word boundary: only jieba can tell, so the check loads it."""
    report = tmp_path / "report.txt"
    report.write_text(SEED.read_text(encoding="utf-8").replace("密切配合的工作机制", "密切配合的的工作机制", 1), encoding="utf-8")
    assert "配合的的工作" in report.read_text(encoding="utf-8")
    probe = loaded_by_check(report, "--format", "json")
    findings = json.loads(probe["report"])["files"][0]["findings"]
    assert any(f["code"] == "L101" and "的的" in f["message"] for f in findings), findings
    loaded = set(probe["modules"])
    assert "jieba" in loaded
    assert not loaded & set(NEVER_FOR_TXT), sorted(loaded & set(NEVER_FOR_TXT))
    assert not probe["jieba_whole_dictionary"]  # only the entries of the clause, from gidraft's prefix index
    assert "pkg_resources" not in loaded


def test_text_without_doubled_characters_does_not_load_jieba(tmp_path):
    """The typo rules (L103–L105) read jieba's dictionary from gidraft's index, never jieba itself, once
    the index exists (built here first, as the first check on a machine does)."""
    from gidraft.segmenter import lexicon
    assert lexicon() is not None
    text = without_doubles(SEED.read_text(encoding="utf-8"))
    assert "各各" not in text and "各科室" in text
    report = tmp_path / "report.txt"
    report.write_text(text, encoding="utf-8")
    probe = loaded_by_check(report, "--format", "json")
    document = json.loads(probe["report"])
    assert document["files"][0]["agency"] == "淄博市工业和信息化局"
    assert not [f for f in document["files"][0]["findings"] if f["code"].startswith("L1")]
    loaded = set(probe["modules"])
    assert "jieba" not in loaded
    assert not loaded & set(NEVER_FOR_TXT), sorted(loaded & set(NEVER_FOR_TXT))
