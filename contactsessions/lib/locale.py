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

import gettext
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import trans_real


def path_language(path_info: str) -> str:
    """The language of a path: its prefix (``/pl/...``), or the site's default without one."""
    return translation.get_language_from_path(path_info) or settings.LANGUAGE_CODE


def drop_empty_fallbacks(language: str) -> None:
    """Take the empty catalogues out of the language's chain of fallbacks, once.

    With English as ``en-gb``, Python's ``gettext`` finds each Django app's ``en`` catalogue
    beside its ``en_GB`` one and chains it as a fallback; they hold no message (English is the
    source), so every English string (about 190 on a ward page) was looked up in six empty
    catalogues after the real ones: a third of the cost of each look-up. A catalogue with no
    message can answer nothing, so leaving it out changes no translation.
    """
    current: Any = trans_real.translation(language)
    if getattr(current, "empty_fallbacks_dropped", False):
        return
    link = current
    while link is not None:
        after: Any = link._fallback
        # Exactly GNUTranslations: a DjangoTranslation (English behind Polish) is a real catalogue.
        while after.__class__ is gettext.GNUTranslations and not any(key != "" for key in after._catalog):
            after = after._fallback
        link._fallback = after
        link = after
    current.empty_fallbacks_dropped = True


class PathLocaleMiddleware:
    """Activate the language of the request's path for the view and the templates."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = path_language(request.path_info)
        drop_empty_fallbacks(language)
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", language)
        return response
