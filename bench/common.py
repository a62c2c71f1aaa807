"""What every benchmark shares: the databases it runs on, the worker process it measures in, and
its timers and memory readings.

A benchmark script is run as `python bench/<name>.py`. Its `main` starts one worker process a
database (`run_worker`), each in a fresh database (`database`): SQLite in a temporary folder
always, PostgreSQL when 127.0.0.1:5432 answers (`database_kinds`), made for the run and dropped
after it, also when something fails. The worker sets Django up, measures, and hands its figures
back as one `RESULT {json}` line on its standard output (`report`).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
DEMO_DATA = ROOT / "commissioning" / "demo" / "data"
MYE = DEMO_DATA / "NM_2002_1_mye_all_las.tsv"  # the real ONS mid-2011 estimates, every UK LA

PG_SERVER = ("127.0.0.1", 5432)
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
RESULT = "RESULT "

T = TypeVar("T")


# --- the databases ------------------------------------------------------------------------


def pg_url(name: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def postgres_answers() -> bool:
    try:
        socket.create_connection(PG_SERVER, timeout=1).close()
    except OSError:
        return False
    return True


def database_kinds() -> list[str]:
    """SQLite always; PostgreSQL when a server answers on 127.0.0.1:5432."""
    return ["sqlite"] + (["postgresql"] if postgres_answers() else [])


def recreate_pg_database(name: str, *, drop_only: bool = False) -> str:
    """Drop the PostgreSQL database `name` and, unless `drop_only`, make it afresh; the
    server's version."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        version = str(admin.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return version


@contextlib.contextmanager
def database(kind: str, name: str) -> Iterator[tuple[dict[str, str], Path]]:
    """A temporary folder and a fresh database for one run: the environment that points the
    product at them (SQLite in the folder, or the PostgreSQL database `name`, dropped
    afterwards; uploads in the folder), and the folder."""
    with tempfile.TemporaryDirectory(prefix="oc-bench-") as directory:
        folder = Path(directory)
        env = {"MEDIA_ROOT": str(folder / "media")}
        if kind == "sqlite":
            yield {**env, "SQLITE_PATH": str(folder / f"{name}.sqlite3")}, folder
            return
        recreate_pg_database(name)
        try:
            yield {**env, "DATABASE_URL": pg_url(name)}, folder
        finally:
            recreate_pg_database(name, drop_only=True)


def environment(**extra: str) -> dict[str, str]:
    """This process's environment for a worker or server: the benchmark's settings (DEBUG off,
    plain HTTP on loopback) and no database of the caller's."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SQLITE_PATH", "DJANGO_SETTINGS_MODULE", "PYTHONPATH"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        OC_ENVIRONMENT="development",
        DEBUG="0",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


# --- the worker ---------------------------------------------------------------------------


def run_worker(script: str, *args: str, env: dict[str, str], timeout: int) -> dict[str, Any]:
    """Run the benchmark script's worker (`python <script> --worker <args>`) and return the
    figures of its RESULT line."""
    completed = subprocess.run(
        [sys.executable, str(Path(script).resolve()), "--worker", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    for line in completed.stdout.splitlines():
        if line.startswith(RESULT):
            return dict(json.loads(line.removeprefix(RESULT)))
    raise RuntimeError(f"benchmark worker failed:\n{completed.stderr[-3000:]}")


def report(result: dict[str, Any]) -> None:
    """Hand the worker's figures back to `run_worker`."""
    print(RESULT + json.dumps(result), flush=True)


def setup_django(*, migrate: bool = True, demo: bool = False) -> None:
    """In the worker: set Django up, migrate the fresh database and load the demo if asked."""
    import django

    django.setup()
    from django.core.management import call_command

    if migrate:
        call_command("migrate", verbosity=0)
    if demo:
        call_command("load_demo", verbosity=0)


# --- timers and memory --------------------------------------------------------------------


def timed(function: Callable[[], T], repeats: int) -> tuple[float, float, T]:
    """The first call's seconds, the median of `repeats` more, and the last call's value."""
    started = time.perf_counter()
    value = function()
    first = time.perf_counter() - started
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - started)
    return first, statistics.median(times), value


def peak_mib() -> float:
    """This process's peak resident memory so far (since the last `reset_peak`)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> bool:
    """Start the process's peak memory afresh (Linux: VmHWM and ru_maxrss drop to what it holds
    now), so that each stage reports its own peak; False where that cannot be done."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True
