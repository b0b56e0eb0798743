"""gidraft's cache (src/gidraft/cache.py): the same results with it, without it, and with a damaged one."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from conftest import PINGTAN_2021, SEED
from gidraft import cache
from gidraft.rules.loader import load_rules


def test_cached_patterns_behave_as_re_compile():
    """Every pattern the rules compiled through the cache equals re.compile's on real text."""
    load_rules()
    stored = [key for key in cache.STORE.data if key[0] == "re"]
    assert len(stored) > 300
    texts = [SEED.read_text(encoding="utf-8"), PINGTAN_2021.read_text(encoding="utf-8")]
    for _, pattern, flags in stored:
        ours, theirs = cache.compiled(pattern, flags), re.compile(pattern, flags)
        assert (ours.pattern, ours.flags, ours.groups, ours.groupindex) == (theirs.pattern, theirs.flags, theirs.groups, theirs.groupindex)
        for text in texts:
            text = text.encode("utf-8") if isinstance(pattern, bytes) else text
            assert [m.regs for m in ours.finditer(text)] == [m.regs for m in theirs.finditer(text)], pattern


def _check(env: dict) -> tuple[int, str]:
    # --no-cache: the check itself, which reads this cache (a results-cache hit would need none of it)
    result = subprocess.run([sys.executable, "-m", "gidraft", "check", "--no-cache", str(SEED), "--format", "json"], capture_output=True,
                            text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8", **env})
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)["files"][0]["findings"]


def test_same_findings_with_a_new_a_warm_a_damaged_and_no_cache(tmp_path):
    folder = tmp_path / "cache"
    first = _check({"GIDRAFT_CACHE_DIR": str(folder)})
    files = list(folder.glob("cache-*.marshal"))
    assert len(files) == 1 and files[0].stat().st_size > 10_000
    assert _check({"GIDRAFT_CACHE_DIR": str(folder)}) == first
    written = files[0].stat().st_mtime_ns
    assert _check({"GIDRAFT_CACHE_DIR": str(folder)}) == first
    assert files[0].stat().st_mtime_ns == written  # nothing new learnt: the file is not rewritten
    files[0].write_bytes(b"\x00garbage" * 100)
    assert _check({"GIDRAFT_CACHE_DIR": str(folder)}) == first
    assert files[0].stat().st_size > 10_000  # rewritten
    assert _check({"GIDRAFT_NO_CACHE": "1"}) == first
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    assert _check({"GIDRAFT_CACHE_DIR": str(not_a_folder)}) == first


def test_a_changed_rule_file_is_read_again(tmp_path):
    """Rule files are cached by content: an edited file is parsed anew, never served stale."""
    rules = tmp_path / "rules"
    rules.mkdir()
    spec = ("rules:\n  - code: Z901\n    name: test-word\n    kind: words\n    severity: error\n    tier: 本单位\n"
            "    summary: 测试\n    entries:\n      - wrong: {w}\n        right: 正确\n")
    report = tmp_path / "r.txt"
    report.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "GIDRAFT_CACHE_DIR": str(tmp_path / "cache")}

    def codes_for(word: str) -> list[str]:
        (rules / "mine.yaml").write_text(spec.format(w=word), encoding="utf-8")
        result = subprocess.run([sys.executable, "-m", "gidraft", "check", str(report), "--rules", str(rules), "--format", "json",
                                 "--select", "Z9"], capture_output=True, text=True, env=env)
        return [f["message"] for f in json.loads(result.stdout)["files"][0]["findings"]]

    assert any("各各" in m for m in codes_for("各各"))
    assert codes_for("不存在的词") == []


def test_an_altered_file_is_dropped_and_rebuilt(tmp_path):
    """Entries changed inside an otherwise well-formed cache (their checksum no longer matches): never
    trusted, never a crash, same findings, and the file is written afresh."""
    import marshal

    folder = tmp_path / "cache"
    first = _check({"GIDRAFT_CACHE_DIR": str(folder)})
    path = next(folder.glob("cache-*.marshal"))
    raw = path.read_bytes()
    digest, data = raw[:cache.DIGEST], marshal.loads(raw[cache.DIGEST:])
    assert cache.digest(raw[cache.DIGEST:]) == digest
    programs = [key for key in data if key[0] == "re"]
    parsed = [key for key in data if key[0] == "yaml"]
    assert programs and parsed
    flags, code, groups, groupindex, indexgroup = data[programs[0]]
    data[programs[0]] = (flags, [99999] + code, groups, groupindex, indexgroup)  # a program the engine refuses
    for key in parsed:
        data[key] = {} if isinstance(data[key], dict) else []  # a parse result emptied: would hide titles, rules
    path.write_bytes(digest + marshal.dumps(data, 2))  # the old checksum: it no longer matches
    assert _check({"GIDRAFT_CACHE_DIR": str(folder)}) == first
    repaired = path.read_bytes()
    assert cache.digest(repaired[cache.DIGEST:]) == repaired[:cache.DIGEST]
    rebuilt = marshal.loads(repaired[cache.DIGEST:])
    assert rebuilt[parsed[0]] and rebuilt[programs[0]][1] == code
