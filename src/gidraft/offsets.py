"""Positions in a text built from pieces of another text, mapped back to that other text."""

from __future__ import annotations

from bisect import bisect_right


class Offsets:
    """Positions of a text built from pieces of another, mapped back to that other text.

    A piece starting at ``at`` maps position p to ``source + (p - at)`` (copied text) or to ``source``
    (a stand-in such as a figure's mark).  Kept as a list of pieces, looked up by bisection, rather than
    one entry per character.
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.sources: list[int] = []
        self.steps: list[int] = []

    def piece(self, at: int, source: int, step: int = 1) -> None:
        self.starts.append(at)
        self.sources.append(source)
        self.steps.append(step)

    def __getitem__(self, pos: int) -> int:
        i = bisect_right(self.starts, pos) - 1
        return self.sources[i] + self.steps[i] * (pos - self.starts[i])
