"""Configuration files: found upwards from the checked file; command line overrides; protected rules stay on."""

from __future__ import annotations

import json

from conftest import SEED, run_cli


def _seed_copy(folder, name="report.txt", replace=None):
    text = SEED.read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        text = text.replace(old, new)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def codes(path, *extra):
    result = run_cli("check", path, "--format", "json", *extra)
    assert result.returncode in (0, 1), result.stderr
    return [f["code"] for f in json.loads(result.stdout)["files"][0]["findings"]]


def test_config_found_from_the_files_directory_upwards(tmp_path):
    (tmp_path / "gidraft.toml").write_text('ignore = ["L201"]\n', encoding="utf-8")
    report = _seed_copy(tmp_path / "dept" / "2019")
    assert "L201" not in codes(report)
    assert "L201" in codes(SEED)


def test_pyproject_tool_table_and_command_line_override(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.gidraft]\nselect = ["T"]\n', encoding="utf-8")
    report = _seed_copy(tmp_path)
    assert set(codes(report)) <= {"T001", "T002", "T003", "T301", "T302", "T303", "T401"}
    assert "L201" in codes(report, "--select", "L")


def test_severity_reweighting_and_protected_rules(tmp_path):
    (tmp_path / "gidraft.toml").write_text(
        'ignore = ["T301"]\n[severity]\nL201 = "info"\nT302 = "info"\n', encoding="utf-8")
    report = _seed_copy(tmp_path, replace={"（一）予以公开 2 0 0 0 0 0 2": "（一）予以公开 2 0 0 0 0 0 3"})
    document = json.loads(run_cli("check", report, "--format", "json").stdout)
    by_code = {f["code"]: f["severity"] for f in document["files"][0]["findings"]}
    assert by_code["L201"] == "info"  # a 实务 rule may be re-weighted
    assert by_code["T302"] == "error"  # a 国办年报格式 rule may not be downgraded by a unit's file
    shown = run_cli("check", report, "--show-config").stdout
    assert "已拒绝：ignore T301" in shown and "已拒绝：severity T302" in shown
    assert str(tmp_path / "gidraft.toml") in shown


def test_show_config_names_the_origin_of_each_setting(tmp_path):
    (tmp_path / "gidraft.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    report = _seed_copy(tmp_path)
    shown = run_cli("check", report, "--show-config", "--select", "S").stdout
    lines = {line.split("=")[0].strip(): line for line in shown.splitlines() if "=" in line}
    assert "命令行" in lines["select"] and "gidraft.toml" in lines["fail-on"] and "默认" in lines["ignore"]


def test_fail_on_from_config(tmp_path):
    report = _seed_copy(tmp_path, replace={"各各": "各"})
    assert run_cli("check", report, "--select", "T001").returncode == 0
    (tmp_path / "gidraft.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    assert run_cli("check", report, "--select", "T001").returncode == 1


def test_broken_config_is_a_clear_error(tmp_path):
    (tmp_path / "gidraft.toml").write_text('select = "T"\nunknown_key = 1\n', encoding="utf-8")
    report = _seed_copy(tmp_path)
    result = run_cli("check", report)
    assert result.returncode == 2
    assert "未知的配置项 unknown_key" in result.stderr and "Traceback" not in result.stderr


def test_allow_list_keeps_names_unflagged(tmp_path):
    (tmp_path / "gidraft.toml").write_text('allow = ["多次参见"]\n', encoding="utf-8")
    report = _seed_copy(tmp_path)
    assert "L201" not in codes(report)
