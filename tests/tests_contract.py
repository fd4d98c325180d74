"""The record contract as a check, shared by the property tests and bench/fuzz.py."""

from __future__ import annotations

import re

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
KEYS = ["title", "authors", "authors_truncated", "author_count", "orgs", "date", "date_inferred", "categories",
        "venue", "has_code", "upvotes", "abstract", "ids", "source"]  # fmt: skip
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def check_contract(record: dict) -> None:
    """Raise AssertionError when a record (as ``Record.to_dict()`` gives it) breaks the contract."""
    assert list(record)[: len(KEYS)] == KEYS
    assert record["title"] is None or isinstance(record["title"], str)
    assert all(isinstance(a["name"], str) and a["name"] for a in record["authors"])
    assert record["date"] is None or DATE.match(record["date"])
    assert isinstance(record["authors_truncated"], bool) and isinstance(record["date_inferred"], bool)
    for key in ("author_count", "upvotes"):
        assert record[key] is None or (isinstance(record[key], int) and record[key] >= 0)
    assert not UNSAFE.search(str(record))
