from django.core.management.base import BaseCommand

from commissioning.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the fictional demonstration authority (idempotent: loading twice adds nothing)."

    def handle(self, *args: object, **options: object) -> None:
        load_demo(log=lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write(self.style.SUCCESS("Demonstration data loaded."))
