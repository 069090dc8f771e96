"""The client's address, as far as the proxies we trust can vouch for it.

Behind the TLS proxy (docs/deploy.md), ``REMOTE_ADDR`` is the proxy's address for every
client, so log-in lock-outs and rate limits keyed on it would lump everybody together.
Each proxy appends the address it was reached from to ``X-Forwarded-For``; with
``TRUSTED_PROXY_COUNT`` proxies in front of the app, the client is that many entries
from the right. Entries further left were written by the client itself and prove
nothing, so a forged header cannot choose the address we see.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR`` with no trusted proxy, else from ``X-Forwarded-For``.

    A request that did not come through every trusted proxy (a header too short, or
    none) is known only by ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies == 0:
        return remote
    # ipware counts the proxies listed in the header: the nearest one is REMOTE_ADDR, not
    # in it. Not strict: a client's own (forged or corporate) entries on the left are
    # allowed and ignored, rather than throwing the whole header away.
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return address or remote
