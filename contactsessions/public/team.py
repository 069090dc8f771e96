"""Public reads of the ward team: officers' profiles and languages, the team's contact
details and the ward's current priorities (issue 16).

Only officers posted to the ward today appear; only current priorities. Each function
costs a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from contactsessions.models import ContactSession
from wards.models import Officer, OfficerLanguage, Ward, WardPriority, WardTeamContact


@dataclass
class TeamMember:
    officer: Officer
    photo_url: str = ""
    photo_alt: str = ""
    languages: list[str] = field(default_factory=list)  # display names, sorted

    @property
    def languages_text(self) -> str:
        return join_words(self.languages)


@dataclass
class WardTeam:
    members: list[TeamMember]
    contact: dict[str, str]  # data.police.uk's contact_details keys: email, telephone, twitter...
    priorities: list[WardPriority]

    @property
    def languages_text(self) -> str:
        """Every language the ward's officers speak, "Turkish, Polish and Arabic" ("" if none)."""
        names = sorted({name for member in self.members for name in member.languages})
        return join_words(names)


def join_words(words: Sequence[str]) -> str:
    """ "Turkish", "Turkish and Polish", "Turkish, Polish and Arabic" (translated "and")."""
    words = [str(w) for w in words]
    if len(words) <= 1:
        return "".join(words)
    return str(format_lazy(_("{list} and {last}"), list=", ".join(words[:-1]), last=words[-1]))


def _members(officers: Iterable[Officer]) -> list[TeamMember]:
    members = []
    for officer in officers:
        profile = getattr(officer, "profile", None)  # a missing profile raises an AttributeError
        photo = profile.photo if profile is not None and profile.photo else None
        members.append(
            TeamMember(
                officer=officer,
                photo_url=photo.url if photo else "",
                photo_alt=profile.photo_alt if photo and profile is not None else "",
                languages=sorted(str(lang.get_language_display()) for lang in officer.languages.all()),
            )
        )
    return members


def _with_profiles(officers: QuerySet[Officer]) -> QuerySet[Officer]:
    return officers.select_related("profile").prefetch_related(
        Prefetch("languages", queryset=OfficerLanguage.objects.order_by("language"))
    )


def current_team(ward: Ward, today: dt.date | None = None) -> list[TeamMember]:
    """The ward's DWOs today, by name, with their photos and languages."""
    today = today or timezone.localdate()
    officers = _with_profiles(
        Officer.objects.filter(assignments__in=ward.assignments.active_on(today)).distinct().order_by("public_name")
    )
    return _members(officers)


def team_contact(ward: Ward) -> dict[str, str]:
    """The team's contact details; no query when the ward was loaded with ``select_related("team_contact")``."""
    try:
        contact = ward.team_contact
    except WardTeamContact.DoesNotExist:
        return {}
    return contact.as_dict()


def current_priorities(ward: Ward) -> list[WardPriority]:
    return list(WardPriority.objects.current().filter(ward=ward))


def ward_team(ward: Ward) -> WardTeam:
    """What the ward page shows of its team: officers, contact details, current priorities."""
    return WardTeam(members=current_team(ward), contact=team_contact(ward), priorities=current_priorities(ward))


@dataclass
class SessionTeam:
    priority: WardPriority | None
    members: list[TeamMember]

    @property
    def languages_text(self) -> str:
        return join_words(sorted({name for member in self.members for name in member.languages}))


def session_team(session: ContactSession) -> SessionTeam:
    """The session's current priority (a retired one is no longer named) and its officers' languages."""
    priority = None
    if session.priority_id is not None:
        priority = WardPriority.objects.current().filter(pk=session.priority_id).first()
    officers = _with_profiles(Officer.objects.filter(sessions=session).order_by("public_name"))
    return SessionTeam(priority=priority, members=_members(officers))


def session_priority_issues(sessions: Iterable[ContactSession]) -> dict[int, str]:
    """{session pk: the issue of its current priority}, for a list of sessions, in one query."""
    wanted = {s.pk: s.priority_id for s in sessions if s.priority_id is not None}
    if not wanted:
        return {}
    issues = dict(WardPriority.objects.current().filter(pk__in=set(wanted.values())).values_list("pk", "issue"))
    return {pk: issues[priority] for pk, priority in wanted.items() if priority in issues}
