"""Every file gidraft writes goes through here, so that no write ever destroys anything.

- :func:`guard` refuses an output that is one of the inputs (always: same file by inode or real path)
  and an existing file unless ``force`` (its one meaning: overwrite).
- :func:`write` writes atomically: a temporary file in the target's folder, flushed and fsynced, then
  renamed over the target; on any failure the previous file is intact and no temporary is left.  A new
  file gets the usual permissions (0666 less the umask); a replaced file keeps its mode and group.
  :func:`replacement` does the same for an output written piece by piece (a batch's results as each file
  is done).
- :func:`rewrite` replaces a file in place (``fix --write``) after keeping ``FILE.bak`` with the
  original's bytes and mode.

Failures are :class:`OutputError` with one Chinese line naming the file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable


class OutputError(Exception):
    """An output that cannot or must not be written; the message is one Chinese line naming the file."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def same_file(a: Path | str, b: Path | str) -> bool:
    """Whether ``a`` and ``b`` name one file (same inode, or the same real path when one does not exist)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def guard(target: Path | str, inputs: Iterable[Path | str] = (), force: bool = False) -> Path:
    """``target`` when it may be written: never an input, never an existing file without ``force``."""
    target = Path(target)
    for source in inputs:
        if source is not None and same_file(target, source):
            raise OutputError(f"{target}: 输出文件就是原文件（输入文件 {source}），不能覆盖；请用 -o 指定另一个文件名")
    if os.path.lexists(target):
        if os.path.isdir(target):
            raise OutputError(f"{target}: 这是一个文件夹，不能作为输出文件")
        if not force:
            raise OutputError(f"{target}: 文件已存在，未覆盖；确需覆盖请加 --force，或用 -o 指定另一个文件名")
    return target


def _error(target: Path, exc: OSError) -> OutputError:
    return OutputError(f"{target}: 无法写入：{exc.strerror or exc}")


def write(target: Path | str, data: bytes | str, inputs: Iterable[Path | str] = (), force: bool = False) -> Path:
    """Write ``data`` (text is UTF-8) to ``target`` atomically after :func:`guard`; returns the path written.

    A symbolic link as target is written through: the file it points to is replaced, the link stays.
    """
    target = guard(target, inputs, force)
    return _replace(Path(os.path.realpath(target)), data.encode("utf-8") if isinstance(data, str) else data)


def _replace(path: Path, data: bytes, mode: int | None = None) -> Path:
    with Replacement(path, mode) as out:
        out.write(data)
    return path


class Replacement:
    """A file written piece by piece that replaces ``path`` only when complete: the pieces go to a temporary
    file in the same folder, flushed as they come (a reader following the temporary, or a crash, loses
    nothing already written); leaving the ``with`` block normally fsyncs it and renames it over ``path``
    (a replaced file keeps its mode and group, a new one gets 0666 less the umask), leaving it by an
    exception deletes it and ``path`` is untouched.  Failures are :class:`OutputError`.
    """

    def __init__(self, path: Path, mode: int | None = None) -> None:
        self.path, self.mode = path, mode
        try:
            self.previous = os.stat(path)
        except FileNotFoundError:
            self.previous = None
        except OSError as exc:
            raise _error(path, exc) from exc
        try:
            handle, self.temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        except OSError as exc:
            raise _error(path, exc) from exc
        self.out = os.fdopen(handle, "wb")

    def write(self, data: bytes | str) -> None:
        try:
            self.out.write(data.encode("utf-8") if isinstance(data, str) else data)
            self.out.flush()
        except OSError as exc:
            raise _error(self.path, exc) from exc

    def __enter__(self) -> "Replacement":
        return self

    def __exit__(self, kind, exc, traceback) -> None:
        try:
            if kind is None:
                self._commit()
        except BaseException as failure:
            self._discard()
            if isinstance(failure, OSError):
                raise _error(self.path, failure) from failure
            raise
        if kind is not None:
            self._discard()

    def _commit(self) -> None:
        self.out.flush()
        os.fsync(self.out.fileno())
        self.out.close()
        if self.mode is not None:
            os.chmod(self.temporary, self.mode)
        elif self.previous is not None:
            os.chmod(self.temporary, stat.S_IMODE(self.previous.st_mode))
            try:
                os.chown(self.temporary, -1, self.previous.st_gid)
            except OSError:
                pass  # not a member of that group: the file keeps ours, as a fresh copy would
        else:
            os.chmod(self.temporary, 0o666 & ~_umask())
        os.replace(self.temporary, self.path)

    def _discard(self) -> None:
        if not self.out.closed:
            self.out.close()
        if os.path.exists(self.temporary):
            os.unlink(self.temporary)


def replacement(target: Path | str, inputs: Iterable[Path | str] = (), force: bool = False) -> Replacement:
    """A :class:`Replacement` of ``target`` after :func:`guard` (a symbolic link is written through)."""
    target = guard(target, inputs, force)
    return Replacement(Path(os.path.realpath(target)))


def rewrite(path: Path | str, data: bytes) -> Path:
    """Replace ``path`` in place with ``data``, keeping ``FILE.bak`` (original bytes and mode); returns the backup.

    The file keeps its mode and group.  A read-only file is refused: its owner made it so.
    """
    path = Path(os.path.realpath(path))
    try:
        info = os.stat(path)
        original = path.read_bytes()
    except OSError as exc:
        raise OutputError(f"{path}: 无法读取：{exc.strerror or exc}") from exc
    if not os.access(path, os.W_OK) or not info.st_mode & stat.S_IWUSR:
        raise OutputError(f"{path}: 文件是只读的，未修改；如需修正请先取消只读属性")
    backup = path.with_name(path.name + ".bak")
    if os.path.isdir(backup):
        raise OutputError(f"{backup}: 这是一个文件夹，无法保存备份，未修改")
    _replace(Path(os.path.realpath(backup)), original, mode=stat.S_IMODE(info.st_mode))
    _replace(path, data)
    return backup
