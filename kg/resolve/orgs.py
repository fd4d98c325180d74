"""Org resolution: which printed org names are one org, and the name it goes by.

Names are one org when their keys (slugs) are equal, when kg's shipped alias
table (``kg/data/org_aliases.json``) or the user's alias file says so, or when
sources tie them to one ROR id.

Examples
--------
>>> canonical_org("deepmind"), canonical_org("Google DeepMind"), canonical_org("Acme Labs")
('Google DeepMind', 'Google DeepMind', 'Acme Labs')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from kg.records import Record
from kg.resolve.aliases import Aliases
from kg.resolve.keys import org_key


@cache
def _org_aliases() -> dict[str, str]:
    from kg.data import load_json

    table: dict[str, str] = {}
    for canonical, aliases in load_json("org_aliases.json")["orgs"].items():
        for name in (canonical, *aliases):
            table.setdefault(org_key(name), canonical)
    return table


def canonical_org(name: str, extra: dict[str, str] | None = None) -> str:
    """The canonical name of an org from the shipped alias table (and a user's), else the name itself.

    Examples
    --------
    >>> canonical_org("deepmind"), canonical_org("Google DeepMind"), canonical_org("Acme Labs")
    ('Google DeepMind', 'Google DeepMind', 'Acme Labs')
    """
    key = org_key(name)
    if extra and key in extra:
        return extra[key]
    return _org_aliases().get(key, name)


@dataclass(frozen=True)
class OrgResolution:
    """The canonical name of every org key that sources or the user tie to another name."""

    aliases: dict[str, str] = field(default_factory=dict)

    def canonical(self, name: str) -> str | None:
        """The name of the org node ``name`` belongs to; None for a name with no letters or digits."""
        key = org_key(name)
        if not key:
            return None
        return self.aliases.get(key) or canonical_org(name)


def resolve_orgs(records: Sequence[Record], aliases: Aliases | None = None) -> OrgResolution:
    """One name for every org: tied by a ROR id or the user's ``same`` groups (which win), else chosen once.

    Printings with one key ("MIT", "Mit") are one org; its name is the shipped
    table's canonical one, else the printing most sources use (ties: the first
    in code-point order, which prefers capitals), whatever order the records come in.

    Examples
    --------
    >>> orgs = resolve_orgs([Record(orgs=("acme lab",)), Record(orgs=("Acme Lab",)), Record(orgs=("Acme Lab",))])
    >>> orgs.canonical("acme lab"), orgs.canonical("ACME LAB")
    ('Acme Lab', 'Acme Lab')
    >>> resolve_orgs([Record(orgs=("deepmind",))]).canonical("deepmind")  # the shipped table's name
    'Google DeepMind'
    """
    table = {**_ror_alias_table(records), **_user_alias_table(aliases)}
    printings: dict[str, Counter] = {}
    for record in records:
        for name in (*record.orgs, *(a for author in record.authors for a in author.affiliations)):
            key = org_key(name)
            if key and key not in table:
                printings.setdefault(key, Counter())[name] += 1
    for key, counts in printings.items():
        shipped = {canonical_org(name) for name in counts}
        if len(shipped) == 1 and next(iter(shipped)) not in counts:
            table[key] = next(iter(shipped))  # the shipped alias table names it
        else:
            table[key] = min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
    return OrgResolution(table)


def ror_of(record: Record, name: str) -> str | None:
    """The ROR id (the last path segment) a record gives for an org name, if any."""
    table = record.extra.get("org_ror") if isinstance(record.extra, dict) else None
    ror = table.get(name) if isinstance(table, dict) else None
    return ror.rstrip("/").rsplit("/", 1)[-1] if isinstance(ror, str) and ror.strip() else None


def _ror_alias_table(records: Sequence[Record]) -> dict[str, str]:
    """Org names that sources tie to one ROR id all map to one of them (the first in sorted order)."""
    names_of: dict[str, set[str]] = {}
    for record in records:
        for name, ror in (record.extra.get("org_ror") or {}).items() if isinstance(record.extra, dict) else ():
            if isinstance(name, str) and isinstance(ror, str):
                names_of.setdefault(ror, set()).add(name)
    table: dict[str, str] = {}
    for names in names_of.values():
        canonical = canonical_org(min(names))
        for name in names:
            table[org_key(name)] = canonical
    return table


def _user_alias_table(aliases: Aliases | None) -> dict[str, str]:
    table: dict[str, str] = {}
    for group in aliases.same_orgs if aliases else []:
        for name in group:
            table[org_key(name)] = canonical_org(group[0])
    return table
