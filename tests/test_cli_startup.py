"""Start-up of the command line: ``gidraft check`` builds only its own command, every other command line
still sees the whole app (all commands in the help, a misspelt command corrected, extra commands run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import SEED

PROBE = """
import io, json, sys
sys.argv = ["gidraft", *sys.argv[1:]]
out, err, sys.stdout, sys.stderr = sys.stdout, sys.stderr, io.StringIO(), io.StringIO()
from gidraft.cli import app, main
try:
    main()
    code = 0
except SystemExit as exc:
    code = exc.code
shown, said, sys.stdout, sys.stderr = sys.stdout.getvalue(), sys.stderr.getvalue(), out, err
print(json.dumps({"code": code, "out": shown, "err": said, "registered": len(app.registered_commands),
                  "commands": sorted(m for m in sys.modules if m.startswith("gidraft.commands."))}))
"""


def run(*args: str) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE, *map(str, args)], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_builds_only_itself_and_restores_the_app():
    probe = run("check", SEED, "--format", "json")
    assert probe["code"] == 1 and json.loads(probe["out"])["files"][0]["findings"]
    assert probe["commands"] == []  # draft, serve, fix … are not imported for a check
    assert probe["registered"] == 4  # check, extract, rules, explain: the app is whole again afterwards
    helped = run("check", "-h")
    assert helped["code"] == 0 and "用法：gidraft check [选项] {文件...}" in helped["out"] and "--format" in helped["out"]


def test_other_command_lines_see_every_command():
    top = run("-h")
    assert top["code"] == 0 and top["commands"]
    for name in ("check", "extract", "rules", "explain", "draft", "serve", "init", "fix", "baseline", "annotate"):
        assert f" {name} " in top["out"], name
    misspelt = run("chek", SEED)
    assert misspelt["code"] == 2 and "没有命令 chek。你是指 check 吗？" in misspelt["err"]
    assert "没有命令" in run("drafts")["err"]  # close to an extra command: still the whole app
    extra = run("draft", "-h")
    assert extra["code"] == 0 and "gidraft draft" in extra["out"]
