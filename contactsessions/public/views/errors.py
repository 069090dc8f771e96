"""Error answers for people and programs: pages in the site's layout, JSON under /api/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.csrf import csrf_failure as django_csrf_failure

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(message: str, status: int) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: JSON with CORS under /api/ (programs read it), else a page with a way home and search."""
    if is_api(request):
        return api_error("Not found", 404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered without the request's context processors, which may be what failed."""
    if is_api(request):
        return api_error("Something went wrong on our side. Please try again later.", 500)
    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused CSRF check: under /api/, where every view answers GET and HEAD alone, the
    JSON 405 those views give any other method (programs send no CSRF cookie, and would
    otherwise get the HTML page of a refused form, without CORS); elsewhere Django's 403."""
    if is_api(request):
        response = api_error("Only GET and HEAD are answered here.", 405)
        response["Allow"] = "GET, HEAD, OPTIONS"
        return response
    return django_csrf_failure(request, reason)
