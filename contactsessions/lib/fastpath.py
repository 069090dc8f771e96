"""Middleware that spends nothing on what an answer does not use.

Measured with ``bench/middleware.py`` (docs/performance.md): on a small anonymous GET,
django-csp building its header strings and Django's messages setting up their cookie
signer were about half of what the whole stack cost.
"""

from __future__ import annotations

from functools import lru_cache

import csp.middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.utils import build_policy
from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.functional import SimpleLazyObject, empty

# What a view or decorator (csp.decorators) sets on a response to change or drop its policy.
_PER_RESPONSE_CSP = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


@lru_cache(maxsize=1)
def _default_policies() -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    """The enforced and report-only policy strings of the settings, with their excluded prefixes."""
    enforced = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or {}
    return (
        build_policy(),
        build_policy(report_only=True),
        tuple(enforced.get("EXCLUDE_URL_PREFIXES", None) or ()),
        tuple(report_only.get("EXCLUDE_URL_PREFIXES", None) or ()),
    )


@receiver(setting_changed)
def _forget_policies(setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _default_policies.cache_clear()


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the settings' policy built once per process.

    django-csp rebuilds the header strings from the settings on every answer. They depend
    only on the settings unless a view changed its answer's policy (``csp.decorators``) or
    the page asked for a nonce: then django-csp builds them as before.
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(hasattr(response, a) for a in _PER_RESPONSE_CSP):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (500, 404):
            return response  # the debug pages, as django-csp leaves them
        enforced, report_only, excluded, excluded_ro = _default_policies()
        path = request.path_info
        if enforced and HEADER not in response and not path.startswith(excluded):
            response[HEADER] = enforced
        if report_only and HEADER_REPORT_ONLY not in response and not path.startswith(excluded_ro):
            response[HEADER_REPORT_ONLY] = report_only
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


class LazyMessageMiddleware(MessageMiddleware):
    """Django's messages, with the storage set up only when a view or template touches it.

    Setting up the default storage builds a signer for the messages cookie on every
    request; most answers (every cached public page, feeds, the API) never read or add a
    message. Storage nobody touched has nothing to save, so the answer is left alone.
    """

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:  # type: ignore[attr-defined]
            return response
        return super().process_response(request, response)
