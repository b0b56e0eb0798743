"""README's command-line reference matches the commands' --help: every command and every option is documented."""

from __future__ import annotations

import re

from conftest import ROOT, run_cli

COMMANDS = ("check", "fix", "annotate", "extract", "init", "draft", "baseline", "rules", "explain")


def test_readme_documents_every_command_and_option():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = run_cli("-h").stdout
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s", listed, re.M), command
        assert f"gidraft {command}" in readme, command
        helped = run_cli(command, "-h")
        assert helped.returncode == 0
        options = set(re.findall(r"^\s+(?:(-\w), )?(--[a-z][a-z-]*)", helped.stdout, re.M)) - {("-h", "--help")}
        missing = sorted(long for short, long in options
                         if not any(f"`{name}" in readme or f"{name} " in readme for name in (long, short) if name))
        assert not missing, (command, missing)
    assert "--version" in readme and "`-h`" in readme
