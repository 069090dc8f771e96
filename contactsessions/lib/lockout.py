"""Log-in lock-outs that an attacker cannot aim at a real user (django-axes).

Two fences, both counted over the cool-off (``AXES_COOLOFF_TIME``):

* a username-and-address pair is locked after ``AXES_FAILURE_LIMIT`` failures
  (``AXES_LOCKOUT_PARAMETERS``): guessing Alice's password from one address locks that
  address out of Alice's account, while Alice, from her own address, still signs in;
* an address is blocked for every username after ``AXES_ADDRESS_FAILURE_LIMIT``
  failures across usernames: password spraying (a few guesses at each of many accounts)
  stays under every pair's limit, so the address as a whole is what gives it away.

The client's address comes from ``contactsessions.lib.clientip`` (``AXES_CLIENT_IP_CALLABLE``).
The lock-out page offers password reset, and a completed reset lifts the user's locks
(``contactsessions.lib.forms.LockoutClearingSetPasswordForm``).
"""

from __future__ import annotations

import logging
import math
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

LOCKOUT_TEMPLATE = "registration/locked_out.html"


def address_failures(request: HttpRequest) -> int:
    """Failed log-ins from the request's client address, for any username, within the cool-off."""
    total = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        attempt_time__gte=get_cool_off_threshold(request),
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return int(total or 0)


def address_is_blocked(request: HttpRequest) -> bool:
    return address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT


def lock_out_at_failure() -> bool:
    """axes' switch for lock-outs (on unless AXES_LOCK_OUT_AT_FAILURE is False) holds for the address block too."""
    return bool(getattr(settings, "AXES_LOCK_OUT_AT_FAILURE", True))


class PairAndAddressHandler(AxesDatabaseHandler):
    """axes' database handler (which locks the pair), plus the block on a spraying address."""

    def is_locked(self, request: Any, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return lock_out_at_failure() and address_is_blocked(request)

    def user_login_failed(self, sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        failures = address_failures(request)
        if lock_out_at_failure() and failures >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            # The one line an operator needs: which address, how many failures.
            logger.warning(
                "Blocking log-ins from %s: %d failed log-ins across usernames within the cool-off (password spraying?)",
                request.axes_ip_address,
                failures,
            )
            request.axes_locked_out = True
            request.axes_credentials = credentials
            request.axes_address_blocked = True
            user_locked_out.send("axes", request=request, username=None, ip_address=request.axes_ip_address)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The page a locked-out sign-in gets (``AXES_LOCKOUT_CALLABLE``): what happened, when
    to try again, and the way in now, password reset. 429 with ``Retry-After``."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else None
    context = {
        "retry_minutes": math.ceil(seconds / 60) if seconds else None,
        "address_blocked": getattr(request, "axes_address_blocked", False) or address_is_blocked(request),
    }
    response = render(request, LOCKOUT_TEMPLATE, context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
