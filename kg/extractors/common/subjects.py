"""Subjects of controlled schemes as readers keep them: ``record.extra["subjects"]``.

Each subject is a plain object ``{"scheme", "code", "label"}`` (a code or a label may be null),
with ``"broader"`` (a list of ``{"code", "label"}``, nearest parent first) only when the source
names the parents. The graph writer turns them into SKOS concepts (:mod:`kg.topics.schemes`).

Examples
--------
>>> msc_codes("Primary 35Q55; Secondary 35B40, 37kxx (2010: 35-02)")
['35Q55', '35B40', '37Kxx', '35-02']
>>> acm_codes("I.2.6; I.2.7 (primary), F.2.2")
['I.2.6', 'I.2.7', 'F.2.2']
>>> mesh_heading("*Aorta/injuries")
'Aorta'
>>> subjects("msc", msc_codes("37K05 37K10"))
[{'scheme': 'msc', 'code': '37K05', 'label': None}, {'scheme': 'msc', 'code': '37K10', 'label': None}]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_MSC_RE = re.compile(r"(?<![\w.])(\d\d)(?:([A-Za-z])(\d\d|xx|XX)|-(XX|xx|\d\d))(?![\w.])")
_ACM_RE = re.compile(r"(?<![\w.])([A-K])\.(\d{1,2}|m)(?:\.(\d{1,2}|m))?(?![\w])")
_CODED_LABEL_RE = re.compile(r"^(\d{2,6})\s+(\S.*)$")


def subject(scheme: str, code: str | None = None, label: str | None = None) -> dict[str, Any] | None:
    """One subject object, or None when it has neither code nor label."""
    code = " ".join(code.split()) if code else None
    label = " ".join(label.split()) if label else None
    return {"scheme": scheme, "code": code or None, "label": label or None} if (code or label) else None


def subjects(scheme: str, codes: Iterable[str] = (), labels: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Subjects of one scheme from codes (no labels) and from labels (no codes), without repeats."""
    found = [subject(scheme, code=c) for c in codes] + [subject(scheme, label=label) for label in labels]
    return unique_subjects(s for s in found if s)


def unique_subjects(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Subjects in first-seen order, each (scheme, code, label) once."""
    seen: dict[tuple, dict[str, Any]] = {}
    for item in items:
        seen.setdefault((item["scheme"], item.get("code"), item.get("label")), item)
    return list(seen.values())


def msc_codes(text: str | None) -> list[str]:
    """The MSC codes printed in an ``MSC-class`` value, normalised ("37K05", "37Kxx", "37-XX", "05-01")."""
    codes = []
    for match in _MSC_RE.finditer(text or ""):
        area, letter, rest, dashed = match.groups()
        if letter:
            codes.append(f"{area}{letter.upper()}{'xx' if rest.lower() == 'xx' else rest}")
        else:
            codes.append(f"{area}-{dashed.upper()}")
    return list(dict.fromkeys(codes))


def acm_codes(text: str | None) -> list[str]:
    """The ACM CCS 1998 codes printed in an ``ACM-class`` value ("I.2.6", "F.2"); 2012 CCS paths are not codes."""
    codes = [".".join(p for p in match.groups() if p) for match in _ACM_RE.finditer(text or "")]
    return list(dict.fromkeys(codes))


def mesh_heading(text: str) -> str:
    """A MeSH heading as MEDLINE and Lens print it, without its major-topic ``*`` and ``/qualifier`` parts."""
    return " ".join(text.split("/")[0].replace("*", "").split())


def coded_labels(scheme: str, cells: Iterable[str]) -> list[dict[str, Any]]:
    """Subjects from "code name" cells ("4611 Machine Learning", Dimensions' ANZSRC fields); a cell without a code
    is a label."""
    found = []
    for cell in cells:
        match = _CODED_LABEL_RE.match(cell.strip())
        found.append(subject(scheme, match[1], match[2]) if match else subject(scheme, label=cell))
    return unique_subjects(s for s in found if s)
