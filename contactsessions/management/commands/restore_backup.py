"""``restore_backup``: Django's ``loaddata`` that restores history instead of recording it again.

django-simple-history skips raw saves (loaddata) for a model's own rows, but its
many-to-many handler does not: loading a ContactSession's officers wrote a new
historical row, which then clashed with the historical rows in the same backup
("duplicate key ... historicalcontactsession_pkey") and the restore failed. A
backup already holds the history, so it is loaded as it was and nothing new is
recorded while loading. Used by the restore route in docs/deploy.md. A command of its own name, so Django's
``loaddata`` keeps doing exactly what its documentation says.
"""

from __future__ import annotations

from django.core.management.commands.loaddata import Command as DjangoLoadData
from django.test.utils import override_settings

from contactsessions.lib.scopes import public_cache_bump


class Command(DjangoLoadData):
    help = f"{DjangoLoadData.help} History is loaded from the fixtures, not recorded again."

    def handle(self, *fixture_labels, **options):
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            result = super().handle(*fixture_labels, **options)
        # Raw saves send no change signals: forget every cached page, part and figure.
        public_cache_bump()
        return result
