"""Configuration files: found upwards from the checked file; command line overrides; protected rules stay on."""

from __future__ import annotations

import json

import pytest

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


# ------------------------------------------------------------------- trust (issue 17)

PLANTED_RULE = """\
rule:
  code: L290
  name: planted-words
  kind: words
  severity: error
  tier: 本单位
  summary: 植入的规则
  doc: 不应被加载。
entries:
  - wrong: 市工信局
    right: 市工业和信息化局
    reason: 植入
    fire: ["市工信局深入学习贯彻《条例》。"]
    silent: ["市工业和信息化局深入学习贯彻《条例》。"]
"""


def _server():
    """A local HTTP server that counts the requests it receives."""
    import http.server
    import threading

    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, hits


def _planted(folder, port):
    (folder / "evil").mkdir(parents=True)
    (folder / "evil" / "planted.yaml").write_text(PLANTED_RULE, encoding="utf-8")
    (folder / "words.txt").write_text("各各\n", encoding="utf-8")
    (folder / "tpl").mkdir()
    (folder / "tpl" / "report.md.j2").write_text("{{ ''.__class__ }}planted\n", encoding="utf-8")
    (folder / "gidraft.toml").write_text(
        f'languagetool = "http://127.0.0.1:{port}"\nrules = ["evil"]\nallow-files = ["words.txt"]\ntemplates = "tpl"\n'
        '[severity]\nL201 = "info"\n', encoding="utf-8")
    return [_seed_copy(folder, f"r{i}.txt") for i in range(3)]


def test_planted_config_sends_nothing_loads_nothing_and_says_so_once(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home-config"))
    server, hits = _server()
    try:
        reports = _planted(tmp_path / "reports", server.server_address[1])
        result = run_cli("check", tmp_path / "reports", "--format", "json", "--jobs", "2")
        assert result.returncode == 1, result.stderr
        assert hits == []
        findings = [f for file in json.loads(result.stdout)["files"] for f in file["findings"]]
        assert not any(f["code"] == "L290" for f in findings)  # the planted rule was not loaded
        assert any(f["code"] == "L101" for f in findings)  # nor the planted allow-list
        assert {f["severity"] for f in findings if f["code"] == "L201"} == {"info"}  # severities are taken
        notes = [line for line in result.stderr.splitlines() if "未采用" in line]
        assert len(notes) == 1, result.stderr
        assert all(key in notes[0] for key in ("languagetool", "rules", "allow-files", "templates"))
        shown = run_cli("check", reports[0], "--show-config").stdout
        assert "已拒绝：languagetool" in shown and "已拒绝：rules" in shown
        # the same folder, trusted on purpose: now its settings apply (so the test can fail)
        trusted = run_cli("check", reports[0], "--format", "json", "--trust-config")
        assert hits and "L290" in trusted.stdout
    finally:
        server.shutdown()


def test_planted_templates_are_not_used_by_draft(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home-config"))
    _planted(tmp_path / "reports", 9)
    data = tmp_path / "reports" / "d.yaml"
    assert run_cli("extract", SEED, "--format", "yaml", "-o", data).returncode == 0
    result = run_cli("draft", data, "-o", tmp_path / "out.md", "--allow-incomplete")
    assert result.returncode == 0, result.stderr
    assert "planted" not in (tmp_path / "out.md").read_text(encoding="utf-8")
    assert "未采用" in result.stderr and "templates" in result.stderr


def test_the_users_own_config_is_trusted(tmp_path, monkeypatch):
    own = tmp_path / "home-config" / "gidraft"
    own.mkdir(parents=True)
    (own / "evil").mkdir()
    (own / "evil" / "own.yaml").write_text(PLANTED_RULE, encoding="utf-8")
    (own / "gidraft.toml").write_text('rules = ["evil"]\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home-config"))
    report = _seed_copy(tmp_path / "reports")
    assert "L290" in codes(report)
    assert str(own / "gidraft.toml") in run_cli("check", report, "--show-config").stdout


def test_user_templates_render_in_the_sandbox(tmp_path):
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "report.md.j2").write_text("{{ cycler.__init__.__globals__.os.popen('id').read() }}\n", encoding="utf-8")
    data = tmp_path / "d.yaml"
    assert run_cli("extract", SEED, "--format", "yaml", "-o", data).returncode == 0
    result = run_cli("draft", data, "-o", tmp_path / "out.md", "--templates", tmp_path / "tpl", "--allow-incomplete")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "uid=" not in result.stderr and not (tmp_path / "out.md").exists()


@pytest.mark.parametrize("content", ['severity = "x"\n', "templates = 5\n", '[severity]\nL201 = 3\n', 'fail-on = 1\n'])
def test_bad_config_values_fail_their_files_not_the_batch(tmp_path, content):
    bad = _seed_copy(tmp_path / "bad")
    (tmp_path / "bad" / "gidraft.toml").write_text(content, encoding="utf-8")
    good = _seed_copy(tmp_path / "good")
    result = run_cli("check", bad, good, "--format", "jsonl", "--jobs", "2")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    objects = {o["path"]: o for o in map(json.loads, result.stdout.splitlines())}
    assert "gidraft.toml" in objects[str(bad)]["error"] and objects[str(good)]["findings"]


def test_non_utf8_allow_file_is_a_clear_error(tmp_path, monkeypatch):
    own = tmp_path / "home-config" / "gidraft"
    own.mkdir(parents=True)
    (own / "words.txt").write_bytes("各各\n".encode("gb18030") + b"\xff\xfe")
    (own / "gidraft.toml").write_text('allow-files = ["words.txt"]\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home-config"))
    result = run_cli("check", _seed_copy(tmp_path / "r"))
    assert result.returncode == 2 and "Traceback" not in result.stderr and "UTF-8" in result.stderr


def test_config_lookup_in_a_folder_without_search_permission(tmp_path, monkeypatch):
    """Looking for gidraft.toml where a folder may not be searched (is_file raises PermissionError): not found."""
    from pathlib import Path

    from gidraft import config

    real = Path.is_file

    def is_file(path):
        if path.parent == tmp_path / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "is_file", is_file)
    config.find_config.cache_clear()
    (tmp_path / "gidraft.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    found = config.find_config(tmp_path / "locked")
    assert found is not None and found[0] == tmp_path / "gidraft.toml"
