"""Who is asking: the client's address, in one place.

Everything that counts or limits per client (``lib.ratelimits``) asks ``client_address``.
Behind the TLS proxy every request comes from the proxy; the trusted-proxy setting
(``TRUSTED_PROXY_COUNT``, django-ipware) is applied here, and only here, when it lands.
"""

from __future__ import annotations

from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent ``request`` (today ``REMOTE_ADDR``)."""
    return request.META.get("REMOTE_ADDR") or "unknown"
