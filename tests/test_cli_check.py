"""`gidraft check` options wired across modules: --previous, batch year pairs, --verbose facts, --select."""

from __future__ import annotations

import json

from conftest import HUAIAN_TXT, SEED, run_cli


def _huaian_2023(folder, carry_forward: str):
    text = HUAIAN_TXT.read_text(encoding="utf-8").replace("2024", "2023")
    text = text.replace("四、结转下年度继续办理                          103          0        0         0        0         0    103",
                        f"四、结转下年度继续办理  {carry_forward}")
    path = folder / "huaian-2023.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _codes(result):
    return [f["code"] for file in json.loads(result.stdout)["files"] for f in file["findings"]]


def test_previous_year_carry_over(tmp_path):
    agreeing = _huaian_2023(tmp_path, "34 0 0 0 0 0 34")
    result = run_cli("check", HUAIAN_TXT, "--previous", agreeing, "--format", "json", "--select", "X101")
    assert result.returncode == 0 and _codes(result) == []
    disagreeing = _huaian_2023(tmp_path, "30 0 0 0 0 0 30")
    result = run_cli("check", HUAIAN_TXT, "--previous", disagreeing, "--format", "json")
    assert result.returncode == 1 and _codes(result).count("X101") == 2
    assert "X101" not in _codes(run_cli("check", HUAIAN_TXT, "--previous", disagreeing, "--format", "json", "--ignore", "X"))


def test_batch_pairs_consecutive_years_of_one_agency(tmp_path):
    _huaian_2023(tmp_path, "30 0 0 0 0 0 30")
    this = tmp_path / "huaian-2024.txt"
    this.write_text(HUAIAN_TXT.read_text(encoding="utf-8"), encoding="utf-8")
    document = json.loads(run_cli("check", tmp_path, "--format", "json", "--jobs", "2").stdout)
    by_name = {f["path"].rsplit("/", 1)[-1]: [x["code"] for x in f["findings"]] for f in document["files"]}
    assert by_name["huaian-2024.txt"].count("X101") == 2 and "X101" not in by_name["huaian-2023.txt"]


def test_previous_unreadable(tmp_path):
    result = run_cli("check", HUAIAN_TXT, "--previous", tmp_path / "none.txt")
    assert result.returncode == 2 and "none.txt" in result.stderr and "文件不存在" in result.stderr


def test_verbose_lists_the_narrative_facts():
    document = json.loads(run_cli("check", HUAIAN_TXT, "--format", "json", "--verbose").stdout)
    facts = document["files"][0]["facts"]
    received = [f for f in facts if f["table_key"] == "t3.new_received.total"]
    assert received and received[0]["value"] == 3119 and received[0]["table_value"] == 3119 and received[0]["agree"] is True
    assert all(f["agree"] is not False for f in facts)
    assert "facts" not in json.loads(run_cli("check", HUAIAN_TXT, "--format", "json").stdout)["files"][0]


def test_rules_and_explain_list_every_family():
    listed = run_cli("rules").stdout
    for code in ("S001", "T301", "L101", "L201", "N101", "N201", "N301", "X101"):
        assert f"\n{code} " in "\n" + listed, code
    explained = run_cli("explain", "t301")
    assert explained.returncode == 0 and "勾稽关系" in explained.stdout and "国办年报格式" in explained.stdout


def test_seed_language_findings_at_their_places():
    document = json.loads(run_cli("check", SEED, "--format", "json").stdout)
    lines = SEED.read_text(encoding="utf-8").split("\n")
    found = {(f["code"], lines[f["line"] - 1][f["column"] - 1:f["end_column"] - 1]) for f in document["files"][0]["findings"]
             if f["line"] == f["end_line"]}
    assert {("L101", "各各"), ("L201", "参见"), ("L301", "."), ("L404", "0533-312068")} <= found


def test_summary_table_names_the_old_format_in_words():
    """The per-file table of a batch says 旧格式 for a pre-2019 report, never the internal code."""
    from conftest import CORPUS

    result = run_cli("check", "--exit-zero", CORPUS / "pingtan-2018-oldformat.web.txt", SEED)
    row = next(line for line in result.stdout.splitlines() if "pingtan-2018" in line and "│" in line)
    assert "旧格式" in row and "pre2019" not in result.stdout
