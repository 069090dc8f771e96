"""The public site's language, read from the URL alone.

Public pages live under ``i18n_patterns(..., prefix_default_language=False)``: ``/wards/X/`` is
English, ``/pl/wards/X/`` Polish. The language is a function of the path, never of the
``Accept-Language`` header or a cookie, so a page cached by URL (``lib.public_cache``) is in
one language only, and a link shared in Polish opens in Polish for everyone.

Django's ``LocaleMiddleware`` would choose the same language for these URLs, but it adds
``Vary: Accept-Language`` to every answer without a prefix (English pages, the API, the
back office); the public cache keeps only answers that vary on nothing but ``Cookie``, so
every English page would be rebuilt on every request. This one says what it does: the
path's language or the default, and ``Content-Language``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def path_language(path_info: str) -> str:
    """The language of a path: its prefix (``/pl/...``), or the site's default without one."""
    return translation.get_language_from_path(path_info) or settings.LANGUAGE_CODE


class PathLocaleMiddleware:
    """Activate the language of the request's path for the view and the templates."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = path_language(request.path_info)
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", language)
        return response
