"""Where the shipped data lives: ``rules/`` and ``templates/`` inside the installed package.

A wheel carries them as ``gidraft/_data/rules`` and ``gidraft/_data/templates``; a source checkout
(editable install, tests) uses the top-level folders of the repository.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    shipped = _PACKAGE / "_data" / name
    if shipped.is_dir():
        return shipped
    return _PACKAGE.parent.parent / name


@lru_cache(maxsize=None)
def load_yaml(relative: str) -> object:
    """Parse a shipped YAML file under ``rules/`` (cached: the data never changes at run time)."""
    with open(data_dir("rules") / relative, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
