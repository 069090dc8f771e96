"""The alerts' pages. None is kept by the public page cache: the forms carry a CSRF token
(a cookie, which the cache refuses to store) and the link pages are one person's own, so
each answer says ``no-store``. The ward page itself stays cached and only links here.

Asking to follow or to leave always answers with the same page, whether or not the
address follows anything, and mail goes only to the address typed.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import get_usage

from contactsessions.alerts import services, tokens
from contactsessions.alerts.forms import EmailForm, SubscribeForm
from contactsessions.alerts.models import Frequency
from contactsessions.lib.clientip import client_ip
from contactsessions.lib.ratelimits import rate_limited, too_many_requests
from contactsessions.services.errors import ServiceError
from wards.models import Ward


def _posts_limited(request: HttpRequest) -> HttpResponse | None:
    """Count a form submission against the client's ``ALERTS_RATE_PER_CLIENT``; a 429 beyond it."""
    usage = get_usage(
        request,
        group="alerts:submit",
        key=lambda _group, request: client_ip(request),
        rate=settings.ALERTS_RATE_PER_CLIENT,
        increment=True,
    )
    if usage is not None and usage["should_limit"]:
        return too_many_requests(request, max(1, usage["time_left"]))
    return None


def _add_problems(form, error: ServiceError) -> None:
    for problem in error.problems:
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("pages")
def subscribe(request: HttpRequest, ward_code: str) -> HttpResponse:
    ward = get_object_or_404(Ward.objects.current().select_related("borough"), code=ward_code)
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        refused = _posts_limited(request)
        if refused is not None:
            return refused
        if form.is_valid():
            try:
                sent = services.alert_request(
                    email=form.cleaned_data["email"], ward=ward, frequency=form.cleaned_data["frequency"]
                )
            except ServiceError as error:
                _add_problems(form, error)
            else:
                return render(request, "alerts/sent.html", {"ward": ward, "leaving": False, "sent": sent})
    return render(request, "alerts/subscribe.html", {"ward": ward, "form": form})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("pages")
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link confirms with a button; only the POST confirms, so a mail
    scanner that opens every link cannot subscribe anybody."""
    try:
        confirmation = services.read_confirmation(token)
    except ServiceError as error:
        return _link_problem(request, error)
    if request.method == "POST":
        try:
            subscription = services.alert_confirm(token=token)
        except ServiceError as error:  # the link expired while the page was open
            return _link_problem(request, error)
        context = {"ward": subscription.ward, "weekly": subscription.frequency == Frequency.WEEKLY, "done": True}
        return render(request, "alerts/confirm.html", context)
    context = {
        "ward": confirmation.ward,
        "email": confirmation.email,
        "weekly": confirmation.frequency == Frequency.WEEKLY,
        "done": False,
    }
    return render(request, "alerts/confirm.html", context)


def _link_problem(request: HttpRequest, error: ServiceError) -> HttpResponse:
    codes = set(error.codes)
    return render(
        request,
        "alerts/link_problem.html",
        {
            "messages_": error.messages,
            "expired": "alerts.link_expired" in codes,
            # A redrawn ward's link: the wards that cover its area now, to ask again there.
            "new_wards": error.wards if isinstance(error, services.WardRedrawn) else [],
        },
        status=410 if codes & {"alerts.link_expired", "alerts.ward_redrawn"} else 400,
    )


@csrf_exempt  # RFC 8058: mail programs POST here with no cookie and no token; the signed link is the proof
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("pages")
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; a POST (the button, or a mail program's one-click
    ``List-Unsubscribe=One-Click``) unsubscribes."""
    try:
        if request.method == "POST":
            stopped = services.alert_unsubscribe(token=token)
        else:
            stopped = services.read_unsubscribe(token)
    except ServiceError as error:
        return _link_problem(request, error)
    context = {
        "wards": [ward.name for ward in stopped.wards],
        "everything": stopped.ward_ids is None,
        "done": request.method == "POST",
    }
    return render(request, "alerts/unsubscribe.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("pages")
def leave(request: HttpRequest) -> HttpResponse:
    """Type an address to be sent a link that stops every alert to it."""
    form = EmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        refused = _posts_limited(request)
        if refused is not None:
            return refused
        if form.is_valid():
            services.alert_leave_request(email=form.cleaned_data["email"])
            return render(request, "alerts/sent.html", {"leaving": True})
    return render(request, "alerts/leave.html", {"form": form})


@require_safe
@rate_limited("pages")
def privacy(request: HttpRequest) -> HttpResponse:
    context = {
        "confirm_days": tokens.CONFIRM_MAX_AGE.days,
        "leave_url": reverse("alerts:leave"),
    }
    return render(request, "alerts/privacy.html", context)
