from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "commissioning.plans"
    label = "plans"
    verbose_name = _("Commissioning plans")

    def ready(self) -> None:
        from commissioning.plans import rules  # noqa: F401  (registers access rules)
