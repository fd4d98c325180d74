"""Counts by size class: the corpus statistics kg's decisions read, rounded up to a power of two.

A weight read from the corpus's size (a venue's in author resolution, a phrase's document frequency
in the topic ranking) then changes only where a count crosses a power of two, not with every paper a
source adds: what an incremental update can leave in place. Measured against exact counts on the
labelled author sets and the keyphrase benchmarks (bench/README.md).

Examples
--------
>>> [size_class(n) for n in (0, 1, 2, 3, 4, 5, 1000)]
[0, 1, 2, 4, 4, 8, 1024]
"""

from __future__ import annotations


def size_class(count: int) -> int:
    """``count`` rounded up to a power of two (0 stays 0)."""
    return 1 << (count - 1).bit_length() if count > 0 else 0
