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
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """Python's cyclic garbage collector paused for the duration (then as it was).

    Resolution and the views allocate millions of small tuples, sets and dicts that form no cycles; the
    collector would rescan the growing heap again and again (half the time of author resolution at 30,000
    papers, a third of drawing a page at 100,000). Memory is still freed as objects go out of use.

    With ``freeze``, what is alive at the end is moved out of the collector's sight (:func:`gc.freeze`)
    before it runs again: its first run would otherwise scan all of it (1.5 s after a page of 100,000
    papers). For a command that ends soon after, never in a long-lived process: cycles among those
    objects would not be collected.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if freeze:
                gc.freeze()
            gc.enable()
