"""gidraft benchmarks: cold start, warm throughput, a batch of 1000 reports, scaling and peak memory.

Run from the repository root with the Python that has gidraft installed::

    python benchmarks/run.py            # full run (several minutes on 2 cores)
    python benchmarks/run.py --quick    # fewer repeats, same measurements

Every measurement is repeated and reported as a median; the things compared (gidraft, ``python -c
pass``, autocorrect-py) run interleaved in the same session, so a busy machine slows all of them
alike and the ratios stay meaningful.  Peak memory is the ``ru_maxrss`` the kernel reports for the
process (``os.wait4``) or for the batch's worker processes (``RUSAGE_CHILDREN`` inside the batch).
The script exits 0 whatever the results: it measures, it does not gate.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GIDRAFT_SHARED", ROOT / "tests" / "fixtures"))
EXAMPLE = ROOT / "examples" / "zibo-2019.txt"
CORPUS = [SHARED / "corpus" / name for name in
          ("huaian-szf-2024.pdftotext.txt", "pingtan-2021.web.txt", "pingtan-2024.web.txt")]
SAMPLES = [EXAMPLE] + [path for path in CORPUS if path.exists()]
PYTHON = sys.executable
GIDRAFT = [PYTHON, "-m", "gidraft"]
AUTOCORRECT_LINT = ("import sys, autocorrect_py; path = sys.argv[1]; "
                    "autocorrect_py.lint_for(open(path, encoding='utf-8').read(), path)")
MB = 1024 * 1024

TARGET_COLD_SECONDS = 0.35
TARGET_COLD_RATIO = 10
TARGET_THROUGHPUT = 100
TARGET_BATCH_SECONDS = 20
TARGET_SCALING = 5 * 1.2
TARGET_PEAK_MB = 150
TARGET_PARENT_MB = 200
TARGET_LINEAR = 11  # wall time of 10 × the reports ÷ wall time of the reports


# ---------------------------------------------------------------------------------------- measuring

@dataclass
class Run:
    seconds: float
    cpu: float  # user + system CPU seconds of the process and its reaped children
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str


def measure(args: list[str], timeout: float = 900, env: dict | None = None) -> Run:
    """Run a process; wall time, and its peak RSS from os.wait4 (which also covers its reaped children)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(args, stdout=out, stderr=err, env=env, cwd=ROOT)
        killer = threading.Timer(timeout, process.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            killer.cancel()
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode,
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def autocorrect_missing() -> str | None:
    """Why autocorrect-py cannot be used here, or None."""
    probe = subprocess.run([PYTHON, "-c", "import autocorrect_py"], capture_output=True, text=True)
    if probe.returncode:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        return f"autocorrect-py 不可用（pip install autocorrect-py）：{last}"
    return None


# ------------------------------------------------------------------------------------------ results

@dataclass
class Row:
    name: str
    value: str
    reference: str = ""
    ratio: str = ""
    target: str = ""
    passed: bool | None = None  # None: informational

    @property
    def verdict(self) -> str:
        return "" if self.passed is None else ("PASS" if self.passed else "MISS")


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *args, **kwargs) -> None:
        self.rows.append(Row(*args, **kwargs))
        row = self.rows[-1]
        print(f"  {row.name}: {row.value} {row.reference} {row.ratio} {row.verdict}".rstrip(), file=sys.stderr, flush=True)

    def miss(self, name: str, target: str, reason: str) -> None:
        self.add(name, "—", target=target, passed=False)
        self.notes.append(f"{name}: {reason}")

    def table(self) -> str:
        head = ("measurement", "median", "reference (median)", "ratio", "target", "result")
        lines = [head] + [(r.name, r.value, r.reference, r.ratio, r.target, r.verdict) for r in self.rows]
        widths = [max(_width(line[i]) for line in lines) for i in range(len(head))]
        out = []
        for index, line in enumerate(lines):
            out.append("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(line)).rstrip())
            if index == 0:
                out.append("  ".join("-" * w for w in widths))
        if self.notes:
            out += ["", "notes:"] + [f"- {note}" for note in self.notes]
        return "\n".join(out)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


# ------------------------------------------------------------------------------------- measurements

def cold_start(results: Results, repeat: int) -> None:
    print(f"cold start ×{repeat} …", file=sys.stderr, flush=True)
    peer_missing = autocorrect_missing()
    runs: dict[str, list[Run]] = {"pass": [], "gidraft": [], "autocorrect": [], "jieba": [], "hit": []}
    with tempfile.TemporaryDirectory(prefix="gidraft-cold-") as folder:
        env = {**os.environ, "GIDRAFT_CACHE_DIR": str(Path(folder) / "cache")}  # a new cache: its first run is measured
        doubled = Path(folder) / "de-de.txt"  # 的的 needs jieba's judgement (各各 in the seed does not)
        doubled.write_text(EXAMPLE.read_text(encoding="utf-8").replace("密切配合的工作机制", "密切配合的的工作机制", 1), encoding="utf-8")
        # --no-cache: a report seen for the first time (its results not cached), the compiled-pattern cache warm
        first = measure([*GIDRAFT, "check", "--no-cache", str(EXAMPLE)], env=env)
        first_jieba = measure([*GIDRAFT, "check", "--no-cache", str(doubled)], env=env)
        measure([*GIDRAFT, "check", "--no-cache", str(EXAMPLE)], env=env)  # warm-up: bytecode written, caches filled
        measure([*GIDRAFT, "check", str(EXAMPLE)], env=env)  # the report's results stored
        for _ in range(repeat):
            runs["pass"].append(measure([PYTHON, "-c", "pass"], env=env))
            runs["gidraft"].append(measure([*GIDRAFT, "check", "--no-cache", str(EXAMPLE)], env=env))
            runs["hit"].append(measure([*GIDRAFT, "check", str(EXAMPLE)], env=env))
            runs["jieba"].append(measure([*GIDRAFT, "check", "--no-cache", str(doubled)], env=env))
            if not peer_missing:
                runs["autocorrect"].append(measure([PYTHON, "-c", AUTOCORRECT_LINT, str(EXAMPLE)], env=env))
    failed = [r for r in runs["gidraft"] if r.returncode not in (0, 1)]
    if failed:
        results.notes.append(f"gidraft check 退出码 {failed[0].returncode}：{failed[0].stderr.strip()[-300:]}")
    base = median([r.seconds for r in runs["pass"]])
    ours = median([r.seconds for r in runs["gidraft"]])
    results.add("cold check of the seed (wall)", f"{ours:.3f} s", target=f"≤ {TARGET_COLD_SECONDS} s",
                passed=ours <= TARGET_COLD_SECONDS)
    results.add("cold check ÷ python -c pass", f"{ours:.3f} s", f"python -c pass {base:.3f} s",
                f"{ours / base:.1f}×", f"≤ {TARGET_COLD_RATIO}×", ours / base <= TARGET_COLD_RATIO)
    if peer_missing:
        results.miss("cold check ÷ autocorrect-py lint_for", "informational", peer_missing)
    else:
        peer = median([r.seconds for r in runs["autocorrect"]])
        results.add("cold check ÷ autocorrect-py lint_for", f"{ours:.3f} s", f"autocorrect {peer:.3f} s",
                    f"{ours / peer:.1f}×", "informational")
    hit = median([r.seconds for r in runs["hit"]])
    results.add("cold check of an unchanged report (results cache hit)", f"{hit:.3f} s", f"python -c pass {base:.3f} s",
                f"{hit / base:.1f}×", f"≤ {TARGET_COLD_RATIO}×", hit / base <= TARGET_COLD_RATIO)
    rerun_batch(results)
    cpu, base_cpu = median([r.cpu for r in runs["gidraft"]]), median([r.cpu for r in runs["pass"]])
    results.add("cold check, CPU time (less load-sensitive)", f"{cpu:.3f} s", f"python -c pass {base_cpu:.3f} s",
                f"{cpu / base_cpu:.1f}×", "informational")
    results.add("first check on a machine (empty gidraft cache)", f"{first.seconds:.3f} s", target="informational")
    results.add("cold check needing jieba (的的), then its first", f"{median([r.seconds for r in runs['jieba']]):.3f} s",
                f"first {first_jieba.seconds:.3f} s (builds jieba's prefix index)", "", "informational")
    peak = median([r.peak_mb for r in runs["gidraft"]])
    results.add("peak memory, one cold check", f"{peak:.0f} MB", f"python -c pass {median([r.peak_mb for r in runs['pass']]):.0f} MB",
                target=f"≤ {TARGET_PEAK_MB} MB", passed=peak <= TARGET_PEAK_MB)


def rerun_batch(results: Results, count: int = 100) -> None:
    """A reviewer's re-run: ``gidraft check`` of a folder of reports, then again with nothing changed."""
    with tempfile.TemporaryDirectory(prefix="gidraft-rerun-") as folder:
        env = {**os.environ, "GIDRAFT_CACHE_DIR": str(Path(folder) / "cache")}
        reports = Path(folder) / "reports"
        reports.mkdir()
        text = EXAMPLE.read_text(encoding="utf-8")
        for n in range(count):  # each a text of its own (a county's name changed): no two share a result
            (reports / f"{n:03d}.txt").write_text(text.replace("淄博市", f"第{n}市", 1), encoding="utf-8")
        first = measure([*GIDRAFT, "check", str(reports)], env=env)
        again = measure([*GIDRAFT, "check", str(reports)], env=env)
    results.add(f"batch re-run of {count} unchanged reports (cache hits)", f"{again.seconds:.3f} s",
                f"first run {first.seconds:.3f} s", f"{again.seconds / first.seconds:.2f}×", "informational")


# the warm throughput's two kinds of text: reports as text files, and crawler text (one-line pages, run-on tables)
WARM_GROUPS = {
    "txt reports": [EXAMPLE] + [path for path in (SHARED / "corpus" / "hongze-qzf-2023.pdftotext.txt",
                                                  SHARED / "corpus" / "huaian-szf-2024.pdftotext.txt") if path.exists()],
    "crawler text": sorted((SHARED / "corpus").glob("*.web.txt")),
}
TARGET_WARM_RATIO = 1.0


def throughput(results: Results, rounds: int) -> None:
    """Warm, in-process, one core: reports per CPU-second, gidraft and autocorrect-py interleaved, on the txt
    reports and on the crawler text separately (each against autocorrect-py on the same texts)."""
    print(f"warm throughput ×{rounds} …", file=sys.stderr, flush=True)
    run = measure([PYTHON, __file__, "--child-throughput", str(rounds)])
    if run.returncode:
        results.miss("warm throughput", f"≥ {TARGET_THROUGHPUT}/s", f"子进程失败：{run.stderr.strip()[-300:]}")
        return
    data = json.loads(run.stdout)
    for group, measured in data["groups"].items():
        ours = median(measured["gidraft"])
        label = f"warm check_path, {group} ({measured['reports']}: {measured['chars'] // 1000} k characters)"
        if data["autocorrect"] is None:
            results.add(label, f"{ours:.1f} reports/s", target="informational")
            results.miss(f"warm {group}: gidraft ÷ autocorrect-py", f"≥ {TARGET_WARM_RATIO:.1f}×", data["autocorrect_missing"])
            continue
        peer = median(measured["autocorrect"])
        results.add(f"warm {group}: gidraft ÷ autocorrect-py lint_for", f"{ours:.1f} reports/s",
                    f"autocorrect {peer:.1f} reports/s", f"{ours / peer:.2f}×", f"≥ {TARGET_WARM_RATIO:.1f}×",
                    ours / peer >= TARGET_WARM_RATIO)
        results.add(f"  {group}: per report (median of rounds)", f"{1000 / ours:.1f} ms",
                    f"autocorrect {1000 / peer:.1f} ms", target="informational")
    for group in data["groups"]:  # the texts never seen by the process: its caches of words and routes cold
        firsts = []
        for _ in range(rounds):
            first = measure([PYTHON, __file__, "--child-first-sight", group])
            if first.returncode == 0:
                firsts.append(json.loads(first.stdout)["ms"])
        if firsts:
            results.add(f"  {group}: per report on first sight (warmed on the others)", f"{median(firsts):.1f} ms",
                        target="informational")
    everything = median(data["all"])
    results.add("warm check_path, all of them", f"{everything:.1f} reports/s", target=f"≥ {TARGET_THROUGHPUT}/s",
                passed=everything >= TARGET_THROUGHPUT)
    results.notes.append(f"throughput is counted per CPU-second of the one process (time.process_time), "
                         f"{data['rules']} gidraft rules against autocorrect's built-in rules; the groups: "
                         + "; ".join(f"{g}: {', '.join(m['names'])}" for g, m in data["groups"].items()))


def child_throughput(rounds: int) -> None:
    from gidraft.check import check_path
    from gidraft.rules.loader import load_rules

    rules = load_rules()
    groups = {name: [path for path in paths if path.exists()] for name, paths in WARM_GROUPS.items()}
    groups = {name: paths for name, paths in groups.items() if paths}
    every = [path for paths in groups.values() for path in paths]
    for path in every:  # warm: jieba's dictionary, regex caches
        check_path(str(path), rules)
    try:
        import autocorrect_py
    except ImportError as exc:
        autocorrect_py, missing = None, f"autocorrect-py 不可用（pip install autocorrect-py）：{exc}"
    else:
        missing = None
        for path in every:
            autocorrect_py.lint_for(path.read_text(encoding="utf-8"), str(path))

    def rate(paths: list[Path], once) -> float:
        repeat = 3
        start = time.process_time()
        for _ in range(repeat):
            for path in paths:
                once(path)
        return repeat * len(paths) / max(time.process_time() - start, 1e-9)

    def ours(path: Path) -> None:
        check_path(str(path), rules)

    def peer(path: Path) -> None:
        autocorrect_py.lint_for(path.read_text(encoding="utf-8"), str(path))

    out = {name: {"gidraft": [], "autocorrect": [], "reports": len(paths), "names": [p.name for p in paths],
                  "chars": sum(len(p.read_text(encoding="utf-8")) for p in paths)} for name, paths in groups.items()}
    everything = []
    for _ in range(rounds):
        for name, paths in groups.items():
            out[name]["gidraft"].append(rate(paths, ours))
            if autocorrect_py is not None:
                out[name]["autocorrect"].append(rate(paths, peer))
        everything.append(rate(every, ours))
    print(json.dumps({"groups": out, "all": everything, "autocorrect": bool(autocorrect_py) or None,
                      "autocorrect_missing": missing, "rules": len(rules)}))


def child_first_sight(group: str) -> None:
    """Per report, the first check of each text of ``group`` in a process warmed up on the other groups' texts
    (rules loaded, patterns compiled, the dictionary open; this group's words and routes not yet looked up)."""
    from gidraft.check import check_path
    from gidraft.rules.loader import load_rules

    rules = load_rules()
    for other, paths in WARM_GROUPS.items():
        for path in paths if other != group else ():
            if path.exists():
                check_path(str(path), rules)
    paths = [path for path in WARM_GROUPS[group] if path.exists()]
    start = time.process_time()
    for path in paths:
        check_path(str(path), rules)
    print(json.dumps({"ms": 1000 * (time.process_time() - start) / max(len(paths), 1)}))


# ------------------------------------------------------------------------------------------- batch

NUMBER = re.compile(r"(?<![\d.])\d{1,4}(?![\d.])")


def mutate(text: str, rng: random.Random) -> str:
    """A plausible other report: some figures changed, a line dropped or doubled, a character doubled."""
    lines = text.split("\n")
    for _ in range(rng.randint(0, 3)):
        at = rng.randrange(len(lines))
        found = list(NUMBER.finditer(lines[at]))
        if found:
            hit = rng.choice(found)
            lines[at] = lines[at][:hit.start()] + str(rng.randint(0, 60)) + lines[at][hit.end():]
    if rng.random() < 0.3:
        del lines[rng.randrange(len(lines))]
    if rng.random() < 0.3:
        at = rng.randrange(len(lines))
        lines.insert(at, lines[at])
    text = "\n".join(lines)
    if rng.random() < 0.3:
        at = rng.randrange(len(text))
        text = text[:at] + text[at] + text[at:]
    return text


def _html(text: str) -> str:
    from html import escape

    body = "\n".join(f"<p>{escape(line)}</p>" for line in text.split("\n") if line.strip())
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>年报</title></head><body>\n{body}\n</body></html>\n"


def drafted_reports(folder: Path, notes: list[str]) -> list[Path]:
    """Reports written by ``gidraft draft`` from the samples' figures, scaled and renamed; [] when drafting is unavailable."""
    if not (ROOT / "src" / "gidraft" / "commands" / "draft.py").exists():
        notes.append("gidraft draft 尚不存在：批量样本只由样本年报变形生成")
        return []
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    out, failures = [], []
    for number, sample in enumerate(SAMPLES):
        data_file = folder / f"sample{number}.yaml"
        extracted = measure([*GIDRAFT, "extract", str(sample), "--format", "yaml", "--output", str(data_file)])
        if extracted.returncode:
            failures.append(f"extract {sample.name}: {extracted.stderr.strip()[-200:]}")
            continue
        data = yaml.safe_load(data_file.read_text(encoding="utf-8"))
        for factor, suffix in ((2, ".md"), (3, ".txt"), (5, ".docx")):
            varied = _scaled(data, factor)
            meta = varied.setdefault("meta", {})
            agency = meta.get("agency") or "某某局"
            meta["agency"] = f"{agency}第{'零一二三四五'[factor]}分局"
            if meta.get("title"):
                meta["title"] = meta["title"].replace(agency, meta["agency"])
            varied_file = folder / f"sample{number}x{factor}.yaml"
            varied_file.write_text(yaml.safe_dump(varied, allow_unicode=True, sort_keys=False), encoding="utf-8")
            target = folder / f"drafted{number}x{factor}{suffix}"
            drafted = measure([*GIDRAFT, "draft", str(varied_file), "--output", str(target), "--force", "--allow-incomplete"])
            if drafted.returncode or not target.exists():
                failures.append(f"draft {varied_file.name}: {drafted.stderr.strip()[-200:]}")
            else:
                out.append(target)
    if failures:
        notes.append(f"{len(failures)} of {len(failures) + len(out)} drafts failed (the batch goes on without them): " + " | ".join(failures))
    return out


def _scaled(value, factor: int):
    """Every figure multiplied by ``factor`` (table relations are linear, so they still hold); blanks become 0."""
    if isinstance(value, dict):
        return {k: _scaled(v, factor) if k not in ("meta", "sections") else v for k, v in value.items()}
    if isinstance(value, list):
        return [_scaled(v, factor) for v in value]
    if isinstance(value, bool) or value is None:
        return 0 if value is None else value
    if isinstance(value, int):
        return value * factor
    if isinstance(value, float):
        return round(value * factor, 4)
    return value


CHINESE_DIGITS = "零一二三四五六七八九"  # not 〇: the title reader takes 第一〇七分局 for 七分局


def agency_variant(agency: str, index: int) -> str:
    """A distinct agency of the same kind for copy ``index``: 淄博市工业和信息化局 → 淄博市工业和信息化局第一零七分局."""
    return f"{agency}第{''.join(CHINESE_DIGITS[int(d)] for d in str(index))}分局"


def make_batch(folder: Path, count: int, notes: list[str], drafted: list[Path] | None = None) -> None:
    """``count`` reports in ten folders: mutated copies of the samples and drafted reports, each with its own
    agency (so that no two share an agency and year, the case in which a batch keeps the most until the end:
    every report could still pair with a later one).  The first N of a larger batch are the batch of N."""
    from gidraft.report.build import build_report
    from gidraft.sources import read_source

    rng = random.Random(2024)
    own_drafts = drafted is None
    if own_drafts:
        drafted = drafted_reports(folder / "_drafts", notes)
    sources = SAMPLES + [p for p in drafted if p.suffix != ".docx"]
    texts = [p.read_text(encoding="utf-8") for p in sources]
    agencies = [build_report(read_source(str(p))).agency for p in sources]
    words = [p for p in drafted if p.suffix == ".docx"]
    kinds = [".txt", ".txt-gb18030", ".md", ".html"] + ([".docx"] if words else [])
    for index in range(count):
        sub = folder / f"unit{index % 10}"
        sub.mkdir(parents=True, exist_ok=True)
        kind = kinds[index % len(kinds)]
        if kind == ".docx":
            shutil.copyfile(words[index % len(words)], sub / f"r{index:05}.docx")
            continue
        which = index % len(texts)
        text = texts[which]
        if agencies[which]:
            text = text.replace(agencies[which], agency_variant(agencies[which], index))
        text = mutate(text, rng)
        if kind == ".txt-gb18030":
            (sub / f"r{index:05}.txt").write_bytes(text.encode("gb18030", "replace"))
        elif kind == ".html":
            (sub / f"r{index:05}.html").write_text(_html(text), encoding="utf-8")
        else:
            (sub / f"r{index:05}{kind}").write_text(text, encoding="utf-8")
    if own_drafts:
        shutil.rmtree(folder / "_drafts", ignore_errors=True)
    notes.append(f"batch: {count} reports from {len(SAMPLES)} samples and {len(drafted)} drafted reports "
                 f"({', '.join(k.lstrip('.') for k in kinds)}), each with its own agency")


def batch(results: Results, count: int, jobs: int, repeat: int) -> None:
    print(f"batch of {count}, --jobs {jobs}, ×{repeat} …", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="gidraft-bench-") as temporary:
        folder = Path(temporary) / "reports"
        make_batch(folder, count, results.notes)
        runs = [_batch_run(folder, str(jobs)) for _ in range(repeat)]
    if any(run is None or isinstance(run, str) for run in runs):
        results.miss(f"gidraft check DIR --jobs {jobs}", f"≤ {TARGET_BATCH_SECONDS} s", next(r for r in runs if isinstance(r, str) or r is None) or "?")
        return
    seconds = median([r["seconds"] for r in runs])
    cpu = median([r["cpu"] for r in runs])
    results.add(f"check {count} reports, --jobs {jobs} (wall)", f"{seconds:.1f} s", f"{runs[-1]['files']} files, CPU {cpu:.0f} s",
                f"{count / seconds:.0f} reports/s", f"≤ {TARGET_BATCH_SECONDS} s", seconds <= TARGET_BATCH_SECONDS)
    worker = median([r["worker_mb"] for r in runs])
    main = median([r["main_mb"] for r in runs])
    results.add("peak memory per batch worker", f"{worker:.0f} MB", f"main process {main:.0f} MB",
                target=f"≤ {TARGET_PEAK_MB} MB", passed=worker <= TARGET_PEAK_MB)


def large_batch(results: Results, small: int, large: int, repeat: int) -> None:
    """A batch of ``large`` reports with --jobs 2 (parent and worker peak memory, wall time against the first
    ``small`` of them: linear), and the ``small`` batch with --jobs 1, 2 and the default, interleaved."""
    print(f"large batch: {small} reports (--jobs 1, 2, default ×{repeat}), {large} reports (--jobs 2) …", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="gidraft-bench-") as temporary:
        started = time.perf_counter()
        big, few = Path(temporary) / "large", Path(temporary) / "small"
        drafted = drafted_reports(Path(temporary) / "drafts", results.notes)
        make_batch(big, large, results.notes, drafted)
        make_batch(few, small, [], drafted)
        results.notes.append(f"large batch: {small} + {large} reports generated in {time.perf_counter() - started:.0f} s")
        runs: dict[str, list] = {"1": [], "2": [], "0": []}
        for _ in range(repeat):
            for jobs in runs:
                runs[jobs].append(_batch_run(few, jobs))
        largest = _batch_run(big, "2", timeout=4 * 3600)
    failed = [r for group in runs.values() for r in group if isinstance(r, str)] + ([largest] if isinstance(largest, str) else [])
    if failed:
        results.miss(f"batch of {large}", "—", failed[0])
        return
    wall = {jobs: median([r["seconds"] for r in group]) for jobs, group in runs.items()}
    results.add(f"{small} reports, --jobs 1 (wall)", f"{wall['1']:.1f} s", f"CPU {median([r['cpu'] for r in runs['1']]):.0f} s")
    results.add(f"{small} reports, --jobs 2 (wall)", f"{wall['2']:.1f} s", f"--jobs 1: {wall['1']:.1f} s", f"{wall['2'] / wall['1']:.2f}×",
                "≤ 1.0× --jobs 1", wall["2"] <= wall["1"])
    results.add(f"{small} reports, default --jobs (wall)", f"{wall['0']:.1f} s", f"--jobs 1: {wall['1']:.1f} s", f"{wall['0'] / wall['1']:.2f}×",
                "≤ 1.0× --jobs 1", wall["0"] <= wall["1"])
    ratio, limit = largest["seconds"] / wall["2"], TARGET_LINEAR / 10 * large / small
    results.add(f"{large} reports, --jobs 2 (wall)", f"{largest['seconds']:.0f} s", f"{small} reports: {wall['2']:.1f} s",
                f"{ratio:.1f}×", f"≤ {limit:.0f}× (linear: {large / small:.0f}×)", ratio <= limit)
    results.add(f"{large} reports: parent peak memory", f"{largest['main_mb']:.0f} MB", f"{small} reports: {median([r['main_mb'] for r in runs['2']]):.0f} MB",
                target=f"≤ {TARGET_PARENT_MB} MB", passed=largest["main_mb"] <= TARGET_PARENT_MB)
    results.add(f"{large} reports: largest worker peak memory", f"{largest['worker_mb']:.0f} MB",
                f"{small} reports: {median([r['worker_mb'] for r in runs['2']]):.0f} MB",
                target=f"≤ {TARGET_PEAK_MB} MB", passed=largest["worker_mb"] <= TARGET_PEAK_MB)
    if largest.get("worker_private_mb"):
        results.add(f"{large} reports: largest worker private memory", f"{largest['worker_private_mb']:.0f} MB",
                    f"{small} reports: {median([r['worker_private_mb'] for r in runs['2']]):.0f} MB",
                    target="informational")
    results.notes.append(f"{large} reports: {largest['files']} files written, CPU {largest['cpu']:.0f} s "
                         f"({largest['cpu'] / large * 1000:.0f} ms per report); peak memory: the parent's own ru_maxrss "
                         "(RUSAGE_SELF), the workers' the largest ru_maxrss among them (RUSAGE_CHILDREN, all reaped), which counts "
                         "the pages a forked worker shares with the process it was forked from; private memory: sampled twice a second "
                         "from /proc/PID/smaps_rollup (Private_Clean + Private_Dirty)")


def _batch_run(folder: Path, jobs: str, timeout: float = 1800) -> dict | str:
    """One ``gidraft check FOLDER --jobs N --format jsonl``: wall and CPU seconds, files written, peak memory; or why it failed."""
    memo = folder.parent / f"memory-{folder.name}-{jobs}.json"
    memo.unlink(missing_ok=True)
    run = measure([PYTHON, __file__, "--child-batch", str(folder), jobs, str(memo)], timeout=timeout)
    if run.returncode not in (0, 1, 2) or not memo.exists():
        return f"--jobs {jobs}：退出码 {run.returncode}：{run.stderr.strip()[-300:]}"
    return {"seconds": run.seconds, "cpu": run.cpu, **json.loads(memo.read_text()), **json.loads(run.stdout or "{}")}


class _PrivateMemory:
    """The largest private memory (Private_Clean + Private_Dirty of /proc/PID/smaps_rollup: what the process alone
    holds, without the pages a forked worker shares with its parent) among this process's descendants (the workers
    are the children of the batch's forker), sampled twice a second while a batch runs; 0 where /proc has no
    smaps_rollup."""

    def __init__(self) -> None:
        import threading

        self.peak_kb = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._done.wait(0.5):
            for pid in self._descendants():
                try:
                    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
                        private = sum(int(line.split()[1]) for line in handle if line.startswith("Private_"))
                except (OSError, IndexError, ValueError):
                    continue
                self.peak_kb = max(self.peak_kb, private)

    @staticmethod
    def _descendants() -> list[str]:
        parents = {}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
                    parents[pid] = handle.read().rsplit(")", 1)[1].split()[1]
            except (OSError, IndexError):
                continue
        found, mine = [str(os.getpid())], []
        while found:
            parent = found.pop()
            children = [pid for pid, ppid in parents.items() if ppid == parent]
            mine += children
            found += children
        return mine

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return self.peak_kb / 1024


def child_batch(folder: str, jobs: str, memo: str) -> None:
    """``gidraft check FOLDER --jobs N`` in this process, its JSON Lines on standard output (to a file, not kept);
    writes this process's (the parent's) and the largest worker's peak RSS, and the workers' largest private memory."""
    from gidraft.cli import main

    out = Path(memo).with_suffix(".jsonl")
    sys.argv = ["gidraft", "check", folder, "--jobs", jobs, "--format", "jsonl", "--exit-zero", "--no-cache"]  # checked, not recalled
    code = 0
    private = _PrivateMemory()
    with open(out, "w", encoding="utf-8") as sink:
        saved, sys.stdout = sys.stdout, sink
        try:
            main()
        except SystemExit as exc:
            code = exc.code or 0
        finally:
            sys.stdout = saved
    peak = {"main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, "worker_private_mb": private.stop()}
    Path(memo).write_text(json.dumps(peak))
    files = sum(1 for _ in open(out, encoding="utf-8"))
    out.unlink()
    print(json.dumps({"files": files}))
    sys.exit(code)


# ----------------------------------------------------------------------------------------- scaling

def scaling(results: Results, repeat: int) -> None:
    print(f"scaling ×{repeat} …", file=sys.stderr, flush=True)
    seed = EXAMPLE.read_text(encoding="utf-8")
    size = len(seed.encode("utf-8"))
    timings: dict[str, list[float]] = {}
    memory: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="gidraft-scale-") as temporary:
        paths, megabytes = {}, {}
        for label, target in (("100 KB", 100 * 1024), ("1 MB", MB), ("5 MB", 5 * MB)):
            path = Path(temporary) / f"{label.replace(' ', '')}.txt"
            path.write_text("\n".join([seed] * max(1, round(target / size))), encoding="utf-8")
            paths[label], megabytes[label] = path, path.stat().st_size / MB
        for _ in range(repeat):
            for label, path in paths.items():
                run = measure([PYTHON, __file__, "--child-check", str(path)], timeout=1200)
                if run.returncode:
                    results.notes.append(f"scaling {label}: 退出码 {run.returncode}（-9 为超时）{run.stderr.strip()[-200:]}")
                    continue
                timings.setdefault(label, []).append(json.loads(run.stdout)["seconds"])
                memory.setdefault(label, []).append(run.peak_mb)
    for label in paths:
        if label not in timings:
            results.miss(f"check {label}", "—", "没有成功的运行")
            continue
        seconds = median(timings[label])
        results.add(f"check one report repeated to {label} (CPU)", f"{seconds:.2f} s", f"peak {median(memory[label]):.0f} MB",
                    f"{seconds / megabytes[label]:.2f} s/MB")
    if "1 MB" in timings and "5 MB" in timings:
        ratio = median(timings["5 MB"]) / median(timings["1 MB"])
        results.add("scaling 5 MB ÷ 1 MB", f"{ratio:.2f}×", "linear = 5×", f"{ratio / 5:.2f} of linear",
                    f"≤ {TARGET_SCALING:.0f}× (1.2 × linear)", ratio <= TARGET_SCALING)
    else:
        results.miss("scaling 5 MB ÷ 1 MB", f"≤ {TARGET_SCALING:.0f}×", "缺少 1 MB 或 5 MB 的结果")


def child_check(path: str) -> None:
    """CPU time of check_path on one file, after warming up on the example (rules loaded, regexes compiled)."""
    from gidraft.check import check_path
    from gidraft.rules.loader import load_rules

    rules = load_rules()
    check_path(str(EXAMPLE), rules)
    start = time.process_time()
    result = check_path(path, rules)
    seconds = time.process_time() - start
    if result.error:
        sys.exit(f"{path}: {result.error}")
    print(json.dumps({"seconds": seconds, "findings": len(result.findings)}))


# ------------------------------------------------------------------------------------------- pdf

TARGET_PDF_RATIO = 2.0
PDF_TWINS = [(path, path.with_suffix(".pdftotext.txt")) for path in sorted((SHARED / "corpus").glob("*.pdf"))
             if path.with_suffix(".pdftotext.txt").exists()]


def pdf_vs_text(results: Results, repeat: int, rounds: int) -> None:
    """A check of a sample PDF against the check of its own pdftotext text: cold whole processes, interleaved,
    and warm in one process (CPU time)."""
    print(f"pdf ÷ txt ×{repeat} …", file=sys.stderr, flush=True)
    if not PDF_TWINS:
        results.miss("PDF check ÷ txt check", f"≤ {TARGET_PDF_RATIO:.0f}×", "没有同时带 .pdftotext.txt 的样本 PDF")
        return
    cold: dict[Path, list[Run]] = {path: [] for pair in PDF_TWINS for path in pair}
    for pair in PDF_TWINS:
        for path in pair:
            measure([*GIDRAFT, "check", "--no-cache", str(path)])  # warm-up: bytecode written, caches filled
    for _ in range(repeat):
        for pair in PDF_TWINS:
            for path in pair:
                cold[path].append(measure([*GIDRAFT, "check", "--no-cache", str(path)]))  # read and checked every time
    failed = [r for runs in cold.values() for r in runs if r.returncode not in (0, 1)]
    if failed:
        results.notes.append(f"pdf: gidraft check 退出码 {failed[0].returncode}：{failed[0].stderr.strip()[-300:]}")
    run = measure([PYTHON, __file__, "--child-pdf", str(rounds)])
    warm = json.loads(run.stdout) if run.returncode == 0 else None
    if warm is None:
        results.notes.append(f"pdf: warm child failed: {run.stderr.strip()[-300:]}")
    for pdf, txt in PDF_TWINS:
        ours, peer = median([r.seconds for r in cold[pdf]]), median([r.seconds for r in cold[txt]])
        results.add(f"cold check {pdf.name} ÷ its pdftotext text", f"{ours:.3f} s", f"txt {peer:.3f} s",
                    f"{ours / peer:.2f}×", f"≤ {TARGET_PDF_RATIO:.0f}×", ours / peer <= TARGET_PDF_RATIO)
        if warm:
            ours, peer = median(warm[pdf.name]), median(warm[txt.name])
            results.add(f"warm check {pdf.name} ÷ its pdftotext text (CPU)", f"{ours * 1000:.0f} ms", f"txt {peer * 1000:.0f} ms",
                        f"{ours / peer:.2f}×", f"≤ {TARGET_PDF_RATIO:.0f}×", ours / peer <= TARGET_PDF_RATIO)
            read = median(warm["read:" + pdf.name])
            results.add(f"warm reading of {pdf.name} alone (CPU)", f"{read * 1000:.0f} ms", target="informational")


def child_pdf(rounds: int) -> None:
    """CPU time of check_path (and of reading alone) on each twin, interleaved, after a warm-up of each."""
    from gidraft.check import check_path
    from gidraft.rules.loader import load_rules
    from gidraft.sources import read_source

    rules = load_rules()
    paths = [path for pair in PDF_TWINS for path in pair]
    for path in paths:
        check_path(str(path), rules)
    out: dict[str, list[float]] = {}
    for _ in range(rounds):
        for path in paths:
            start = time.process_time()
            check_path(str(path), rules)
            out.setdefault(path.name, []).append(time.process_time() - start)
            if path.suffix == ".pdf":
                start = time.process_time()
                read_source(str(path))
                out.setdefault("read:" + path.name, []).append(time.process_time() - start)
    print(json.dumps(out))


# -------------------------------------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description="gidraft benchmarks: medians and ratios against their targets")
    parser.add_argument("--quick", action="store_true", help="fewer repeats (3 cold runs, 3 throughput rounds, 1 batch and scaling run)")
    parser.add_argument("--repeat", type=int, default=9, help="cold-start runs of each command (default 9)")
    parser.add_argument("--count", type=int, default=1000, help="reports in the batch (default 1000)")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of the batch (default 2)")
    parser.add_argument("--large-count", type=int, default=10000, help="reports in the large batch (default 10000; 0: skip it)")
    parser.add_argument("--small-count", type=int, default=1000, help="the large batch's reference batch (default 1000)")
    parser.add_argument("--only", choices=("cold", "warm", "batch", "scaling", "pdf"), action="append", help="run only these parts")
    parser.add_argument("--child-throughput", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-first-sight", help=argparse.SUPPRESS)
    parser.add_argument("--child-batch", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--child-check", help=argparse.SUPPRESS)
    parser.add_argument("--child-pdf", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # the measured processes use bytecode, as on a user's machine
    if args.child_throughput:
        return child_throughput(args.child_throughput)
    if args.child_first_sight:
        return child_first_sight(args.child_first_sight)
    if args.child_batch:
        return child_batch(*args.child_batch)
    if args.child_check:
        return child_check(args.child_check)
    if args.child_pdf:
        return child_pdf(args.child_pdf)

    parts = list(dict.fromkeys(args.only or ["cold", "warm", "batch", "scaling", "pdf"]))
    repeat = 3 if args.quick else args.repeat
    results = Results()
    print(f"gidraft benchmarks: {PYTHON}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, "
          f"samples: {', '.join(p.name for p in SAMPLES)}", file=sys.stderr, flush=True)
    steps = {
        "cold": lambda: cold_start(results, repeat),
        "warm": lambda: throughput(results, 3 if args.quick else 7),
        "batch": lambda: (batch(results, args.count, args.jobs, 1 if args.quick else 3),
                          args.large_count and large_batch(results, args.small_count, args.large_count, 1 if args.quick else 3)),
        "scaling": lambda: scaling(results, 1 if args.quick else 3),
        "pdf": lambda: pdf_vs_text(results, repeat, 3 if args.quick else 9),
    }
    for part in parts:
        try:
            steps[part]()
        except Exception as exc:  # noqa: BLE001 - a broken part must not cost the other parts' numbers
            results.miss(part, "—", f"the benchmark itself failed: {type(exc).__name__}: {exc}")
    results.notes.append(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(results.table())


if __name__ == "__main__":
    main()
