from django.db import migrations

from commissioning.plans import reference_data


def load_outcome_frameworks(apps, schema_editor):
    reference_data.load(
        apps.get_model("plans", "OutcomeFramework"), apps.get_model("plans", "FrameworkOutcome")
    )


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(load_outcome_frameworks, migrations.RunPython.noop)]
