"""Word boundaries for the doubled-character rules: jieba, given only the dictionary entries a clause needs.

jieba's own start loads its whole dictionary (349 000 words) into memory: 1.5–2.5 s, on every run
that meets a doubled character worth judging.  The rules only segment a clause of a few dozen
characters around the candidate, and jieba's segmentation of a text depends on nothing but the
dictionary entries that occur in it (words and word prefixes, with their frequencies) and the total
frequency.  So jieba's prefix dictionary is written once per machine into an SQLite file in gidraft's
cache folder, built from the dictionary jieba itself ships, and each clause is segmented by a jieba
tokenizer given exactly the entries found in that clause: the full dictionary's segmentation, HMM for
unknown words included, by construction (tests/test_segmenter.py compares the two on the sample reports
and on thousands of variants of them).  Without a writable cache folder, jieba loads its whole
dictionary as usual.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

from .cache import cache_file

INDEX_VERSION = 1


def _jieba():
    """jieba, imported without pkg_resources (which it only uses to open its own files: 0.2 s)."""
    import logging
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # makes ``import pkg_resources`` fail: jieba falls back to open()
    try:
        import jieba
    finally:
        if blocked:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    return jieba


def _dictionary_file(jieba) -> Path:
    return Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)


def _index_path(jieba) -> Path | None:
    where = cache_file()
    if where is None:
        return None
    stat = _dictionary_file(jieba).stat()
    return where.parent / f"jieba-prefix-{INDEX_VERSION}-{stat.st_size}-{stat.st_mtime_ns}.sqlite"


def build_index(jieba, path: Path) -> None:
    """jieba's prefix dictionary (every word with its frequency, every word prefix with 0) and the total."""
    import sqlite3
    import tempfile
    freq: dict[str, int] = {}
    total = 0
    with open(_dictionary_file(jieba), encoding="utf-8") as lines:
        for line in lines:
            word, count = line.split(" ")[:2]
            count = int(count)
            freq[word] = count
            total += count
            for end in range(1, len(word)):
                freq.setdefault(word[:end], 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".jieba-", suffix=".sqlite")
    os.close(handle)
    try:
        with sqlite3.connect(temporary) as db:
            db.execute("PRAGMA journal_mode = OFF")  # a private file, renamed into place when complete
            db.execute("PRAGMA synchronous = OFF")
            db.execute("CREATE TABLE prefix (entry TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID")
            db.executemany("INSERT INTO prefix VALUES (?, ?)", freq.items())
            db.execute("CREATE TABLE meta (total INTEGER NOT NULL)")
            db.execute("INSERT INTO meta VALUES (?)", (total,))
        db.close()
        os.replace(temporary, path)  # concurrent builders: each writes its own file, the last rename wins
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


class ClauseDictionary:
    """Segments a text with a jieba tokenizer that holds only the prefix-dictionary entries found in it."""

    def __init__(self, jieba, index: Path) -> None:
        import sqlite3

        self.jieba = jieba
        self.db = sqlite3.connect(f"file:{index}?mode=ro", uri=True, check_same_thread=False)
        self.total = self.db.execute("SELECT total FROM meta").fetchone()[0]

    def lcut(self, text: str) -> list[str]:
        freq: dict[str, int] = {}
        lookup = self.db.execute
        for start in range(len(text)):
            for end in range(start + 1, len(text) + 1):
                piece = text[start:end]
                if piece not in freq:
                    row = lookup("SELECT freq FROM prefix WHERE entry = ?", (piece,)).fetchone()
                    if row is None:
                        break  # no dictionary word starts with this piece
                    freq[piece] = row[0]
        tokenizer = self.jieba.Tokenizer()
        tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, self.total, True
        return tokenizer.lcut(text)


@lru_cache(maxsize=1)
def _segmenter():
    """The clause dictionary, or jieba with its whole dictionary when there is no cache folder."""
    import sqlite3

    jieba = _jieba()
    index = _index_path(jieba)
    if index is not None:
        try:
            if not index.exists():
                build_index(jieba, index)
            return ClauseDictionary(jieba, index)
        except (OSError, sqlite3.Error):
            pass  # a read-only or full disk: the whole dictionary, as jieba loads it
    return jieba


@lru_cache(maxsize=4096)
def segment(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each jieba word of ``text``; jieba is imported on first use."""
    spans, at = [], 0
    for token in _segmenter().lcut(text):
        spans.append((at, at + len(token)))
        at += len(token)
    return tuple(spans)
