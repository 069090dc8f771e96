"""The 405 page middleware (``lib.method_page``): what it leaves alone."""

from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse

from contactsessions.lib.method_page import MethodNotAllowedPageMiddleware


def test_a_streamed_405_passes_untouched(rf):
    """A streaming answer has no ``content`` to look at: the page leaves it as it is."""
    streamed = StreamingHttpResponse(iter([b""]), status=405)
    assert MethodNotAllowedPageMiddleware(lambda request: streamed)(rf.get("/office/")) is streamed


def test_a_405_with_a_body_of_its_own_passes_untouched(rf):
    answered = HttpResponse(b"only POST", status=405)
    assert MethodNotAllowedPageMiddleware(lambda request: answered)(rf.get("/office/")) is answered
