import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commissioning.core.access import SYSTEM
from commissioning.market.services import MarketImportError, import_market_file_now


class Command(BaseCommand):
    help = (
        "Import CQC's care directory (CSV) or care directory with filters (XLSX/ODS), or a "
        "providers file with --mapping. All or nothing; a newer file updates the register, "
        "closes deregistered locations in the areas it covers, and never duplicates a provider."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--name", help="What to call the import (default: the file name)")
        parser.add_argument("--source", default="Care Quality Commission, care directory")
        parser.add_argument("--licence", default="Open Government Licence v3.0")
        parser.add_argument(
            "--mapping",
            help="For a file in no regulator layout: JSON of our field to its column, e.g. "
            '\'{"provider_name": "Organisation", "name": "Service", "service_types": "Type"}\'',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            mapping = json.loads(options["mapping"]) if options["mapping"] else None
        except ValueError as exc:
            raise CommandError(f"--mapping is not JSON: {exc}") from exc
        width = 40

        def bar(percent: int) -> None:
            filled = width * percent // 100
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {percent:3d}%")
            sys.stderr.flush()

        try:
            result = import_market_file_now(
                actor=SYSTEM,
                path=path,
                name=options["name"] or path.name,
                source=options["source"],
                licence=options["licence"],
                mapping=mapping,
                progress=bar,
            )
        except MarketImportError as exc:
            sys.stderr.write("\n")
            raise CommandError(f"{path.name} was not imported: {exc}") from exc
        sys.stderr.write("\n")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.name} ({result.layout}): {result.locations_created:,} "
                f"locations added, {result.locations_updated:,} changed, "
                f"{result.locations_unchanged:,} unchanged, {result.locations_closed:,} closed; "
                f"{result.providers_created:,} providers added; {result.skipped:,} left out."
            )
        )
        if result.unplaced:
            self.stdout.write(f"Local authorities not recognised: {', '.join(result.unplaced)}")
