"""Community Contact Sessions, their review trail, outcomes and the Enhanced designations."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import dates, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contactsessions import attendance, rules
from contactsessions.attendance import SessionAttendance


class SessionFormat(models.TextChoices):
    STREET_BRIEFING = "street_briefing", _("Street briefing")
    SURGERY = "surgery", _("Surgery")
    CUPPA = "cuppa", _("Cuppa with a Copper")
    COMMUNITY_EVENT = "community_event", _("Community event")
    PROPERTY_MARKING = "property_marking", _("Property marking")
    OTHER = "other", _("Other")


class SessionKind(models.TextChoices):
    STANDARD = "standard", _("Standard")
    ENHANCED = "enhanced", _("Enhanced")


class SessionStatus(models.TextChoices):
    """The values are the rules' status strings, so each is spelt once (in ``rules``)."""

    DRAFT = rules.DRAFT, _("Draft")
    PROPOSED = rules.PROPOSED, _("Proposed")
    APPROVED = rules.APPROVED, _("Approved")
    RETURNED = rules.RETURNED, _("Returned for changes")
    REJECTED = rules.REJECTED, _("Rejected")
    CANCELLED = rules.CANCELLED, _("Cancelled")
    WITHDRAWN = rules.WITHDRAWN, _("Withdrawn")


def _awaiting_decision_filter() -> Q:
    """:func:`rules.awaiting_decision` as a filter, found by asking it about every status
    with and without a pending change, so the queryset cannot drift from the rule."""
    always, only_changed, only_unchanged = [], [], []
    for status in SessionStatus.values:
        changed = rules.awaiting_decision(status, True)
        unchanged = rules.awaiting_decision(status, False)
        if changed and unchanged:
            always.append(status)
        elif changed:
            only_changed.append(status)
        elif unchanged:
            only_unchanged.append(status)
    return (
        Q(status__in=always)
        | Q(status__in=only_changed, has_pending_change=True)
        | Q(status__in=only_unchanged, has_pending_change=False)
    )


class SessionSeries(models.Model):
    """A weekly series proposed in one go; each session in it is then handled on its own."""

    ward = models.ForeignKey("wards.Ward", on_delete=models.CASCADE, related_name="series")
    venue = models.ForeignKey("venues.Venue", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    weekday = models.PositiveSmallIntegerField(help_text="0 is Monday, 6 is Sunday.")
    start_time = models.TimeField()
    end_time = models.TimeField()
    first_date = models.DateField()
    last_date = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "session series"
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="series_weekday_range"),
            models.CheckConstraint(condition=Q(last_date__gte=F("first_date")), name="series_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"Weekly series in {self.ward.name} from {self.first_date:%d %b %Y}"


_AWAITING_DECISION = _awaiting_decision_filter()


class ContactSessionQuerySet(models.QuerySet["ContactSession"]):
    def published(self) -> ContactSessionQuerySet:
        """What the public may see: approved and cancelled sessions, nothing else."""
        return self.filter(status__in=rules.PUBLIC_STATUSES)

    def approved(self) -> ContactSessionQuerySet:
        return self.filter(status=SessionStatus.APPROVED)

    def upcoming(self, now: dt.datetime) -> ContactSessionQuerySet:
        return self.filter(end__gte=now).order_by("start")

    def between(self, start: dt.datetime, end: dt.datetime) -> ContactSessionQuerySet:
        """Sessions starting in [start, end)."""
        return self.filter(start__gte=start, start__lt=end)

    def awaiting_decision(self) -> ContactSessionQuerySet:
        """Sessions waiting for a board's decision, as :func:`rules.awaiting_decision` defines it:
        proposals, and approved sessions with a change waiting for review."""
        return self.filter(_AWAITING_DECISION)


class ContactSession(SessionAttendance, models.Model):
    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="sessions")
    # None exactly for an online-only session (the mode and link are SessionAttendance's).
    venue = models.ForeignKey("venues.Venue", on_delete=models.PROTECT, null=True, blank=True, related_name="sessions")
    start = models.DateTimeField()
    end = models.DateTimeField()
    format = models.CharField(max_length=20, choices=SessionFormat, default=SessionFormat.SURGERY)
    kind = models.CharField(max_length=10, choices=SessionKind, default=SessionKind.STANDARD)
    status = models.CharField(max_length=10, choices=SessionStatus, default=SessionStatus.DRAFT)
    officers = models.ManyToManyField("wards.Officer", related_name="sessions", blank=True)
    description = models.TextField("public description", blank=True, max_length=2000)
    series = models.ForeignKey(SessionSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions")
    off_pattern_reason = models.CharField(
        max_length=500, blank=True, help_text="Why an Enhanced session is away from the fixed venue or times."
    )
    cancellation_reason = models.CharField(max_length=500, blank=True, help_text="Shown to the public.")

    # A change to an approved session waits here for review while the public keeps
    # seeing the approved start, end and venue above.
    has_pending_change = models.BooleanField(default=False)
    pending_start = models.DateTimeField(null=True, blank=True)
    pending_end = models.DateTimeField(null=True, blank=True)
    pending_venue = models.ForeignKey("venues.Venue", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    # Raised on every write; a form carries it so a stale write is refused, not applied.
    version = models.PositiveIntegerField(default=1)
    # iCalendar SEQUENCE: raised on every change the public can see.
    sequence = models.PositiveIntegerField(default=0)
    needs_reassignment = models.BooleanField(default=False, help_text="An officer on this session has left the ward.")
    # "This session: burglary prevention": the ward priority the session is about.
    priority = models.ForeignKey("wards.WardPriority", models.SET_NULL, null=True, blank=True, related_name="sessions")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    # Who last wrote the proposal (proposed it, or changed its details): four eyes means
    # neither this user nor ``created_by`` may decide it (``permissions.can_decide``).
    last_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[officers])
    objects = ContactSessionQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="session_ends_after_start"),
            *attendance.CONSTRAINTS,
        ]
        indexes = [
            models.Index(fields=["ward", "start"]),
            models.Index(fields=["status", "start"]),
            models.Index(fields=["start"]),
            # The SNB queue's waiting sessions, a few hundred of 100,000 (else a whole-table scan; issue 19).
            models.Index(fields=["end"], name="session_awaiting_end", condition=_AWAITING_DECISION),
        ]

    def __str__(self) -> str:
        when = f"{timezone.localtime(self.start):%a %d %b %Y %H:%M}" if self.start else "unscheduled"
        return f"{self.ward.name}: {when}"

    @property
    def is_public(self) -> bool:
        return self.status in rules.PUBLIC_STATUSES

    @property
    def is_open(self) -> bool:
        """Not yet decided: its DWOs may still change or withdraw it."""
        return self.status in rules.OPEN_STATUSES

    @property
    def awaiting_decision(self) -> bool:
        return rules.awaiting_decision(self.status, self.has_pending_change)

    @property
    def duration(self) -> dt.timedelta:
        return self.end.astimezone(dt.UTC) - self.start.astimezone(dt.UTC)


class CommentKind(models.TextChoices):
    COMMENT = "comment", "Comment"
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned for changes"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CANCELLED = "cancelled", "Cancelled"
    CHANGE_REQUESTED = "change_requested", "Change proposed"


class SessionComment(models.Model):
    """A Ward Panel or SNB comment, or the reason given with a decision."""

    session = models.ForeignKey(ContactSession, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=CommentKind, default=CommentKind.COMMENT)
    text = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.author} on {self.session_id}"


class EnhancedDesignation(models.Model):
    """A community far from a front counter: two sessions a week at a fixed venue and times."""

    community = models.CharField(max_length=150, help_text="e.g. 'Barnet Town Centre'.")
    ward = models.OneToOneField("wards.Ward", on_delete=models.PROTECT, related_name="enhanced_designation")
    venue = models.ForeignKey("venues.Venue", on_delete=models.PROTECT, related_name="+")
    in_force_from = models.DateField()
    # The wards of the community the site exists for (the site's own ward may be one of them):
    # their pages, postcode and API answers point to the site's sessions.
    served_wards = models.ManyToManyField(
        "wards.Ward", blank=True, related_name="enhanced_served_by", help_text="Wards of the community served."
    )
    # The fixed weekly times are a starting pattern until the borough's SNB confirms them
    # (services.designation_confirm_pattern); the public sees them only from then on.
    pattern_confirmed_on = models.DateField(null=True, blank=True, editable=False)
    pattern_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # A move of the fixed venue announced ahead (services.designation_move_venue): the public
    # pages say "From <date> these sessions move to <venue>"; apply_venue_moves makes it so on the day.
    next_venue = models.ForeignKey(
        "venues.Venue", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    venue_moves_on = models.DateField(null=True, blank=True, editable=False)
    # The strategy trials the enhancement "for six months to ascertain community interest":
    # the trial review page compares the site with its borough's Standard wards over these
    # dates. Empty on a designation made since migration 0007: the trial then runs from
    # in_force_from for six months (outcome_figures.trial_period).
    trial_starts_on = models.DateField(null=True, blank=True, help_text="When the six-month trial began.")
    trial_review_on = models.DateField(null=True, blank=True, help_text="When the trial is reviewed.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["ward__borough__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_venue__isnull=True, venue_moves_on__isnull=True)
                | Q(next_venue__isnull=False, venue_moves_on__isnull=False),
                name="enhanced_move_has_venue_and_date",
            ),
            models.CheckConstraint(
                condition=Q(trial_starts_on__isnull=True)
                | Q(trial_review_on__isnull=True)
                | Q(trial_review_on__gt=F("trial_starts_on")),
                name="enhanced_trial_review_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} ({self.ward.name})"


class EnhancedSlot(models.Model):
    designation = models.ForeignKey(EnhancedDesignation, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(help_text="0 is Monday, 6 is Sunday.")
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="slot_weekday_range"),
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        times = {"start": f"{self.start_time:%H:%M}", "end": f"{self.end_time:%H:%M}"}  # shown on public pages
        return gettext("%(day)s %(start)s to %(end)s") % {"day": dates.WEEKDAYS[self.weekday], **times}


class ExemptionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    REFUSED = "refused", "Refused"


class WeekExemption(models.Model):
    """A week a ward need not hold a session (Carnival, New Year's Eve, the truly exceptional)."""

    ward = models.ForeignKey("wards.Ward", on_delete=models.CASCADE, related_name="exemptions")
    week_start = models.DateField(help_text="The Monday of the week.")
    reason = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=ExemptionStatus, default=ExemptionStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-week_start"]
        constraints = [models.UniqueConstraint(fields=["ward", "week_start"], name="unique_exemption_week")]

    def __str__(self) -> str:
        return f"{self.ward.name}, week of {self.week_start:%d %b %Y}"


class LondonExemptPeriod(models.Model):
    """Weeks no ward need hold a session (Notting Hill Carnival, New Year's Eve), declared
    once for all London by monitoring staff rather than ward by ward. The weeks from
    ``first_week`` to ``last_week`` (Mondays, both included) count as exempt in every ward."""

    reason = models.CharField(max_length=200)
    first_week = models.DateField(help_text="The Monday of the first week.")
    last_week = models.DateField(help_text="The Monday of the last week.")
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-first_week"]
        constraints = [
            models.CheckConstraint(condition=Q(last_week__gte=F("first_week")), name="london_period_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.reason}, weeks of {self.first_week:%d %b %Y} to {self.last_week:%d %b %Y}"

    @property
    def week_starts(self) -> list[dt.date]:
        return rules.weeks(self.first_week, (self.last_week - self.first_week).days // 7 + 1)


class NotHeldCategory(models.TextChoices):
    """Why a session did not happen. The strategy lets DWOs be abstracted only for Notting
    Hill Carnival, New Year's Eve and truly exceptional circumstances: the abstraction log
    counts these so an SNB can see how often that promise is broken."""

    PUBLIC_ORDER = "public_order", "Abstracted to a public-order or major event"
    EMERGENCY = "emergency", "Abstracted to an emergency"
    SICKNESS_OR_LEAVE = "sickness_or_leave", "Sickness or leave"
    VENUE_UNAVAILABLE = "venue_unavailable", "Venue unavailable"
    NOBODY_CAME = "nobody_came", "Nobody came"
    OTHER = "other", "Other"


# The categories that take DWOs away from their ward.
ABSTRACTIONS = frozenset({NotHeldCategory.PUBLIC_ORDER, NotHeldCategory.EMERGENCY})


class SessionOutcome(models.Model):
    """What happened at a session, recorded by a DWO after it ended."""

    session = models.OneToOneField(ContactSession, on_delete=models.CASCADE, related_name="outcome")
    held = models.BooleanField()
    # Blank only when held (and on outcomes recorded before categories existed).
    not_held_category = models.CharField(max_length=20, choices=NotHeldCategory, blank=True)
    not_held_reason = models.CharField(max_length=500, blank=True)
    attendance = models.PositiveIntegerField(default=0)
    crimes_reported = models.PositiveIntegerField(default=0)
    advice_given = models.PositiveIntegerField("crime-prevention advice given", default=0)
    property_marked = models.PositiveIntegerField(default=0)
    signposted = models.PositiveIntegerField("people signposted", default=0)
    note = models.TextField(blank=True, max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            # A session not held says why; one held has no reason for not being held.
            models.CheckConstraint(
                condition=Q(held=True, not_held_category="") | (Q(held=False) & ~Q(not_held_category="")),
                name="outcome_category_only_when_not_held",
            ),
        ]

    def __str__(self) -> str:
        return f"Outcome of session {self.session_id}"
