"""Hostile and broken values for the property-based tests, and helpers to check the answers.

What counts as a good answer to bad input: a page with a clear message (200 or 400),
a redirect, 403, 404 or 405. Never a 500, and never half a write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.messages import get_messages
from django.db import transaction
from hypothesis import strategies as st

from contactsessions.models import ContactSession, SessionComment, SessionOutcome, SessionSeries, WeekExemption
from venues.models import Venue

ACCEPTABLE = {200, 301, 302, 304, 400, 403, 404, 405}

NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\t\r\n",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE contactsessions_contactsession; --",
    "1 OR 1=1",
    "' OR ''='",
    "%00",
    "%",
    "_",
    "\\",
    "../../etc/passwd",
    "x" * 100_000,
    "\u202egnp.exe",  # right-to-left override
    "مرحبا بكم في لندن",
    "שלום",
    "😀🚓👮‍♀️",
    "\ufeff",
    "\u0301",
    '=HYPERLINK("http://evil")',
    "NaN",
    "inf",
    "-inf",
    "-1",
    "0",
    str(10**20),
    str(-(10**20)),
    "1e308",
    "0x1F",
    "None",
    "null",
    "[]",
    "{}",
    "true",
]

NASTY_NUMBERS = ["-1", "0", "1", "60", "61", str(2**31), str(10**20), str(-(10**20)), "1.5", "1e3", "NaN", "", "x"]

# Clock changes in London: the last Sunday of March (01:00 GMT -> 02:00 BST, so 01:00-02:00
# does not exist) and of October (01:00-02:00 happens twice). Past and future ones.
CLOCK_CHANGE_DAYS = ["2026-03-29", "2026-10-25", "2027-03-28", "2027-10-31", "2028-03-26", "2028-10-29"]
CLOCK_TIMES = ["00:30", "00:59", "01:00", "01:15", "01:30", "01:59", "02:00", "02:15", "02:30"]

NASTY_DATES = ["0001-01-01", "9999-12-31", "2027-02-29", "2027-13-01", "2027-00-10", "31/12/2027", "2027-1-1"]
NASTY_TIMES = ["24:00", "23:59:59", "25:61", "-01:00", "12", "noon", "12:00 PM", "00:00"]


def text_values() -> st.SearchStrategy:
    """Anything a person or a script might type into a text box (or a query string)."""
    return st.one_of(
        st.sampled_from(NASTY_TEXT),
        st.text(max_size=40),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
    )


def wrong_types() -> st.SearchStrategy:
    """A list where one value is expected, or a number: the test client sends both as text."""
    return st.one_of(st.lists(st.sampled_from(["1", "x", "", "\x00"]), min_size=2, max_size=3), st.integers())


def date_values() -> st.SearchStrategy:
    return st.one_of(
        st.sampled_from(CLOCK_CHANGE_DAYS + NASTY_DATES),
        st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
        text_values(),
        wrong_types(),
    )


def time_values() -> st.SearchStrategy:
    return st.one_of(
        st.sampled_from(CLOCK_TIMES + NASTY_TIMES),
        st.times().map(lambda t: t.isoformat(timespec="minutes")),
        text_values(),
        wrong_types(),
    )


def number_values() -> st.SearchStrategy:
    return st.one_of(
        st.sampled_from(NASTY_NUMBERS),
        st.integers(min_value=-(10**25), max_value=10**25).map(str),
        text_values(),
        wrong_types(),
    )


def choice_values(*good: str) -> st.SearchStrategy:
    return st.one_of(st.sampled_from(list(good)), text_values(), wrong_types())


def overrides(base: dict, strategies: dict) -> st.SearchStrategy:
    """A copy of the valid ``base`` post with some fields replaced by hostile values
    (or dropped altogether)."""

    def apply(changes: dict) -> dict:
        data = dict(base)
        for key, value in changes.items():
            if value is _MISSING:
                data.pop(key, None)
            else:
                data[key] = value
        return data

    values = {key: st.one_of(strategy, st.just(_MISSING)) for key, strategy in strategies.items()}
    return st.fixed_dictionaries({}, optional=values).map(apply)


_MISSING = object()

COUNTED = (ContactSession, SessionSeries, Venue, SessionOutcome, WeekExemption, SessionComment)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def post_fresh(client, url: str, data: dict):
    """POST with no messages left over from earlier examples (they ride in a cookie until shown)."""
    client.cookies.pop("messages", None)
    return client.post(url, data)


def message_levels(response) -> set[str]:
    return {m.level_tag for m in get_messages(response.wsgi_request)}


def carries_nul(value) -> bool:
    values = value if isinstance(value, list) else [value]
    return any("\x00" in str(v) for v in values)


def assert_acceptable(response) -> None:
    assert response.status_code in ACCEPTABLE, response.status_code


@contextmanager
def undone() -> Iterator[None]:
    """Run one Hypothesis example and roll back whatever it wrote, so examples stay independent."""
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)
