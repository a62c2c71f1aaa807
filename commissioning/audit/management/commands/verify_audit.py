from django.core.management.base import BaseCommand, CommandError

from commissioning.audit import chain
from commissioning.audit.selectors import stored_links


class Command(BaseCommand):
    help = "Check the audit trail's hash chain and report the first broken link."

    def handle(self, *args: object, **options: object) -> None:
        checked, broken = chain.verify(stored_links())
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at event #{broken.position}: {broken.reason}. "
                f"{checked} events before it are intact."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} events verified."))
