"""A part of a page kept between builds (``lib.fragments.kept``) is used only while every
token it was built under holds, for ``PUBLIC_CACHE_TIMEOUT`` at most, and dates the page."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from contactsessions.lib import fragments, public_cache
from contactsessions.lib.public_cache import PUBLIC_CACHE_TIMEOUT
from contactsessions.lib.scopes import public_cache_bump, ward_scope

pytestmark = pytest.mark.django_db


class Builds:
    """A part that counts how often it is built."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"built {self.count}"


def test_a_part_is_kept_while_its_tokens_hold_and_built_again_after_a_bump(rf):
    build = Builds()
    assert fragments.kept(rf.get("/"), "part", [ward_scope(1)], build) == "built 1"
    assert fragments.kept(rf.get("/"), "part", [ward_scope(1)], build) == "built 1"
    public_cache_bump(ward_scope(2))  # another ward: kept
    assert fragments.kept(rf.get("/"), "part", [ward_scope(1)], build) == "built 1"
    public_cache_bump(ward_scope(1))
    assert fragments.kept(rf.get("/"), "part", [ward_scope(1)], build) == "built 2"
    public_cache_bump()  # everything
    assert fragments.kept(rf.get("/"), "part", [ward_scope(1)], build) == "built 3"


def test_a_bump_while_the_part_is_built_leaves_nothing_usable(rf):
    def build_during_a_write() -> str:
        public_cache_bump(ward_scope(1))  # the write commits while the part reads the old data
        return "old"

    assert fragments.kept(rf.get("/"), "part", [ward_scope(1)], build_during_a_write) == "old"
    assert fragments.kept(rf.get("/"), "part", [ward_scope(1)], lambda: "new") == "new"


def test_a_part_expires_with_the_pages_and_dates_the_page_that_shows_it(rf, monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr(fragments.time, "time", lambda: clock[0])
    build = Builds()
    fragments.kept(rf.get("/"), "part", [ward_scope(1)], build)
    clock[0] += PUBLIC_CACHE_TIMEOUT - 1
    request = rf.get("/")
    assert fragments.kept(request, "part", [ward_scope(1)], build) == "built 1"
    assert request.public_cache_as_of == 1_000_000.0  # the page is as old as the part it shows
    assert ward_scope(1) in request.public_cache_scopes  # and depends on what the part depends on
    clock[0] += 2
    assert fragments.kept(rf.get("/"), "part", [ward_scope(1)], build) == "built 2"


def test_a_page_rebuilt_with_a_kept_part_is_dated_by_it(client, rf, ward, monkeypatch):
    """So no page shows data older than PUBLIC_CACHE_TIMEOUT, as before parts were kept."""
    clock = [time.time()]
    monkeypatch.setattr(fragments.time, "time", lambda: clock[0])
    monkeypatch.setattr(public_cache.time, "time", lambda: clock[0])
    built = clock[0]
    url = reverse("public:ward", args=[ward.code])
    assert client.get(url).status_code == 200  # the page, its team and front counters
    clock[0] += 30
    public_cache_bump(ward_scope(ward.pk))  # a session write: the page is rebuilt, the team kept
    assert client.get(url).status_code == 200
    assert cache.get(public_cache._key(rf.get(url)))["stored"] == built
