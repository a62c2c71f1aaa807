from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "commissioning.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from commissioning.audit.guard import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="audit_guard")
