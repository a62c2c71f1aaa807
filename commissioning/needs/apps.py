from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "commissioning.needs"
    label = "needs"
    verbose_name = _("Population needs analysis")

    def ready(self) -> None:
        # Registers access rules; connects signal receivers.
        from commissioning.needs import receivers, rules, work_items  # noqa: F401

        work_items.register()
