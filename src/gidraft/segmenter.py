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

The same file holds what the typo rules (rules/typos.py) ask of the dictionary: each word's part of
speech, each character's readings (toneless pinyin, from pypinyin, so a check never imports it) and a
table of the frequent words with one character blanked out (发? → 发挥, 发展 …), which gives in one query
the dictionary words a slip of one character may have come from.  Building it all takes a few seconds,
once per machine (benchmarks/run.py reports it).
"""

from __future__ import annotations

import json
import os
import sys
from functools import lru_cache
from pathlib import Path

from .cache import cache_file

INDEX_VERSION = 3
BLANK = "?"  # the blanked-out character of a pattern (no word contains it)
PATTERN_MIN_FREQ = 50  # words at least this frequent are looked up by pattern
PATTERN_LENGTHS = range(2, 5)
MMAP_SIZE = 1 << 26  # bytes of the index SQLite may map into memory (the file is some 15 MB)


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


def _dictionary_file(jieba=None) -> Path:
    """jieba's dictionary, found without importing jieba (the typo rules read only the index)."""
    if jieba is not None:
        return Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    from importlib.util import find_spec
    return Path(find_spec("jieba").origin).with_name("dict.txt")


def _index_path(jieba=None) -> Path | None:
    where = cache_file()
    if where is None:
        return None
    stat, shapes = _dictionary_file(jieba).stat(), _shapes_file().stat()
    return where.parent / (f"jieba-prefix-{INDEX_VERSION}-{stat.st_size}-{stat.st_mtime_ns}"
                           f"-{shapes.st_size}-{shapes.st_mtime_ns}.sqlite")


def _shapes_file() -> Path:
    from .resources import data_dir
    return data_dir("rules") / "language" / "shapes.txt"


def _shapes() -> dict[str, str]:
    """Character → characters of similar shape (rules/language/shapes.txt, built by benchmarks/build_shape_table.py)."""
    out = {}
    for line in _shapes_file().read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            char, similar = line.split("\t")
            out[char] = similar
    return out


def _readings(chars) -> dict[str, str]:
    """Each character's toneless pinyin readings, space-separated (pypinyin's data, heteronyms included)."""
    from pypinyin import Style, pinyin
    out = {}
    for char in chars:
        found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
        readings = found[0] if found else []
        if readings and all(r.isascii() and r.isalpha() for r in readings):
            out[char] = " ".join(dict.fromkeys(readings))
    return out


def patterns(word: str) -> list[str]:
    """The word with each of its characters blanked out in turn: 发挥 → 发?, ?挥."""
    return [word[:at] + BLANK + word[at + 1:] for at in range(len(word))]


def build_index(jieba, path: Path) -> None:
    """jieba's prefix dictionary (every word with its frequency and part of speech, every word prefix with
    frequency 0) and the total; the characters' readings; the frequent words by pattern."""
    import sqlite3
    import tempfile
    freq: dict[str, tuple[int, str]] = {}
    total = 0
    with open(_dictionary_file(jieba), encoding="utf-8") as lines:
        for line in lines:
            word, count, *tag = line.split()
            count = int(count)
            freq[word] = (count, tag[0] if tag else "")
            total += count
            for end in range(1, len(word)):
                freq.setdefault(word[:end], (0, ""))
    frequent = [w for w, (count, _) in freq.items() if count >= PATTERN_MIN_FREQ and len(w) in PATTERN_LENGTHS]
    readings = _readings({char for word in freq for char in word})
    shapes = _shapes()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".jieba-", suffix=".sqlite")
    os.close(handle)
    try:
        with sqlite3.connect(temporary) as db:
            db.execute("PRAGMA journal_mode = OFF")  # a private file, renamed into place when complete
            db.execute("PRAGMA synchronous = OFF")
            db.execute("CREATE TABLE prefix (entry TEXT PRIMARY KEY, freq INTEGER NOT NULL, tag TEXT NOT NULL) WITHOUT ROWID")
            db.executemany("INSERT INTO prefix VALUES (?, ?, ?)", ((w, c, t) for w, (c, t) in freq.items()))
            db.execute("CREATE TABLE meta (total INTEGER NOT NULL)")
            db.execute("INSERT INTO meta VALUES (?)", (total,))
            db.execute("CREATE TABLE reading (char TEXT PRIMARY KEY, syllables TEXT NOT NULL, shapes TEXT NOT NULL) WITHOUT ROWID")
            db.executemany("INSERT INTO reading VALUES (?, ?, ?)",
                           ((c, readings.get(c, ""), shapes.get(c, "")) for c in set(readings) | set(shapes)))
            db.execute("CREATE TABLE pattern (pattern TEXT NOT NULL, word TEXT NOT NULL, reading TEXT NOT NULL,"
                       " PRIMARY KEY (pattern, word)) WITHOUT ROWID")
            db.executemany("INSERT INTO pattern VALUES (?, ?, ?)",
                           ((p, w, readings.get(w[at], " ").split(" ")[0]) for w in frequent for at, p in enumerate(patterns(w))))
        db.close()
        os.replace(temporary, path)  # concurrent builders: each writes its own file, the last rename wins
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


class WordLookup:
    """Frequency and part of speech of a word, from ``entry`` (the dictionary's, or a dictionary with additions)."""

    def entry(self, piece: str) -> tuple[int, str] | None:
        raise NotImplementedError

    def freq(self, word: str) -> int:
        found = self.entry(word)
        return found[0] if found else 0

    def tag(self, word: str) -> str:
        found = self.entry(word)
        return found[1] if found else ""


# the entries among a JSON list of pieces: one statement, prepared once, whatever the number of pieces
JOINED = "SELECT p.entry, p.freq, p.tag FROM json_each(?) AS j JOIN prefix AS p ON p.entry = j.value"


class ClauseDictionary(WordLookup):
    """Segments a text with a jieba tokenizer that holds only the prefix-dictionary entries found in it,
    and answers the typo rules' questions about words and characters."""

    def __init__(self, index: Path) -> None:
        import sqlite3

        self.db = sqlite3.connect(f"file:{index}?mode=ro", uri=True, check_same_thread=False)
        self.db.execute(f"PRAGMA mmap_size = {MMAP_SIZE}")  # pages read in place: lookups twice as fast as through read()
        self.total = self.db.execute("SELECT total FROM meta").fetchone()[0]
        self.known: dict[str, tuple[int, str] | None] = {}  # entry → (frequency, part of speech); None: absent
        try:
            self.db.execute(JOINED, ("[]",)).fetchall()
            self.joined = True
        except sqlite3.OperationalError:  # an SQLite built without its JSON functions (before 3.38, optional)
            self.joined = False

    def entry(self, piece: str) -> tuple[int, str] | None:
        """(frequency, part of speech) of a dictionary entry (frequency 0: only a prefix of words), or None."""
        if piece not in self.known:
            self.known[piece] = self.db.execute("SELECT freq, tag FROM prefix WHERE entry = ?", (piece,)).fetchone()
        return self.known[piece]


    def entries_in(self, text: str) -> dict[str, int]:
        """The frequency of every prefix-dictionary entry that occurs in text (jieba's FREQ for it)."""
        freq: dict[str, int] = {}
        for start in range(len(text)):
            for end in range(start + 1, len(text) + 1):
                piece = text[start:end]
                if piece not in freq:
                    found = self.entry(piece)
                    if found is None:
                        break  # no dictionary word starts with this piece
                    freq[piece] = found[0]
        return freq

    def tokenizer(self, text: str):
        tokenizer = _jieba().Tokenizer()
        tokenizer.FREQ, tokenizer.total, tokenizer.initialized = self.entries_in(text), self.total, True
        return tokenizer

    def lcut(self, text: str, HMM: bool = True) -> list[str]:  # noqa: N803 (jieba's name)
        return self.tokenizer(text).lcut(text, HMM=HMM)

    def character(self, char: str) -> tuple[str, str]:
        """(most common toneless reading, characters of similar shape) of a character; pypinyin lists the
        most common reading first."""
        row = self.db.execute("SELECT syllables, shapes FROM reading WHERE char = ?", (char,)).fetchone()
        return (row[0].split(" ", 1)[0], row[1]) if row else ("", "")

    def characters(self, chars: list[str]) -> dict[str, tuple[str, str]]:
        """character() of each of the characters, in one query per 900 of them."""
        out = dict.fromkeys(chars, ("", ""))
        for at in range(0, len(chars), 900):  # SQLite's bound on a query's parameters
            chunk = chars[at:at + 900]
            marks = ",".join("?" * len(chunk))
            for char, syllables, shapes in self.db.execute(f"SELECT char, syllables, shapes FROM reading WHERE char IN ({marks})", chunk):
                out[char] = syllables.split(" ", 1)[0], shapes
        return out

    def first_readings(self) -> dict[str, str]:
        """Every character's most common reading, in one query (for benchmarks)."""
        return {char: syllables.split(" ", 1)[0] for char, syllables, _ in self.db.execute("SELECT * FROM reading")}

    def words_like(self, keys: list[str]) -> list[tuple[str, str, str]]:
        """(pattern, word, reading of the blanked character) for the frequent words matching any of the
        patterns (one character blanked)."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        return self.db.execute(f"SELECT pattern, word, reading FROM pattern WHERE pattern IN ({marks})", keys).fetchall()

    def prefetch(self, pieces) -> None:
        """Looks the pieces up in one query (instead of one each): a first check of a report asks some ten
        thousand pieces, most of them no entry, so the bookkeeping is done by the set and dict methods."""
        known = self.known
        todo = list(set(pieces).difference(known))
        if not todo:
            return
        known.update(dict.fromkeys(todo))
        if self.joined:
            rows = self.db.execute(JOINED, (json.dumps(todo, ensure_ascii=False),))
            known.update({entry: (freq, tag) for entry, freq, tag in rows})
            return
        for at in range(0, len(todo), 900):
            chunk = todo[at:at + 900]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT entry, freq, tag FROM prefix WHERE entry IN ({marks})", chunk)
            known.update({entry: (freq, tag) for entry, freq, tag in rows})


@lru_cache(maxsize=1)
def lexicon() -> ClauseDictionary | None:
    """The clause dictionary in gidraft's cache (built on first use), or None without a writable cache folder."""
    import sqlite3

    index = _index_path()
    if index is not None:
        try:
            if not index.exists():
                build_index(_jieba(), index)
            return ClauseDictionary(index)
        except (OSError, sqlite3.Error):
            pass  # a read-only or full disk
    return None


@lru_cache(maxsize=1)
def _segmenter():
    """The clause dictionary, or jieba with its whole dictionary when there is no cache folder."""
    return lexicon() or _jieba()


@lru_cache(maxsize=4096)
def segment(text: str, hmm: bool = True) -> tuple[tuple[int, int], ...]:
    """(start, end) of each jieba word of ``text`` (``hmm``: unknown words found by jieba's HMM, as jieba
    does by default; without it, only dictionary words); jieba is imported on first use."""
    spans, at = [], 0
    for token in _segmenter().lcut(text, HMM=hmm):
        spans.append((at, at + len(token)))
        at += len(token)
    return tuple(spans)
