"""Name-shape rules used to find where titles end and author lists begin."""

from __future__ import annotations

import pytest

from kg.extractors.common.names import is_initial, looks_like_name


@pytest.mark.parametrize(
    "name",
    ["Kelvin Xu", "Peter J. Liu", "C. Daniel Freeman", "John D. Co-Reyes", "Gemini Team",
     "The Theano Development Team", "Ludwig van Beethoven", "John McDonald", "Conan O'Brien",
     "Çağlar Gülçehre", "Chun-liang Li", "Martin Luther King Jr.", "Mausam", "J.-P. Sartre"],
)  # fmt: skip
def test_names(name):
    assert looks_like_name(name)


@pytest.mark.parametrize(
    "text",
    ["ReportRohan Anil", "LM 2 Technical Report", "van Beethoven", "what do I need", "GANsJohn Smith", "", "Anil,"],
)
def test_not_names(text):
    assert not looks_like_name(text)


def test_token_limits():
    assert not looks_like_name("Mausam", min_tokens=2)
    assert not looks_like_name("A B C D E F G")


def test_initials():
    assert is_initial("J.R.") and is_initial("C.") and not is_initial("CD") and not is_initial("c.")
