"""Throwaway data check for rules/language/confusables.yaml (not a pytest file)."""
import collections
import glob
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
YAML_PATH = os.path.join(ROOT, "rules", "language", "confusables.yaml")
SEED = "/work/shared/seed/000_f277899e5bf77171.txt"
CORPUS = sorted(glob.glob("/work/shared/corpus/*.txt"))
EXTRA = sorted(glob.glob("/work/shared/spec/*.md")) + ["/work/shared/DESIGN.md"]

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


data = yaml.safe_load(open(YAML_PATH, encoding="utf-8"))
rule = data["rule"]
assert rule["code"] == "L201" and rule["name"] == "confusable-word", rule
doc_lines = [l for l in rule["doc"].splitlines() if l.strip()]
if not 3 <= len(doc_lines) <= 6:
    fail(f"doc has {len(doc_lines)} lines")

entries = data["entries"]
compiled = []
seen = set()
sev = collections.Counter()
for i, e in enumerate(entries):
    keys = set(e)
    allowed = {"wrong", "pattern", "right", "reason", "severity", "fire", "silent"}
    if keys - allowed:
        fail(f"#{i} unknown keys {keys - allowed}")
    if ("wrong" in e) == ("pattern" in e):
        fail(f"#{i} needs exactly one of wrong/pattern: {e}")
        continue
    label = e.get("wrong") or e.get("pattern")
    if label in seen:
        fail(f"duplicate {label}")
    seen.add(label)
    for k in ("right", "reason", "severity", "fire"):
        if k not in e:
            fail(f"{label}: missing {k}")
    if e["severity"] not in ("error", "warning", "info"):
        fail(f"{label}: bad severity {e['severity']}")
    sev[e["severity"]] += 1
    if len(e["reason"]) > 30:
        fail(f"{label}: reason too long ({len(e['reason'])})")
    if not isinstance(e["fire"], list) or not (1 <= len(e["fire"]) <= 3):
        fail(f"{label}: fire must have 1-3 items")
    silent = e.get("silent", [])
    if not isinstance(silent, list) or len(silent) > 4:
        fail(f"{label}: silent must be a list of <= 3 items")
    if "pattern" in e and not silent:
        fail(f"{label}: pattern entry without silent examples")
    if "wrong" in e:
        if e["right"] == e["wrong"]:
            fail(f"{label}: right == wrong")
        rx = re.compile(re.escape(e["wrong"]))
    else:
        try:
            rx = re.compile(e["pattern"])
        except re.error as ex:
            fail(f"{label}: bad regex {ex}")
            continue
    compiled.append((label, e, rx))

print(f"entries: {len(entries)}  severities: {dict(sev)}")
if len(entries) < 170:
    fail(f"only {len(entries)} entries")

all_silent = []
for label, e, rx in compiled:
    for s in e["fire"]:
        ms = list(rx.finditer(s))
        if not ms:
            fail(f"{label}: fire example does not match: {s!r}")
            continue
        for m in ms:
            if m.group(0) == e["right"]:
                fail(f"{label}: match equals right in {s!r}")
        fixed = rx.sub(e["right"], s)
        if rx.search(fixed):
            fail(f"{label}: still matches after fix: {fixed!r}")
        all_silent.append((label, "fixed-fire", fixed))
    for s in e.get("silent", []):
        if rx.search(s):
            fail(f"{label}: silent example matches: {s!r}")
        all_silent.append((label, "silent", s))

# cross-check: no entry may fire on another entry's silent / fixed examples
for owner, kind, s in all_silent:
    for label, e, rx in compiled:
        m = rx.search(s)
        if m:
            fail(f"{label} fires on {kind} example of {owner}: {s!r} -> {m.group(0)!r}")

# real reports
expected_hits = 0
for path in [SEED] + CORPUS:
    text = open(path, encoding="utf-8").read()
    for label, e, rx in compiled:
        for m in rx.finditer(text):
            ctx = text[max(0, m.start() - 15): m.end() + 25].replace("\n", "\\n")
            ok = path == SEED and m.group(0) == "参见" and e["right"] == "参加"
            tag = "EXPECTED" if ok else "UNEXPECTED"
            print(f"{tag}: {os.path.basename(path)}: {label[:40]} -> {m.group(0)!r} in {ctx!r}")
            if ok:
                expected_hits += 1
            else:
                fail(f"unexpected hit in {path}")
if expected_hits != 1:
    fail(f"expected exactly one 参见 hit in seed, got {expected_hits}")

for path in EXTRA:
    if not os.path.exists(path):
        continue
    text = open(path, encoding="utf-8").read()
    for label, e, rx in compiled:
        for m in rx.finditer(text):
            ctx = text[max(0, m.start() - 15): m.end() + 25].replace("\n", "\\n")
            print(f"EXTRA-HIT (review): {os.path.basename(path)}: {label[:40]} in {ctx!r}")

# dictionary review (informational): jieba's word list
if "--dict" in sys.argv:
    import jieba  # noqa

    dict_path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    words = {}
    for line in open(dict_path, encoding="utf-8"):
        parts = line.split()
        words[parts[0]] = int(parts[1])
    by_first = collections.defaultdict(list)
    by_last = collections.defaultdict(list)
    for w, f in words.items():
        if f >= 200 and len(w) >= 2:
            by_first[w[0]].append((f, w))
            by_last[w[-1]].append((f, w))
    for label, e, rx in compiled:
        hits = [(f, w) for w, f in words.items() if rx.search(w)]
        hits.sort(reverse=True)
        if hits:
            print(f"DICT: {label[:50]}: {hits[:8]}")
        if "wrong" in e and len(e["wrong"]) == 2:
            a, b = e["wrong"]
            left = sorted(by_last[a], reverse=True)[:40]
            right = sorted(by_first[b], reverse=True)[:40]
            combos = [(fa * fb, wa + "|" + wb) for fa, wa in left for fb, wb in right]
            combos.sort(reverse=True)
            print(f"JOIN: {label}: {[c for _, c in combos[:12]]}")

if failures:
    print(f"\n{len(failures)} failure(s)")
    sys.exit(1)
print("\nALL OK")
