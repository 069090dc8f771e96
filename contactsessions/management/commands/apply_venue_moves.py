"""Meant for cron (daily, early): an Enhanced site's announced venue move takes effect on its day."""

from django.core.management.base import BaseCommand

from contactsessions import services


class Command(BaseCommand):
    help = "Make each announced move of an Enhanced site's fixed venue take effect once its day has come."

    def handle(self, *args, **options):
        moved = services.designation_apply_venue_moves()
        for designation in moved:
            self.stdout.write(f"{designation.community}: now at {designation.venue}.")
        self.stdout.write(f"{len(moved)} venue move{'' if len(moved) == 1 else 's'} applied.")
