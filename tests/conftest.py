"""Shared test fixtures: paths to our own fixtures and to ../shared when it is there."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
# The seeds were saved before this date; tests pin "today" so inferred years never drift.
TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def seeds() -> Path:
    if not SEEDS.is_dir():
        skip_unless_required(
            "shared", f"real seed pages not found at {SEEDS} (../shared is only in the project's own checkout)"
        )
    return SEEDS


@pytest.fixture(scope="session")
def shared_data() -> Path:
    data = SHARED / "data"
    if not data.is_dir():
        skip_unless_required(
            "shared", f"real data exports not found at {data} (../shared is only in the project's own checkout)"
        )
    return data


def skip_unless_required(what: str, reason: str) -> None:
    """Skip for a missing optional tool or data, unless $KG_REQUIRE names it: then the missing thing fails the run.

    ``what`` is one of ``server``, ``browser``, ``openssl``, ``virtuoso``, ``dask`` (tools ``.ci/run``
    installs), ``root`` (mounting a small or read-only file system for the full-disk and read-only store
    tests) or ``shared`` (the real pages and exports in ../shared, which CI copies beside its clone).
    ``.ci/run`` sets KG_REQUIRE=server,shared,dask, adds browser, openssl and virtuoso once installed, and
    root when it runs as root, so CI never passes by skipping them.
    """
    if what in {name.strip() for name in os.environ.get("KG_REQUIRE", "").split(",")}:
        pytest.fail(f"{reason} (required here: KG_REQUIRE={os.environ['KG_REQUIRE']})", pytrace=False)
    pytest.skip(reason)
