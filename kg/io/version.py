"""A digest of the installed kg: what kept state made by one kg is checked against before another reuses it.

Examples
--------
>>> len(code_version()), code_version() == code_version()
(32, True)
"""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from pathlib import Path

_CODE_VERSION: str | None = None


def code_version() -> str:
    """A digest of kg's code and data (every file of the package), of Python's version and of its Unicode tables
    (names and IRIs are made from folded text): what another kg kept is not taken for this one's.

    Taken once per process, when first asked (a build asks when it starts, before any kg file could change).
    """
    global _CODE_VERSION
    if _CODE_VERSION is None:
        root = Path(__file__).resolve().parent.parent
        digest = hashlib.blake2b(f"{sys.version}\0{unicodedata.unidata_version}\0".encode(), digest_size=16)
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
        _CODE_VERSION = digest.hexdigest()
    return _CODE_VERSION
