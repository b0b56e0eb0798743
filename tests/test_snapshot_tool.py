"""benchmarks/snapshot.py: the same findings give byte-identical snapshots, and --compare names what differs."""

from __future__ import annotations

import json

import pytest
from conftest import SEED, benchmark_module

pytest.importorskip("pypinyin")


snapshot = benchmark_module("snapshot_tool", "snapshot.py")


def _snapshot_of(path) -> dict:
    gidraft = snapshot.quality.Gidraft()
    record = snapshot.result_record(gidraft.check(path), path.name, data=True)
    return {"seed": 1, "quick": True, "mutants": 0, "files": {path.name: record}}


def test_same_findings_same_bytes_and_every_detail_kept():
    first, second = _snapshot_of(SEED), _snapshot_of(SEED)
    assert snapshot.canonical(first) == snapshot.canonical(second)
    record = first["files"][SEED.name]
    assert record["path"] == SEED.name and record["data"]["meta"]["year"]
    doubled = next(f for f in record["findings"] if f["code"] == "L101")
    raw = SEED.read_text(encoding="utf-8")
    assert raw[doubled["raw"][0]:doubled["raw"][1]] == "各各"
    assert {"start", "end", "fix_safe", "related", "evidence", "fingerprint"} <= set(doubled)


def test_compare_names_the_file_and_the_finding_that_differ(tmp_path, capsys):
    before = _snapshot_of(SEED)
    after = json.loads(snapshot.canonical(before))
    after["files"][SEED.name]["findings"][0]["message"] = "另一条消息"
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(snapshot.canonical(before), encoding="utf-8")
    b.write_text(snapshot.canonical(after), encoding="utf-8")
    assert snapshot.compare(a, a) == 0
    assert snapshot.compare(a, b) == 1
    out = capsys.readouterr().out
    assert f"== {SEED.name}" in out and "+ " in out and "另一条消息" in out and "1 of 1 files differ" in out
