"""Forms: they check the shape of the input; scheduling rules live in rules.py and services.py."""

import datetime as dt
from typing import cast

from django import forms
from django.utils import timezone

from contactsessions import rules
from contactsessions.lib.forms import DateInput, IdChoiceField, IdMultipleChoiceField, PlanningDateField, TimeInput
from contactsessions.models import SessionFormat
from contactsessions.services import NewVenue, SessionDetails, london_datetime
from venues.models import Venue, VenueKind
from wards.models import Officer
from wards.postcodes import validate_postcode

# --- back office: proposing and deciding sessions ---------------------------------------


WEEKDAYS = [
    (i, name) for i, name in enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
]


class VenueChoiceField(IdChoiceField):
    def label_from_instance(self, venue: Venue) -> str:
        facts = ", ".join(venue.accessibility_facts)
        return f"{venue.name}, {venue.postcode}" + (f" ({facts})" if facts else "")


class OfficerChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, officer: Officer) -> str:
        return officer.display_name


class _SessionFieldsForm(forms.Form):
    """Fields shared by the one-off and the series forms: where, who, what."""

    start_time = forms.TimeField(label="Start time", widget=TimeInput)
    end_time = forms.TimeField(label="End time", widget=TimeInput)
    venue = VenueChoiceField(
        queryset=Venue.objects.none(),
        required=False,
        empty_label="Add a new venue (fill in below)",
        help_text="A venue in the ward. To use a new one, choose 'Add a new venue' and fill in its details.",
    )
    new_venue_name = forms.CharField(label="New venue: name", max_length=150, required=False)
    new_venue_address = forms.CharField(label="New venue: address", max_length=250, required=False)
    new_venue_postcode = forms.CharField(
        label="New venue: postcode",
        max_length=12,  # forgiving: " nw1 1ee. " is a postcode too
        required=False,
        help_text="It must be in the ward's borough. We place the venue on the map from its postcode.",
    )
    new_venue_kind = forms.ChoiceField(label="New venue: kind", choices=VenueKind.choices, initial=VenueKind.OTHER)
    new_venue_step_free = forms.BooleanField(label="New venue: step-free access", required=False)
    new_venue_hearing_loop = forms.BooleanField(label="New venue: hearing loop", required=False)
    new_venue_accessible_toilet = forms.BooleanField(label="New venue: accessible toilet", required=False)
    new_venue_accessibility_notes = forms.CharField(
        label="New venue: other accessibility facts", max_length=500, required=False
    )
    format = forms.ChoiceField(choices=SessionFormat.choices, initial=SessionFormat.SURGERY)
    officers = OfficerChoiceField(
        queryset=Officer.objects.none(), widget=forms.CheckboxSelectMultiple, label="Officers attending"
    )
    description = forms.CharField(
        label="Public description", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    off_pattern_reason = forms.CharField(
        label="Reason for moving off the fixed venue or times (Enhanced wards only)", max_length=500, required=False
    )

    def __init__(self, *args, ward, **kwargs):
        super().__init__(*args, **kwargs)
        self.ward = ward
        cast(forms.ModelChoiceField, self.fields["venue"]).queryset = Venue.objects.active().filter(ward=ward)
        cast(forms.ModelChoiceField, self.fields["officers"]).queryset = Officer.objects.filter(
            assignments__in=ward.assignments.active_on(timezone.localdate())
        ).distinct()

    def clean_new_venue_postcode(self) -> str:
        value = self.cleaned_data["new_venue_postcode"].strip()
        if value:
            validate_postcode(value)
        return value

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not data.get("venue"):
            missing = [f for f in ("new_venue_name", "new_venue_address", "new_venue_postcode") if not data.get(f)]
            if missing and "new_venue_postcode" not in self.errors:
                self.add_error("venue", "Choose a venue, or give the new venue's name, address and postcode.")
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The end time must be after the start time.")
        return data

    def new_venue(self) -> NewVenue | None:
        data = self.cleaned_data
        if data.get("venue"):
            return None
        return NewVenue(
            name=data["new_venue_name"],
            address=data["new_venue_address"],
            postcode=data["new_venue_postcode"],
            kind=data["new_venue_kind"],
            step_free=data["new_venue_step_free"],
            hearing_loop=data["new_venue_hearing_loop"],
            accessible_toilet=data["new_venue_accessible_toilet"],
            accessibility_notes=data["new_venue_accessibility_notes"],
        )

    def details_on(self, day: dt.date) -> SessionDetails:
        data = self.cleaned_data
        return SessionDetails(
            start=london_datetime(day, data["start_time"]),
            end=london_datetime(day, data["end_time"]),
            venue=data.get("venue"),
            new_venue=self.new_venue(),
            format=data["format"],
            officers=list(data["officers"]),
            description=data["description"],
            off_pattern_reason=data["off_pattern_reason"],
        )


class SessionForm(_SessionFieldsForm):
    """One session: propose a new one, or change one (then ``version`` guards against stale edits)."""

    date = PlanningDateField(widget=DateInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    field_order = ["date", "start_time", "end_time", "venue"]

    def details(self) -> SessionDetails:
        return self.details_on(self.cleaned_data["date"])


class SeriesForm(_SessionFieldsForm):
    """A weekly series: the first date, then until a date or for a number of weeks."""

    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, label="Day of the week")
    first_date = PlanningDateField(widget=DateInput, label="Starting from")
    until = PlanningDateField(widget=DateInput, required=False, label="Until (last date)")
    weeks = forms.IntegerField(min_value=1, max_value=60, required=False, label="Or for this many weeks")
    field_order = ["weekday", "first_date", "until", "weeks", "start_time", "end_time", "venue"]

    def clean(self):
        data = super().clean()
        if bool(data.get("until")) == bool(data.get("weeks")):
            self.add_error("until", "Give either the last date or the number of weeks (not both).")
        return data

    def first_day(self) -> dt.date:
        first, weekday = self.cleaned_data["first_date"], self.cleaned_data["weekday"]
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7)


def session_initial(session) -> dict:
    start = timezone.localtime(session.pending_start or session.start, rules.LONDON)
    end = timezone.localtime(session.pending_end or session.end, rules.LONDON)
    return {
        "date": start.date(),
        "start_time": start.time(),
        "end_time": end.time(),
        "venue": session.pending_venue or session.venue,
        "format": session.format,
        "officers": list(session.officers.all()),
        "description": session.description,
        "off_pattern_reason": session.off_pattern_reason,
        "version": session.version,
    }


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CommentForm(forms.Form):
    text = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class DecisionForm(VersionedForm):
    text = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)


class ReasonForm(VersionedForm):
    text = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class BulkApproveForm(forms.Form):
    expected = forms.CharField(widget=forms.HiddenInput)
