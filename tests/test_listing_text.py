"""The guessing fallback for listing text in no known layout."""

from __future__ import annotations

import pytest

from kg.errors import UnknownFormatError
from kg.extract import extract_text

CV_STYLE = """Publications

Probabilistic Model-Agnostic Meta-Learning
Chelsea Finn, Kelvin Xu and Sergey Levine
NeurIPS 2018

Learning a Prior over Intent via Meta-Inverse Reinforcement Learning
Kelvin Xu, Ellis Ratner, Anca Dragan et al.
May 31, 2018
"""


def test_blocks_become_records():
    result = extract_text(CV_STYLE, source="cv.txt")
    assert result.format == "listing-text"
    first, second = result.records
    assert first.title == "Probabilistic Model-Agnostic Meta-Learning"
    assert [a.name for a in first.authors] == ["Chelsea Finn", "Kelvin Xu", "Sergey Levine"]
    assert first.date == "2018"
    assert second.authors_truncated and second.date == "2018-05-31"
    assert "guessed 2 paper(s)" in result.notes[0]


def test_prose_is_not_guessed_into_papers():
    with pytest.raises(UnknownFormatError):
        extract_text("Some prose.\n\nMore prose without names or dates.\n", source="essay.txt")


def test_forcing_a_format_that_finds_nothing():
    with pytest.raises(UnknownFormatError, match="no paper found when read as lab-page"):
        extract_text(CV_STYLE, source="cv.txt", format="lab-page")
