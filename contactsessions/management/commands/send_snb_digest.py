"""The weekly SNB digest, meant for cron (e.g. Monday 07:00): what waits, which wards have gaps."""

from django.core.mail import get_connection
from django.core.management.base import BaseCommand

from contactsessions import notify, selectors
from wards.models import Borough


class Command(BaseCommand):
    help = "E-mail each Safer Neighbourhood Board member what waits for a decision and which wards have gaps."

    def handle(self, *args, **options):
        sent = 0
        with get_connection() as connection:
            for borough in Borough.objects.filter(board_memberships__isnull=False).distinct():
                to = notify.addresses(notify.board_users(borough.pk))
                if not to:
                    continue
                waiting, gaps = selectors.digest_for_borough(borough=borough)
                notify.snb_digest(borough=borough, to=to, waiting=waiting, gaps=gaps, connection=connection)
                sent += 1
        self.stdout.write(f"Digest sent to {sent} board{'' if sent == 1 else 's'}.")
