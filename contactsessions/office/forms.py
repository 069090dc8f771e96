"""Forms: they check the shape of the input; scheduling rules live in rules.py and services.py."""

import datetime as dt
from typing import cast

from django import forms
from django.utils import timezone

from contactsessions import rules
from contactsessions.attendance import AttendanceMode
from contactsessions.lib.forms import (
    DateInput,
    IdChoiceField,
    IdMultipleChoiceField,
    PlanningDateField,
    TimeInput,
    count_characters_instead_of_cutting,
)
from contactsessions.models import EnhancedDesignation, SessionFormat
from contactsessions.services import NewVenue, SessionDetails, joining_link_problems, london_datetime
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


# The new venue's fields, shown inside "Add a new venue" (a <details>); typed text in any of
# these opens it, and conflicts with a venue chosen from the list.
NEW_VENUE_FIELDS = (
    "new_venue_name",
    "new_venue_address",
    "new_venue_postcode",
    "new_venue_kind",
    "new_venue_step_free",
    "new_venue_hearing_loop",
    "new_venue_accessible_toilet",
    "new_venue_accessibility_notes",
)
# How people attend, then where: the fields after the times on both forms.
WHERE_FIELDS = ["attendance_mode", "joining_link", "venue"]
NEW_VENUE_TEXT_FIELDS = ("new_venue_name", "new_venue_address", "new_venue_postcode", "new_venue_accessibility_notes")


class _SessionFieldsForm(forms.Form):
    """Fields shared by the one-off and the series forms: where, who, what."""

    start_time = forms.TimeField(label="Start time", widget=TimeInput)
    end_time = forms.TimeField(
        label="End time",
        widget=TimeInput,
        help_text="A session of at least an hour counts towards the ward's weekly hour. A shorter one "
        "(a street briefing, say) may be held, but it does not count.",
    )
    attendance_mode = forms.ChoiceField(
        label="How people attend",
        choices=AttendanceMode.choices,
        initial=AttendanceMode.IN_PERSON,
        widget=forms.RadioSelect,
        help_text="In person and hybrid sessions count towards the ward's weekly commitment; an online-only "
        "session does not, as the scheme is about meeting face to face.",
        # Not required: a form posted without it (an older page still open) means in person.
        required=False,
    )
    joining_link = forms.CharField(
        label="Joining link",
        max_length=500,
        required=False,
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "url", "spellcheck": "false"}),
        help_text="For online and hybrid sessions only: the https:// link from the meeting invitation. "
        "The public sees it once the session is approved.",
    )
    venue = VenueChoiceField(
        queryset=Venue.objects.none(),
        required=False,
        empty_label="Not in the list: add a new venue below",
        help_text="A venue in the ward (not needed for an online-only session). If yours is not in the list, "
        "open 'Add a new venue' below.",
    )
    new_venue_name = forms.CharField(label="Name of the new venue", max_length=150, required=False)
    new_venue_address = forms.CharField(label="Address", max_length=250, required=False)
    new_venue_postcode = forms.CharField(
        label="Postcode",
        max_length=12,  # forgiving: " nw1 1ee. " is a postcode too
        required=False,
        help_text="It must be in the ward's borough. We place the venue on the map from its postcode.",
    )
    new_venue_kind = forms.ChoiceField(
        label="Kind of venue", choices=VenueKind.choices, initial=VenueKind.OTHER, required=False
    )
    new_venue_step_free = forms.BooleanField(label="Step-free access", required=False)
    new_venue_hearing_loop = forms.BooleanField(label="Hearing loop", required=False)
    new_venue_accessible_toilet = forms.BooleanField(label="Accessible toilet", required=False)
    new_venue_accessibility_notes = forms.CharField(label="Other accessibility facts", max_length=500, required=False)
    format = forms.ChoiceField(choices=SessionFormat.choices, initial=SessionFormat.SURGERY)
    officers = OfficerChoiceField(
        queryset=Officer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Officers attending",
        error_messages={"required": "Tick at least one officer who will attend the session."},
    )
    description = forms.CharField(
        label="Public description", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    off_pattern_reason = forms.CharField(
        label="Reason for moving off the fixed venue or times",
        max_length=500,
        required=False,
        help_text="Needed only if the session is away from the Enhanced ward's fixed venue, days or times.",
    )

    def __init__(self, *args, ward, **kwargs):
        super().__init__(*args, **kwargs)
        self.ward = ward
        cast(forms.ModelChoiceField, self.fields["venue"]).queryset = Venue.objects.active().filter(ward=ward)
        cast(forms.ModelChoiceField, self.fields["officers"]).queryset = Officer.objects.filter(
            assignments__in=ward.assignments.active_on(timezone.localdate())
        ).distinct()
        # The Enhanced reason applies only on Enhanced wards (or to a session that already has one).
        self.enhanced = EnhancedDesignation.objects.filter(ward=ward).exists()
        if not self.enhanced and not self.initial.get("off_pattern_reason"):
            del self.fields["off_pattern_reason"]
        count_characters_instead_of_cutting(self)

    def main_fields(self):
        return [self[name] for name in self.fields if name not in NEW_VENUE_FIELDS]

    def new_venue_fields(self):
        return [self[name] for name in NEW_VENUE_FIELDS]

    def new_venue_typed(self) -> bool:
        """Whether anything was typed into the new venue's text fields."""
        return self.is_bound and any(self.data.get(self.add_prefix(f), "").strip() for f in NEW_VENUE_TEXT_FIELDS)

    @property
    def new_venue_open(self) -> bool:
        """Open "Add a new venue" when the form comes back with new-venue input (or problems)."""
        return self.new_venue_typed() or any(f in self.errors for f in NEW_VENUE_FIELDS)

    def clean_new_venue_postcode(self) -> str:
        value = self.cleaned_data["new_venue_postcode"].strip()
        if value:
            validate_postcode(value)
        return value

    def clean_attendance_mode(self) -> str:
        return self.cleaned_data["attendance_mode"] or rules.IN_PERSON

    def clean(self):
        super().clean()
        data = self.cleaned_data
        mode = data.get("attendance_mode")
        if mode:
            for problem in joining_link_problems(mode, data.get("joining_link", "")):
                self.add_error("joining_link", problem.message)
        if mode == rules.ONLINE:
            # Online only: no venue, whatever the (hidden) venue fields still hold.
            for name in ("venue", *NEW_VENUE_FIELDS):
                self.errors.pop(name, None)
        else:
            self._clean_venue(data)
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The end time must be after the start time.")
        return data

    def _clean_venue(self, data: dict) -> None:
        venue = data.get("venue")
        if venue and self.new_venue_typed():
            self.add_error(
                "venue",
                f"You chose {venue.name} from the list and also filled in a new venue. Which one is it? "
                f"To use {venue.name}, clear the new venue's fields; to add the new venue, choose "
                "'Not in the list: add a new venue below'.",
            )
        elif not venue and "venue" not in self.errors:
            labels = {"new_venue_name": "name", "new_venue_address": "address", "new_venue_postcode": "postcode"}
            missing = [label for f, label in labels.items() if not data.get(f) and f not in self.errors]
            if len(missing) == 3:
                self.add_error("venue", "Choose a venue from the list, or add a new venue below.")
            elif missing:
                for f, label in labels.items():
                    if label in missing:
                        self.add_error(f, f"Give the new venue's {label}, or choose a venue from the list instead.")

    def new_venue(self) -> NewVenue | None:
        data = self.cleaned_data
        if data.get("venue") or data.get("attendance_mode") == rules.ONLINE:
            return None
        return NewVenue(
            name=data["new_venue_name"],
            address=data["new_venue_address"],
            postcode=data["new_venue_postcode"],
            kind=data["new_venue_kind"] or VenueKind.OTHER,
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
            venue=None if data["attendance_mode"] == rules.ONLINE else data.get("venue"),
            new_venue=self.new_venue(),
            format=data["format"],
            officers=list(data["officers"]),
            description=data["description"],
            off_pattern_reason=data.get("off_pattern_reason", ""),
            attendance_mode=data["attendance_mode"],
            joining_link=data.get("joining_link", "").strip() if data["attendance_mode"] in rules.ONLINE_MODES else "",
        )


class SessionForm(_SessionFieldsForm):
    """One session: propose a new one, or change one (then ``version`` guards against stale edits)."""

    date = PlanningDateField(widget=DateInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    field_order = ["date", "start_time", "end_time", *WHERE_FIELDS]

    def details(self) -> SessionDetails:
        return self.details_on(self.cleaned_data["date"])


class SeriesForm(_SessionFieldsForm):
    """A weekly series: the first date, then until a date or for a number of weeks."""

    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, label="Day of the week")
    first_date = PlanningDateField(widget=DateInput, label="Starting from")
    until = PlanningDateField(widget=DateInput, required=False, label="Until (last date)")
    weeks = forms.IntegerField(
        min_value=1,
        max_value=60,
        required=False,
        label="Or for this many weeks",
        error_messages={
            "min_value": "Give a number of weeks from 1 to 60.",
            "max_value": "A series can run for at most 60 weeks (about a year); give a number from 1 to 60, "
            "or propose a second series later.",
            "invalid": "Give the number of weeks as a whole number, for example 12.",
        },
    )
    field_order = ["weekday", "first_date", "until", "weeks", "start_time", "end_time", *WHERE_FIELDS]

    def clean(self):
        data = super().clean()
        if "until" in self.errors or "weeks" in self.errors:
            return data  # the field's own message says what is wrong
        if data.get("until") and data.get("weeks"):
            self.add_error("until", "You gave both a last date and a number of weeks: keep one and clear the other.")
        elif not data.get("until") and not data.get("weeks"):
            self.add_error("until", "Say how long the series runs: give the last date or the number of weeks.")
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
        "venue": session.pending_venue if session.has_pending_change else session.venue,
        "attendance_mode": (session.has_pending_change and session.pending_attendance_mode) or session.attendance_mode,
        "joining_link": session.pending_joining_link
        if session.has_pending_change and session.pending_attendance_mode
        else session.joining_link,
        "format": session.format,
        "officers": list(session.officers.all()),
        "description": session.description,
        "off_pattern_reason": session.off_pattern_reason,
        "version": session.version,
    }


class _TextForm(forms.Form):
    """A form with one text box, ``text``; over-long text is refused with the limit, never cut.
    Subclasses name the box (``text_label``) and say what to do when it is empty (``text_required``)."""

    text_label: str | None = None
    text_required: str | None = None
    text_noun = "The text"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.text_label:
            self.fields["text"].label = self.text_label
        if self.text_required:
            self.fields["text"].error_messages["required"] = self.text_required
        count_characters_instead_of_cutting(self, {"text": self.text_noun})


class VersionedForm(_TextForm):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "The page was missing the session's version. Reload the page and try again.",
            "invalid": "The page was missing the session's version. Reload the page and try again.",
        },
    )


class CommentForm(_TextForm):
    text_noun = "A comment"
    text = forms.CharField(
        label="Add a comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Write your comment in the box, then select Add comment."},
    )


class PanelCommentForm(CommentForm):
    text_label = "Comment on this session"


class DecisionForm(VersionedForm):
    text_noun = "A comment"
    text = forms.CharField(
        label="Comment (optional)", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class ReasonForm(VersionedForm):
    text_noun = "A reason"
    text = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        error_messages={"required": "Give a reason."},
    )


class CancelForm(ReasonForm):
    text_label = "Reason for cancelling (shown to the public)"
    text_required = "Give a reason for cancelling; it is shown to the public."


class ReturnForm(ReasonForm):
    text_label = "What should change"
    text_required = "Say what should change before the board can approve it."


class RejectForm(ReasonForm):
    text_label = "Reason for rejecting"
    text_required = "Give a reason for rejecting; the ward's officers see it."


class BulkApproveForm(forms.Form):
    expected = forms.CharField(widget=forms.HiddenInput)


# --- back office: an Enhanced site's fixed venue (the SNB) ------------------------------


class VenueMoveForm(forms.Form):
    """Announce a move of an Enhanced site's fixed venue. The notice and the venue's borough
    are the service's rules (services.designation_move_venue), not checked here."""

    venue = VenueChoiceField(
        queryset=Venue.objects.none(),
        label="New venue",
        empty_label="Choose a venue",
        error_messages={"required": "Choose the venue the sessions move to."},
    )
    moves_on = PlanningDateField(
        label="From",
        widget=DateInput,
        help_text=f"At least {rules.MIN_VENUE_MOVE_NOTICE.days} days from today, so the public has notice.",
        error_messages={"required": "Give the date the sessions move from.", "invalid": "Give the date as a date."},
    )

    def __init__(self, *args, designation: EnhancedDesignation, **kwargs):
        super().__init__(*args, **kwargs)
        venues = Venue.objects.active().filter(ward__borough_id=designation.ward.borough_id).order_by("name")
        cast(forms.ModelChoiceField, self.fields["venue"]).queryset = venues
