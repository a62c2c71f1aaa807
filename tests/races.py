"""Requests racing each other for real: threads, each with its own database connection,
released together."""

import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection


@pytest.fixture
def racing_database(transactional_db, tmp_path):
    """PostgreSQL as it is. SQLite's in-memory test database, shared between threads, refuses
    a second writer instead of queueing it, so on SQLite the race runs on a file copy of it
    opened with the production settings (WAL, busy timeout, IMMEDIATE transactions)."""
    if connection.vendor != "sqlite":
        yield
        return
    copy = sqlite3.connect(tmp_path / "racing.sqlite3")
    connection.ensure_connection()
    connection.connection.backup(copy)
    copy.close()
    memory_name, memory_handle = connection.settings_dict["NAME"], connection.connection
    connection.settings_dict["NAME"] = str(tmp_path / "racing.sqlite3")
    connection.connection = None
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = memory_name
        connection.connection = memory_handle


def at_once(count: int, request: Callable[[int], Any]) -> list[Any]:
    """Run `request(n)` for n in range(count) in as many threads, all starting together."""
    start = threading.Barrier(count)

    def run(n: int) -> Any:
        try:
            start.wait()
            return request(n)
        finally:
            connection.close()  # each thread's own connection

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))
