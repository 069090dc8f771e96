"""Four eyes: remember who last changed a session's proposal, so they cannot decide it.

Existing sessions were last written by whoever proposed them as far as we know, so the
field starts as ``created_by``.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def from_created_by(apps, schema_editor):
    ContactSession = apps.get_model("contactsessions", "ContactSession")
    ContactSession.objects.filter(last_changed_by__isnull=True).update(last_changed_by=models.F("created_by"))


class Migration(migrations.Migration):
    dependencies = [
        ("contactsessions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="contactsession",
            name="last_changed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalcontactsession",
            name="last_changed_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(from_created_by, migrations.RunPython.noop, elidable=True),
    ]
