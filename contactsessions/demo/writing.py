"""Writing the demo plans fast: bulk inserts of sessions, outcomes, comments and history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Model

from contactsessions.demo.plans import Plan
from contactsessions.models import (
    ContactSession,
    SessionComment,
    SessionOutcome,
    SessionStatus,
)


def write_plans(plans: list[Plan], *, now: dt.datetime) -> dict[str, int]:
    """Insert the planned sessions with their officers, outcomes, comments and review history."""
    sessions = [p.session for p in plans]
    ContactSession.objects.bulk_create(sessions, batch_size=2000)
    if any(s.pk is None for s in sessions):  # a database that cannot return ids from a bulk insert
        raise RuntimeError("bulk_create did not return primary keys")
    through = ContactSession.officers.through
    insert_rows(through, ["contactsession_id", "officer_id"], [(p.session.pk, o.pk) for p in plans for o in p.officers])
    outcomes = [p.outcome for p in plans if p.outcome]
    for outcome in outcomes:
        outcome.session_id = outcome.session.pk
    SessionOutcome.objects.bulk_create(outcomes, batch_size=2000)
    comments = [c for p in plans for c in p.comments]
    for comment in comments:
        comment.session_id = comment.session.pk
    SessionComment.objects.bulk_create(comments, batch_size=2000)
    history = write_history(sessions, now=now)
    return {
        "sessions": len(sessions),
        "outcomes": len(outcomes),
        "comments": len(comments),
        "history": history,
    }


def write_history(sessions: Iterable[ContactSession], *, now: dt.datetime) -> int:
    """Review history as the services would have left it: proposed, then decided."""
    History = ContactSession.history.model
    names = [f.attname for f in ContactSession._meta.concrete_fields]
    columns = [*names, "history_date", "history_type", "history_user_id", "history_change_reason"]
    at = {name: index for index, name in enumerate(names)}
    rows: list[tuple[Any, ...]] = []
    for session in sessions:
        values = [getattr(session, name) for name in names]
        if session.proposed_at is None:  # a draft: created, never proposed
            rows.append((*values, now, "+", session.created_by_id, None))
            continue
        first = list(values)
        first[at["status"]], first[at["decided_by_id"]], first[at["decided_at"]] = SessionStatus.PROPOSED, None, None
        first[at["version"]] = 1
        rows.append((*first, session.proposed_at, "+", session.created_by_id, None))
        if session.decided_at:
            rows.append((*values, session.decided_at, "~", session.decided_by_id, None))
    insert_rows(History, columns, rows)
    return len(rows)


def insert_rows(model: type[Model], columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """A multi-row INSERT of plain tuples, where bulk_create's per-row work shows.

    History and officer links outnumber the sessions two to one (a quarter of a million
    rows each in the benchmark); building a model instance for each costs more than
    writing it.
    """
    connection = connections[router.db_for_write(model)]
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[column] for column in columns]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    per_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch = max(1, min(500, (connection.features.max_query_params or 30000) // len(fields)))
    with connection.cursor() as cursor:
        for begin in range(0, len(rows), batch):
            chunk = rows[begin : begin + batch]
            params = [
                f.get_db_prep_save(value, connection) for row in chunk for f, value in zip(fields, row, strict=True)
            ]
            sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([per_row] * len(chunk))}"  # noqa: S608  # nosec B608: names from the model
            cursor.execute(sql, params)
