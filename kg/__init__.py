"""kg: a knowledge-graph builder for research literature.

The small public API; see README.md for the command line.

Examples
--------
>>> import kg
>>> result = kg.extract_text("CLMar 11, 2015\\nOn Using Monolingual CorporaCaglar Gulcehre, Orhan Firat et al.")
>>> result.records[0].date, result.records[0].authors_truncated
('2015-03-11', True)
"""

from kg.errors import InputError, KgError, UnknownFormatError, UsageError
from kg.extract import extract, extract_file, extract_paths, extract_text
from kg.extractors import formats
from kg.records import AuthorRef, Record, SourceRef

__all__ = [
    "AuthorRef",
    "InputError",
    "KgError",
    "Record",
    "SourceRef",
    "UnknownFormatError",
    "UsageError",
    "extract",
    "extract_file",
    "extract_paths",
    "extract_text",
    "formats",
]

__version__ = "0.1.0"
