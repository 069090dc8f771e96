"""Invisible characters: which are stripped from free text, which make a text blank."""

from __future__ import annotations

import pytest

from contactsessions.lib.text import has_invisible, is_blank, strip_invisible


@pytest.mark.parametrize("char", list("\u200b\u200e\u200f\u202a\u202e\u2060\u2066\u2069\ufeff"))
def test_bidi_controls_and_zero_width_spaces_are_stripped_and_seen(char):
    assert strip_invisible(f"Al{char}ice") == "Alice"
    assert has_invisible(f"https://x.com/a{char}")


def test_joiners_stay_in_free_text_but_alone_show_nothing():
    assert strip_invisible("\u0645\u06cc\u200c\u062e\u0648\u0627\u0645") == "\u0645\u06cc\u200c\u062e\u0648\u0627\u0645"
    assert is_blank("\u200c\u200d \u00a0\t")
    assert not is_blank("\u200c\u0645")


@pytest.mark.parametrize(("text", "seen"), [("a b", False), ("a\tb", True), ("a\u00a0b", True), ("a\x00b", True)])
def test_spaces_other_than_the_plain_one_are_seen(text, seen):
    assert has_invisible(text) is seen
