"""The one exception hierarchy of kg.

Every error kg raises on purpose derives from :class:`KgError`, so callers can
catch one class. Errors about an input carry the input's name and a one-line
reason, which is what the command line prints.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class of every error raised by kg on purpose."""


class InputError(KgError):
    """An input (file, directory, URL) could not be read or understood.

    Parameters
    ----------
    source : str
        The input as the user named it.
    reason : str
        One line saying what is wrong with it.

    Examples
    --------
    >>> str(InputError("notes.txt", "empty file"))
    'notes.txt: empty file'
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self):
        # Rebuilt from (source, reason), so it crosses process boundaries (parallel extraction).
        return (type(self), (self.source, self.reason))


class UnknownFormatError(InputError):
    """No extractor recognises the input's content."""


class UsageError(KgError):
    """The caller asked for something that cannot be done (bad option value)."""
