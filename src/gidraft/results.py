"""The results cache of ``gidraft check``: a file checked before, unchanged, with the same settings and the
same gidraft, gets its earlier result back instead of being checked again (as ruff keeps its lint results).

Key (a SHA-1 of): the file's path and bytes; the command line's options that decide findings and how they
are printed (select, ignore, rules, fail-on, verbose, trust-config, the output format and colour, the
baseline's decided fingerprints, whether the file was named explicitly); ``GIDRAFT_MAX_BYTES`` and
``GIDRAFT_SOFFICE`` (how .doc, .odt and .rtf files are read); the working folder (SARIF's paths are relative
to it); the user's configuration file and every ``gidraft.toml`` / ``pyproject.toml`` from the file's folder up to the root
(path and bytes: the nearest one is what applies); and a fingerprint of gidraft itself (name, size and
modification time of every file of the package and of its ``rules/`` and ``templates/``; the modification
time of each folder on ``sys.path``, which changes when a library such as jieba is installed or upgraded;
the Python version).  Files the settings name (rule folders, allow-word files) are not known before the
settings are resolved: their digests are stored in the entry and verified on every hit.

Value: the batch's :class:`~gidraft.batch.Record` of the file (what the output prints, the summary row and
the profile cross-year pairing reads), the profile pickled apart so that a hit imports no report or rule
module.  Not stored: files that could not be checked, results that used LanguageTool (a server's answer can
change), standard input, and runs that keep reports (``--format html``, ``--annotate``).

Store: one file per entry in ``results/`` of the cache folder (:func:`gidraft.cache.cache_folder`;
``GIDRAFT_NO_CACHE=1`` turns it off, ``check --no-cache`` skips it for one run), written atomically, led by
a checksum of the rest: a damaged entry is ignored and the file checked again.  A hit renews the entry's
modification time; a run that wrote entries prunes the least recently used ones beyond :data:`LIMIT` bytes.
The folder must be the user's own (entries are pickles).
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache
from pathlib import Path

from .cache import cache_folder, read_checked, write_checked
from .config import user_config

VERSION = 1  # of the entries' layout
LIMIT = 256 << 20  # bytes of entries kept; beyond, the least recently used go
CLI_KEYS = ("select", "ignore", "rules", "fail-on", "verbose", "trust-config")
READER_SETTINGS = ("GIDRAFT_MAX_BYTES", "GIDRAFT_SOFFICE")  # environment variables that change what a file reads to
CONFIG_NAMES = ("gidraft.toml", "pyproject.toml")


def _scan(folder: str, out: list) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name == "__pycache__" or entry.name.startswith("."):
            continue
        if entry.is_dir():
            _scan(entry.path, out)
        else:
            try:
                stat = entry.stat()
            except OSError:
                continue
            out.append(f"{entry.path}\x1f{stat.st_size}\x1f{stat.st_mtime_ns}")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """What changes whenever gidraft's code or data, a library it uses, or the interpreter does."""
    from .resources import data_dir

    parts: list[str] = [str(VERSION), sys.version, sys.executable]
    for folder in (Path(__file__).resolve().parent, data_dir("rules"), data_dir("templates")):
        _scan(str(folder), parts)
    for folder in sys.path:
        try:
            parts.append(f"{folder}\x1f{os.stat(folder or '.').st_mtime_ns}")
        except OSError:
            parts.append(folder)
    return hashlib.sha1("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _file_digest(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha1").hexdigest()  # in chunks: a huge file is not held in memory
    except OSError:
        return None


def dependency_digest(paths) -> str:
    """The digest of files and folders named by the settings (rule folders, allow-word files)."""
    parts = []
    for path in paths:
        if os.path.isdir(path):
            for folder, dirs, files in os.walk(path):
                dirs.sort()
                parts += [f"{name}\x1f{_file_digest(os.path.join(folder, name))}" for name in sorted(files)]
        else:
            parts.append(f"{path}\x1f{_file_digest(path)}")
    return hashlib.sha1("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


class ResultsCache:
    """Look-ups and stores of one ``gidraft check`` run; picklable, so workers store what they check."""

    def __init__(self, cli: dict, compactor) -> None:
        self.folder = str(cache_folder() / "results")
        decided = hashlib.sha1(repr(sorted(map(repr, compactor.decided))).encode()).hexdigest()
        self.base = repr((code_fingerprint(), [(k, cli.get(k)) for k in CLI_KEYS], compactor.output, compactor.color,
                          decided, *map(os.environ.get, READER_SETTINGS), os.getcwd(), self._config(user_config())))
        self.explicit = compactor.explicit
        self._folders: dict[str, str] = {}
        self.misses = 0

    @staticmethod
    def usable(cli: dict, compactor) -> bool:
        """Whether this run may use the cache (see the module's docstring)."""
        return cache_folder() is not None and not (compactor.stdin or compactor.keep_reports or compactor.annotate
                                                   or cli.get("languagetool"))

    @staticmethod
    def _config(path: Path) -> str:
        return f"{path}\x1f{_file_digest(str(path)) if path.is_file() else None}"

    def _configs(self, folder: str) -> str:
        """The configuration files at and above ``folder``, path and content (one look per folder and run)."""
        if folder not in self._folders:
            here = Path(folder).resolve()
            parts = [self._config(candidate) for directory in (here, *here.parents)
                     for candidate in (directory / name for name in CONFIG_NAMES) if candidate.is_file()]
            self._folders[folder] = "\n".join(parts)
        return self._folders[folder]

    def key(self, path: str) -> str | None:
        """The entry's name for ``path`` as it is now, or None when it cannot be read."""
        digest = _file_digest(path) if os.path.isfile(path) else None
        if digest is None:
            return None
        basis = repr((self.base, path, digest, path in self.explicit, self._configs(os.path.dirname(path) or ".")))
        return hashlib.sha1(basis.encode("utf-8", "surrogateescape")).hexdigest()

    def get(self, key: str, index: int):
        """The record stored under ``key`` (as file ``index`` of this run), or None."""
        import pickle
        import zlib

        entry = os.path.join(self.folder, key)
        payload = read_checked(entry)
        if payload is None:
            return None  # missing or damaged: checked again, and the entry replaced
        try:
            dependencies, digest, record, profile, last_side = pickle.loads(zlib.decompress(payload))
            if dependencies and dependency_digest(dependencies) != digest:
                return None
            os.utime(entry)  # recently used: pruned last
        except (OSError, ValueError, EOFError, TypeError, pickle.UnpicklingError, zlib.error):
            return None
        record.index, record.profile, record.last_side = index, profile, last_side
        return record

    def put(self, key: str, record, settings) -> None:
        """Store ``record``, checked with ``settings``, under ``key`` (nothing for a file that failed)."""
        from dataclasses import replace

        from .batch import _pack

        if record.error or settings is None or settings.get("languagetool") or record.result is not None:
            return
        dependencies = [*(settings.get("rules") or []), *(settings.get("allow-files") or [])]
        profile = last_side = None
        if record.profile is not None:  # pickled apart: unpickling a profile imports the cross-year rules
            profile = _pack(record.profile)
            last_side = _pack(replace(record.profile, excerpt=None))
        value = (dependencies, dependency_digest(dependencies) if dependencies else None,
                 replace(record, profile=None, last_side=None), profile, last_side)
        write_checked(os.path.join(self.folder, key), _pack(value))  # a full disk or a read-only folder: not stored

    def prune(self, limit: int = LIMIT) -> None:
        """Remove the least recently used entries while they take more than ``limit`` bytes."""
        try:
            entries = [(e.stat().st_mtime_ns, e.stat().st_size, e.path) for e in os.scandir(self.folder) if e.is_file()]
        except OSError:
            return
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= limit:
                return
            try:
                os.unlink(path)
            except OSError:
                pass
            total -= size

