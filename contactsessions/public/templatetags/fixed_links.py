"""``{% url %}`` and ``{% static %}`` worked out once a process (issue 19, round six).

The public layout and the ward page print the same dozen addresses on every page: the home
page, the sign-in page, the stylesheets and scripts, the ward's poster and share pages.
Reversing a name cost about 20 µs and a static file's address about 15 µs, each time. An
address is a function of its name and arguments, the active language (the URL's prefix),
the URLconf and the script prefix alone, so it is remembered per process under all of them
(a bounded LRU: a ward's own links, five languages, are a few entries each).

``{% fixed_url %}`` takes what ``{% url %}`` takes (positional arguments, ``as`` a variable)
and prints the same text, escaped as ``{% url %}`` escapes it; ``{% fixed_static %}`` is
``{% static %}``. Both forget what they hold when a setting they depend on changes (tests).
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

register = template.Library()


@register.simple_tag
def fixed_url(viewname: str, *args: object) -> str:
    """``reverse(viewname, args=args)``, remembered per process, language, URLconf and prefix."""
    return _reverse(
        viewname, tuple(str(arg) for arg in args), translation.get_language(), get_urlconf(), get_script_prefix()
    )


@register.simple_tag
def fixed_static(path: str) -> str:
    """``static(path)``, remembered per process and script prefix."""
    return _static(path, get_script_prefix())


@lru_cache(maxsize=4096)
def _reverse(viewname: str, args: tuple[str, ...], language: str | None, urlconf: str | None, prefix: str) -> str:
    return reverse(viewname, args=args, urlconf=urlconf)


@lru_cache(maxsize=256)
def _static(path: str, prefix: str) -> str:
    return static(path)


@receiver(setting_changed)
def _forget(setting: str, **kwargs) -> None:
    if setting in (
        "ROOT_URLCONF",
        "LANGUAGES",
        "LANGUAGE_CODE",
        "STATIC_URL",
        "STATIC_ROOT",
        "STORAGES",
        "FORCE_SCRIPT_NAME",
    ):
        _reverse.cache_clear()
        _static.cache_clear()
