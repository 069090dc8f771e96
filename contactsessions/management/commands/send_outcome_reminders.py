"""E-mail each DWO the sessions in their wards that ended without an outcome, and each
SNB the sessions of its borough whose outcomes are overdue, leaving their weeks
unconfirmed (run daily)."""

from __future__ import annotations

from itertools import groupby

from django.core.management.base import BaseCommand

from contactsessions import notify
from contactsessions.outcome_figures import sessions_missing_outcome, sessions_outcome_overdue
from wards.models import Officer, WardAssignment


class Command(BaseCommand):
    help = "E-mail DWOs about sessions that ended without an outcome, and SNBs about overdue ones."

    def handle(self, *args, **options):
        from django.utils import timezone

        officer_ids = WardAssignment.objects.active_on(timezone.localdate()).values("officer_id")
        sent = 0
        for officer in Officer.objects.filter(pk__in=officer_ids).select_related("user"):
            sessions = list(sessions_missing_outcome(officer.user))
            if notify.outcome_reminder(user=officer.user, sessions=sessions):
                sent += 1
        overdue = sorted(sessions_outcome_overdue(), key=lambda s: (s.ward.borough_id, s.start))
        boards = 0
        for _, group in groupby(overdue, key=lambda s: s.ward.borough_id):
            sessions = list(group)
            boards += notify.outcomes_overdue_to_board(borough=sessions[0].ward.borough, sessions=sessions)
        self.stdout.write(
            f"Sent {sent} reminder{'s' if sent != 1 else ''} to DWOs and "
            f"{boards} to SNB members about outcomes overdue."
        )
