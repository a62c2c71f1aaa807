import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commissioning.core.access import SYSTEM
from commissioning.needs.services import PopulationImportError, import_population


class Command(BaseCommand):
    help = (
        "Import ONS population estimates or projections (Nomis long CSV/TSV, ONS wide CSV, or an "
        "ONS MYEB1 workbook). All or nothing: a refused file changes no population data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--name", help="What to call the dataset (default: the file name)")
        parser.add_argument(
            "--year",
            type=int,
            help="The year of the counts, for estimate files with no year column",
        )
        parser.add_argument("--source", default="Office for National Statistics")
        parser.add_argument("--licence", default="Open Government Licence v3.0")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        width = 40

        def bar(percent: int) -> None:
            filled = width * percent // 100
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {percent:3d}%")
            sys.stderr.flush()

        try:
            dataset = import_population(
                actor=SYSTEM,
                path=path,
                name=options["name"] or path.name,
                source=options["source"],
                licence=options["licence"],
                year=options["year"],
                progress=bar,
            )
        except PopulationImportError as exc:
            sys.stderr.write("\n")
            raise CommandError(f"{path.name} was not imported: {exc}") from exc
        sys.stderr.write("\n")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {dataset.name}: {dataset.get_kind_display()}, {dataset.layout}, "
                f"{dataset.area_count} areas, {dataset.first_year} to {dataset.last_year}, "
                f"{dataset.cell_count:,} counts."
            )
        )
