"""Form pieces every audience uses: date and time pickers, the range of plannable
dates, and the password-reset form. Plumbing: no models of ours."""

import datetime as dt

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError


class PrivacyPasswordResetForm(PasswordResetForm):
    """Django's reset form already answers the same whether or not the account exists;
    named here so the log-in pages use one place for that promise."""


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
