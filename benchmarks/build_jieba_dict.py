"""Smaller jieba dictionaries for the doubled-character rules (L101, L102), checked against the full one.

jieba spends most of a cold ``gidraft check`` loading its 349 000-word dictionary, yet the doubled-character
rules only ask where the word boundaries around a candidate fall.  This script builds two candidates and
measures them against the full dictionary:

- a compact word list (``--output``): every single character (their frequencies weigh each split), every
  word containing a doubled character (常常, 一一对应), and the words at least ``--min-freq`` times as
  frequent; one extra entry, a private-use character no report contains, carries the frequency of the words
  left out, so the total -- and every word's probability -- is the full dictionary's.  Loaded with
  ``jieba.Tokenizer(dictionary=...)``.
- a clause index (``--index``): jieba's whole prefix dictionary in an SQLite table.  A clause is then
  segmented by a tokenizer given exactly the entries that occur in that clause (``ClauseDictionary``),
  which is the full dictionary's segmentation by construction, without loading anything.  This is what
  gidraft uses (src/gidraft/segmenter.py, the index built once per machine in gidraft's cache folder).

    python benchmarks/build_jieba_dict.py --output /tmp/jieba-compact.txt --index /tmp/jieba-prefix.sqlite

The check runs the real rules L101 and L102 on the sample reports and on variants of them with a
character doubled (or a 2-4 character phrase repeated) at every position in turn, once per dictionary,
and compares the findings.  Exit 1 when a candidate differs from the full dictionary on the unaltered
samples.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import tempfile
import time
from pathlib import Path

import jieba

from gidraft import segmenter
from gidraft.check import check_report
from gidraft.report.build import build_report
from gidraft.rules.loader import load_rules
from gidraft.rules.prose import CJK, is_prose
from gidraft.segmenter import ClauseDictionary, build_index
from gidraft.sources import read_source

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from run import SAMPLES  # noqa: E402

FILLER = "\ue000"  # a private-use character: no report contains it
DOUBLED = re.compile(r"(.)\1")


def build(min_freq: int, output: Path) -> tuple[int, int]:
    """Write the compact dictionary; returns (words kept, words in jieba's dictionary)."""
    rows = [line.split(" ") for line in Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME).read_text(encoding="utf-8").splitlines() if line]
    total = sum(int(row[1]) for row in rows)
    kept = [row for row in rows if len(row[0]) == 1 or int(row[1]) >= min_freq or DOUBLED.search(row[0])]
    left_out = total - sum(int(row[1]) for row in kept)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("".join(" ".join(row) + "\n" for row in kept) + f"{FILLER} {left_out} x\n", encoding="utf-8")
    return len(kept), len(rows)


def variants(report, step: int = 40):
    """Texts with a character doubled (or a short phrase repeated) every ``step`` characters of prose, each offset in turn."""
    text = report.text
    spots = [m.start() for m in re.finditer(f"[{CJK}]", text) if is_prose(report, m.start())]
    for offset in range(step):
        for unit in (1, 2, 3, 4):
            chosen = [at for at in spots[offset::step] if re.fullmatch(f"[{CJK}]{{{unit}}}", text[at:at + unit])]
            out, last = [], 0
            for at in chosen:
                out += [text[last:at + unit], text[at:at + unit]]
                last = at + unit
            yield "".join(out) + text[last:]


def judgements(paths: list[Path], tokenizer, rules, altered: bool) -> list[tuple]:
    """(sample, variant, code, line, column, end column) of every L101/L102 finding, segmenting with ``tokenizer``."""
    segmenter._segmenter = lambda: tokenizer
    segmenter.segment.cache_clear()
    out = []
    with tempfile.TemporaryDirectory() as folder:
        variant = Path(folder) / "variant.txt"
        for number, path in enumerate(paths):
            report = build_report(read_source(str(path)))
            for index, text in enumerate(variants(report) if altered else [None]):
                if text is not None:
                    variant.write_text(text, encoding="utf-8")
                    report = build_report(read_source(str(variant)))
                out += [(number, index, f.code, f.line, f.column, f.end_column) for f in check_report(report, rules)]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-freq", type=int, default=30, help="compact list: keep words at least this frequent (default 30)")
    parser.add_argument("--output", type=Path, required=True, help="where to write the compact word list")
    parser.add_argument("--index", type=Path, required=True, help="where to write the SQLite clause index")
    args = parser.parse_args()
    jieba.setLogLevel(logging.WARNING)
    kept, total = build(args.min_freq, args.output)
    print(f"{args.output}: {kept} of {total} words, {args.output.stat().st_size // 1024} KB")
    build_index(jieba, args.index)
    print(f"{args.index}: {args.index.stat().st_size // 1024} KB")

    full = jieba.Tokenizer()
    start = time.process_time()
    full.initialize()
    full_seconds = time.process_time() - start
    with tempfile.TemporaryDirectory() as cache:
        seconds = []
        for _ in range(2):  # the first load parses the text and writes jieba's cache, the second reads the cache
            compact = jieba.Tokenizer(str(args.output.resolve()))
            compact.tmp_dir = cache
            start = time.process_time()
            compact.initialize()
            seconds.append(time.process_time() - start)
    start = time.process_time()
    clauses = ClauseDictionary(args.index)
    open_seconds = time.process_time() - start
    print(f"initialisation (CPU): full {full_seconds:.2f} s from jieba's cache; compact {seconds[0]:.2f} s from "
          f"the text, {seconds[1]:.2f} s from its cache; clause index {open_seconds:.3f} s")

    rules = [r for r in load_rules() if r.code in ("L101", "L102")]
    plain = judgements(SAMPLES, full, rules, False)
    start = time.process_time()
    altered = set(judgements(SAMPLES, full, rules, True))
    full_seconds = time.process_time() - start
    print(f"variants: {len(altered)} findings with the full dictionary ({full_seconds:.1f} s CPU)")
    agree = True
    for name, tokenizer in (("compact list", compact), ("clause index", clauses)):
        same = judgements(SAMPLES, tokenizer, rules, False) == plain
        agree &= same
        start = time.process_time()
        found = set(judgements(SAMPLES, tokenizer, rules, True))
        print(f"{name}: unaltered samples {'agree' if same else 'DIFFER'}; variants: {len(altered - found)} missed, "
              f"{len(found - altered)} added ({time.process_time() - start:.1f} s CPU)")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
