"""Cron, weekly: queue the weekly summary for every address that chose one, and forget
what the queue still holds of tasks already done (a confirmation task's row carries the
address it was sent to; ``prune_db_task_results`` daily does the same, see README)."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend

from contactsessions.alerts import services, tasks
from contactsessions.alerts.models import Frequency, Subscriber


class Command(BaseCommand):
    help = (
        "Queue one weekly summary task per address that follows a ward weekly (the worker sends them). "
        "Safe to run again: an address is sent at most one summary in six days."
    )

    def handle(self, *args, **options) -> None:
        recent = timezone.now() - tasks.SUMMARY_INTERVAL
        due = (
            Subscriber.objects.filter(subscriptions__frequency=Frequency.WEEKLY)
            .filter(Q(summary_sent_at__isnull=True) | Q(summary_sent_at__lte=recent))
            .distinct()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        count = 0
        for subscriber_id in due:
            tasks.send_weekly_summary.enqueue(subscriber_id=subscriber_id)
            count += 1
        # The hour's digests of addresses nobody asked for since go too.
        services.forget_old_link_records()
        # And finished tasks' rows, which hold the addresses links went to (privacy notice).
        if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            call_command("prune_db_task_results", "--min-age-days", "0", "--queue-name", "*", verbosity=0)
        self.stdout.write(f"Queued {count} weekly summar{'y' if count == 1 else 'ies'}.")
