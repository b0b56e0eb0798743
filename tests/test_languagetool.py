"""The LanguageTool backend end to end against a local stub server speaking LanguageTool's JSON API."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from conftest import PINGTAN_2024, SEED
from gidraft.check import locate
from gidraft.languagetool import check_with_languagetool
from gidraft.report.build import build_report
from gidraft.sources import read_source

WRONG = "高质量政务公开助推"  # the stub objects to this phrase wherever it is sent, like a real rule would


class Stub(BaseHTTPRequestHandler):
    """/v2/languages and /v2/check as LanguageTool answers them; remembers the texts it was sent."""

    received: list[dict] = []

    def _send(self, payload) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        assert self.path.startswith("/v2/languages")
        self._send([{"name": "Chinese", "code": "zh", "longCode": "zh-CN"}, {"name": "English (US)", "code": "en", "longCode": "en-US"}])

    def do_POST(self) -> None:  # noqa: N802
        assert self.path.startswith("/v2/check")
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")).items()}
        Stub.received.append(form)
        text = form["text"]
        matches = []
        at = text.find(WRONG)
        while at != -1:
            offset = len(text[:at].encode("utf-16-le")) // 2  # LanguageTool counts UTF-16 code units
            matches.append({
                "message": "疑似搭配不当", "shortMessage": "", "replacements": [{"value": "高质量政务公开推动"}],
                "offset": offset, "length": len(WRONG), "context": {"text": text[max(0, at - 5):at + 15], "offset": 5, "length": len(WRONG)},
                "sentence": "", "type": {"typeName": "Other"},
                "rule": {"id": "ZH_COLLOCATION", "description": "搭配", "issueType": "grammar", "category": {"id": "GRAMMAR", "name": "Grammar"}},
                "ignoreForIncompleteSentence": False, "contextForSureMatch": 0,
            })
            at = text.find(WRONG, at + 1)
        self._send({"software": {"name": "LanguageTool", "version": "6.4"}, "language": {"code": "zh-CN"}, "matches": matches})

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    Stub.received = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_matches_become_findings_at_their_place_in_the_original(server):
    report = build_report(read_source(str(PINGTAN_2024)))
    findings, warning = check_with_languagetool(report, server)
    assert warning is None
    [sent] = Stub.received
    assert sent["language"] == "zh-CN"
    assert "21710000218" not in sent["text"]  # the tables are not sent
    raw = PINGTAN_2024.read_text(encoding="utf-8")
    at = raw.index(WRONG)
    expected = (raw.count("\n", 0, at) + 1, at - raw.rfind("\n", 0, at))
    [located] = locate(report.source, findings)
    assert (located.code, located.severity, located.line, located.column) == ("LT-ZH_COLLOCATION", "warning", *expected)
    assert report.text[located.finding.start:located.finding.end] == WRONG and located.fix == "高质量政务公开推动"


def test_offsets_survive_characters_outside_the_basic_plane(server, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(PINGTAN_2024.read_text(encoding="utf-8").replace("平潭综合实验区坚持", "平潭综合实验区𠀋坚持", 1), encoding="utf-8")
    report = build_report(read_source(str(path)))
    findings, _ = check_with_languagetool(report, server)
    assert [report.text[f.start:f.end] for f in findings] == [WRONG]


def test_pdf_text_is_sent_as_repaired_paragraphs(server):
    report = build_report(read_source(str(SEED)))
    findings, warning = check_with_languagetool(report, server)
    assert warning is None and findings == []
    text = Stub.received[0]["text"]
    assert "各各科室" in text and "关切。2019年，各级媒体" in text  # joined lines, artefact spaces gone


def test_an_unreachable_server_is_one_warning_not_a_crash():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    report = build_report(read_source(str(PINGTAN_2024)))
    findings, warning = check_with_languagetool(report, f"http://127.0.0.1:{port}")
    assert findings == []
    assert warning.startswith(f"无法使用 LanguageTool 服务器 http://127.0.0.1:{port}") and "已跳过" in warning


def test_a_server_without_chinese_is_one_warning(server, monkeypatch):
    monkeypatch.setattr(Stub, "do_GET", lambda self: self._send([{"name": "English", "code": "en", "longCode": "en-US"}]))
    findings, warning = check_with_languagetool(build_report(read_source(str(PINGTAN_2024))), server)
    assert findings == [] and "不支持中文" in warning
