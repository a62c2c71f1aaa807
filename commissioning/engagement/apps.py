from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "commissioning.engagement"
    label = "engagement"
    verbose_name = _("Engagement")

    def ready(self) -> None:
        from commissioning.engagement import panels, receivers, rules  # noqa: F401  (registers rules and signal receivers)

        panels.register()  # the engagement record and consultations on the plan page
        from commissioning.engagement import holds, work_items

        work_items.register()
        holds.register()  # a plan waits for its consultations (core.holds)
