"""Declarations of interest now live in core (core's 0005): engagement forgets the model, and
its table, rows and all, stays where it is under core's name for it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0001_initial"),
        ("core", "0005_declarations_of_interest"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DeclarationOfInterest")],
            database_operations=[],
        ),
    ]
