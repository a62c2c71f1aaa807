from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "commissioning.engagement"
    label = "engagement"
    verbose_name = _("Engagement")

    def ready(self) -> None:
        from commissioning.engagement import receivers, rules  # noqa: F401  (registers rules and signal receivers)
