"""The public page in each of the site's languages: the switcher's links and hreflang alternates."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import Resolver404, resolve, reverse
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
    current = translation.get_language()
    path = request.get_full_path()
    try:
        resolve(request.path_info)
        known = True
    except Resolver404:
        known = False
    links = []
    for code, name in settings.LANGUAGES:
        if known:
            url = translate_url(path, code)
        else:
            with translation.override(code):
                url = reverse("public:home")
        links.append(LanguageLink(code=code, name=name, url=request.build_absolute_uri(url), current=code == current))
    if len({link.url for link in links}) < len(links):
        return []
    return links
