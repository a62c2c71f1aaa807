from typing import Any

from django.apps import AppConfig
from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _keep_published_figures(sender: Any, using: str, apps: Any = None, **kwargs: Any) -> None:
    """Statements published before their figures were kept get them now, once, with the code
    and schema fully migrated (so not in a data migration, which would run today's code against
    an older schema when migrating across several releases)."""
    if using != DEFAULT_DB_ALIAS or apps is None:
        return  # another database, or a flush (which sends no `apps`): nothing to keep
    try:
        apps.get_model("market", "MarketAnalysis")._meta.get_field("figures")
    except (LookupError, FieldDoesNotExist):
        return  # migrated back to before figures were kept
    from commissioning.market.services import freeze_published_figures

    freeze_published_figures()


class MarketConfig(AppConfig):
    name = "commissioning.market"
    label = "market"
    verbose_name = _("Provider market")

    def ready(self) -> None:
        from commissioning.market import rules  # noqa: F401  (registers access rules)

        post_migrate.connect(
            _keep_published_figures, sender=self, dispatch_uid="market.keep_published_figures"
        )
        from commissioning.market import (
            receivers,  # noqa: F401  (connects signal receivers)
            sign_ups,  # noqa: F401  (connects signal receivers)
            work_items,
        )

        work_items.register()
