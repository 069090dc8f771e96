"""Logging of refused requests: one line each, tracebacks only for real errors."""

from __future__ import annotations

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """Drop the traceback from a refused request's log record (4xx), keep it for a 500.

    Django logs a 403 from ``PermissionDenied`` (and a 400 from ``BadRequest`` or a
    suspicious request) with the exception attached, so every refusal printed a traceback
    of our own permission check: noise that buried the real errors. The status code rides
    on the record (``log_response`` puts it in ``extra``); records without one, and every
    5xx, pass untouched.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
