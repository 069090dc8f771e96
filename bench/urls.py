from django.http import HttpResponse
from django.urls import path

from contactsessions import urls as site_urls


def minimal(request):
    """A fixed short response: the ceiling throughput is measured against (see bench/wsgi.py)."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", minimal),  # served without middleware by bench.wsgi
    path("bench/minimal/", minimal),
    # Spread, not include(): the site's public pages are i18n_patterns, which only a root URLconf may hold.
    *site_urls.urlpatterns,
]
handler404 = site_urls.handler404
handler500 = site_urls.handler500
