"""Word lists (kind: words): the shipped confusables and a unit's own list added with --rules."""

from __future__ import annotations

import json

from conftest import SEED, run_cli
from gidraft.rules.loader import load_rules

OWN_LIST = """\
rule:
  code: L290
  name: unit-words
  kind: words
  severity: warning
  tier: 本单位
  summary: 本单位统一用语
  doc: 本单位规定的简称和用语。
entries:
  - wrong: 市工信局
    right: 市工业和信息化局
    reason: 正式报告用全称
    fire: ["市工信局深入学习贯彻《条例》。"]
    silent: ["市工业和信息化局深入学习贯彻《条例》。"]
"""


def test_the_shipped_list_is_large_and_every_entry_has_examples():
    confusables = next(r for r in load_rules() if r.code == "L201")
    assert len(confusables.examples["fire"]) >= 150 and confusables.examples["silent"]
    assert confusables.fixable == "unsafe"


def test_a_units_own_list_is_added_with_rules(tmp_path):
    (tmp_path / "own.yaml").write_text(OWN_LIST, encoding="utf-8")
    result = run_cli("check", SEED, "--rules", tmp_path, "--select", "L290", "--format", "json")
    assert result.returncode == 0, result.stderr  # warnings only
    found = json.loads(result.stdout)["files"][0]["findings"]
    raw = SEED.read_text(encoding="utf-8")
    assert len(found) == raw.replace("\n", "").replace(" ", "").count("市工信局") == 9
    assert {f["fix"] for f in found} == {"市工业和信息化局"}


def test_a_list_whose_example_does_not_match_is_refused_with_its_place(tmp_path):
    (tmp_path / "own.yaml").write_text(OWN_LIST.replace('fire: ["市工信局', 'fire: ["市经信局'), encoding="utf-8")
    result = run_cli("check", SEED, "--rules", tmp_path)
    assert result.returncode == 2
    assert "own.yaml:10" in result.stderr and "应当命中却没有命中" in result.stderr
