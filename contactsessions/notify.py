"""E-mails to the people who must act next. Called from services via ``transaction.on_commit``.

Every message has a plain-text and an HTML part and links back to the page to act on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from contactsessions.lib.links import absolute
from contactsessions.models import CommentKind
from wards.models import BoardMembership, PanelMembership, WardAssignment


def office_session_url(session) -> str:
    return absolute(reverse("officer:session-detail", args=[session.pk]))


def addresses(users: Iterable, exclude=None) -> list[str]:
    exclude_pk = getattr(exclude, "pk", None)
    return sorted({u.email for u in users if u.email and u.pk != exclude_pk})


def board_users(borough_id: int):
    return get_user_model().objects.filter(
        pk__in=BoardMembership.objects.filter(borough_id=borough_id).values("user_id")
    )


def officer_users(ward_id: int):
    active = WardAssignment.objects.active_on(timezone.localdate()).filter(ward_id=ward_id)
    return get_user_model().objects.filter(officer__assignments__in=active).distinct()


def panel_users(ward_id: int):
    return get_user_model().objects.filter(pk__in=PanelMembership.objects.filter(ward_id=ward_id).values("user_id"))


def send(
    *, to: Sequence[str], subject: str, template: str, context: dict, connection=None, headers: dict | None = None
) -> None:
    if not to:
        return
    context = {**context, "SITE_URL": settings.SITE_URL}
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=list(to), connection=connection, headers=headers or {}
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _describe(session) -> str:
    return f"{session.ward.name}, {timezone.localtime(session.start):%a %d %b %Y %H:%M}"


def proposals_waiting(sessions: Sequence) -> None:
    """Tell the SNB that proposals wait for a decision."""
    if not sessions:
        return
    first = sessions[0]
    noun = "proposal" if len(sessions) == 1 else f"{len(sessions)} proposals"
    send(
        to=addresses(board_users(first.ward.borough_id), exclude=first.created_by),
        subject=f"To review: {noun} for {first.ward.name}",
        template="notice",
        context={
            "heading": f"{noun.capitalize()} waiting for your decision",
            "lines": [_describe(s) for s in sessions],
            "link": absolute(reverse("board:queue")),
            "link_text": "Open the review queue",
        },
    )
    # The Ward Panel may comment before the board decides.
    send(
        to=addresses(panel_users(first.ward_id)),
        subject=f"New {noun} for {first.ward.name}: comments welcome",
        template="notice",
        context={
            "heading": f"{noun.capitalize()} for {first.ward.name}",
            "lines": [_describe(s) for s in sessions],
            "link": absolute(reverse("panel:ward", args=[first.ward_id])),
            "link_text": "Read and comment",
        },
    )


def decision_made(session, kind: str, text: str = "") -> None:
    """Tell the ward's DWOs what the board decided."""
    label = CommentKind(kind).label
    send(
        to=addresses(officer_users(session.ward_id)),
        subject=f"{label}: {_describe(session)}",
        template="notice",
        context={
            "heading": f"{label}: {_describe(session)}",
            "lines": [text] if text else [],
            "link": office_session_url(session),
            "link_text": "Open the session",
        },
    )


def bulk_approved(sessions: Sequence, *, automatic: bool = False) -> None:
    by_ward: dict[int, list] = {}
    for session in sessions:
        by_ward.setdefault(session.ward_id, []).append(session)
    for ward_id, own in by_ward.items():
        how = "approved automatically (nobody objected in time)" if automatic else "approved"
        send(
            to=addresses(officer_users(ward_id)),
            subject=f"{len(own)} session{'s' if len(own) != 1 else ''} {how} in {own[0].ward.name}",
            template="notice",
            context={
                "heading": f"Sessions {how}",
                "lines": [_describe(s) for s in own],
                "link": absolute(reverse("officer:home")),
                "link_text": "Open your weekly overview",
            },
        )


def comment_added(comment) -> None:
    """Tell the ward's DWOs and the SNB about a new comment."""
    session = comment.session
    people = list(officer_users(session.ward_id)) + list(board_users(session.ward.borough_id))
    send(
        to=addresses(people, exclude=comment.author),
        subject=f"New comment: {_describe(session)}",
        template="notice",
        context={
            "heading": f"New comment on {_describe(session)}",
            "lines": [comment.text],
            "link": office_session_url(session),
            "link_text": "Read and reply",
        },
    )


def session_cancelled(session) -> None:
    people = list(board_users(session.ward.borough_id)) + list(panel_users(session.ward_id))
    send(
        to=addresses(people),
        subject=f"Cancelled: {_describe(session)}",
        template="notice",
        context={
            "heading": f"Cancelled: {_describe(session)}",
            "lines": [f"Reason given to the public: {session.cancellation_reason}"],
            "link": office_session_url(session),
            "link_text": "Open the session",
        },
    )


def approved_session_changed(session, changes: Sequence[str], *, by) -> None:
    """Tell the borough's SNB that a DWO changed an approved session's texts or officers,
    which the public sees at once (a new date, time or venue waits for review instead)."""
    send(
        to=addresses(board_users(session.ward.borough_id), exclude=by),
        subject=f"Changed and published: {_describe(session)}",
        template="approved_session_changed",
        context={
            "session": session,
            "when": _describe(session),
            "by": by.get_full_name() or by.username,
            "changes": changes,
            "link": office_session_url(session),
        },
    )


def snb_digest(*, borough, to: Sequence[str], waiting: Sequence, gaps: Sequence, connection=None) -> None:
    """The weekly digest: what waits for a decision, and which wards have gaps ahead."""
    send(
        to=to,
        subject=f"{borough.name} SNB: {len(waiting)} waiting, {len(gaps)} ward weeks with gaps",
        template="snb_digest",
        context={
            "borough": borough,
            "waiting": waiting,
            "gaps": gaps,
            "link": absolute(reverse("board:queue")),
        },
        connection=connection,
    )


def outcome_reminder(*, user, sessions: Sequence) -> bool:
    """Remind a DWO of ``sessions`` that ended without an outcome. False if nothing was sent
    (no sessions, or the user has no e-mail address)."""
    if not user.email or not sessions:
        return False
    send(
        to=[user.email],
        subject=f"Record the outcome of {len(sessions)} contact session{'s' if len(sessions) != 1 else ''}",
        template="outcome_reminder",
        context={"user": user, "sessions": sessions},
    )
    return True


def outcomes_overdue_to_board(*, borough, sessions: Sequence) -> int:
    """Tell the borough's SNB members which sessions still have no outcome after the grace
    days, so their weeks stay unconfirmed. One message each; returns how many were sent."""
    if not sessions:
        return 0
    sent = 0
    for email in addresses(board_users(borough.pk)):
        send(
            to=[email],
            subject=(
                f"{borough.name}: {len(sessions)} contact session{'s' if len(sessions) != 1 else ''} "
                "with no outcome, weeks unconfirmed"
            ),
            template="outcomes_overdue",
            context={"borough": borough, "sessions": sessions, "grace_days": settings.OUTCOME_GRACE_DAYS},
        )
        sent += 1
    return sent


def assignment_started(assignment: WardAssignment, *, by) -> None:
    """Tell the borough's SNB that a DWO now serves a ward, as when one leaves."""
    for email in addresses(board_users(assignment.ward.borough_id)):
        send(
            to=[email],
            subject=f"{assignment.officer} now serves {assignment.ward.name}",
            template="assignment_started",
            context={"assignment": assignment, "by": by},
        )


def assignment_ended(assignment: WardAssignment, sessions: Sequence, *, by) -> None:
    """Tell the borough's SNB that a DWO has left a ward, and which sessions need another officer."""
    # One message each, so board members' addresses are not shared with one another.
    for email in addresses(board_users(assignment.ward.borough_id)):
        send(
            to=[email],
            subject=f"{assignment.officer} has left {assignment.ward.name}",
            template="assignment_ended",
            context={"assignment": assignment, "sessions": sessions, "by": by},
        )


def ward_boundaries_changed(*, to_set: str, on, by_borough: dict[int, list[str]]) -> int:
    """Tell each SNB what a boundary change moved in its borough: venues, sessions, postings
    (those to confirm first). One message per member, so addresses are not shared."""
    from wards.models import Borough

    sent = 0
    for borough in Borough.objects.filter(pk__in=by_borough):
        lines = sorted(by_borough[borough.pk], key=lambda line: not line.startswith("To confirm"))
        for email in addresses(board_users(borough.pk)):
            send(
                to=[email],
                subject=f"New ward boundaries in {borough.name} from {on:%-d %B %Y}",
                template="notice",
                context={
                    "heading": f"{borough.name} runs on the {to_set} wards from {on:%A %-d %B %Y}. What moved:",
                    "lines": lines,
                    "link": absolute(reverse("board:queue")),
                    "link_text": "Open the review queue",
                },
            )
            sent += 1
    return sent
