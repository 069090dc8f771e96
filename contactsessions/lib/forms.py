"""Form pieces every audience uses: date and time pickers, the range of plannable
dates, choice fields that refuse ids no database row can have, and the password-reset
forms. Plumbing: no models of ours."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from axes.utils import reset as axes_reset
from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.db import models

from contactsessions.lib.password_reset import reset_rate_limited, send_password_reset


class PrivacyPasswordResetForm(PasswordResetForm):
    """Asking for a reset link: the same answer, the same work and the same time whether or
    not an account uses the address (contactsessions.lib.password_reset).

    ``save`` only counts the request against the rate limits and queues the mail; the
    worker looks the address up. The view's domain, protocol and templates are ignored:
    the link is built from SITE_URL.
    """

    def save(self, *, request: Any = None, **_view_options: Any) -> None:  # type: ignore[override]
        if request is not None and reset_rate_limited(request):
            return
        send_password_reset.enqueue(email=self.cleaned_data["email"])


class LockoutClearingSetPasswordForm(SetPasswordForm):
    """Choosing a new password from a reset link lifts the account's log-in lock-outs:
    the locked-out user's way back in (contactsessions.lib.lockout)."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=commit)
        if commit:
            axes_reset(username=user.get_username())
        return user


class DateInput(forms.DateInput):
    """A browser date picker. It reads and writes only ISO dates (2026-12-10), whatever
    the locale's display format, so a form shown again keeps its date."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's argument name
        super().__init__(attrs, format=format or "%Y-%m-%d")


# Dates the back office plans with. Anything outside is a typo (or an attack) and would
# reach the edges of Python's calendar (9999-12-31 plus a week overflows).
EARLIEST_DATE, LATEST_DATE = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


def validate_planning_date(value: dt.date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            f"Give a date between {EARLIEST_DATE.year} and {LATEST_DATE.year}.", code="date_out_of_range"
        )


class PlanningDateField(forms.DateField):
    default_validators = [validate_planning_date]


def planning_date_or_none(text: str | None) -> dt.date | None:
    """An ISO date read from an address (``?week=2026-12-07``), or None when it is not one
    or lies outside EARLIEST_DATE..LATEST_DATE: for query parameters that fall back to a
    default rather than show a form."""
    try:
        day = dt.date.fromisoformat(text or "")
    except ValueError:
        return None
    return day if EARLIEST_DATE <= day <= LATEST_DATE else None


# Row ids: our primary keys are 64-bit (BigAutoField). A bigger number is no row's id, and
# SQLite cannot even bind it in a query (OverflowError, a 500) where PostgreSQL merely
# finds nothing; ids from a request are checked against this range before any query.
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII only: str.isdigit() accepts "²", int() does not


def parse_whole_number(text: object, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """A whole number a request gave as text (ASCII digits), or None outside minimum..maximum."""
    if not isinstance(text, str) or not _DIGITS.fullmatch(text.strip()):
        return None
    value = int(text.strip())
    return value if minimum <= value <= maximum else None


def parse_id(text: object) -> int | None:
    """The row id a request gave as text, or None if it is not a whole number from 1 to MAX_ID."""
    return parse_whole_number(text, minimum=1)


def _has_integer_key(field: forms.ModelChoiceField) -> bool:
    if field.queryset is None:
        return False
    meta = field.queryset.model._meta
    key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    return isinstance(key, models.IntegerField)


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose value must look like a row id before it reaches a query."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and _has_integer_key(self) and parse_id(str(value)) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose every value must look like a row id before a query.

    Django's own field checks each value with an ``=`` lookup (which Django bounds) but then
    fetches them with ``IN (...)``, which it does not: on SQLite a 21-digit value is an
    OverflowError there.
    """

    def _check_values(self, value: Any) -> Any:
        if _has_integer_key(self):
            for pk in value:
                if parse_id(str(pk)) is None:
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                    )
        return super()._check_values(value)  # type: ignore[misc]  # Django's, missing from django-stubs


class TimeInput(forms.TimeInput):
    input_type = "time"


def count_characters_instead_of_cutting(form: forms.Form, nouns: dict[str, str] | None = None) -> None:
    """Let people type or paste more than a text field's limit, and say so instead.

    Django gives each ``CharField(max_length=...)`` a ``maxlength`` attribute, with which
    the browser silently cuts pasted text. Here it becomes ``data-maxlength`` (site.js
    shows a live count from it) and a hint stating the limit; the server still refuses
    longer text, with a message that gives the limit and the length, and the form comes
    back with the text as typed. ``nouns`` names a field in the message ("The comment")
    where its label would read badly there."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField) or not field.max_length:
            continue
        field.widget.attrs.pop("maxlength", None)
        field.widget.attrs["data-maxlength"] = str(field.max_length)
        label = (nouns or {}).get(name) or str(field.label or "This field")
        field.error_messages["max_length"] = (
            f"{label} can be at most {field.max_length:,} characters; yours has %(show_value)s. "
            "Shorten it and send it again: your text is kept below."
        )
        limit = f"Up to {field.max_length:,} characters."
        field.help_text = f"{field.help_text} {limit}".strip() if field.help_text else limit
