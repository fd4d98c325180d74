"""Progress bars on the terminal, drawn from the library's plain progress calls (:mod:`kg.progress`).

Each stage the library reports gets one bar on standard error, with how many of
its items are done out of how many, and the time left (the time it took, once it
is over). Nothing at all is drawn when standard error is not a terminal (a pipe,
a file, a test) or under ``-q``.

Examples
--------
>>> import io
>>> from rich.console import Console
>>> screen = io.StringIO()
>>> with ProgressBars(console=Console(file=screen, force_terminal=True, width=80)) as progress:
...     for done in range(0, 11):
...         progress("reading inputs", done, 10)
>>> "reading inputs" in screen.getvalue() and "10/10" in screen.getvalue()
True
>>> with ProgressBars(quiet=True) as progress:
...     progress("reading inputs", 1, 10)
"""

from __future__ import annotations

import sys
import threading
from typing import Any

_DESCRIPTION_WIDTH = 26
_BAR_WIDTH = 20


def _columns() -> list[Any]:
    from rich.progress import BarColumn, ProgressColumn, TextColumn
    from rich.table import Column
    from rich.text import Text

    class Count(ProgressColumn):
        """Items done out of how many: ``1,204/10,000`` (only the done count while the total is unknown)."""

        def render(self, task) -> Text:
            done = int(task.completed)
            if task.total is None:
                return Text(f"{done:,}" if done else "", style="progress.download")
            shown = f"{done:,}/{int(task.total):,}"
            return Text(shown, style="progress.download")

    class Time(ProgressColumn):
        """Time left while a counted stage runs (``eta 0:12``); the time it took once it is over."""

        max_refresh = 0.5  # the estimate changes twice a second at most: readable, not jumpy

        def render(self, task) -> Text:
            if task.finished or task.total is None:
                return Text(_clock(task.finished_time if task.finished else task.elapsed), style="progress.elapsed")
            left = task.time_remaining
            return Text("eta " + (_clock(left) if left is not None else "-:--"), style="progress.remaining")

    return [
        TextColumn(
            "{task.description}",
            table_column=Column(no_wrap=True, overflow="ellipsis", width=_DESCRIPTION_WIDTH),
        ),
        BarColumn(bar_width=_BAR_WIDTH),
        Count(table_column=Column(justify="right", no_wrap=True)),
        Time(table_column=Column(justify="right", no_wrap=True, min_width=9)),
    ]


def _clock(seconds: float | None) -> str:
    """Seconds as ``m:ss`` (``h:mm:ss`` past an hour).

    Examples
    --------
    >>> _clock(7.4), _clock(754), _clock(3725), _clock(None)
    ('0:07', '12:34', '1:02:05', '0:00')
    """
    whole = int(seconds or 0)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _shorten(stage: str, width: int = _DESCRIPTION_WIDTH) -> str:
    """A stage's name that fits its column: a long path in it keeps its end (the file's name); rich cuts the others.

    Examples
    --------
    >>> _shorten("writing /home/ann/papers/graphs/all-of-2024.ttl")
    'writing …/all-of-2024.ttl'
    >>> _shorten("resolving authors")
    'resolving authors'
    """
    if len(stage) <= width or "/" not in stage:
        return stage
    verb, _, rest = stage.partition(" ")
    room = width - len(verb) - 2
    tail = rest[-room:] if room > 0 else ""
    if "/" in tail:
        tail = tail[tail.index("/") :]
    return f"{verb} …{tail}"[:width]


class ProgressBars:
    """The progress callback the command line gives the library: one bar a stage, on a terminal only.

    Parameters
    ----------
    quiet : bool
        Show nothing (``-q``).
    console : rich.console.Console, optional
        Where to draw (standard error by default); nothing is drawn unless it is a terminal.

    Use it as a context manager: the bars are drawn while the block runs and left
    on the screen, each at its end, when it is over. Calls may come from any thread.
    """

    def __init__(self, quiet: bool = False, console: Any = None) -> None:
        self._console = console
        terminal = console.is_terminal if console is not None else sys.stderr.isatty()
        self.enabled = terminal and not quiet
        self._progress: Any = None
        self._tasks: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __call__(self, stage: str, done: int, total: int | None = None) -> None:
        if not self.enabled:
            return
        with self._lock:
            if self._progress is None:
                self._start()
            task = self._tasks.get(stage)
            if task is not None and self._progress.tasks[self._index(task)].finished and done < (total or 0):
                task = None  # the same stage again (a second store, a second file): a new bar
            if task is None:
                if total == 0:
                    return  # nothing to do: no bar
                self._tasks[stage] = self._progress.add_task(_shorten(stage), total=total, completed=done)
            else:
                self._progress.update(task, total=total, completed=done)

    def _index(self, task: Any) -> int:
        return next(index for index, shown in enumerate(self._progress.tasks) if shown.id == task)

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import Progress

        console = self._console or Console(stderr=True)
        self._progress = Progress(
            *_columns(), console=console, redirect_stdout=False, redirect_stderr=True, refresh_per_second=4
        )
        self._progress.start()

    def __enter__(self) -> ProgressBars:
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            if self._progress is not None:
                self._progress.stop()
                self._progress = None
