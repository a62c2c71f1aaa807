from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "commissioning.needs"
    label = "needs"
    verbose_name = _("Population needs analysis")

    def ready(self) -> None:
        # Registers access rules; connects signal receivers.
        from commissioning.needs import receivers, rules  # noqa: F401
        from commissioning.needs import work_items

        work_items.register()
