"""`gidraft fix 报告.docx --track-changes`: fixes as w:ins / w:del that Word's review pane accepts or rejects.

Accepting and rejecting are done here on the XML, as Word does them: accepting drops w:del and
unwraps w:ins; rejecting drops w:ins and turns w:del's runs back into text.
"""

from __future__ import annotations

import zipfile
from datetime import datetime, timezone

import pytest

from conftest import run_cli
from gidraft.sources import read_source
from test_word_annotate import build_report, findings, render_first_page, soffice_pdf

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def unwrap(element) -> None:
    parent = element.getparent()
    for child in list(element):
        element.addprevious(child)
    parent.remove(element)


def decide(path, target, accept: bool):
    """Save ``target``: ``path`` with all gidraft's tracked changes accepted (or rejected)."""
    import docx

    document = docx.Document(str(path))
    body = document.element.body
    keep, drop = (W + "ins", W + "del") if accept else (W + "del", W + "ins")
    for element in list(body.iter(drop)):
        element.getparent().remove(element)
    for element in list(body.iter(keep)):
        for text in element.iter(W + "delText"):
            text.tag = W + "t"
        unwrap(element)
    document.save(str(target))
    return target


def marks(path) -> list:
    import docx

    body = docx.Document(str(path)).element.body
    return [element for element in body.iter(W + "ins", W + "del")]


@pytest.fixture(scope="module")
def tracked(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tracked")
    original = build_report(folder / "报告.docx")
    before = original.read_bytes()
    started = datetime.now(timezone.utc).replace(microsecond=0)
    result = run_cli("fix", original, "--track-changes", "--unsafe")
    finished = datetime.now(timezone.utc)
    assert result.returncode == 0, result.stderr
    output = folder / "报告.修订.docx"
    assert f"已写出 {output}（4 处修订" in result.stderr
    assert original.read_bytes() == before
    return original, output, (started, finished)


def test_changes_are_ins_and_del_of_only_the_changed_characters(tracked):
    _, output, (started, finished) = tracked
    found = marks(output)
    shown = [(e.tag[len(W):], "".join(t.text for t in e.iter(W + "delText", W + "t"))) for e in found]
    # 5件→3件 (N101, a suggestion), 各各→各 (L101, a suggestion), “.”→“。” (L301), and the wrong total 4→3 (T302:
    # its row and its column both give 3)
    assert shown == [("del", "5"), ("ins", "3"), ("del", "各"), ("del", "."), ("ins", "。"), ("del", "4"), ("ins", "3")]
    assert {e.get(W + "author") for e in found} == {"gidraft"}
    for element in found:
        when = datetime.strptime(element.get(W + "date"), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        assert started <= when <= finished
    ids = [e.get(W + "id") for e in found]
    assert len(set(ids)) == len(ids)
    # an insertion has the formatting of the text it replaces: the full stop stays underlined, 3 stays bold
    for deleted, inserted in ((found[0], found[1]), (found[3], found[4])):
        old, new = deleted.find(f"{W}r/{W}rPr"), inserted.find(f"{W}r/{W}rPr")
        assert old is not None and [c.tag for c in old] == [c.tag for c in new]
    assert found[4].find(f"{W}r/{W}rPr/{W}u") is not None and found[1].find(f"{W}r/{W}rPr/{W}b") is not None


def test_accepting_gives_what_fix_write_gives_for_the_same_text(tracked, tmp_path):
    original, output, _ = tracked
    text = read_source(str(original)).text
    plain = tmp_path / "报告.txt"
    plain.write_text(text, encoding="utf-8")
    result = run_cli("fix", plain, "--write", "--unsafe")
    assert result.returncode == 0, result.stderr
    accepted = read_source(str(decide(output, tmp_path / "accepted.docx", accept=True)))
    assert accepted.text == plain.read_text(encoding="utf-8") != text
    assert "申请3件，进一步明确各科室公开任务，未发生失泄密情况。" in accepted.text


def test_rejecting_gives_the_original_text(tracked, tmp_path):
    original, output, _ = tracked
    rejected = read_source(str(decide(output, tmp_path / "rejected.docx", accept=False)))
    assert rejected.raw == read_source(str(original)).raw


def test_check_reads_the_tracked_copy_as_accepted(tracked):
    original, output, _ = tracked
    before = findings(original)
    after = findings(output)
    assert [f["code"] for f in after] == [f["code"] for f in before if f.get("fix") is None] == []
    assert read_source(str(output)).raw.split("\n")[4] == "2023年，我局收到政府信息公开申请3件，进一步明确各科室公开任务，未发生失泄密情况。"


def test_safe_fixes_only_by_default_and_a_tab_is_refused_not_guessed(tmp_path):
    path = build_report(tmp_path / "报告.docx", tab_before_full_stop=True)
    assert [f["code"] for f in findings(path) if f.get("fix") is not None] == ["N101", "L101", "L301", "T302", "L308"]
    result = run_cli("fix", path, "--track-changes")
    assert result.returncode == 0, result.stderr
    assert "另有 3 处修改建议需人工确认" in result.stderr
    assert "未修正 [L308]" in result.stderr and "制表符" in result.stderr
    shown = [(e.tag[len(W):], "".join(t.text for t in e.iter(W + "delText", W + "t"))) for e in marks(tmp_path / "报告.修订.docx")]
    assert shown == [("del", "."), ("ins", "。")]


def test_output_rules(tmp_path):
    path = build_report(tmp_path / "报告.docx")
    (tmp_path / "报告.修订.docx").write_bytes(b"earlier")
    result = run_cli("fix", path, "--track-changes")
    assert result.returncode == 2 and "已存在" in result.stderr
    result = run_cli("fix", path, "--track-changes", "-o", tmp_path / "审阅稿.docx")
    assert result.returncode == 0 and zipfile.is_zipfile(tmp_path / "审阅稿.docx")
    for args, message in (((), "--track-changes 只用于 Word"), (("--write",), "不与 --write 同用")):
        plain = tmp_path / "报告.txt"
        plain.write_text(read_source(str(path)).text, encoding="utf-8")
        target = path if args else plain
        result = run_cli("fix", target, "--track-changes", *args)
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "报告.修订.docx").read_bytes() == b"earlier"


def test_libreoffice_opens_the_tracked_copy(tracked, tmp_path):
    _, output, _ = tracked
    pdf = soffice_pdf(output, tmp_path)
    render_first_page(pdf, "word-tracked")
