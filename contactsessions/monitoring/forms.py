"""Forms for the monitoring pages. They check the shape of the input only."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms

from contactsessions import compliance, rules
from contactsessions.lib.forms import DateInput, IdChoiceField, PlanningDateField
from contactsessions.models import NotHeldCategory
from contactsessions.services.outcomes import OUTCOME_MAX_COUNT
from wards.models import Ward


class WeekRangeForm(forms.Form):
    """A range of weeks; either end may be left empty for the default."""

    start = PlanningDateField(
        required=False,
        label="From",
        widget=DateInput,
        error_messages={"invalid": "“From” is not a date: give one such as 2025-10-06."},
    )
    end = PlanningDateField(
        required=False,
        label="To",
        widget=DateInput,
        error_messages={"invalid": "“To” is not a date: give one such as 2025-12-28."},
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end:
            try:
                compliance.weeks_between(start, end)
            except ValueError as error:
                raise forms.ValidationError(range_problem(start, end)) from error
        return data

    @property
    def problems(self) -> list[str]:
        """Every reason the range cannot be shown, each naming the field or dates concerned."""
        found = [str(e) for e in self.non_field_errors()]
        for name in ("start", "end"):
            label = self.fields[name].label
            for error in map(str, self.errors.get(name, [])):
                found.append(error if error.startswith(f"“{label}”") else f"“{label}”: {error}")
        return found


def range_problem(start: dt.date, end: dt.date) -> str:
    """Why ``start``..``end`` (which :func:`compliance.weeks_between` refused) cannot be shown."""
    if end < start:
        return f"“To” ({end:%-d %b %Y}) is before “From” ({start:%-d %b %Y}): choose an end on or after the start."
    count = (rules.week_start_of(end) - rules.week_start_of(start)).days // 7 + 1
    return f"{start:%-d %b %Y} to {end:%-d %b %Y} touches {count} weeks: choose at most {compliance.MAX_WEEKS} weeks."


class ExemptionProposeForm(forms.Form):
    ward: forms.ModelChoiceField[Ward] = IdChoiceField(queryset=None, empty_label=None)
    week = PlanningDateField(label="Any day in the week", widget=DateInput)
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Exemptions are for Notting Hill Carnival, New Year's Eve and truly exceptional events.",
    )

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["ward"]).queryset = wards


class LondonPeriodForm(forms.Form):
    reason = forms.CharField(max_length=200, help_text="For example: Notting Hill Carnival, New Year's Eve.")
    first_day = PlanningDateField(label="First day", widget=DateInput)
    last_day = PlanningDateField(label="Last day", widget=DateInput, help_text="Every week these days touch is exempt.")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", "The last day is before the first day.")
        return data


class OutcomeForm(forms.Form):
    held = forms.TypedChoiceField(
        label="Was the session held?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    not_held_category = forms.ChoiceField(
        label="If not, why not?",
        choices=[("", "Choose a reason"), *NotHeldCategory.choices],
        required=False,
    )
    not_held_reason = forms.CharField(label='In your words (needed for "Other")', max_length=500, required=False)
    attendance = forms.IntegerField(label="People who came", min_value=0, max_value=OUTCOME_MAX_COUNT, initial=0)
    crimes_reported = forms.IntegerField(label="Crimes reported", min_value=0, max_value=OUTCOME_MAX_COUNT, initial=0)
    advice_given = forms.IntegerField(
        label="Crime-prevention advice given", min_value=0, max_value=OUTCOME_MAX_COUNT, initial=0
    )
    property_marked = forms.IntegerField(
        label="Items of property marked", min_value=0, max_value=OUTCOME_MAX_COUNT, initial=0
    )
    signposted = forms.IntegerField(label="People signposted", min_value=0, max_value=OUTCOME_MAX_COUNT, initial=0)
    note = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("held") is False:
            category = data.get("not_held_category")
            if not category:
                self.add_error("not_held_category", "Choose why the session was not held.")
            elif category == NotHeldCategory.OTHER and not (data.get("not_held_reason") or "").strip():
                self.add_error("not_held_reason", "Say why the session was not held.")
        return data


class AssignmentEndForm(forms.Form):
    end_date = PlanningDateField(label="Last day in the ward", widget=DateInput)
