from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "commissioning.plans"
    label = "plans"
    verbose_name = _("Commissioning plans")

    def ready(self) -> None:
        from commissioning.plans import panels, rules  # noqa: F401  (registers access rules)

        panels.declare()  # the plan page's slots, for the apps built on plans to fill
        from commissioning.plans import work_items

        work_items.register()
