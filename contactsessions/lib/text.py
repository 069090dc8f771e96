"""Invisible characters in what people type, and what to do with them.

Bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F) can make published
text read differently from what it holds ("Trojan Source"), and zero-width characters
(U+200B, U+2060, U+FEFF) hide inside words and names. Free text loses them
(:func:`strip_invisible`); addresses, e-mail and phone numbers that hold one are refused
(:func:`has_invisible`). The zero-width joiners U+200C and U+200D are kept in free text:
Urdu, Persian, Indic scripts and emoji need them; :func:`is_blank` still sees that a text made
only of them (or of any other format character) shows nothing.
"""

from __future__ import annotations

import re
import unicodedata

INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def strip_invisible(text: str) -> str:
    """``text`` without bidirectional controls and zero-width spaces."""
    return INVISIBLE.sub("", text)


def has_invisible(text: str) -> bool:
    """Whether ``text`` holds a character that shows nothing: a control or format character
    (bidirectional controls, zero-width characters) or any space other than U+0020."""
    return any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") or (c.isspace() and c != " ") for c in text)


def is_blank(text: str) -> bool:
    """Whether ``text`` shows nothing: only spaces, controls and format characters."""
    return not any(unicodedata.category(c) not in ("Cc", "Cf", "Zs", "Zl", "Zp") and not c.isspace() for c in text)
