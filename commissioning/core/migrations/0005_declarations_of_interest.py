"""Declarations of interest move from engagement to core, so that plans, engagement and
procurement can all read them without importing each other. Only Django's record of where the
model lives changes: the table keeps its name and its rows (engagement's 0002 forgets the model
on its side)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _content_type_to_core(apps, schema_editor):
    """Existing permissions and admin history follow the model to its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label="core", model="declarationofinterest").exists():
        return
    ContentType.objects.filter(app_label="engagement", model="declarationofinterest").update(
        app_label="core"
    )


def _content_type_to_engagement(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label="engagement", model="declarationofinterest").exists():
        return
    ContentType.objects.filter(app_label="core", model="declarationofinterest").update(
        app_label="engagement"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_people_accept_invitations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DeclarationOfInterest",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("financial", "Financial interest"),
                                    ("professional", "Non-financial professional interest"),
                                    ("personal", "Non-financial personal interest"),
                                    (
                                        "indirect",
                                        "Indirect interest (through a close family member or "
                                        "associate)",
                                    ),
                                ],
                                max_length=16,
                                verbose_name="kind of interest",
                            ),
                        ),
                        ("description", models.TextField(verbose_name="the interest")),
                        (
                            "declared_on",
                            models.DateField(
                                default=django.utils.timezone.localdate,
                                verbose_name="declared on",
                            ),
                        ),
                        (
                            "ended_on",
                            models.DateField(blank=True, null=True, verbose_name="ended on"),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(default=django.utils.timezone.now, editable=False),
                        ),
                        (
                            "person",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="declarations",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "provider",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="declared_interests",
                                to="core.organisation",
                                verbose_name="provider the interest is in",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "declaration of interest",
                        "verbose_name_plural": "declarations of interest",
                        "db_table": "engagement_declarationofinterest",
                        "ordering": ["person", "-declared_on", "-pk"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(_content_type_to_core, _content_type_to_engagement),
    ]
