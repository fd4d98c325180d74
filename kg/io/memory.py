"""Python's memory manager, told what kg's large steps allocate.

Examples
--------
>>> import gc
>>> with collector_paused():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the duration (then as it was).

    Resolution and the views allocate millions of small tuples, sets and dicts that form no cycles; the
    collector would rescan the growing heap again and again (half the time of author resolution at 30,000
    papers, a third of drawing a page at 100,000). Memory is still freed as objects go out of use.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
