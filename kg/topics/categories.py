"""Category codes ("LG", "cs.LG", "hep-th") as labelled topics of the arXiv taxonomy.

Examples
--------
>>> resolve_category("LG")
Category(code='cs.LG', name='Machine Learning', group='Computer Science', printed='LG')
>>> resolve_category("stat.ML").name
'Machine Learning'
>>> resolve_category("XYZ") is None
True
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from kg.data import load_json


class Category(NamedTuple):
    """A category of the taxonomy, with the code as the source printed it."""

    code: str
    name: str
    group: str
    printed: str


@cache
def _taxonomy() -> tuple[dict[str, dict[str, str]], tuple[str, ...]]:
    data = load_json("arxiv_categories.json")
    by_code = {entry["code"].lower(): entry for entry in data["categories"]}
    return by_code, tuple(data["bare_code_archives"])


def scheme() -> dict[str, str]:
    """The id and label of the category scheme."""
    return dict(load_json("arxiv_categories.json")["scheme"])


def resolve_category(printed: str) -> Category | None:
    """The taxonomy entry for a printed code; a bare code takes the first archive that has it."""
    by_code, archives = _taxonomy()
    code = printed.strip()
    entry = by_code.get(code.lower())
    if entry is None and "." not in code:
        entry = next((by_code[f"{a}.{code}".lower()] for a in archives if f"{a}.{code}".lower() in by_code), None)
    if entry is None:
        return None
    return Category(entry["code"], entry["name"], entry["group"], code)
