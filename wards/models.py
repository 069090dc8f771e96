"""Boroughs, wards, the officers who serve them and the people who oversee them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

borough_code_validator = RegexValidator(r"^E09\d{6}$", "A borough code is E09 followed by six digits.")
ward_code_validator = RegexValidator(r"^E05\d{6}$", "A ward code is E05 followed by six digits.")


def normalise_place_name(text: str) -> str:
    """Fold a ward, area or borough name for forgiving search.

    Case, punctuation, "St"/"St."/"Saint" and "&"/"and" all compare equal, so
    "st. pancras & somers town" finds "St Pancras and Somers Town".
    """
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    words = ["st" if word == "saint" else word for word in text.split()]
    return " ".join(words)


class BoroughQuerySet(models.QuerySet["Borough"]):
    def get_by_natural_key(self, code: str) -> Borough:
        return self.get(code=code)


class Borough(models.Model):
    """One of the 32 London boroughs policed by the Metropolitan Police."""

    code = models.CharField("ONS code", max_length=9, unique=True, validators=[borough_code_validator])
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    # Light-touch approval: a proposal nobody objected to is approved after this many days.
    auto_approve_after_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Approve unopposed proposals automatically after this many days. Empty: never.",
    )

    objects = BoroughQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class FrontCounter(models.Model):
    """A police front counter open to the public, for signposting residents."""

    borough = models.ForeignKey(Borough, on_delete=models.CASCADE, related_name="front_counters")
    name = models.CharField(max_length=150)
    address = models.CharField(max_length=250, blank=True)
    open_24_7 = models.BooleanField("open 24/7", default=True)
    note = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["borough__name", "name"]
        constraints = [models.UniqueConstraint(fields=["borough", "name"], name="unique_front_counter_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.borough})"


# The borough elections that brought each ONS ward set into force in London.
WARD_SET_ELECTED_ON = {
    "2014": dt.date(2014, 5, 22),
    "2018": dt.date(2018, 5, 3),
    "2022": dt.date(2022, 5, 5),
}


class WardQuerySet(models.QuerySet["Ward"]):
    def current(self) -> WardQuerySet:
        """Wards of the ward set the app runs on."""
        return self.filter(is_current=True)

    def in_use_between(self, first: dt.date, last: dt.date) -> WardQuerySet:
        """Wards the app ran on on any day of [first, last]: today's, and those redrawn since."""
        return self.filter(
            Q(is_current=True) | Q(in_use_until__isnull=False),
            Q(in_use_from__isnull=True) | Q(in_use_from__lte=last),
            Q(in_use_until__isnull=True) | Q(in_use_until__gte=first),
        )

    def get_by_natural_key(self, code: str) -> Ward:
        return self.get(code=code)


class Ward(models.Model):
    code = models.CharField("ONS code", max_length=9, unique=True, validators=[ward_code_validator])
    name = models.CharField(max_length=100)
    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="wards")
    ward_set = models.CharField(max_length=4, help_text="ONS ward set this ward belongs to (2014, 2018 or 2022).")
    is_current = models.BooleanField(default=True, help_text="Part of the ward set the app runs on.")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    search_name = models.CharField(max_length=120, editable=False, db_index=True)
    # The days the app ran on this ward, set by a boundary change (change_ward_boundaries):
    # monitoring counts a ward only in the weeks it was in use. Empty: from the start / still.
    in_use_from = models.DateField(null=True, blank=True, editable=False)
    in_use_until = models.DateField(null=True, blank=True, editable=False)

    objects = WardQuerySet.as_manager()

    class Meta:
        ordering = ["borough__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.borough.name})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = normalise_place_name(self.name)
        super().save(*args, **kwargs)

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    def in_use_on(self, day: dt.date) -> bool:
        """Whether the app ran on this ward on ``day`` (a redrawn ward: only before its change)."""
        if self.in_use_from is not None and day < self.in_use_from:
            return False
        if self.in_use_until is not None:
            return day <= self.in_use_until
        return self.is_current


class WardSuccession(models.Model):
    """Where a redrawn ward's area went: one row per new ward holding some of its postcodes.

    ``postcodes`` counts the old ward's live postcodes (OS Code-Point Open) that lie in
    ``successor``; the successor holding most of them is the ward an old link leads to.
    ``continues``: the successor carries the ward on (same ONS code, or the same name in
    the same borough), so its officers' postings carry over without review.
    """

    predecessor = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="predecessions")
    postcodes = models.PositiveIntegerField()
    share = models.FloatField(help_text="Share of the old ward's postcodes that lie in the new ward.")
    continues = models.BooleanField(default=False)
    changed_on = models.DateField(help_text="First day of the new ward.")

    class Meta:
        ordering = ["predecessor", "-postcodes", "successor"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unique_ward_succession"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="succession_not_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.name} -> {self.successor.name} ({self.share:.0%})"


class WardSetChange(models.Model):
    """A boundary change made in the app: the ward set in force from a date, and what moved."""

    from_set = models.CharField(max_length=4)
    to_set = models.CharField(max_length=4)
    takes_effect_on = models.DateField()
    made_at = models.DateTimeField(auto_now_add=True)
    report = models.TextField(blank=True, help_text="What the change moved, as the command printed it.")

    class Meta:
        ordering = ["takes_effect_on"]
        constraints = [models.UniqueConstraint(fields=["to_set"], name="unique_ward_set_change")]

    def __str__(self) -> str:
        return f"{self.from_set} to {self.to_set} from {self.takes_effect_on.isoformat()}"


class Rank(models.TextChoices):
    PC = "PC", _("Police Constable")
    PCSO = "PCSO", _("Police Community Support Officer")
    SGT = "Sgt", _("Sergeant")
    INSP = "Insp", _("Inspector")


class Officer(models.Model):
    """A police officer's public identity; a DWO once assigned to a ward."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer")
    rank = models.CharField(max_length=5, choices=Rank, default=Rank.PC)
    public_name = models.CharField(max_length=120, help_text="The name shown to the public, e.g. 'Sam Patel'.")
    bio = models.TextField(blank=True)

    class Meta:
        ordering = ["public_name"]

    def __str__(self) -> str:
        return self.name_for(self.rank, self.public_name)

    @staticmethod
    def name_for(rank: str, public_name: str) -> str:
        """An officer's name as shown everywhere ("PC Sam Patel"), from the two columns
        (for pages that read them as values, without an ``Officer``)."""
        return f"{rank} {public_name}"

    @property
    def display_name(self) -> str:
        return str(self)


def posting_active_on(day: dt.date, prefix: str = "") -> Q:
    """A posting that covers ``day``; ``prefix`` the path to the posting from the model
    queried (``"assignments__"`` from an officer: put it in one ``filter()`` with the ward)."""
    return Q(**{f"{prefix}start__lte": day}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day}))


class AssignmentQuerySet(models.QuerySet["WardAssignment"]):
    def active_on(self, day: dt.date) -> AssignmentQuerySet:
        return self.filter(posting_active_on(day))


class WardAssignment(models.Model):
    """An officer's posting to a ward, kept after it ends so the history stays."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="assignments")
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="assignments")
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="Last day in the ward. Empty: still serving.")
    # Set by a boundary change: the posting this one carries on, and whether somebody must
    # confirm it (the old ward did not continue, so the officer went to its main successor).
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    needs_review = models.BooleanField(
        default=False, help_text="Carried to a redrawn ward that does not continue the old one: confirm the posting."
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["ward", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="assignment_end_not_before_start",
            )
        ]
        indexes = [models.Index(fields=["ward", "start", "end"])]

    def __str__(self) -> str:
        until = self.end.isoformat() if self.end else "now"
        return f"{self.officer} in {self.ward.name} ({self.start.isoformat()} to {until})"


class BoardMembership(models.Model):
    """Membership of a borough's Safer Neighbourhood Board (SNB)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_memberships")
    borough = models.ForeignKey(Borough, on_delete=models.CASCADE, related_name="board_memberships")
    is_chair = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "borough"], name="unique_board_membership")]

    def __str__(self) -> str:
        return f"{self.user} on {self.borough} SNB"


class PanelMembership(models.Model):
    """Membership of a ward's Ward Panel."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_memberships")
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="panel_memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "ward"], name="unique_panel_membership")]

    def __str__(self) -> str:
        return f"{self.user} on {self.ward.name} Ward Panel"


class Postcode(models.Model):
    """A live London postcode (OS Code-Point Open) and its ward in the ward set in use.

    Loaded wholesale by ``manage.py load_postcodes``; never edited in the app.
    ``approximate``: the postcode is newer than the ward set, so it takes the ward of
    the nearest postcode that has one.
    """

    postcode = models.CharField(max_length=8, primary_key=True, help_text='Normalised, e.g. "SW1A 1AA".')
    ward_code = models.CharField(max_length=9)
    borough_code = models.CharField(max_length=9)
    latitude = models.FloatField()
    longitude = models.FloatField()
    approximate = models.BooleanField(default=False)

    class Meta:
        # Nearest-point searches filter a small latitude band, then longitude.
        indexes = [models.Index(fields=["latitude", "longitude"], name="postcode_point")]

    def __str__(self) -> str:
        return self.postcode

    @property
    def outward_code(self) -> str:
        return self.postcode.split(" ")[0]


# === The ward team in public: priorities, contact details, profiles, languages (issue 16) ===


class Language(models.TextChoices):
    """Languages officers may say they speak: London's most spoken after English (2021
    census), plus British Sign Language. Codes are ISO 639-1 where one exists, else ISO 639-3
    (``bfi`` for BSL, ``pa`` Punjabi); Chinese is one entry, whatever the spoken variety."""

    AR = "ar", _("Arabic")
    BN = "bn", _("Bengali")
    BSL = "bfi", _("British Sign Language")
    BG = "bg", _("Bulgarian")
    ZH = "zh", _("Chinese")
    FR = "fr", _("French")
    DE = "de", _("German")
    EL = "el", _("Greek")
    GU = "gu", _("Gujarati")
    HI = "hi", _("Hindi")
    HU = "hu", _("Hungarian")
    IT = "it", _("Italian")
    LT = "lt", _("Lithuanian")
    FA = "fa", _("Persian (Farsi)")
    PL = "pl", _("Polish")
    PT = "pt", _("Portuguese")
    PA = "pa", _("Punjabi")
    RO = "ro", _("Romanian")
    RU = "ru", _("Russian")
    SO = "so", _("Somali")
    ES = "es", _("Spanish")
    TA = "ta", _("Tamil")
    TR = "tr", _("Turkish")
    UK = "uk", _("Ukrainian")
    UR = "ur", _("Urdu")


class OfficerLanguage(models.Model):
    """A language other than English that an officer speaks well enough to help a resident in."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(max_length=3, choices=Language)

    class Meta:
        ordering = ["language"]
        constraints = [models.UniqueConstraint(fields=["officer", "language"], name="unique_officer_language")]

    def __str__(self) -> str:
        return f"{self.officer}: {self.get_language_display()}"


class OfficerProfile(models.Model):
    """What the public sees of an officer beyond name and rank: a photo and its description.

    The short introduction is ``Officer.bio``. The photo is always a JPEG that the app
    re-encoded itself (``contactsessions.lib.images``), never the file that was uploaded.
    """

    officer = models.OneToOneField(Officer, on_delete=models.CASCADE, related_name="profile")
    photo = models.FileField(upload_to="officers/", blank=True, max_length=200)
    photo_alt = models.CharField(
        "photo description", max_length=200, blank=True, help_text="What the photo shows, for people who cannot see it."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(photo="") | ~Q(photo_alt=""), name="officer_photo_has_alt_text")
        ]

    def __str__(self) -> str:
        return f"Profile of {self.officer}"


class WardTeamContact(models.Model):
    """How residents reach a ward's team directly: e-mail, phone, social accounts (data.police.uk's
    ``contact_details``). Edited by the ward's DWOs."""

    ward = models.OneToOneField(Ward, on_delete=models.CASCADE, related_name="team_contact")
    email = models.EmailField(blank=True)
    telephone = models.CharField(max_length=20, blank=True, help_text="A UK number, as residents should dial it.")
    twitter = models.URLField("X (Twitter)", max_length=200, blank=True)
    facebook = models.URLField(max_length=200, blank=True)
    instagram = models.URLField(max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    # The keys of data.police.uk's contact_details, in the order they are shown.
    CHANNELS = ("email", "telephone", "twitter", "facebook", "instagram")

    def __str__(self) -> str:
        return f"Contact details of {self.ward.name} ward team"

    def as_dict(self) -> dict[str, str]:
        """The channels given, keyed as data.police.uk keys them (empty ones left out)."""
        return {name: getattr(self, name) for name in self.CHANNELS if getattr(self, name)}


class WardPriorityQuerySet(models.QuerySet["WardPriority"]):
    def current(self) -> WardPriorityQuerySet:
        return self.filter(retired_at__isnull=True)


class WardPriority(models.Model):
    """A ward's policing priority, agreed with its Ward Panel (data.police.uk's shape:
    issue, issue-date, action, action-date). Retired priorities are kept for the record."""

    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="priorities")
    issue = models.CharField(max_length=300)
    issue_date = models.DateField("date set")
    action = models.TextField("action taken", max_length=1000, blank=True)
    action_date = models.DateField("date of action", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = WardPriorityQuerySet.as_manager()

    class Meta:
        ordering = ["-issue_date", "-pk"]
        verbose_name_plural = "ward priorities"
        constraints = [
            models.CheckConstraint(
                condition=Q(action_date__isnull=True) | Q(action_date__gte=models.F("issue_date")),
                name="priority_action_not_before_issue",
            )
        ]

    def __str__(self) -> str:
        return self.issue

    @property
    def is_current(self) -> bool:
        return self.retired_at is None
