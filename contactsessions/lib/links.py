"""Links that leave the site (e-mails, feeds, posters, shared posts) start with SITE_URL,
never with the Host header of whatever request happened to build them."""

from django.conf import settings


def absolute(path: str) -> str:
    """``path`` (from ``reverse``) as a full link on the public base URL."""
    return f"{settings.SITE_URL}{path}"
