"""E-mail each DWO the sessions in their wards that ended without an outcome (run daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from contactsessions import notify
from contactsessions.outcome_figures import sessions_missing_outcome
from wards.models import Officer, WardAssignment


class Command(BaseCommand):
    help = "E-mail DWOs about sessions that ended without an outcome."

    def handle(self, *args, **options):
        from django.utils import timezone

        officer_ids = WardAssignment.objects.active_on(timezone.localdate()).values("officer_id")
        sent = 0
        for officer in Officer.objects.filter(pk__in=officer_ids).select_related("user"):
            sessions = list(sessions_missing_outcome(officer.user))
            if notify.outcome_reminder(user=officer.user, sessions=sessions):
                sent += 1
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
