from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from commissioning.audit import chain
from commissioning.audit.selectors import check_trail


def read_anchors(path: Path) -> list[chain.Anchor]:
    """Lines of `<when> <count> <head>`, as this command appends them."""
    if not path.exists():
        return []
    anchors = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            _when, count, head = line.split()
            anchors.append(chain.Anchor(count=int(count), head=head))
        except ValueError as error:
            raise CommandError(f"{path}, line {number}: not '<when> <count> <head>'.") from error
    return anchors


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain, its sealed head and the anchors recorded outside "
        "the database (OC_AUDIT_ANCHOR_FILE, to which the current head is appended); print the "
        "head and the number of events, to record elsewhere."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect-count",
            type=int,
            help="How many events the chain had when its head was recorded (at least this many).",
        )
        parser.add_argument(
            "--expect-head",
            help="The head recorded then: the hash of event number --expect-count.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        anchors = []
        if options["expect_head"] or options["expect_count"] is not None:
            if not options["expect_head"] or options["expect_count"] is None:
                raise CommandError("Give --expect-head and --expect-count together.")
            anchors.append(chain.Anchor(count=options["expect_count"], head=options["expect_head"]))
        anchor_file = Path(settings.AUDIT_ANCHOR_FILE) if settings.AUDIT_ANCHOR_FILE else None
        if anchor_file is not None:
            anchors.extend(read_anchors(anchor_file))
        checked = check_trail(anchors)
        if checked.problem is not None:
            raise CommandError(checked.problem)
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {checked.count} events verified.")
        )
        self.stdout.write(f"Head: {checked.head} after {checked.count} events.")
        self.stdout.write(
            f"To check later: manage.py verify_audit --expect-count {checked.count} "
            f"--expect-head {checked.head}"
        )
        if anchor_file is None:
            self.stdout.write(
                "No anchor file (OC_AUDIT_ANCHOR_FILE is empty): a return to an earlier sealed "
                "head would not be noticed."
            )
        else:
            anchor_file.parent.mkdir(parents=True, exist_ok=True)
            with anchor_file.open("a") as anchors_out:
                anchors_out.write(
                    f"{timezone.now().isoformat(timespec='seconds')} {checked.count} "
                    f"{checked.head}\n"
                )
            self.stdout.write(f"Head recorded in {anchor_file}.")
