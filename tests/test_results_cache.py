"""The results cache of ``gidraft check`` (gidraft.results): a re-run gives the same output without checking
again, and anything that could change a finding makes it check again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEED

RULE = ("rules:\n  - code: Z901\n    name: test-word\n    kind: words\n    severity: error\n    tier: 本单位\n"
        "    summary: 测试\n    entries:\n      - wrong: {w}\n        right: 正确\n")


@pytest.fixture
def cached(tmp_path, monkeypatch):
    """A fresh cache folder for this test, in this process and in the processes it starts."""
    from gidraft import cache

    monkeypatch.setenv("GIDRAFT_CACHE_DIR", str(tmp_path / "cache"))
    cache.cache_folder.cache_clear()
    cache.cache_file.cache_clear()
    yield tmp_path / "cache" / "results"
    cache.cache_folder.cache_clear()
    cache.cache_file.cache_clear()


@pytest.fixture
def built(monkeypatch) -> list[str]:
    """The paths whose report was built in this process."""
    from gidraft.report import build

    calls, real = [], build.build_report
    monkeypatch.setattr(build, "build_report", lambda source: (calls.append(source.path), real(source))[1])
    return calls


def check(*args) -> tuple[int, str]:
    """``gidraft check`` in this process: (exit code, standard output)."""
    from typer.testing import CliRunner

    from gidraft import cli

    result = CliRunner().invoke(cli.app, ["check", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout


def check_process(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gidraft", "check", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})})


def copy(tmp_path: Path, name: str = "report.txt", text: str | None = None) -> Path:
    path = tmp_path / name
    path.write_text(text if text is not None else SEED.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.mark.parametrize("output", ["text", "json"])
def test_a_second_run_prints_the_same_without_building_the_report(tmp_path, cached, built, output):
    report = copy(tmp_path)
    code, first = check(report, "--format", output)
    assert code == 1 and "L101" in first and built == [str(report)]
    assert len(list(cached.iterdir())) == 1
    assert check(report, "--format", output) == (1, first)
    assert built == [str(report)]  # served from the cache
    assert check(report, "--format", output, "--no-cache") == (1, first) and built == [str(report)] * 2
    process = [check_process(report, "--format", output) for _ in range(2)]  # a process of its own, stored, then served
    assert [p.stdout for p in process] == [first] * 2


def test_an_edited_file_is_checked_again(tmp_path, cached, built):
    report = copy(tmp_path)
    _, before = check(report)
    report.write_text(SEED.read_text(encoding="utf-8").replace("各各", "各", 1), encoding="utf-8")
    _, after = check(report)
    assert "各各" in before and "各各" not in after and built == [str(report)] * 2


def test_a_configuration_change_is_seen(tmp_path, cached):
    """Processes of their own: a process reads a folder's configuration once."""
    report = copy(tmp_path)
    before = check_process(report).stdout
    config = tmp_path / "gidraft.toml"
    config.write_text('severity = "all"\n', encoding="utf-8")  # refused: not a table
    refused = check_process(report)
    assert refused.returncode == 2 and "severity" in refused.stdout + refused.stderr
    config.write_text("", encoding="utf-8")  # an empty file: the defaults, under another key
    assert check_process(report).stdout == before and len(list(cached.iterdir())) == 2
    config.unlink()
    assert check_process(report).stdout == before and len(list(cached.iterdir())) == 2


def test_a_changed_rule_file_is_seen(tmp_path, cached):
    """Processes of their own: a process loads a rule folder once."""
    report, rules = copy(tmp_path), tmp_path / "rules"
    rules.mkdir()
    (rules / "mine.yaml").write_text(RULE.format(w="各各"), encoding="utf-8")
    before, again = (check_process(report, "--rules", rules).stdout for _ in range(2))
    (entry,) = cached.iterdir()
    (rules / "mine.yaml").write_text(RULE.format(w="不存在的词"), encoding="utf-8")
    after = check_process(report, "--rules", rules).stdout
    assert "Z901" in before and again == before and "Z901" not in after
    assert entry.exists() and len(list(cached.iterdir())) == 1  # the same key, the entry replaced


def test_a_changed_code_fingerprint_is_seen(tmp_path, cached, built, monkeypatch):
    from gidraft import results

    report = copy(tmp_path)
    check(report)
    monkeypatch.setattr(results, "code_fingerprint", lambda: "another gidraft")
    check(report)
    assert len(built) == 2


def test_the_fingerprint_covers_the_code_and_the_libraries(tmp_path, monkeypatch):
    """A file of the package touched, or a folder of sys.path changed (a library installed): another fingerprint."""
    from gidraft import results

    results.code_fingerprint.cache_clear()
    before = results.code_fingerprint()
    monkeypatch.setattr(sys, "path", [*sys.path, str(tmp_path)])
    results.code_fingerprint.cache_clear()
    with_folder = results.code_fingerprint()
    (tmp_path / "new-library").mkdir()
    results.code_fingerprint.cache_clear()
    installed = results.code_fingerprint()
    results.code_fingerprint.cache_clear()
    assert len({before, with_folder, installed}) == 3


def test_a_damaged_entry_is_ignored_and_replaced(tmp_path, cached, built):
    report = copy(tmp_path)
    _, before = check(report)
    (entry,) = cached.iterdir()
    raw = bytearray(entry.read_bytes())
    raw[-5] ^= 0xFF
    entry.write_bytes(bytes(raw))
    _, after = check(report)
    assert after == before and len(built) == 2
    assert entry.read_bytes() != bytes(raw)  # written afresh
    check(report)
    assert len(built) == 2


def test_no_cache_option_and_variable_bypass_it(tmp_path, cached, built, monkeypatch):
    from gidraft import cache

    report = copy(tmp_path)
    check(report, "--no-cache")
    assert not cached.exists() and len(built) == 1
    monkeypatch.setenv("GIDRAFT_NO_CACHE", "1")
    cache.cache_folder.cache_clear()
    check(report)
    check(report)
    assert not cached.exists() and len(built) == 3


def test_outputs_that_need_the_report_do_not_use_it(tmp_path, cached, built):
    """html keeps the reports for its page: checked every time, nothing stored."""
    report = copy(tmp_path)
    check(report, "--format", "html", "-o", tmp_path / "a.html")
    check(report, "--format", "html", "-o", tmp_path / "b.html")
    assert len(built) == 2 and not cached.exists()


def test_what_decides_the_printed_record_is_in_the_key(tmp_path, cached, monkeypatch):
    """The baseline's decided findings, the output format, colour, whether the file was named, the working folder."""
    from gidraft.batch import Compactor
    from gidraft.results import ResultsCache

    report = str(copy(tmp_path))
    keys = {ResultsCache({}, compactor).key(report) for compactor in (
        Compactor("text"), Compactor("text", decided={"0123456789abcdef"}), Compactor("json"),
        Compactor("text", color=True), Compactor("text", explicit={report}))}
    assert len(keys) == 5
    assert ResultsCache({"select": ["L1"]}, Compactor("text")).key(report) not in keys
    monkeypatch.chdir(tmp_path)  # SARIF's paths are relative to the working folder
    assert ResultsCache({}, Compactor("text")).key(report) not in keys


def test_a_batch_rerun_in_parallel_matches_and_concurrent_runs_are_safe(tmp_path, cached):
    """Two batches at once over the same files (workers storing entries side by side), then a re-run
    served from the cache: the same output as without it."""
    folder = tmp_path / "reports"
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for n in range(6):
        copy(folder, f"r{n}.txt", text.replace("各各", "各" * (n % 2 + 1), 1))
    expected = check_process(folder, "--jobs", "2", "--no-cache")
    runs = [subprocess.Popen([sys.executable, "-m", "gidraft", "check", str(folder), "--jobs", "2"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
            for _ in range(2)]
    outputs = [run.communicate()[0] for run in runs]
    assert outputs == [expected.stdout] * 2
    assert len(list(cached.iterdir())) == 6
    assert check_process(folder, "--jobs", "2").stdout == expected.stdout


def test_pruning_removes_the_least_recently_used(tmp_path, cached):
    from gidraft.batch import Compactor
    from gidraft.results import ResultsCache

    cached.mkdir(parents=True)
    for n in range(4):
        entry = cached / f"{n:040x}"
        entry.write_bytes(b"x" * 100)
        os.utime(entry, ns=(n * 10**9, n * 10**9))
    ResultsCache({}, Compactor("text")).prune(limit=250)
    assert sorted(p.name[-1] for p in cached.iterdir()) == ["2", "3"]


def test_cross_year_pairs_are_found_from_cached_records(tmp_path, cached):
    """The profiles come back from the cache: the later report of a pair gets its X findings on a re-run too."""
    from conftest import PINGTAN_2021

    folder = tmp_path / "pair"
    folder.mkdir()
    pingtan = PINGTAN_2021.read_text(encoding="utf-8")
    copy(folder, "a-2022.txt", pingtan.replace("2021", "2022").replace("2020", "2021"))
    copy(folder, "b-2021.txt", pingtan)
    expected = check_process(folder, "--format", "json", "--no-cache").stdout
    assert '"code": "X1' in expected
    assert [check_process(folder, "--format", "json").stdout for _ in range(2)] == [expected] * 2
    assert len(list(cached.iterdir())) == 2


HIT_PROBE = """
import io, json, sys
sys.argv = ["gidraft", "check", *sys.argv[1:]]
out, sys.stdout = sys.stdout, io.StringIO()
from gidraft.cli import main
try:
    main()
except SystemExit:
    pass
sys.stdout = out
print(json.dumps(sorted(m for m in sys.modules if m.startswith("gidraft."))))
"""


def test_a_hit_imports_no_report_model_and_no_rules(tmp_path):
    """A stored result is printed without the pipeline: neither the report model nor any rule is imported."""
    import json

    report = copy(tmp_path)
    env = {**os.environ, "GIDRAFT_CACHE_DIR": str(tmp_path / "cache"), "PYTHONIOENCODING": "utf-8"}
    loaded = [json.loads(subprocess.run([sys.executable, "-c", HIT_PROBE, str(report)], capture_output=True, text=True,
                                        env=env, check=True).stdout) for _ in range(2)]
    assert "gidraft.report.model" in loaded[0] and "gidraft.rules.loader" in loaded[0]  # the first run checks
    pipeline = [m for m in loaded[1] if m.startswith(("gidraft.report", "gidraft.sources", "gidraft.rules.")) and m != "gidraft.rules.engine"]
    assert pipeline == [], pipeline
