"""Baselines hide reviewed findings; fingerprints survive unrelated edits."""

from __future__ import annotations

import json

from conftest import SEED, run_cli

MUTATIONS = {"（一）予以公开 2 0 0 0 0 0 2": "（一）予以公开 2 0 0 0 0 0 3", "政府集中采购 10": "政府集中采购 /"}


def _copy(tmp_path, text, name="r.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _findings(path, *extra):
    document = json.loads(run_cli("check", path, "--format", "json", *extra).stdout)
    return document["files"][0]["findings"], document["summary"]


def _mutated():
    text = SEED.read_text(encoding="utf-8")
    for old, new in MUTATIONS.items():
        text = text.replace(old, new)
    return text


def test_fingerprints_survive_inserting_and_deleting_paragraphs(tmp_path):
    text = _mutated()
    before, _ = _findings(_copy(tmp_path, text, "a.txt"))
    inserted = text.replace("一、总体情况\n", "一、总体情况\n\n本段为新插入的说明文字，与其他问题无关。\n", 1)
    deleted = text.replace("充分发挥局门户网站作用，由专人负责网站日常维护管", "", 1)
    for variant in (inserted, deleted):
        after, _ = _findings(_copy(tmp_path, variant, "b.txt"))
        assert {f["fingerprint"] for f in after} == {f["fingerprint"] for f in before}
        assert {f["line"] for f in after} != {f["line"] for f in before} or variant is deleted


def test_baseline_command_and_check_baseline(tmp_path):
    report = _copy(tmp_path, _mutated())
    baseline = tmp_path / "reviewed.json"
    made = run_cli("baseline", report, "-o", baseline)
    assert made.returncode == 0, made.stderr
    decisions = json.loads(baseline.read_text(encoding="utf-8"))["decisions"]
    all_findings, _ = _findings(report)
    assert {d["fingerprint"] for d in decisions} == {f["fingerprint"] for f in all_findings}
    remaining, summary = _findings(report, "--baseline", baseline)
    assert remaining == [] and summary["suppressed"] == len(all_findings)
    assert run_cli("check", report, "--baseline", baseline).returncode == 0


def test_only_decided_findings_are_hidden(tmp_path):
    report = _copy(tmp_path, _mutated())
    everything, _ = _findings(report)
    decided = [f for f in everything if f["code"] == "T302"]
    assert decided
    baseline = tmp_path / "page-export.json"
    baseline.write_text(json.dumps({"version": 1, "decisions": [
        {"fingerprint": f["fingerprint"], "code": f["code"], "decision": "dismissed", "note": "已核实", "path": str(report), "message": f["message"]}
        for f in decided]}, ensure_ascii=False), encoding="utf-8")
    remaining, summary = _findings(report, "--baseline", baseline)
    assert sorted(f["fingerprint"] for f in remaining) == sorted(f["fingerprint"] for f in everything if f not in decided)
    assert summary["suppressed"] == len(decided)


def test_bad_baseline_file(tmp_path):
    report = _copy(tmp_path, _mutated())
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = run_cli("check", report, "--baseline", broken)
    assert result.returncode == 2 and "基线文件不是有效的 JSON" in result.stderr


def test_decisions_follow_the_report_not_its_file_name(tmp_path):
    """定稿.txt (the same report renamed) keeps the decisions; an unrelated report named seed.txt does not."""
    draft = _copy(tmp_path, _mutated(), "seed.txt")
    baseline = tmp_path / "reviewed.json"
    assert run_cli("baseline", draft, "-o", baseline).returncode == 0
    decisions = json.loads(baseline.read_text(encoding="utf-8"))["decisions"]
    assert {(d["agency"], d["year"]) for d in decisions} == {("淄博市工业和信息化局", 2019)}
    final = _copy(tmp_path, _mutated(), "定稿.txt")
    remaining, summary = _findings(final, "--baseline", baseline)
    assert remaining == [] and summary["suppressed"] == len(decisions)
    (tmp_path / "sub").mkdir()
    other = _copy(tmp_path / "sub", _mutated().replace("淄博市工业和信息化局", "淄博市财政局"), "seed.txt")
    remaining, summary = _findings(other, "--baseline", baseline)
    assert summary["suppressed"] == 0 and len(remaining) == len(decisions)
