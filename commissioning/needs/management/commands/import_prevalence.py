from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commissioning.core.access import SYSTEM
from commissioning.needs.services import PrevalenceImportError, import_prevalence_set


class Command(BaseCommand):
    help = (
        "Import a prevalence rate set from CSV or XLSX (age_band, sex, prevalence, lower_95, "
        "upper_95). Only sets with a real published source belong here: give its citation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--condition", required=True)
        parser.add_argument("--slug", required=True, help="a short name used in the API")
        parser.add_argument("--source", required=True, help="the publication and its citation")
        parser.add_argument("--condition-cy", default="", help="the condition's Welsh name")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            prevalence_set = import_prevalence_set(
                actor=SYSTEM,
                path=path,
                condition=options["condition"],
                slug=options["slug"],
                source=options["source"],
                condition_cy=options["condition_cy"],
            )
        except PrevalenceImportError as exc:
            raise CommandError(f"{path.name} was not imported: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {prevalence_set.condition}: {prevalence_set.rates.count()} bands."
            )
        )
