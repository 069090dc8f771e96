"""The ward team in public: priorities, the team's contact details, officers' profiles and languages.

Ward Panel members agree a ward's priorities (data.police.uk's issue, issue-date, action,
action-date); the ward's DWOs record the action taken and link sessions to a priority. The
ward's DWOs keep the team's e-mail, phone and social accounts (:mod:`.team_contact`); each
officer edits their own profile. Every write here is shown on public pages, so each bumps the
public cache of the wards it touches, explicitly (``invalidation.bump_wards``).

Codes: ``permission.denied``, ``priority.issue_empty``, ``priority.future_date``,
``priority.too_early``, ``priority.action_before_issue``, ``priority.action_date_missing``,
``priority.action_missing``, ``priority.retired``, ``priority.other_ward``, ``session.state``,
``profile.name_empty``, ``profile.alt_missing``, ``profile.language``, and the photo codes of
:mod:`contactsessions.lib.images` (``photo.too_large``, ``photo.not_image``, ``photo.format``,
``photo.too_small``, ``photo.shape``).

Invisible characters (:mod:`contactsessions.lib.text`): free text (priorities, introductions,
names, photo descriptions) loses bidirectional controls and zero-width spaces (contact details
holding any are refused: :mod:`.team_contact`). Should a model's own validation still find
fault, its messages come back as Problems (:func:`full_clean_as_problems`): never an error page.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from contactsessions import permissions, team_permissions
from contactsessions.invalidation import bump_wards
from contactsessions.lib.images import PhotoProblem, clean_photo
from contactsessions.lib.text import is_blank, strip_invisible
from contactsessions.models import ContactSession, SessionStatus
from contactsessions.services.errors import Problem, ServiceError
from wards.models import (
    Language,
    Officer,
    OfficerLanguage,
    OfficerProfile,
    WardAssignment,
    WardPriority,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from wards.models import Ward

ISSUE_MAX = 300
ACTION_MAX = 1000
BIO_MAX = 600
ALT_MAX = 200


# The scheme began in January 2018: no priority was set, nor action taken, before it.
PRIORITY_EARLIEST = dt.date(2018, 1, 1)


def _clean_text(text: str) -> str:
    """One line of free text: no invisible characters, spaces collapsed."""
    return " ".join(strip_invisible(text).split())


def _clean_block(text: str) -> str:
    """Free text that may run over several lines: no invisible characters, ends trimmed."""
    return strip_invisible(text).replace("\r\n", "\n").strip()


def full_clean_as_problems(obj: models.Model, *, codes: dict[str, str], default: str) -> None:
    """``obj.full_clean()``, its faults raised as Problems (coded from ``codes`` by field, else
    ``default``) so that a model's validation never escapes as an error page."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise ServiceError(
            problems=[
                Problem(codes.get(field, default), message, None if field == "__all__" else field)
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        ) from exc


_TOO_EARLY = "The {what} cannot be before 1 January 2018, when Community Contact Sessions began."
_PRIORITY_CODES = {"issue": "priority.issue_empty", "action": "priority.action_missing"}


def _priority_problems(
    *, issue: str, issue_date: dt.date, action: str, action_date: dt.date | None, today: dt.date
) -> list[Problem]:
    problems = []
    if is_blank(issue):
        problems.append(Problem("priority.issue_empty", "Say what the priority is.", "issue"))
    elif len(issue) > ISSUE_MAX:
        problems.append(
            Problem("priority.issue_empty", f"Keep the priority to {ISSUE_MAX} characters or fewer.", "issue")
        )
    if issue_date > today:
        problems.append(Problem("priority.future_date", "The date set cannot be in the future.", "issue_date"))
    elif issue_date < PRIORITY_EARLIEST:
        problems.append(Problem("priority.too_early", _TOO_EARLY.format(what="date set"), "issue_date"))
    if len(action) > ACTION_MAX:
        problems.append(
            Problem("priority.action_missing", f"Keep the action taken to {ACTION_MAX} characters or fewer.", "action")
        )
    if action_date is not None:
        if not action:
            problems.append(Problem("priority.action_missing", "Say what action was taken on that date.", "action"))
        if action_date < PRIORITY_EARLIEST:
            problems.append(Problem("priority.too_early", _TOO_EARLY.format(what="date of action"), "action_date"))
        elif action_date < issue_date:
            problems.append(
                Problem(
                    "priority.action_before_issue",
                    "The date of action cannot be before the priority was set.",
                    "action_date",
                )
            )
        elif action_date > today:
            problems.append(
                Problem("priority.future_date", "The date of action cannot be in the future.", "action_date")
            )
    elif action:
        problems.append(Problem("priority.action_date_missing", "Give the date the action was taken.", "action_date"))
    return problems


def priority_add(
    *,
    ward: Ward,
    by: User,
    issue: str,
    issue_date: dt.date,
    action: str = "",
    action_date: dt.date | None = None,
) -> WardPriority:
    """Add a current priority to ``ward``. Only the ward's Ward Panel members may
    (``permission.denied``). Refuses an empty or over-long issue, dates in the future, an
    action date before the issue date, or an action without its date (and the reverse)."""
    if not team_permissions.can_set_priorities(by, ward):
        raise ServiceError("permission.denied", "Only the ward's Ward Panel members can set its priorities.")
    issue, action = _clean_text(issue), _clean_block(action)
    problems = _priority_problems(
        issue=issue, issue_date=issue_date, action=action, action_date=action_date, today=timezone.localdate()
    )
    if problems:
        raise ServiceError(problems=problems)
    with transaction.atomic():
        priority = WardPriority(
            ward=ward, issue=issue, issue_date=issue_date, action=action, action_date=action_date, created_by=by
        )
        full_clean_as_problems(priority, codes=_PRIORITY_CODES, default="priority.invalid")
        priority.save()
        bump_wards([ward.pk])  # the ward page and /priorities list it
    return priority


def _lock_priority(priority: WardPriority) -> WardPriority:
    return WardPriority.objects.select_for_update(of=("self",)).select_related("ward").get(pk=priority.pk)


def priority_update(
    *,
    priority: WardPriority,
    by: User,
    issue: str,
    issue_date: dt.date,
    action: str,
    action_date: dt.date | None,
) -> WardPriority:
    """Change a current priority. Ward Panel members may change everything; the ward's DWOs
    only the action taken and its date (``permission.denied`` if they reword the issue or
    move its date). A retired priority is not changed (``priority.retired``)."""
    issue, action = _clean_text(issue), _clean_block(action)
    with transaction.atomic():
        locked = _lock_priority(priority)
        ward = locked.ward
        if not team_permissions.can_record_priority_action(by, ward):
            raise ServiceError(
                "permission.denied", "Only the ward's Ward Panel and officers can change its priorities."
            )
        if (issue, issue_date) != (locked.issue, locked.issue_date) and not team_permissions.can_set_priorities(
            by, ward
        ):
            raise ServiceError(
                "permission.denied",
                "Only the Ward Panel can reword a priority or change the date it was set; "
                "you can record the action taken.",
            )
        if locked.retired_at is not None:
            raise ServiceError("priority.retired", "This priority has been retired, so it can no longer change.")
        problems = _priority_problems(
            issue=issue, issue_date=issue_date, action=action, action_date=action_date, today=timezone.localdate()
        )
        if problems:
            raise ServiceError(problems=problems)
        locked.issue, locked.issue_date, locked.action, locked.action_date = issue, issue_date, action, action_date
        full_clean_as_problems(locked, codes=_PRIORITY_CODES, default="priority.invalid")
        locked.save(update_fields=["issue", "issue_date", "action", "action_date"])
        # Its sessions' pages name it too; they depend on the same ward's scope.
        bump_wards([ward.pk])
    return locked


def priority_retire(*, priority: WardPriority, by: User) -> WardPriority:
    """Retire a priority: it leaves the ward page and /priorities, and sessions stop naming it
    (their link is kept for the record). Ward Panel members only (``permission.denied``);
    ``priority.retired`` if it already was."""
    with transaction.atomic():
        locked = _lock_priority(priority)
        if not team_permissions.can_set_priorities(by, locked.ward):
            raise ServiceError("permission.denied", "Only the ward's Ward Panel members can retire its priorities.")
        if locked.retired_at is not None:
            raise ServiceError("priority.retired", "This priority has already been retired.")
        locked.retired_at, locked.retired_by = timezone.now(), by
        locked.save(update_fields=["retired_at", "retired_by"])
        bump_wards([locked.ward_id])
    return locked


LINKABLE_STATUSES = (SessionStatus.DRAFT, SessionStatus.PROPOSED, SessionStatus.RETURNED, SessionStatus.APPROVED)


def session_link_priority(*, session: ContactSession, by: User, priority: WardPriority | None) -> ContactSession:
    """Say which of the ward's current priorities ``session`` is about (None: none). The
    session's DWOs only (``permission.denied``); the priority must be the session's ward's
    (``priority.other_ward``) and current (``priority.retired``); the session must still be
    planned: a draft, proposed, returned or approved (``session.state``). The session's version is left alone:
    this changes nothing the SNB decides, so it does not make an open form stale."""
    with transaction.atomic():
        locked = (
            ContactSession.objects.select_for_update(of=("self",)).select_related("ward__borough").get(pk=session.pk)
        )
        if not permissions.can_edit(by, locked):
            raise ServiceError("permission.denied", "Only the ward's officers can link its sessions to a priority.")
        if locked.status not in LINKABLE_STATUSES:
            raise ServiceError("session.state", "This session is no longer planned, so its priority cannot change.")
        if priority is not None:
            current = WardPriority.objects.filter(pk=priority.pk).values_list("ward_id", "retired_at").first()
            if current is None or current[0] != locked.ward_id:
                raise ServiceError("priority.other_ward", "Choose one of this ward's priorities.", field="priority")
            if current[1] is not None:
                raise ServiceError(
                    "priority.retired", "That priority has been retired. Choose a current one.", field="priority"
                )
        locked.priority = priority
        locked.save(update_fields=["priority", "updated_at"])
        bump_wards([locked.ward_id])
    session.priority = priority
    return locked


# --- an officer's public profile ---------------------------------------------------------


def _officer_wards(officer: Officer) -> set[int]:
    """Every ward whose pages show the officer: posted there, or at one of its sessions."""
    wards = set(WardAssignment.objects.filter(officer=officer).values_list("ward_id", flat=True))
    wards |= set(ContactSession.objects.filter(officers=officer).values_list("ward_id", flat=True).distinct())
    return wards


def officer_profile_update(
    *,
    officer: Officer,
    by: User,
    public_name: str,
    bio: str,
    languages: Iterable[str],
    photo: IO[bytes] | None = None,
    photo_size: int | None = None,
    photo_alt: str = "",
    remove_photo: bool = False,
) -> OfficerProfile:
    """Change an officer's public profile: the name shown, a short introduction, the
    languages they speak and an optional photo, which needs a description (``photo_alt``).
    Only the officer (``permission.denied``); ``profile.name_empty``, ``profile.bio_too_long``,
    ``profile.alt_missing``, ``profile.language`` and the photo codes of ``lib.images``. A
    photo is re-encoded as a JPEG without metadata; the old file is deleted after the commit
    (a write rolled back after the new file was stored leaves that file unlinked, never shown)."""
    if not team_permissions.can_edit_profile(by, officer.user_id):
        raise ServiceError("permission.denied", "Officers edit their own profiles only.")
    public_name, bio, photo_alt = _clean_text(public_name), _clean_block(bio), _clean_text(photo_alt)
    photo_alt = "" if is_blank(photo_alt) else photo_alt
    codes = set(languages)
    problems: list[Problem] = []
    if is_blank(public_name):
        problems.append(Problem("profile.name_empty", "Give the name residents know you by.", "public_name"))
    elif len(public_name) > 120:
        problems.append(Problem("profile.name_empty", "Keep the name to 120 characters or fewer.", "public_name"))
    if len(bio) > BIO_MAX:
        problems.append(
            Problem("profile.bio_too_long", f"Keep the introduction to {BIO_MAX} characters or fewer.", "bio")
        )
    if codes - set(Language.values):
        problems.append(Problem("profile.language", "Choose languages from the list.", "languages"))
    if len(photo_alt) > ALT_MAX:
        problems.append(
            Problem("profile.alt_missing", f"Keep the description to {ALT_MAX} characters or fewer.", "photo_alt")
        )
    jpeg = None
    if photo is not None and not remove_photo:
        try:
            jpeg = clean_photo(photo, size=photo_size)
        except PhotoProblem as exc:
            problems.append(Problem(exc.code, exc.message, "photo"))
    with transaction.atomic():
        profile, _ = OfficerProfile.objects.select_for_update().get_or_create(officer=officer)
        keeps_photo = bool(profile.photo) and not remove_photo
        if (jpeg is not None or keeps_photo) and not photo_alt:
            problems.append(
                Problem("profile.alt_missing", "Describe the photo for people who cannot see it.", "photo_alt")
            )
        if problems:
            raise ServiceError(problems=problems)
        old_name = profile.photo.name if profile.photo and (jpeg is not None or remove_photo) else ""
        if jpeg is not None:
            profile.photo.save(f"{uuid.uuid4().hex}.jpg", ContentFile(jpeg), save=False)
        elif remove_photo:
            profile.photo = ""
        profile.photo_alt = photo_alt if (jpeg is not None or keeps_photo) else ""
        full_clean_as_problems(profile, codes={"photo_alt": "profile.alt_missing"}, default="profile.invalid")
        profile.save()
        officer.public_name, officer.bio = public_name, bio
        officer.save(update_fields=["public_name", "bio"])
        OfficerLanguage.objects.filter(officer=officer).exclude(language__in=codes).delete()
        have = set(OfficerLanguage.objects.filter(officer=officer).values_list("language", flat=True))
        OfficerLanguage.objects.bulk_create(
            [OfficerLanguage(officer=officer, language=c) for c in sorted(codes - have)]
        )
        bump_wards(_officer_wards(officer))
        if old_name:
            storage = profile.photo.storage
            transaction.on_commit(lambda: storage.delete(old_name), robust=True)
    return profile
