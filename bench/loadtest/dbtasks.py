"""Database side of the load test: the plan the clients follow, and the check afterwards.

    python -m bench.loadtest.dbtasks plan  OUT.json
    python -m bench.loadtest.dbtasks check WRITES.jsonl OUT.json --since ISO-TIME

Runs with the same DATABASE_URL as the app under test. ``check`` compares what every
client was told about its writes with what the database holds, and looks for anything
half-saved. It exits 1 when an accepted write is missing or anything is inconsistent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

import django

MARK = "Load test "
CAMDEN = "E09000007"
DEMO_BOROUGHS = ("E09000007", "E09000003", "E09000012")
SNB_USERS = ("demo-snb", "demo-snb2")
SHARED_DWO = "demo-dwo"  # two clients sign in as this officer at once, to race each other


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactsessions.settings")
    django.setup()


# --- plan ----------------------------------------------------------------------------------


def build_plan() -> dict:
    from django.utils import timezone

    from contactsessions.models import ContactSession, EnhancedDesignation, SessionStatus
    from wards.models import Borough, Ward, WardAssignment

    today = timezone.localdate()
    enhanced = set(EnhancedDesignation.objects.values_list("ward_id", flat=True))
    active = (
        WardAssignment.objects.active_on(today)
        .filter(ward__borough__code=CAMDEN, officer__user__username__startswith="demo-dwo")
        .exclude(ward_id__in=enhanced)
        .select_related("officer__user")
        .order_by("officer__user__username")
    )
    seen, dwos = set(), []
    for assignment in active:
        username = assignment.officer.user.username
        if username in seen:
            continue
        seen.add(username)
        dwos.append({"username": username, "ward_id": assignment.ward_id, "officer_id": assignment.officer_id})
    # demo-dwo first: the first two DWO clients share it.
    dwos.sort(key=lambda d: (d["username"] != SHARED_DWO, d["username"] != "demo-dwo2", d["username"]))
    wards = list(
        Ward.objects.current().filter(borough__code__in=DEMO_BOROUGHS).order_by("code").values_list("code", flat=True)
    )
    boroughs = list(DEMO_BOROUGHS) + list(
        Borough.objects.exclude(code__in=DEMO_BOROUGHS).order_by("code").values_list("code", flat=True)[:3]
    )
    sessions = list(
        ContactSession.objects.filter(status=SessionStatus.APPROVED, start__gte=timezone.now())
        .order_by("start")
        .values_list("pk", flat=True)[:60]
    )
    return {"dwos": dwos, "snbs": list(SNB_USERS), "wards": wards, "boroughs": boroughs, "sessions": sessions}


# --- check ---------------------------------------------------------------------------------


def read_log(path: Path) -> list[dict]:
    records = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line:
                records.append(json.loads(line))
    return records


def check(records: list[dict], *, since: dt.datetime) -> dict:
    from django.contrib.auth import get_user_model

    from contactsessions.models import CommentKind, ContactSession, SessionComment, SessionSeries, SessionStatus
    from contactsessions.services import BOOKED_STATUSES

    users = dict(get_user_model().objects.values_list("username", "pk"))
    lost: list[str] = []  # told accepted, not (fully) in the database
    problems: list[str] = []  # anything else inconsistent
    unknown = Counter()  # writes that errored mid-flight: found or not found

    tagged = defaultdict(list)
    for session in (
        ContactSession.objects.filter(description__startswith=MARK)
        .select_related("created_by", "series")
        .prefetch_related("officers")
    ):
        tagged[session.description.removeprefix(MARK).strip()].append(session)
    proposed_comments = set(
        SessionComment.objects.filter(kind=CommentKind.PROPOSED, session__description__startswith=MARK)
        .values_list("session_id", flat=True)
        .distinct()
    )

    def whole(token: str, rec: dict, found: list) -> list[str]:
        """What is wrong with the sessions found for one proposal (empty: complete and as asked)."""
        wrong = []
        expected = rec.get("weeks") or 1
        if len(found) != expected:
            wrong.append(f"{len(found)} of {expected} sessions")
        for s in found:
            if s.ward_id != rec["ward_id"] or s.created_by.username != rec["user"]:
                wrong.append(f"session {s.pk} in the wrong ward or by the wrong user")
            if not s.officers.all():
                wrong.append(f"session {s.pk} has no officer")
            if s.pk not in proposed_comments:
                wrong.append(f"session {s.pk} has no 'proposed' history entry")
        starts = sorted(s.start for s in found)
        if starts and starts[0] != dt.datetime.fromisoformat(rec["start"]):
            wrong.append(f"first start {starts[0].isoformat()} is not {rec['start']}")
        if rec["op"] == "series" and found:
            series_ids = {s.series_id for s in found}
            if len(series_ids) != 1 or None in series_ids:
                wrong.append("sessions not in one series")
            days = [s.start.astimezone(dt.UTC).date() for s in sorted(found, key=lambda s: s.start)]
            if any((b - a).days != 7 for a, b in zip(days, days[1:], strict=False)):
                wrong.append("a week is missing from the series")
        elif rec["op"] == "propose" and rec.get("pk") and found and found[0].pk != rec["pk"]:
            wrong.append(f"told pk {rec['pk']}, found {found[0].pk}")
        return wrong

    writes = Counter()
    logged_tokens = set()
    for rec in records:
        if rec["op"] not in ("propose", "series"):
            continue
        token, told = rec["token"], rec["told"]
        logged_tokens.add(token)
        writes[f"{rec['op']}:{told}"] += 1
        found = tagged.get(token, [])
        if told == "accepted":
            wrong = whole(token, rec, found)
            if wrong:
                lost.append(f"{rec['op']} {token} by {rec['user']} told accepted: " + "; ".join(wrong))
        elif told == "refused":
            if found:
                problems.append(f"{rec['op']} {token} by {rec['user']} told refused, but {len(found)} saved")
        else:
            unknown[f"{rec['op']}: {'saved' if found else 'not saved'}"] += 1
            if found and whole(token, rec, found):
                problems.append(
                    f"{rec['op']} {token} errored and is half-saved: " + "; ".join(whole(token, rec, found))
                )
    for token in set(tagged) - logged_tokens:
        problems.append(f"sessions with token {token} that no client logged")

    # Approvals.
    approvals = [r for r in records if r["op"] == "approve"]
    explained = defaultdict(set)  # (pk) -> users whose approval may have gone through
    for rec in approvals:
        writes[f"approve:{rec['told']}"] += 1
        if rec["told"] in ("accepted", "unknown", "error"):
            explained[rec["pk"]].add(rec["user"])
    decided = {
        s.pk: s for s in ContactSession.objects.filter(pk__in={r["pk"] for r in approvals}).select_related("decided_by")
    }
    approved_comments = Counter(
        SessionComment.objects.filter(kind=CommentKind.APPROVED, created_at__gte=since).values_list(
            "session_id", "author__username"
        )
    )
    accepted_by_pk = defaultdict(list)
    for rec in approvals:
        session = decided.get(rec["pk"])
        if rec["told"] == "accepted":
            accepted_by_pk[rec["pk"]].append(rec["user"])
            if session is None or session.status != SessionStatus.APPROVED:
                lost.append(f"approval of {rec['pk']} by {rec['user']} told accepted, session is not approved")
            elif session.decided_by is None or session.decided_by.username != rec["user"]:
                who = session.decided_by.username if session.decided_by else "nobody"
                lost.append(f"approval of {rec['pk']} by {rec['user']} told accepted, decided by {who}")
            elif not approved_comments[(rec["pk"], rec["user"])]:
                lost.append(f"approval of {rec['pk']} by {rec['user']} has no 'approved' history entry")
        elif rec["told"] in ("unknown", "error"):
            done = bool(session and session.decided_by and session.decided_by.username == rec["user"])
            unknown[f"approve: {'approved' if done else 'not approved'}"] += 1
    for pk, who in accepted_by_pk.items():
        if len(who) > 1:
            problems.append(f"session {pk}: {len(who)} approvals told accepted ({', '.join(who)})")

    # Nothing approved during the run that no client may have approved.
    snb_ids = [users[u] for u in SNB_USERS if u in users]
    for session in ContactSession.objects.filter(decided_at__gte=since, decided_by_id__in=snb_ids).select_related(
        "decided_by"
    ):
        if session.status == SessionStatus.APPROVED and session.decided_by.username not in explained.get(
            session.pk, set()
        ):
            problems.append(f"session {session.pk} approved by {session.decided_by.username}, who was told it failed")

    # Nothing half-saved among the sessions written during the run.
    recent = ContactSession.objects.filter(created_at__gte=since)
    for session in recent.filter(officers__isnull=True):
        problems.append(f"session {session.pk} has no officer")
    for session in recent.filter(status=SessionStatus.APPROVED, decided_at__isnull=True):
        problems.append(f"session {session.pk} approved with no decision recorded")
    for series in SessionSeries.objects.filter(created_at__gte=since).prefetch_related("sessions"):
        expected = (series.last_date - series.first_date).days // 7 + 1
        if series.sessions.count() != expected:
            problems.append(f"series {series.pk} holds {series.sessions.count()} of {expected} weekly sessions")

    # No officer booked twice at once by sessions written during the run.
    double = double_bookings(since=since, statuses=[str(s) for s in BOOKED_STATUSES])
    problems += [f"officer {o} double-booked: sessions {a} and {b}" for o, a, b in double]

    return {
        "writes": dict(sorted(writes.items())),
        "unknown": dict(sorted(unknown.items())),
        "lost": lost,
        "problems": problems,
        "sessions_written": recent.count(),
        "approved_during_run": ContactSession.objects.filter(decided_at__gte=since, decided_by_id__in=snb_ids).count(),
    }


def double_bookings(*, since: dt.datetime, statuses: list[str]) -> list[tuple[int, int, int]]:
    from django.db import connection

    from contactsessions.models import ContactSession

    table = ContactSession._meta.db_table
    through = ContactSession.officers.through._meta.db_table
    sql = f"""
        SELECT a_o.officer_id, a.id, b.id
        FROM {table} a
        JOIN {through} a_o ON a_o.contactsession_id = a.id
        JOIN {through} b_o ON b_o.officer_id = a_o.officer_id AND b_o.contactsession_id > a.id
        JOIN {table} b ON b.id = b_o.contactsession_id
        WHERE a.status = ANY(%s) AND b.status = ANY(%s)
          AND a.start < b."end" AND b.start < a."end"
          AND (a.created_at >= %s OR b.created_at >= %s)
        ORDER BY 1, 2, 3
    """  # noqa: S608  # nosec B608: table names come from the models, values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [statuses, statuses, since, since])
        return [tuple(row) for row in cursor.fetchall()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    plan_cmd = sub.add_parser("plan")
    plan_cmd.add_argument("out", type=Path)
    check_cmd = sub.add_parser("check")
    check_cmd.add_argument("log", type=Path)
    check_cmd.add_argument("out", type=Path)
    check_cmd.add_argument("--since", required=True, type=dt.datetime.fromisoformat)
    args = parser.parse_args(argv)
    setup()
    if args.command == "plan":
        args.out.write_text(json.dumps(build_plan(), indent=1))
        return 0
    result = check(read_log(args.log), since=args.since)
    args.out.write_text(json.dumps(result, indent=1))
    return 1 if result["lost"] or result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
