"""Progress of long steps, as plain calls: ``progress(stage, done, total)``.

The library tells a caller what a long step is doing by calling a function it
was given with three plain values: the stage's name (``"resolving authors"``),
how many of its items are done, and how many there are (None while that is not
known). A stage is over when ``done == total``. The library never draws
anything: the command line turns these calls into progress bars on a terminal
(:mod:`kg.cli.progress`); a test can record them.

Calls are throttled by :class:`Tally` (a few hundred per stage at most, whatever
its size), so a callback costs nothing a user could measure. A stage that runs
in worker processes may be reported from another thread of this process.

Examples
--------
>>> seen = []
>>> tally = Tally(lambda *call: seen.append(call), "reading", 1000)
>>> for _ in range(1000):
...     tally.advance()
>>> tally.finish()
>>> seen[0], seen[-1], len(seen) <= 202
(('reading', 0, 1000), ('reading', 1000, 1000), True)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

# Told a stage's name, how many of its items are done, and how many there are (None: not known yet).
Progress = Callable[[str, int, "int | None"], None]
_STEPS = 200  # calls per counted stage, at most (about): one per half percent
_INTERVAL_S = 0.1  # a stage of unknown size is reported at most this often
T = TypeVar("T")


def quiet(stage: str, done: int, total: int | None = None) -> None:
    """The progress callback that shows nothing."""


class Tally:
    """One stage's count, passed on to ``progress`` every half percent and when it is over.

    Parameters
    ----------
    progress : callable, optional
        The callback (:data:`Progress`); None shows nothing.
    stage : str
        What the stage does, in words.
    total : int, optional
        How many items it has; None when unknown (then reported every 0.1 s at most).
    """

    def __init__(self, progress: Progress | None, stage: str, total: int | None) -> None:
        self.progress = progress or quiet
        self.stage = stage
        self.total = total
        self.done = 0
        self._step = max(1, total // _STEPS) if total else 1
        self._next = self._step
        self._next_time = 0.0
        self.progress(stage, 0, total)

    def advance(self, items: int = 1) -> None:
        """Count ``items`` more done; reported only when a step is reached."""
        self.done += items
        if self.done < self._next:
            return
        self._next = self.done + self._step
        if self.total is None:
            now = time.monotonic()
            if now < self._next_time:
                return
            self._next_time = now + _INTERVAL_S
        self.progress(self.stage, min(self.done, self.total) if self.total is not None else self.done, self.total)

    def retotal(self, total: int) -> None:
        """The stage turned out to have ``total`` items (known once part of it is done)."""
        self.total = max(total, self.done)
        self._step = max(1, self.total // _STEPS)
        self._next = self.done + self._step
        self.progress(self.stage, self.done, self.total)

    def over(self, items: Iterable[T]) -> Iterator[T]:
        """Each of ``items``, counted once it has been handled; the stage is over at the end."""
        for item in items:
            yield item
            self.advance()
        self.finish()

    def finish(self) -> None:
        """The stage is over: reported as all done."""
        total = self.total if self.total is not None else self.done
        self.done = total
        self.progress(self.stage, total, total)


def step(progress: Progress | None, stage: str) -> Callable[[], None]:
    """A stage with no count (one item): reported as begun now; the function returned ends it.

    Examples
    --------
    >>> seen = []
    >>> done = step(lambda *call: seen.append(call), "writing out.ttl")
    >>> done()
    >>> seen
    [('writing out.ttl', 0, None), ('writing out.ttl', 1, 1)]
    """
    progress = progress or quiet
    progress(stage, 0, None)
    return lambda: progress(stage, 1, 1)
