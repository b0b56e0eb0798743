"""Work that gives the same result on every run, kept between runs: parsed YAML files and compiled
regular expressions.

A check compiles some 700 regular expressions (word lists, narrative facts, table labels) and parses
the rule files; done on every start that is most of a cold ``gidraft check``.  Both results depend on
nothing but their input, so they are stored in one file per Python build, keyed by content: a YAML
file by the hash of its bytes, a regular expression by its pattern and flags.  Nothing goes stale.

The compiled form of a regular expression is the engine's own program (what ``re`` builds before its
final step), given back to the engine with ``_sre.compile``.  That step is internal to CPython, so
the cache is keyed by the exact interpreter build and checked once per process against ``re.compile``;
on any difference, or on another Python implementation, patterns are simply compiled by ``re``.

The file lives in ``$GIDRAFT_CACHE_DIR``, else ``$XDG_CACHE_HOME/gidraft``, else ``~/.cache/gidraft``;
``GIDRAFT_NO_CACHE=1`` turns it off.  It is written atomically (a temporary file, then a rename), so
concurrent runs never see half a file; a damaged or unwritable cache is ignored.  The file starts with
a checksum of the rest, verified once when it is loaded: a file that does not match it (damaged or
altered) is dropped whole and its entries computed again, never used.  (One checksum per file, not one
per entry: checking some 1 200 entries one by one cost 5 ms of every cold check.)
"""

from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

try:  # hashlib's own BLAKE2, without importing hashlib, which loads OpenSSL (3 ms of every start)
    from _blake2 import blake2b
except ImportError:  # another Python implementation
    from hashlib import blake2b

VERSION = 4  # of this file's layout (2: a checksum per entry; 3: one checksum of the whole file; 4: BLAKE2 for SHA-1)
DIGEST = 20  # bytes of the file's checksum (BLAKE2b of 20 bytes), before the marshalled dict


def digest(content: bytes) -> bytes:
    """The checksum of the cache files and the key of content kept by :func:`by_content`."""
    return blake2b(content, digest_size=DIGEST).digest()


@lru_cache(maxsize=1)
def cache_folder() -> Path | None:
    """The folder of gidraft's caches (this one and :mod:`gidraft.results`), or None when they are off."""
    if os.environ.get("GIDRAFT_NO_CACHE"):
        return None
    folder = os.environ.get("GIDRAFT_CACHE_DIR")
    if not folder:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, "gidraft")
    return Path(folder)


@lru_cache(maxsize=1)
def cache_file() -> Path | None:
    """Where the cache lives (decided once per process)."""
    folder = cache_folder()
    if folder is None:
        return None
    build = digest(f"{VERSION}|{sys.version}|{sys.implementation.cache_tag}".encode()).hex()[:12]
    return folder / f"cache-{build}.marshal"


def read_checked(path: str | Path) -> bytes | None:
    """The payload of a file written by :func:`write_checked`, or None when it is missing, unreadable or damaged
    (its checksum does not match)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    return raw[DIGEST:] if digest(raw[DIGEST:]) == raw[:DIGEST] else None


def write_checked(path: str | Path, payload: bytes) -> bool:
    """Write ``payload`` led by its checksum to ``path`` atomically (a temporary in the same folder, then a
    rename: concurrent runs never see half a file); False, leaving nothing behind, when the folder is full or
    read-only (a cache is then simply not kept)."""
    import tempfile

    path = Path(path)
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".cache-")
        with os.fdopen(handle, "wb") as out:
            out.write(digest(payload) + payload)
        os.replace(temporary, path)
        return True
    except OSError:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)
        return False


class Store:
    """A dict kept in one marshal file: loaded on first use, written back at exit when it grew."""

    def __init__(self) -> None:
        self._data: dict | None = None
        self._dirty = False

    @property
    def data(self) -> dict:
        if self._data is None:
            self._data = {}
            path = cache_file()
            if path is not None:
                payload = read_checked(path)
                try:
                    loaded = marshal.loads(payload) if payload is not None else None
                except (ValueError, EOFError, TypeError):
                    loaded = None  # damaged: start afresh
                if isinstance(loaded, dict):
                    self._data = loaded
                atexit.register(self.save)
        return self._data

    def get(self, key):
        """The value stored under ``key``, or None."""
        return self.data.get(key)

    def drop(self, key) -> None:
        self.data.pop(key, None)
        self._dirty = True

    def put(self, key, value) -> None:
        if self.get(key) == value:
            return  # already known: the file is not rewritten
        try:
            marshal.dumps(value)
        except ValueError:
            return  # not plain data: not cached
        self.data[key] = value
        self._dirty = True

    def save(self) -> None:
        path = cache_file()
        if not self._dirty or path is None or self._data is None:
            return
        # marshal version 2 writes no back-references: canonical bytes; a full disk or a read-only home: no cache
        if write_checked(path, marshal.dumps(self._data, 2)):
            self._dirty = False


STORE = Store()


def seen(kind: str, content: bytes) -> bool:
    """Whether ``remember(kind, content)`` was called for this content (in this run or an earlier one)."""
    return STORE.get((kind, digest(content).hex())) is not None


def remember(kind: str, content: bytes) -> None:
    STORE.put((kind, digest(content).hex()), True)


def by_content(kind: str, raw: bytes, compute: Callable[[], object]) -> object:
    """``compute()``, the result of reading ``raw`` (a file's bytes), kept under the hash of those bytes."""
    key = (kind, digest(raw).hex())
    cached = STORE.get(key)
    if cached is None:
        cached = compute()
        STORE.put(key, cached)
    return cached


# --- regular expressions -------------------------------------------------------------------------

try:
    import _sre
    from re import _compiler, _parser
except ImportError:  # another Python implementation
    _sre = None


def _program(pattern: str, flags: int) -> tuple:
    """What ``re._compiler.compile`` hands to ``_sre.compile``, as plain data."""
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # opcodes are int subclasses
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _from_program(pattern: str, program: tuple) -> re.Pattern:
    flags, code, groups, groupindex, indexgroup = program
    return _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)


def _engine_agrees() -> bool:
    """The cached route gives the same pattern object as ``re.compile`` (checked once per process)."""
    if _sre is None:
        return False
    probe = r"(?P<n>\d+)(?<![ab])c|[d-f]{2,}?(?=\.)"
    try:
        ours = _from_program(probe, _program(probe, 0))
    except Exception:  # noqa: BLE001 - any change of the engine's internals: use re
        return False
    theirs = re.compile(probe)
    text = "12c, a3c; def. ef"
    return (ours.pattern, ours.flags, ours.groups, ours.groupindex) == (theirs.pattern, theirs.flags, theirs.groups, theirs.groupindex) \
        and [m.span() for m in ours.finditer(text)] == [m.span() for m in theirs.finditer(text)]


_usable: bool | None = None


def compiled(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile``, with the compiled program kept between runs."""
    global _usable
    if _usable is None:
        _usable = _engine_agrees()
    if not _usable or cache_file() is None:
        return re.compile(pattern, flags)
    key = ("re", pattern, int(flags))
    program = STORE.get(key)
    if program is not None:
        try:
            return _from_program(pattern, program)
        except Exception:  # noqa: BLE001 - a stored program the engine refuses: compile it afresh
            STORE.drop(key)
    program = _program(pattern, int(flags))  # raises re.error like re.compile
    STORE.put(key, program)
    return _from_program(pattern, program)
