"""Findings snapshot: everything ``gidraft check`` finds and ``gidraft extract`` reads on every sample and on
every mutant of the quality benchmark, written canonically to one file, so that a change meant to alter
nothing (a speed-up) can be proved to alter nothing.

    python benchmarks/snapshot.py before.json                 # every sample, every mutant of --seed 1
    python benchmarks/snapshot.py after.json --quick          # the quality benchmark's --quick cases only
    python benchmarks/snapshot.py --compare before.json after.json   # the differences; exit 1 if any

The samples are those of ``tests/fixtures`` (the seed, the corpus in every rendering, the excerpts) and
``examples/``; the mutants are made by the injectors of ``benchmarks/quality.py`` (imported, not copied), every
type, the case limits of a full (or ``--quick``) quality run.  For each file the snapshot keeps the JSON file
object of ``gidraft check --format json`` (path made relative) and, for every finding, its logical span, raw
span, fix safety, related places and evidence as well; for the samples also the ``gidraft extract`` data.
The JSON is written with sorted keys and a stable order of files, so two snapshots of the same findings are
byte-identical (``cmp`` decides).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import quality  # the quality benchmark's samples and injectors, beside this script


def finding_record(item, source) -> dict:
    """One finding: the JSON contract's object plus everything else a rule decided."""
    from gidraft.output.json import finding_object

    f = item.finding
    record = finding_object(item, source)
    record.update({
        "start": f.start, "end": f.end, "fix_safe": f.fix_safe,
        "raw": [source.raw_offset(f.start), source.raw_offset(max(f.start, f.end - 1)) + 1 if f.end > f.start else None],
        "related": [list(r) for r in f.related or []],
        "evidence": f.evidence,
    })
    return record


def result_record(result, name: str, data: bool) -> dict:
    from gidraft.batch import Compactor
    from gidraft.output.json import file_object

    obj = file_object(Compactor("json")(0, result))  # the file object exactly as `check --format json` writes it
    obj["path"] = name
    if result.source is not None:
        obj["findings"] = [finding_record(item, result.source) for item in result.findings]
        if data:
            obj["data"] = quality.Gidraft.extract(result)
    return obj


def take(seed: int, quick: bool, fixtures: Path) -> dict:
    gidraft = quality.Gidraft()
    files: dict[str, dict] = {}
    samples, excerpts, results = quality.load_samples(fixtures, gidraft)
    quality.attach_readings(fixtures, samples)
    for path, result in results.items():
        name = str(path.relative_to(fixtures.parent.parent)) if path.is_relative_to(fixtures.parent.parent) else path.name
        files[name] = result_record(result, name, data=True)
    examples = HERE.parent / "examples"
    for path in sorted(examples.glob("*")) if examples.is_dir() else ():
        name = f"examples/{path.name}"
        files[name] = result_record(gidraft.check(path), name, data=True)
    for sample in excerpts:
        files[sample.name] = result_record(gidraft.check_text(sample.filename, sample.raw), sample.name, data=False)
    language = quality.Language()
    wanted = quality.resolve_types(None)
    if language.pinyin is None:
        wanted.remove("pinyin")
    limits = quality.LIMITS["quick" if quick else "full"]
    chosen = [s for s in samples if s.mutable] + (excerpts[::4] if quick else excerpts)
    mutants = 0
    for sample in chosen:
        for number, mutant in enumerate(quality.mutants_for(sample, wanted, language, seed, limits)):
            name = f"mutant {sample.name} {number:03d} {mutant.type} @{mutant.start}: {mutant.what}"
            result = gidraft.check_text(sample.filename, mutant.apply(sample.raw))
            files[name] = result_record(result, name, data=False)
            mutants += 1
    return {"seed": seed, "quick": quick, "mutants": mutants, "files": dict(sorted(files.items()))}


def canonical(snapshot: dict) -> str:
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True, indent=1, default=repr) + "\n"


def compare(a: Path, b: Path, limit: int = 40) -> int:
    """Print the differences of two snapshots; the number of files that differ."""
    left, right = (json.loads(p.read_text(encoding="utf-8")) for p in (a, b))
    if (left["seed"], left["quick"]) != (right["seed"], right["quick"]):
        print(f"note: different cases (seed {left['seed']} quick {left['quick']} vs "
              f"seed {right['seed']} quick {right['quick']})")
    differ = 0
    for name in sorted(set(left["files"]) | set(right["files"])):
        x, y = left["files"].get(name), right["files"].get(name)
        if x == y:
            continue
        differ += 1
        if differ > limit:
            continue
        print(f"\n== {name}")
        if x is None or y is None:
            print(f"   only in {a if y is None else b}")
            continue
        for key in sorted(set(x) | set(y)):
            if key != "findings" and x.get(key) != y.get(key):
                print(f"   {key}: {json.dumps(x.get(key), ensure_ascii=False)[:300]}\n"
                      f"    → {json.dumps(y.get(key), ensure_ascii=False)[:300]}")
        fx = [json.dumps(f, ensure_ascii=False, sort_keys=True) for f in x.get("findings") or []]
        fy = [json.dumps(f, ensure_ascii=False, sort_keys=True) for f in y.get("findings") or []]
        for f in fx:
            if f not in fy:
                print(f"   - {f[:400]}")
        for f in fy:
            if f not in fx:
                print(f"   + {f[:400]}")
        if sorted(fx) == sorted(fy) and fx != fy:
            print("   (same findings, another order)")
    if differ > limit:
        print(f"\n… and {differ - limit} more files")
    print(f"\n{differ} of {len(set(left['files']) | set(right['files']))} files differ")
    return differ


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", nargs="?", help="the snapshot file to write")
    parser.add_argument("--compare", nargs=2, metavar=("A", "B"), help="print the differences of two snapshots")
    parser.add_argument("--seed", type=int, default=1, help="seed of the quality benchmark's mutants (default 1)")
    parser.add_argument("--quick", action="store_true", help="the quality benchmark's --quick cases only")
    parser.add_argument("--fixtures", metavar="DIR", default=str(HERE.parent / "tests" / "fixtures"))
    args = parser.parse_args(argv)
    if args.compare:
        sys.exit(1 if compare(Path(args.compare[0]), Path(args.compare[1])) else 0)
    if not args.output:
        parser.error("give the snapshot file to write, or --compare A B")
    snapshot = take(args.seed, args.quick, Path(args.fixtures).resolve())
    Path(args.output).write_text(canonical(snapshot), encoding="utf-8")
    print(f"{args.output}: {len(snapshot['files'])} files ({snapshot['mutants']} mutants)", file=sys.stderr)


if __name__ == "__main__":
    main()
