"""Password reset that tells nobody which addresses have accounts.

The request does the same work whatever the address: it checks the rate limits and
queues ``send_password_reset`` (django-tasks; the database queue and ``manage.py
db_worker`` in production). Only the worker looks the address up and sends mail, so
neither the answer nor its timing depends on whether an account exists. Over a limit
the request queues nothing and shows the same page.

The link in the mail starts with ``SITE_URL``, never with the Host header of a request.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited
from django_tasks import task

from contactsessions.lib.clientip import client_ip

logger = logging.getLogger(__name__)

SITE_NAME = "Contact Sessions"


def _email_key(group: str, request: HttpRequest) -> str:
    return str(request.POST.get("email", "")).strip().lower()


def reset_rate_limited(request: HttpRequest) -> bool:
    """Count this request against both limits; True when either is exceeded.

    Both counters move on every request, so a client spreading requests over many
    addresses, or many clients aiming at one address, each meet a limit.
    """
    per_email = is_ratelimited(
        request,
        group="password-reset:email",
        key=_email_key,
        rate=settings.PASSWORD_RESET_RATE_PER_EMAIL,
        increment=True,
    )
    per_client = is_ratelimited(
        request, group="password-reset:client", key="ip", rate=settings.PASSWORD_RESET_RATE_PER_CLIENT, increment=True
    )
    if per_email or per_client:
        logger.warning(
            "Password reset refused (rate limit per %s) for a request from %s",
            "e-mail address" if per_email else "client",
            client_ip(request),
        )
    return per_email or per_client


@task()
def send_password_reset(*, email: str) -> None:
    """Mail a reset link to every active account with ``email`` that can use a password; none if none."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    form.save(
        domain_override=f"{site.netloc}{site.path}",
        use_https=site.scheme == "https",
        extra_email_context={"site_name": SITE_NAME},
    )
