"""The public page in each of the site's languages: the switcher's links and hreflang alternates."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import Resolver404, get_urlconf, resolve, reverse
from django.urls.base import translate_url
from django.utils import translation

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str  # the language's name in itself: "Polski", not "Polish"
    url: str  # this page in that language, absolute
    current: bool


@register.simple_tag(takes_context=True)
def page_languages(context: template.Context) -> list[LanguageLink]:
    """This page in every language of ``settings.LANGUAGES``, the current one marked.

    The URL decides the language (``lib.locale``), so each link is simply the page's own
    address under the other language's prefix, query string kept. A path that is no page
    at all (a 404) links to the home page in each language instead; a page that is not
    translated (the back office's, "signed out") offers none.
    """
    request: HttpRequest | None = context.get("request")
    if request is None:
        return []
    # The <head>'s alternates and the header's switcher both ask: work it out once a request.
    current = translation.get_language()
    remembered = getattr(request, "_page_languages", None)
    if remembered is not None and remembered[0] == current:
        return remembered[1]
    full = request.get_full_path()
    # Remembered per process for plain paths of a sane length only: query strings and made-up
    # paths are the visitor's to vary, and would fill the memory of every worker.
    remember = full == request.path and len(full) <= 200 and request.resolver_match is not None
    compute = _language_paths if remember else _language_paths.__wrapped__
    paths = compute(full, request.path_info, current, get_urlconf())
    links = [
        LanguageLink(code=code, name=name, url=request.build_absolute_uri(url), current=code == current)
        for code, name, url in paths
    ]
    request._page_languages = (current, links)  # type: ignore[attr-defined]
    return links


@lru_cache(maxsize=4096)
def _language_paths(path: str, path_info: str, current: str, urlconf: str | None) -> tuple[tuple[str, str, str], ...]:
    """(code, name, address) of the page in each language: a function of the path, the active
    language (a ``/pl/`` path resolves only under Polish) and the URLconf alone, so it is
    worked out once a process (resolving and reversing five times cost about 0.4 ms a page)."""
    try:
        resolve(path_info, urlconf)
        known = True
    except Resolver404:
        known = False
    paths = []
    for code, name in settings.LANGUAGES:
        if known:
            url = translate_url(path, code)
        else:
            with translation.override(code):
                url = reverse("public:home", urlconf=urlconf)
        paths.append((code, name, url))
    if len({url for _code, _name, url in paths}) < len(paths):
        return ()
    return tuple(paths)


@receiver(setting_changed)
def _forget_paths(setting: str, **kwargs) -> None:
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "ROOT_URLCONF"):
        _language_paths.cache_clear()
