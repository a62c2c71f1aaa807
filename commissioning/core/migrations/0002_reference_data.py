from django.db import migrations

from commissioning.core import reference_data


def load_reference_data(apps, schema_editor):
    reference_data.load(
        apps.get_model("core", "Area"),
        apps.get_model("core", "ClientGroup"),
        apps.get_model("core", "CycleModel"),
        apps.get_model("core", "CycleStage"),
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
