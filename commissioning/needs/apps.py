from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "commissioning.needs"
    label = "needs"
    verbose_name = _("Population needs analysis")

    def ready(self) -> None:
        from commissioning.needs import rules  # noqa: F401  (registers access rules)
        from commissioning.needs import receivers  # noqa: F401  (connects signal receivers)
