"""One log line per refused request (403, 404, 400), no traceback; a 500 keeps its traceback.

Each test points every stream handler between ``django.request`` and the root logger at one
buffer, so a record printed twice (Django's own console handler beside ours) shows as two
lines, and a traceback shows as "Traceback".
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest
from django.urls import path, reverse

from contactsessions import urls as site_urls


def refuse(request: HttpRequest):
    raise PermissionDenied("not yours")


def missing(request: HttpRequest):
    raise Http404("no such session")


def suspicious(request: HttpRequest):
    raise SuspiciousOperation("odd request")


def crash(request: HttpRequest):
    raise RuntimeError("a real bug")


urlpatterns = [
    path("refuse/", refuse),
    path("missing/", missing),
    path("suspicious/", suspicious),
    path("crash/", crash),
    # The site's own URLs too: the 404 and 500 pages link home and to search. Spliced in,
    # not included: the public pages' language prefixes (i18n_patterns) live only at the root.
    *site_urls.urlpatterns,
]


@pytest.fixture
def printed() -> Iterator[io.StringIO]:
    """What the configured handlers print, from django.request up to root."""
    buffer = io.StringIO()
    swapped = []
    logger: logging.Logger | None = logging.getLogger("django.request")
    while logger is not None:
        for handler in logger.handlers:
            if type(handler) is logging.StreamHandler:
                swapped.append((handler, handler.setStream(buffer)))
        logger = logger.parent if logger.propagate else None
    assert swapped, "no console handler is configured"
    yield buffer
    for handler, stream in swapped:
        handler.setStream(stream)


def lines(buffer: io.StringIO) -> list[str]:
    return [line for line in buffer.getvalue().splitlines() if line.strip()]


@pytest.mark.urls("tests.test_request_logging")
@pytest.mark.parametrize(
    ("url", "status", "line"),
    [
        ("/refuse/", 403, "Forbidden (Permission denied): /refuse/"),
        ("/missing/", 404, "Not Found: /missing/"),
        ("/suspicious/", 400, "odd request"),  # Django names the exception, not the path
    ],
)
@pytest.mark.parametrize("debug", [False, True])
def test_a_refused_request_is_one_line_without_traceback(client, settings, printed, caplog, url, status, line, debug):
    settings.DEBUG = debug  # Django's own console handler printed every record again when DEBUG was on
    caplog.set_level(logging.INFO)
    response = client.get(url)
    assert response.status_code == status
    assert lines(printed) == [line], printed.getvalue()
    records = [r for r in caplog.records if getattr(r, "status_code", None) == status]
    assert len(records) == 1
    assert records[0].exc_info is None


@pytest.mark.urls("tests.test_request_logging")
def test_a_server_error_keeps_its_traceback(settings, printed, caplog):
    from django.test import Client

    response = Client(raise_request_exception=False).get("/crash/")
    assert response.status_code == 500
    assert "Traceback" in printed.getvalue()
    assert "RuntimeError: a real bug" in printed.getvalue()
    records = [r for r in caplog.records if getattr(r, "status_code", None) == 500]
    assert len(records) == 1 and records[0].exc_info is not None


@pytest.mark.django_db
def test_a_refusal_by_our_permissions_is_one_line(client, officer, printed):
    """The board's queue refuses a DWO who sits on no board: a 403, one line."""
    client.force_login(officer)
    response = client.get(reverse("board:queue"))
    assert response.status_code == 403
    assert lines(printed) == [f"Forbidden (Permission denied): {reverse('board:queue')}"]


def test_django_logger_has_no_console_of_its_own():
    assert not [h for h in logging.getLogger("django").handlers if isinstance(h, logging.StreamHandler)]
