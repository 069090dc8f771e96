"""Public reads of the ward team: officers' profiles and languages, the team's contact
details and the ward's current priorities (issue 16).

Only officers posted to the ward today appear; only current priorities. Each function
costs a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from contactsessions.models import ContactSession
from wards.models import (
    Language,
    Officer,
    OfficerProfile,
    Rank,
    Ward,
    WardPriority,
    WardTeamContact,
    posting_active_on,
)


@dataclass
class TeamMember:
    officer: Officer
    photo_url: str = ""
    photo_alt: str = ""
    languages: list[str] = field(default_factory=list)  # display names, sorted
    rank_label: str = ""  # officer.get_rank_display(), "Police Constable", translated

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


def _members(officers: QuerySet[Officer]) -> list[TeamMember]:
    """A member for each officer, with the photo and languages, in one query: one row per
    officer and language (a LEFT JOIN of the profile and the languages), grouped here, with
    no profile or language objects built (issue 19, round six: was three queries)."""
    rows = officers.values_list(
        "pk", "rank", "public_name", "bio", "user_id", "profile__photo", "profile__photo_alt", "languages__language"
    )
    names = dict(Language.choices)
    ranks = dict(Rank.choices)  # get_rank_display() would translate every rank's name per officer
    storage = OfficerProfile._meta.get_field("photo").storage
    members: dict[int, TeamMember] = {}
    for pk, rank, public_name, bio, user_id, photo, photo_alt, language in rows:
        member = members.get(pk)
        if member is None:
            officer = Officer(pk=pk, rank=rank, public_name=public_name, bio=bio, user_id=user_id)
            member = members[pk] = TeamMember(
                officer=officer,
                photo_url=storage.url(photo) if photo else "",
                photo_alt=photo_alt if photo else "",
                rank_label=str(ranks.get(rank, rank)),
            )
        name = None if language is None else str(names.get(language, language))
        if name is not None and name not in member.languages:  # once, whatever else repeats the row
            member.languages.append(name)
    for member in members.values():
        member.languages.sort()
    return list(members.values())


def current_team(ward: Ward, today: dt.date | None = None) -> list[TeamMember]:
    """The ward's DWOs today, by name, with their photos and languages."""
    today = today or timezone.localdate()
    # Joined in one filter(), so one posting matches all three conditions; an officer posted
    # twice at once repeats rows, grouped by _members (cheaper to plan than IN (SELECT ...)).
    posted = Q(assignments__ward=ward) & posting_active_on(today, "assignments__")
    return _members(Officer.objects.filter(posted).order_by("public_name", "pk"))


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
    officers = Officer.objects.filter(sessions=session).order_by("public_name", "pk")
    return SessionTeam(priority=priority, members=_members(officers))


def session_priority_issues(sessions: Iterable[ContactSession]) -> dict[int, str]:
    """{session pk: the issue of its current priority}, for a list of sessions, in one query."""
    wanted = {s.pk: s.priority_id for s in sessions if s.priority_id is not None}
    if not wanted:
        return {}
    issues = dict(WardPriority.objects.current().filter(pk__in=set(wanted.values())).values_list("pk", "issue"))
    return {pk: issues[priority] for pk, priority in wanted.items() if priority in issues}
