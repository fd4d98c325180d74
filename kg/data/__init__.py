"""Data files shipped with kg (word lists, selectors, page chrome), read with :func:`load_json`."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_json(name: str) -> Any:
    """Load ``kg/data/<name>`` once and return the parsed JSON.

    Examples
    --------
    >>> "van" in load_json("names.json")["particles"]
    True
    """
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))
