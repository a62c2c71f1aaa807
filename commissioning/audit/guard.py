"""The switch the append-only triggers consult.

Off in every running service. The test suite turns it on only between tests, when Django
empties every table (a transactional test's flush); nothing in the product turns it on.
"""

from typing import Any

_maintenance = False


def sqlite_maintenance_flag() -> int:
    return 1 if _maintenance else 0


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "oc_audit_maintenance", 0, sqlite_maintenance_flag, deterministic=False
        )


def set_maintenance(connection: Any, enabled: bool) -> None:
    global _maintenance
    _maintenance = enabled
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('oc.audit_maintenance', %s, false)", ["on" if enabled else "off"]
            )
