"""Form pieces every audience uses: date and time pickers, the range of plannable
dates, and the password-reset forms. Plumbing: no models of ours."""

import datetime as dt
from typing import Any

from axes.utils import reset as axes_reset
from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError

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


class TimeInput(forms.TimeInput):
    input_type = "time"
