"""The command line behaves like the best linters: loud selection errors, folders, Chinese framework messages,
--version/-h, colour, --quiet, --statistics, stdin, one report of an unreadable file."""

from __future__ import annotations

import json
import shutil

from conftest import EXAMPLE, SEED, TEMPLATE_DOCX, run_cli


def test_unknown_selection_is_a_usage_error():
    for option in ("--select", "--ignore"):
        result = run_cli("check", EXAMPLE, option, "ZZZ")
        assert result.returncode == 2 and "未知的规则代码、前缀或名称：ZZZ" in result.stderr


def test_rule_names_select_like_codes():
    result = run_cli("check", EXAMPLE, "--select", "doubled-character", "--format", "json")
    codes = {f["code"] for f in json.loads(result.stdout)["files"][0]["findings"]}
    assert codes == {"L101"}


def test_unknown_code_in_config_is_an_error_and_refused_entry_is_reported_every_run(tmp_path):
    shutil.copy(EXAMPLE, tmp_path / "r.txt")
    (tmp_path / "gidraft.toml").write_text('ignore = ["T999"]\n', encoding="utf-8")
    result = run_cli("check", tmp_path / "r.txt")
    assert result.returncode == 2 and "未知的规则代码或前缀 T999" in result.stderr
    (tmp_path / "gidraft.toml").write_text('ignore = ["T301"]\n', encoding="utf-8")
    for _ in range(2):
        result = run_cli("check", "--exit-zero", tmp_path / "r.txt")
        assert result.stderr.count("配置项未生效：ignore T301") == 1


def test_version_and_short_help():
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("gidraft ")
    helped = run_cli("check", "-h")
    assert helped.returncode == 0 and "gidraft check [选项] {文件...}" in helped.stdout
    assert "选项：" in helped.stdout and "显示本帮助并退出。" in helped.stdout and "[默认：text]" in helped.stdout
    for english in ("Usage:", "Options:", "Show this message", "default:"):
        assert english not in helped.stdout


def test_framework_errors_in_chinese():
    missing = run_cli("check")
    assert missing.returncode == 2 and "缺少参数“文件”。" in missing.stderr and "Missing" not in missing.stderr
    bad = run_cli("check", EXAMPLE, "--format", "xml")
    assert bad.returncode == 2 and "不是可选值之一" in bad.stderr and "Invalid" not in bad.stderr
    negative = run_cli("check", EXAMPLE, "--jobs", "-3")
    assert negative.returncode == 2 and "进程数应为正整数" in negative.stderr and "Invalid" not in negative.stderr


def _folder(tmp_path):
    """Two reports, gidraft's own outputs of them, a README and a data-keys note."""
    shutil.copy(EXAMPLE, tmp_path / "定稿.txt")
    shutil.copy(TEMPLATE_DOCX, tmp_path / "模板.docx")
    shutil.copy(TEMPLATE_DOCX, tmp_path / "模板.审校.docx")
    shutil.copy(TEMPLATE_DOCX, tmp_path / "模板.修正.docx")
    (tmp_path / "README.md").write_text("# 说明\n\n本目录存放政府信息公开工作年度报告。\n", encoding="utf-8")
    run_cli("check", tmp_path / "定稿.txt", "-f", "html", "-o", tmp_path / "审阅.html")
    run_cli("check", tmp_path / "定稿.txt", "-o", tmp_path / "结果.txt")
    return tmp_path


def test_folder_checks_only_the_reports(tmp_path):
    folder = _folder(tmp_path)
    result = run_cli("check", folder, "--format", "json")
    checked = sorted(f["path"].rsplit("/", 1)[-1] for f in json.loads(result.stdout)["files"])
    assert checked == ["定稿.txt", "模板.docx"]
    for name in ("README.md", "审阅.html", "结果.txt", "模板.审校.docx", "模板.修正.docx"):
        assert result.stderr.count(name) == 1, name
    assert "README.md: 不像年度报告，已跳过" in result.stderr


def test_notes_in_english_quoting_report_wording_are_not_reports(tmp_path):
    """The corpus README names sections, table rows and defects of reports, in English: not a report."""
    from conftest import CORPUS

    shutil.copy(CORPUS / "README.md", tmp_path / "README.md")
    shutil.copy(EXAMPLE, tmp_path / "定稿.txt")
    result = run_cli("check", tmp_path, "--format", "json")
    assert [f["path"].rsplit("/", 1)[-1] for f in json.loads(result.stdout)["files"]] == ["定稿.txt"]
    assert "README.md: 不像年度报告，已跳过" in result.stderr


def test_exclude_option_config_and_ignore_file(tmp_path):
    (tmp_path / "草稿").mkdir()
    for name in ("a.txt", "b.txt", "草稿/c.txt", "d.txt"):
        shutil.copy(EXAMPLE, tmp_path / name)
    (tmp_path / ".gidraftignore").write_text("草稿/\n", encoding="utf-8")
    (tmp_path / "gidraft.toml").write_text('exclude = ["d.txt"]\n', encoding="utf-8")
    result = run_cli("check", tmp_path, "--exclude", "b.*", "--format", "json")
    assert [f["path"].rsplit("/", 1)[-1] for f in json.loads(result.stdout)["files"]] == ["a.txt"]
    named = run_cli("check", tmp_path / "b.txt", "--exclude", "b.*", "--format", "json")  # named: always checked
    assert len(json.loads(named.stdout)["files"]) == 1


def test_colour_quiet_statistics():
    plain = run_cli("check", EXAMPLE)
    assert "\x1b[" not in plain.stdout and "错误[L101]" in plain.stdout  # severity named as in the summary
    coloured = run_cli("check", EXAMPLE, "--color", "always")
    assert "\x1b[" in coloured.stdout
    quiet = run_cli("check", EXAMPLE, "-q")
    assert quiet.stdout and "检查了" not in quiet.stdout
    stats = run_cli("check", EXAMPLE, "--statistics")
    lines = stats.stdout.splitlines()
    assert lines and all(line.split()[1][0] in "STLNXD" for line in lines) and "    1  L101   错误  doubled-character" in stats.stdout


def test_stdin():
    result = run_cli("check", "-", "--format", "json", input=EXAMPLE.read_text(encoding="utf-8"))
    document = json.loads(result.stdout)
    assert document["files"][0]["path"] == "-" and document["files"][0]["agency"] == "淄博市工业和信息化局"


def test_unreadable_file_reported_once(tmp_path):
    empty = tmp_path / "空.txt"
    empty.write_text("", encoding="utf-8")
    result = run_cli("check", empty)
    assert result.returncode == 2 and (result.stdout + result.stderr).count("文件为空") == 1


def test_format_sniffing_refuses_lying_names_and_explains_doc_wps_ofd(tmp_path):
    import zipfile

    text = EXAMPLE.read_bytes()
    (tmp_path / "假.docx").write_bytes(text)
    (tmp_path / "假.pdf").write_bytes(text)
    (tmp_path / "旧.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (tmp_path / "旧.wps").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with zipfile.ZipFile(tmp_path / "版式.ofd", "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD/>")
    expected = {"假.docx": "内容不是 Word 文档", "假.pdf": "内容不是 PDF 文件", "旧.doc": "另存为",
                "旧.wps": "WPS 文字文档", "版式.ofd": "导出为 PDF"}
    for name, words in expected.items():
        result = run_cli("check", tmp_path / name)
        assert result.returncode == 2 and words in result.stderr and "缺少" not in result.stdout, name
    folder = run_cli("check", tmp_path)
    assert folder.returncode == 2 and all(name in folder.stderr for name in expected)


def test_json_place_for_word_findings():
    result = run_cli("check", TEMPLATE_DOCX, "--format", "json")
    findings = json.loads(result.stdout)["files"][0]["findings"]
    assert findings and all(f["place"].startswith(("第", "表")) for f in findings)
    text = json.loads(run_cli("check", EXAMPLE, "--format", "json").stdout)["files"][0]["findings"]
    assert text and all("place" not in f for f in text)  # text files: line and column are the place


def test_rules_filters_json_and_explain_by_name():
    listed = run_cli("rules", "--select", "T3")
    assert listed.returncode == 0 and [line.split()[0] for line in listed.stdout.splitlines()] == ["T301", "T302", "T303"]
    document = json.loads(run_cli("rules", "--format", "json", "--select", "doubled-character").stdout)
    assert [(r["code"], r["severity"], r["tier"]) for r in document] == [("L101", "error", "实务")]
    assert run_cli("rules", "--select", "Q").returncode == 2
    by_name = run_cli("explain", "doubled-character")
    assert by_name.returncode == 0 and by_name.stdout.startswith("L101 doubled-character")


def test_messages_use_full_width_punctuation(tmp_path):
    """gidraft's own words in its messages pass its own punctuation rules (quoted report text aside)."""
    import re

    from conftest import CORPUS

    messages = set()
    for path in [EXAMPLE, SEED, TEMPLATE_DOCX, *CORPUS.glob("*.txt"), *CORPUS.glob("*.md")]:
        for file in json.loads(run_cli("check", path, "--format", "json").stdout)["files"]:
            messages |= {re.sub(r"“[^”]*”", "“”", f["message"]) for f in file["findings"]}
    usage = [run_cli("check", EXAMPLE, "--select", "ZZZ"), run_cli("check"), run_cli("explain", "Q999")]
    messages |= {line.split(": ", 1)[-1] for r in usage for line in r.stderr.splitlines() if "gidraft:" in line}
    (tmp_path / "messages.txt").write_text("\n".join(sorted(messages)) + "\n", encoding="utf-8")
    result = run_cli("check", tmp_path / "messages.txt", "--select", "L301,L302,L303,L306", "--format", "json")
    assert len(messages) > 30 and json.loads(result.stdout)["files"][0]["findings"] == []
