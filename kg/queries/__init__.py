"""SPARQL queries kg itself runs (``kg stats``), kept as ``.rq`` files."""

from __future__ import annotations

from importlib import resources


def load_query(name: str) -> str:
    """The text of ``kg/queries/<name>.rq``.

    Examples
    --------
    >>> "GROUP BY ?class" in load_query("classes")
    True
    """
    return resources.files(__package__).joinpath(f"{name}.rq").read_text(encoding="utf-8")
