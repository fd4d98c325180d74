"""The one exception hierarchy of kg, and how its messages name options.

Every error kg raises on purpose derives from :class:`KgError`, so callers can
catch one class. Errors about an input carry the input's name and a one-line
reason, which is what the command line prints.

The library never names a command-line flag. A message that is about an option,
or that says which option would change the outcome, writes ``{option}`` where the
option goes and names it in ``option`` (its keyword in the Python API, such as
``as_of``). :meth:`KgError.render` fills it in: the keyword for Python users
(``str(error)``), the flag for the command line (``--as-of``). :class:`Note`
does the same for the notes kg gives about an input.

Examples
--------
>>> str(InputError("notes.txt", "empty file"))
'notes.txt: empty file'
>>> error = UsageError("{option} 'Ann': no node has that name", option="focus")
>>> str(error), error.render(lambda name: "--" + name.replace("_", "-"))
("focus 'Ann': no node has that name", "--focus 'Ann': no node has that name")
"""

from __future__ import annotations

from collections.abc import Callable

OptionNamer = Callable[[str], str]


def _python_name(option: str) -> str:
    return option


def _fill(template: str, option: str | None, namer: OptionNamer) -> str:
    return template.replace("{option}", namer(option)) if option else template


class KgError(Exception):
    """Base class of every error raised by kg on purpose.

    Parameters
    ----------
    message : str
        One line; ``{option}`` stands for the option named by ``option``.
    option : str, optional
        The option (Python keyword) the message is about.
    """

    def __init__(self, message: str, *, option: str | None = None) -> None:
        self.template = message
        self.option = option
        super().__init__(_fill(message, option, _python_name))

    def render(self, namer: OptionNamer = _python_name) -> str:
        """The message with the option named by ``namer`` (the command line passes its flag names)."""
        return _fill(self.template, self.option, namer)

    def __reduce__(self):
        return (_rebuild, (type(self), self.__dict__.copy(), self.args))


def _rebuild(cls, state: dict, args: tuple):
    # Errors cross process boundaries (parallel extraction): rebuilt without calling __init__.
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class InputError(KgError):
    """An input (file, directory, URL) could not be read or understood.

    Parameters
    ----------
    source : str
        The input as the user named it.
    reason : str
        One line saying what is wrong with it (``{option}`` as in :class:`KgError`).
    option : str, optional
        An option that would change the outcome (``allow_private``).

    Examples
    --------
    >>> error = InputError("http://10.0.0.1/", "refused: a private address (allow it with {option})",
    ...                    option="allow_private")
    >>> error.render(lambda name: "--allow-private")
    'http://10.0.0.1/: refused: a private address (allow it with --allow-private)'
    """

    def __init__(self, source: str, reason: str, *, option: str | None = None) -> None:
        super().__init__(f"{source}: {reason}", option=option)
        self.source = source
        self.reason = _fill(reason, option, _python_name)


class UnknownFormatError(InputError):
    """No extractor recognises the input's content."""


class ServerAnswerError(InputError):
    """A server answered with an HTTP error status (kept in ``status``; its own message is in the reason).

    Examples
    --------
    >>> error = ServerAnswerError("http://h/sparql", 400, "the server answered 400: bad query")
    >>> error.status, str(error)
    (400, 'http://h/sparql: the server answered 400: bad query')
    """

    def __init__(self, source: str, status: int, reason: str) -> None:
        super().__init__(source, reason)
        self.status = status


class UsageError(KgError):
    """The caller asked for something that cannot be done (bad option value)."""


class QueryError(UsageError):
    """A SPARQL query (or update) that does not parse or that the endpoint refused; the same locally and remotely."""


class StoreBusyError(UsageError):
    """Another kg command is changing the store (or a writable server holds it); nothing was changed."""


class Note(str):
    """A note for the user (what was read, skipped or inferred), a plain string to Python.

    Like an error's message it may name an option, which the command line shows as its flag.

    Examples
    --------
    >>> note = Note("3 dates without a year; pass {option} to say when the page was saved", option="as_of")
    >>> str(note)
    '3 dates without a year; pass as_of to say when the page was saved'
    >>> note.render(lambda name: "--as-of")
    '3 dates without a year; pass --as-of to say when the page was saved'
    """

    template: str
    option: str | None

    def __new__(cls, template: str, option: str | None = None) -> Note:
        note = super().__new__(cls, _fill(template, option, _python_name))
        note.template = template
        note.option = option
        return note

    def __reduce__(self):
        return (Note, (self.template, self.option))

    def render(self, namer: OptionNamer = _python_name) -> str:
        return _fill(self.template, self.option, namer)


def render(message: str, namer: OptionNamer) -> str:
    """Any note or error message with its option named by ``namer`` (plain strings unchanged)."""
    if isinstance(message, (Note, KgError)):
        return message.render(namer)
    return str(message)
