"""A user's alias file: author and org merges kg must make (``same``) or never make (``different``).

The file is JSON::

    {"authors": {"same": [["A. M. Dai", "Andrew M. Dai"]],
                 "different": [["Markus Schmitt", "Markus Schmitt 0002"]]},
     "orgs": {"same": [["DeepMind", "Google DeepMind"]]}}

Examples
--------
>>> aliases = Aliases.from_dict({"authors": {"same": [["A. Dai", "Andrew Dai"]]}}, "aliases.json")
>>> aliases.same_authors, Aliases.from_dict(aliases.to_dict(), "copy") == aliases
((('A. Dai', 'Andrew Dai'),), True)
>>> Aliases.from_dict({"authors": {"same": [["A. Dai", 3]]}}, "aliases.json")
Traceback (most recent call last):
...
kg.errors.InputError: aliases.json: every alias group must be a list of names
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.resolve.keys import author_key

_EXPECTED = 'expected {"authors": {"same": [[...]], "different": [[...]]}, "orgs": {"same": [[...]]}}'


@dataclass(frozen=True)
class Aliases:
    """A user's forced (``same``) and forbidden (``different``) author and org merges, as written."""

    same_authors: tuple[tuple[str, ...], ...] = ()
    different_authors: tuple[tuple[str, ...], ...] = ()
    same_orgs: tuple[tuple[str, ...], ...] = ()

    @cached_property
    def different_author_keys(self) -> frozenset[frozenset[str]]:
        """The forbidden pairs as name keys (case, accents and spacing as :func:`author_key` sees them)."""
        return frozenset(frozenset(author_key(n) for n in pair) for pair in self.different_authors)

    @classmethod
    def load(cls, path: str) -> Aliases:
        """Read an alias file (JSON, see the module's description).

        Raises
        ------
        kg.errors.InputError
            The file is missing, not JSON, or not in the alias file's shape.
        """
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(path, "no such file") from None
        except (ValueError, UnicodeDecodeError) as error:
            raise InputError(path, f"not a JSON alias file ({error})") from None
        return cls.from_dict(data, path)

    @classmethod
    def from_dict(cls, data: Any, source: str) -> Aliases:
        """Aliases from the file's JSON value; ``source`` names it in errors."""
        try:
            authors, orgs = data.get("authors", {}), data.get("orgs", {})
            groups = {
                "same_authors": authors.get("same", []),
                "different_authors": authors.get("different", []),
                "same_orgs": orgs.get("same", []),
            }
            if not all(isinstance(group, list) for value in groups.values() for group in value):
                raise InputError(source, "every alias group must be a list of names")
            aliases = cls(**{name: tuple(tuple(group) for group in value) for name, value in groups.items()})
        except (AttributeError, TypeError):
            raise InputError(source, _EXPECTED) from None
        if not all(isinstance(n, str) for value in groups.values() for group in value for n in group):
            raise InputError(source, "every alias group must be a list of names")
        return aliases

    def to_dict(self) -> dict[str, Any]:
        """The alias file's JSON value (what :meth:`from_dict` reads)."""
        return {
            "authors": {
                "same": [list(g) for g in self.same_authors],
                "different": [list(g) for g in self.different_authors],
            },
            "orgs": {"same": [list(g) for g in self.same_orgs]},
        }
