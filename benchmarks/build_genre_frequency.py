"""Build rules/language/genre-frequency.txt: how often the reports of different agencies write each word.

A slip is made while writing a word of the genre (申请, 发挥, 受理, 突发), so the typo rule L103 asks of a correction
the report itself never writes how often other agencies' reports write it, against how often jieba's general prose
does: 推文 → 推广, 专网 → 专用, 两微 → 两位 raise a sentence's probability under jieba's model, but reports write
推广, 专用 and 两位 far less often than general prose, and such a correction needs more evidence.  The list holds,
for each dictionary word of two characters, its occurrences (at most ``PER_DOCUMENT`` in one document), the
number of documents and of Chinese characters counted, and ``unseen``: the share of all occurrences in jieba's
dictionary that its two-character words not counted take (L103 spreads the genre's probability of the words it has
not met as jieba spreads it: genre_rarity()).

    python benchmarks/build_genre_frequency.py DIR_OR_FILE ...   # .txt/.md files; .jsonl lines with "text"

Each document is another agency: a folder's index.tsv (file, url, year, agency) names each file's agency and the
files of one agency are one document.  The quality benchmark's samples are reports like any other, but a list that
counts them has seen the words of their mutants: measure recall with a list built without them.
The output holds words and counts only, no text of any report; rebuild it when the corpus grows.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "rules" / "language" / "genre-frequency.txt"
PER_DOCUMENT = 2
LENGTH = 2  # L103 asks it of two-character corrections only
CLAUSE = re.compile(r"[\u3400-\u9fff]+")


def documents(paths: list[Path]) -> dict[str, str]:
    """The documents' texts by agency (a file without an index.tsv entry, or a .jsonl line, is its own)."""
    out: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        files = sorted(path.iterdir()) if path.is_dir() else [path]  # a folder: its own files, not subfolders
        agencies = {}
        for index in (f for f in files if f.name == "index.tsv"):
            for row in index.read_text(encoding="utf-8").splitlines()[1:]:
                cells = row.split("\t")
                if len(cells) >= 4 and cells[3].strip():
                    agencies[index.parent / cells[0]] = cells[3].strip()
        for file in files:
            if file.suffix == ".jsonl":
                for number, line in enumerate(file.read_text(encoding="utf-8").splitlines()):
                    if line.strip():
                        out[f"{file}:{number}"].append(json.loads(line)["text"])
            elif file.suffix in (".txt", ".md") and file.name != "README.md":
                out[agencies.get(file, str(file))].append(file.read_text(encoding="utf-8", errors="replace"))
    return {agency: "\n".join(texts) for agency, texts in out.items()}


def dictionary() -> dict[str, int]:
    """jieba's dictionary: word → frequency."""
    text = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME).read_text(encoding="utf-8")
    return {word: int(freq) for word, freq in (line.split(" ")[:2] for line in text.splitlines())}


def dictionary_words() -> frozenset[str]:
    return frozenset(w for w in dictionary() if len(w) == LENGTH)


def unseen_share(counted: list[tuple[str, int]]) -> float:
    """The share of the dictionary's occurrences taken by its two-character words that ``counted`` lacks."""
    entries, have = dictionary(), {word for word, _ in counted}
    return sum(f for w, f in entries.items() if len(w) == LENGTH and w not in have) / sum(entries.values())


def occurrences(texts: list[str]) -> list[tuple[str, int]]:
    """(word, occurrences) of the dictionary words found in the texts, at most PER_DOCUMENT counted in one text (one
    report writing a word twenty times tells of that report, not of the genre), most frequent first."""
    words, counted = dictionary_words(), Counter()
    for text in texts:
        pieces = Counter(clause[at:at + LENGTH] for clause in CLAUSE.findall(text) for at in range(len(clause) - 1))
        counted.update({piece: min(n, PER_DOCUMENT) for piece, n in pieces.items() if piece in words})
    return sorted(counted.items(), key=lambda item: (-item[1], item[0]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    texts = list(documents(args.paths).values())
    counted = occurrences(texts)
    header = [
        "# 政府信息公开年报用词的次数：jieba 词典中的两字词，在不同机关的年报文字中出现的次数（每篇至多计 "
        f"{PER_DOCUMENT} 次）。",
        "# L103 用它判断建议的词是不是年报常用的词。由 benchmarks/build_genre_frequency.py 统计得出，不要手工增删。",
        f"documents\t{len(texts)}",
        f"characters\t{sum(len(clause) for text in texts for clause in CLAUSE.findall(text))}",
        f"unseen\t{unseen_share(counted):.6f}",
    ]
    args.output.write_text("\n".join(header + [f"{word}\t{n}" for word, n in counted]) + "\n", encoding="utf-8")
    print(f"{len(counted)} dictionary words in {len(texts)} documents -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
