from django.http import HttpResponse
from django.urls import include, path


def minimal(request):
    """The ceiling: a fixed short response, through the same middleware and gunicorn."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/minimal/", minimal),
    path("", include("contactsessions.urls")),
]
