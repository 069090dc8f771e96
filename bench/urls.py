from django.http import HttpResponse
from django.urls import include, path


def minimal(request):
    """A fixed short response: the ceiling throughput is measured against (see bench/wsgi.py)."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", minimal),  # served without middleware by bench.wsgi
    path("bench/minimal/", minimal),
    path("", include("contactsessions.urls")),
]
