"""Serving uploaded files (officers' photos) from the app, when nothing in front does.

In production the proxy serves ``MEDIA_ROOT`` under ``MEDIA_URL`` (docs/deploy.md) and
``SERVE_MEDIA`` is off, so this answers 404; in development ``make run`` needs no proxy.
The files are the app's own re-encoded JPEGs (``lib.images``), never what was uploaded.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe
from django.views.static import serve

MEDIA_MAX_AGE = 3600


@require_safe
def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    if not settings.SERVE_MEDIA:
        raise Http404("Uploaded files are served by the proxy here.")
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["Cache-Control"] = f"public, max-age={MEDIA_MAX_AGE}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
