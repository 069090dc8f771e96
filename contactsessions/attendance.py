"""How people attend a session (in person, online, or both) as the models store it: the
choices, the check constraints pairing mode, venue and joining link, and what a session
says about where it is. Which modes count towards a week is stated in ``rules``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contactsessions import rules

if TYPE_CHECKING:
    from venues.models import Venue

# A joining link: a web address, https only. (A CharField with this validator rather than a
# URLField, whose form field would guess a scheme for a link typed without one.)
HTTPS_URL = URLValidator(schemes=[rules.JOINING_LINK_SCHEME])


class AttendanceMode(models.TextChoices):
    """How people attend; the values are the rules' mode strings (``rules.ATTENDANCE_MODES``)."""

    IN_PERSON = rules.IN_PERSON, _("In person")
    ONLINE = rules.ONLINE, _("Online")
    HYBRID = rules.HYBRID, _("In person and online (hybrid)")


# ContactSession's: a known mode; a venue exactly when people meet face to face; an https
# joining link exactly when there is an online part.
CONSTRAINTS = [
    models.CheckConstraint(
        condition=Q(attendance_mode__in=rules.ATTENDANCE_MODES), name="session_attendance_mode_known"
    ),
    models.CheckConstraint(
        condition=Q(attendance_mode=rules.ONLINE, venue__isnull=True)
        | Q(attendance_mode__in=rules.COUNTED_MODES, venue__isnull=False),
        name="session_venue_unless_online_only",
        violation_error_message="An online-only session has no venue; one in person or hybrid needs one.",
    ),
    models.CheckConstraint(
        condition=Q(attendance_mode__in=rules.ONLINE_MODES, joining_link__startswith="https://")
        | (~Q(attendance_mode__in=rules.ONLINE_MODES) & Q(joining_link="")),
        name="session_joining_link_for_online_part",
        violation_error_message="An online or hybrid session needs an https:// joining link; "
        "an in-person one has none.",
    ),
]


def place_label(venue_name: str | None, mode: str) -> str:
    """Where, in a few words, from the venue's name (None for none): the name, "online", or
    the name "and online"."""
    if venue_name is None:
        return gettext("online")
    if mode in rules.ONLINE_MODES:
        return gettext("%(venue)s and online") % {"venue": venue_name}
    return venue_name


def _place(venue: Venue | None, mode: str) -> str:
    return place_label(None if venue is None else venue.name, mode)


class SessionAttendance(models.Model):
    """How to attend a session: ``ContactSession``'s mode and joining link (and those of a
    change waiting for review), and what they say about where it is."""

    attendance_mode = models.CharField(
        "how people attend", max_length=10, choices=AttendanceMode, default=AttendanceMode.IN_PERSON
    )
    # For the online part of an online or hybrid session; shown to the public once approved.
    joining_link = models.CharField(
        "joining link", max_length=500, blank=True, validators=[HTTPS_URL], help_text="An https:// link to join online."
    )
    # Blank when the change keeps the mode (and link): rows from before migration 0008.
    pending_attendance_mode = models.CharField(max_length=10, choices=AttendanceMode, blank=True)
    pending_joining_link = models.CharField(max_length=500, blank=True, validators=[HTTPS_URL])

    if TYPE_CHECKING:
        venue: Venue | None
        pending_venue: Venue | None
        status: str

    class Meta:
        abstract = True

    @property
    def has_online_part(self) -> bool:
        return self.attendance_mode in rules.ONLINE_MODES

    @property
    def place_name(self) -> str:
        """Where, in a few words: the venue's name, "online", or the venue's name "and online"."""
        return _place(self.venue, self.attendance_mode)

    @property
    def pending_place_name(self) -> str:
        """:attr:`place_name` of the change waiting for review."""
        return _place(self.pending_venue, self.pending_attendance_mode or self.attendance_mode)

    @property
    def public_joining_link(self) -> str:
        """The joining link the public may see: only an approved session's (never a
        proposal's, nor a cancelled session's)."""
        if self.status == rules.APPROVED and self.has_online_part:
            return self.joining_link
        return ""
