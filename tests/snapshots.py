"""The database, and the files uploaded beside it, kept and put back.

Browser tests are transactional: Django empties every table after each one, so each test used
to load the whole demonstration authority again (about three seconds). Instead the first test
in a test process loads it and keeps a snapshot; every later test gets the snapshot back, which
takes a fraction of that. SQLite copies the in-memory database with its backup API; PostgreSQL
copies each table out and in with COPY, and puts every sequence back where it was.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from commissioning.audit.guard import set_maintenance


@dataclass
class Snapshot:
    media: Path
    sqlite: sqlite3.Connection | None = None
    tables: list[tuple[str, bytes]] = field(default_factory=list)
    sequences: list[tuple[str, int, bool]] = field(default_factory=list)


def _tables() -> list[str]:
    """Every table Django's flush empties (the migrations' record is not one of them)."""
    return sorted(
        connection.introspection.django_table_names(only_existing=True, include_views=False)
    )


def take(media_root: Path, keep_in: Path) -> Snapshot:
    """Keep the database as it is now, and a copy of `media_root`, in `keep_in`."""
    media = keep_in / "media"
    if media_root.exists():
        shutil.copytree(media_root, media)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        kept = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(kept)
        return Snapshot(media, sqlite=kept)
    snapshot = Snapshot(media)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")  # noqa: S608
            if not cursor.fetchone()[0]:
                continue
            with cursor.cursor.copy(f"COPY {quote(table)} TO STDOUT (FORMAT BINARY)") as copy:
                snapshot.tables.append((table, b"".join(bytes(block) for block in copy)))
        for sequence in connection.introspection.sequence_list():
            name = sequence["name"]
            cursor.execute(f"SELECT last_value, is_called FROM {quote(name)}")  # noqa: S608
            last_value, is_called = cursor.fetchone()
            snapshot.sequences.append((name, last_value, is_called))
    return snapshot


def restore(snapshot: Snapshot, media_root: Path) -> None:
    """Put the database and the uploaded files back as they were when `snapshot` was taken."""
    if snapshot.media.exists():
        shutil.copytree(snapshot.media, media_root, dirs_exist_ok=True)
    connection.ensure_connection()
    if snapshot.sqlite is not None:
        snapshot.sqlite.backup(connection.connection)
    else:
        _restore_postgresql(snapshot)
    ContentType.objects.clear_cache()  # the snapshot's content types may have other ids


def _restore_postgresql(snapshot: Snapshot) -> None:
    quote = connection.ops.quote_name
    set_maintenance(connection, True)  # the audit trail's triggers refuse TRUNCATE otherwise
    try:
        # Django's foreign keys are deferred: the tables fill in any order inside one transaction.
        with transaction.atomic(), connection.cursor() as cursor:
            tables = ", ".join(quote(table) for table in _tables())
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            for table, rows in snapshot.tables:
                with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN (FORMAT BINARY)") as copy:
                    copy.write(rows)
            for name, last_value, is_called in snapshot.sequences:
                cursor.execute("SELECT setval(%s, %s, %s)", [name, last_value, is_called])
    finally:
        set_maintenance(connection, False)
