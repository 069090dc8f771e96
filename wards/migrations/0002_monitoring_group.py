from django.db import migrations

MONITORING_GROUP = "Monitoring staff"  # contactsessions.permissions.MONITORING_GROUP


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=MONITORING_GROUP)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=MONITORING_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("wards", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_group, remove_group)]
