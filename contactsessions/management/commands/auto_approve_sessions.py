"""Light-touch approval, meant for cron (e.g. hourly): approve unopposed proposals after the borough's delay."""

from django.core.management.base import BaseCommand

from contactsessions import services


class Command(BaseCommand):
    help = (
        "Approve proposals nobody objected to once their borough's auto_approve_after_days have passed. "
        "Boroughs without the setting are left alone."
    )

    def handle(self, *args, **options):
        approved = services.auto_approve_due()
        self.stdout.write(f"{len(approved)} proposal{'' if len(approved) == 1 else 's'} approved automatically.")
