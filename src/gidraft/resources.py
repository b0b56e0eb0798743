"""Where the shipped data lives: ``rules/`` and ``templates/`` inside the installed package.

A wheel carries them as ``gidraft/_data/rules`` and ``gidraft/_data/templates``; a source checkout
(editable install, tests) uses the top-level folders of the repository.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .cache import by_content

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    shipped = _PACKAGE / "_data" / name
    if shipped.is_dir():
        return shipped
    return _PACKAGE.parent.parent / name


@lru_cache(maxsize=None)
def load_yaml(relative: str) -> object:
    """Parse a shipped YAML file under ``rules/`` (cached: the data never changes at run time)."""
    raw = (data_dir("rules") / relative).read_bytes()
    return by_content("yaml", raw, lambda: _parse(raw.decode("utf-8")))


def _parse(text: str) -> object:
    import yaml  # only when the file is not in the cache

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
