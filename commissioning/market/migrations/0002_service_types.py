from django.db import migrations

from commissioning.market import reference_data


def load_service_types(apps, schema_editor):
    reference_data.load(apps.get_model("market", "ServiceType"))


class Migration(migrations.Migration):
    dependencies = [("market", "0001_initial")]

    operations = [migrations.RunPython(load_service_types, migrations.RunPython.noop)]
