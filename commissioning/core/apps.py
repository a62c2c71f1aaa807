from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "commissioning.core"
    label = "core"
    verbose_name = _("Organisations, people and reference data")
