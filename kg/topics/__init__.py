"""Topics: category codes as a labelled scheme, and key phrases from titles and abstracts (spaCy, offline)."""

from kg.topics.categories import Category, resolve_category
from kg.topics.finder import METHODS, TopicFinder, TopicHit, find_abbreviations
from kg.topics.junk import is_junk
from kg.topics.normalize import topic_key

__all__ = [
    "METHODS",
    "Category",
    "TopicFinder",
    "TopicHit",
    "find_abbreviations",
    "is_junk",
    "resolve_category",
    "topic_key",
]
