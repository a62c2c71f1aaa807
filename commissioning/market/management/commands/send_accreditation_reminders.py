from typing import Any

from django.core.management.base import BaseCommand

from commissioning.market.services import send_expiry_reminders


class Command(BaseCommand):
    help = (
        "Email the holders of accreditations that expire within their scheme's reminder period "
        "(each once). Run it daily, from cron or a scheduler."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_expiry_reminders()
        self.stdout.write(f"{count} reminder(s) sent.")
