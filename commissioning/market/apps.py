from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "commissioning.market"
    label = "market"
    verbose_name = _("Provider market")

    def ready(self) -> None:
        from commissioning.market import rules  # noqa: F401  (registers access rules)
        from commissioning.market import receivers  # noqa: F401  (connects signal receivers)
