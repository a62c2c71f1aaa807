"""`make bench`: every benchmark against a real server, on SQLite and on PostgreSQL.

For each database (SQLite in a temporary directory; PostgreSQL when 127.0.0.1:5432 answers, in
a database made for the run and dropped after it) this migrates, loads the demo, adds generated
providers (bench/seed.py), starts gunicorn with sync workers on a free loopback port, signs in
as the demo commissioner, and measures each endpoint with wrk next to a bare view returning the
same number of bytes through the same server and middleware (bench/urls.py): requests a second,
p95 latency, and the ratio of the two rates. Figures are printed as a table per database and
written to bench/results/latest.json.

Usage: .venv/bin/python bench/run.py [--duration 4] [--concurrency 8 32] [--providers 5000]
                                      [--databases sqlite postgres]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/run.py`
    sys.path.insert(0, str(ROOT))

from bench.common import environment, postgres_answers, recreate_pg_database  # noqa: E402

BENCH = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python")
LUA_SCRIPT = BENCH / "report.lua"
RESULTS = BENCH / "results" / "latest.json"

PG_BENCH_DB = "oc_bench"
PG_BENCH_URL = f"postgres://postgres@127.0.0.1:5432/{PG_BENCH_DB}"

SIGN_IN_EMAIL = "commissioner@northvale.example"
SIGN_IN_PASSWORD = "Northvale-demo-2026"

CORES = os.cpu_count() or 1
WORKERS = 2 * CORES
WRK_THREADS = 2
WARMUP_SECONDS = 1
PYTHON_LOOP_MAX_REQUESTS = 200_000


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    auth: str  # "session" (the sign-in cookie) or "token" (Authorization: Bearer)


ENDPOINTS = (
    Endpoint("dashboard", "/dashboard/", "session"),
    Endpoint("api organisations (page 1)", "/api/v1/organisations", "session"),
    Endpoint("api areas (page 1)", "/api/v1/areas", "session"),
    Endpoint("api partnerships", "/api/v1/partnerships", "session"),
    Endpoint("api partnerships", "/api/v1/partnerships", "token"),
)


@dataclass
class Load:
    """One bounded load run: figures from wrk, or from the Python fallback."""

    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int

    @classmethod
    def combine(cls, passes: list[Load]) -> Load:
        """Passes of one measurement as one: the rate over their whole time, and for each
        percentile the worst pass's (an upper bound of the percentile over all requests)."""
        seconds = sum(p.seconds for p in passes)
        return cls(
            requests=sum(p.requests for p in passes),
            seconds=seconds,
            rps=sum(p.rps * p.seconds for p in passes) / seconds if seconds else 0.0,
            p50_ms=max(p.p50_ms for p in passes),
            p95_ms=max(p.p95_ms for p in passes),
            p99_ms=max(p.p99_ms for p in passes),
            errors=sum(p.errors for p in passes),
        )


@dataclass
class Row:
    endpoint: str
    path: str
    auth: str
    concurrency: int
    response_bytes: int
    endpoint_load: Load
    bare_load: Load

    @property
    def ratio(self) -> float:
        return self.endpoint_load.rps / self.bare_load.rps if self.bare_load.rps else 0.0


@dataclass
class DatabaseResult:
    database: str
    version: str
    dataset: dict[str, Any] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    worker_peak_rss_mib: list[float] = field(default_factory=list)
    worker_rss_mib: list[float] = field(default_factory=list)
    master_peak_rss_mib: float = 0.0
    seconds: float = 0.0


# --- the load generator ------------------------------------------------------------------


def ensure_wrk() -> str | None:
    """wrk's path, installing Debian's package when it is missing; None when that fails."""
    found = shutil.which("wrk")
    if found:
        return found
    prefix: list[str] = []
    if os.geteuid() != 0:
        if not shutil.which("sudo"):
            return None
        prefix = ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("wrk is missing: installing Debian's package with apt-get", flush=True)
    install = [*prefix, "apt-get", "install", "-y", "-qq", "wrk"]
    for attempt in (install, [*prefix, "apt-get", "update", "-qq"], install):
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            subprocess.run(attempt, env=env, check=True, timeout=300, capture_output=True)
        if shutil.which("wrk"):
            break
    return shutil.which("wrk")


class LoadGenerator:
    def __init__(self, wrk: str | None, why_not_wrk: str = "") -> None:
        self.wrk = wrk
        self.why_not_wrk = why_not_wrk

    def describe(self) -> str:
        if self.wrk:
            return f"wrk ({self.wrk}), {WRK_THREADS} threads"
        return (
            f"Python thread pool with httpx ({self.why_not_wrk}): the client shares the "
            "GIL and the cores with the server, so rates are far below what wrk would show"
        )

    def run(self, url: str, headers: dict[str, str], concurrency: int, seconds: int) -> Load:
        if self.wrk:
            return self._wrk(url, headers, concurrency, seconds)
        return self._python(url, headers, concurrency, seconds)

    def _wrk(self, url: str, headers: dict[str, str], concurrency: int, seconds: int) -> Load:
        assert self.wrk is not None
        command = [
            self.wrk,
            "--threads",
            str(min(WRK_THREADS, concurrency)),
            "--connections",
            str(concurrency),
            "--duration",
            f"{seconds}s",
            "--timeout",
            "10s",
            "--script",
            str(LUA_SCRIPT),
        ]
        for name, value in headers.items():
            command += ["--header", f"{name}: {value}"]
        command.append(url)
        finished = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 60, check=False
        )
        match = re.search(r"^BENCH (\{.*\})$", finished.stdout, re.MULTILINE)
        if finished.returncode != 0 or match is None:
            raise RuntimeError(f"wrk failed on {url}: {finished.stdout}{finished.stderr}")
        report = json.loads(match.group(1))
        return Load(
            requests=report["requests"],
            seconds=report["seconds"],
            rps=report["rps"],
            p50_ms=report["p50_ms"],
            p95_ms=report["p95_ms"],
            p99_ms=report["p99_ms"],
            errors=sum(report["errors"].values()),
        )

    def _python(self, url: str, headers: dict[str, str], concurrency: int, seconds: int) -> Load:
        latencies: list[float] = []
        errors = 0
        lock = threading.Lock()
        start = time.perf_counter()
        deadline = start + seconds

        def client_loop() -> None:
            nonlocal errors
            with httpx.Client(headers=headers, timeout=10) as client:
                while time.perf_counter() < deadline:
                    with lock:
                        if len(latencies) + errors >= PYTHON_LOOP_MAX_REQUESTS:
                            return
                    sent = time.perf_counter()
                    try:
                        ok = client.get(url).status_code < 400
                    except httpx.HTTPError:
                        ok = False
                    elapsed = time.perf_counter() - sent
                    with lock:
                        if ok:
                            latencies.append(elapsed)
                        else:
                            errors += 1

        with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
            for future in [pool.submit(client_loop) for _ in range(concurrency)]:
                future.result()
        took = time.perf_counter() - start
        ordered = sorted(latencies) or [0.0]

        def percentile(p: float) -> float:
            return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

        return Load(
            requests=len(latencies) + errors,
            seconds=took,
            rps=len(latencies) / took,
            p50_ms=percentile(50),
            p95_ms=percentile(95),
            p99_ms=percentile(99),
            errors=errors,
        )


# --- the databases ------------------------------------------------------------------------


@contextlib.contextmanager
def postgres_database() -> Iterator[tuple[dict[str, str], str]]:
    """A fresh PostgreSQL database for the run, dropped afterwards."""
    version = recreate_pg_database(PG_BENCH_DB)
    try:
        yield {"DATABASE_URL": PG_BENCH_URL}, f"PostgreSQL {version}"
    finally:
        recreate_pg_database(PG_BENCH_DB, drop_only=True)


@contextlib.contextmanager
def sqlite_database() -> Iterator[tuple[dict[str, str], str]]:
    with tempfile.TemporaryDirectory(prefix="oc-bench-") as directory:
        path = Path(directory) / "bench.sqlite3"
        yield {"SQLITE_PATH": str(path)}, f"SQLite {sqlite3.sqlite_version}"


def server_environment(database_env: dict[str, str]) -> dict[str, str]:
    return environment(LOG_LEVEL="WARNING", **database_env)


def prepare(env: dict[str, str], providers: int) -> dict[str, Any]:
    """Migrate, load the demo, add generated providers; the dataset's size and an API token."""

    def run(*args: str) -> str:
        finished = subprocess.run(
            [PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        if finished.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{finished.stdout}{finished.stderr}")
        return finished.stdout

    run("manage.py", "migrate", "--no-input", "--verbosity", "0")
    run("manage.py", "load_demo")
    last_line = run("-m", "bench.seed", "--providers", str(providers)).strip().splitlines()[-1]
    return dict(json.loads(last_line))


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """gunicorn with sync workers on a loopback port, in a process group of its own."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("w")
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "commissioning.config.wsgi",
                "--chdir",
                str(ROOT),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WORKERS),
                "--worker-class",
                "sync",
                "--timeout",
                "60",
                "--error-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_healthy(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base}/healthz/", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz/:\n{self.log_path.read_text()}")

    def worker_pids(self) -> list[int]:
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                after_name = stat.read_text().rsplit(")", 1)[1].split()
                if int(after_name[1]) == self.process.pid:
                    pids.append(int(stat.parent.name))
        return sorted(pids)

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
        self._log.close()


def rss_mib(pid: int, field: str) -> float:
    """A process's resident memory in MiB: now (VmRSS) or its high-water mark (VmHWM)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return 0.0


def sign_in(base: str) -> str:
    """The Cookie header of a signed-in session as the demo commissioner."""
    with httpx.Client(base_url=base, timeout=30) as client:
        form = client.get("/sign-in/")
        form.raise_for_status()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        if token is None:
            raise RuntimeError("the sign-in page has no csrfmiddlewaretoken field")
        answer = client.post(
            "/sign-in/",
            data={
                "username": SIGN_IN_EMAIL,
                "password": SIGN_IN_PASSWORD,
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={"Referer": f"{base}/sign-in/"},
        )
        if answer.status_code != 302 or "sessionid" not in client.cookies:
            raise RuntimeError(f"signing in failed: HTTP {answer.status_code}")
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


# --- one database -------------------------------------------------------------------------


def bench_database(
    label: str,
    database: contextlib.AbstractContextManager[tuple[dict[str, str], str]],
    loader: LoadGenerator,
    args: argparse.Namespace,
) -> DatabaseResult:
    started = time.monotonic()
    with database as (database_env, version), tempfile.TemporaryDirectory() as scratch:
        result = DatabaseResult(database=label, version=version)
        print(f"\n== {version}: migrate, load_demo, {args.providers:,} generated providers ==")
        env = server_environment(database_env)
        dataset = prepare(env, args.providers)
        token = str(dataset.pop("token"))
        result.dataset = dataset
        print(
            f"dataset: demo + {dataset['added_providers']:,} generated providers = "
            f"{dataset['organisations']:,} organisations, {dataset['areas']:,} areas, "
            f"{dataset['partnerships']:,} partnerships, {dataset['people']:,} people"
        )
        server = Server(env, Path(scratch) / "gunicorn.log")
        try:
            server.wait_until_healthy()
            cookie = sign_in(server.base)
            credentials = {
                "session": {"Cookie": cookie},
                "token": {"Authorization": f"Bearer {token}"},
            }
            print(f"gunicorn: {WORKERS} sync workers on {server.base}")
            for endpoint in ENDPOINTS:
                headers = credentials[endpoint.auth]
                rows = bench_endpoint(server.base, endpoint, headers, loader, args)
                if isinstance(rows, str):
                    result.problems.append(rows)
                    print(f"  !! {rows}")
                    continue
                result.rows.extend(rows)
            workers = server.worker_pids()
            result.worker_peak_rss_mib = sorted(rss_mib(pid, "VmHWM") for pid in workers)
            result.worker_rss_mib = sorted(rss_mib(pid, "VmRSS") for pid in workers)
            result.master_peak_rss_mib = rss_mib(server.process.pid, "VmHWM")
        finally:
            server.stop()
    result.seconds = time.monotonic() - started
    return result


def bench_endpoint(
    base: str,
    endpoint: Endpoint,
    headers: dict[str, str],
    loader: LoadGenerator,
    args: argparse.Namespace,
) -> list[Row] | str:
    """Rows for one endpoint at each concurrency, or why it could not be measured."""
    url = base + endpoint.path
    probe = httpx.get(url, headers=headers, timeout=30)
    if probe.status_code != 200:
        return f"{endpoint.path} ({endpoint.auth}) answered HTTP {probe.status_code}: skipped"
    size = len(probe.content)
    bare_url = f"{base}/__bench__/bytes/{size}/"
    bare_probe = httpx.get(bare_url, headers=headers, timeout=30)
    if bare_probe.status_code != 200 or len(bare_probe.content) != size:
        return f"the bare view answered HTTP {bare_probe.status_code}: {endpoint.path} skipped"

    first = min(args.concurrency)
    loader.run(url, headers, first, WARMUP_SECONDS)
    loader.run(bare_url, headers, first, WARMUP_SECONDS)
    rows = []
    for concurrency in args.concurrency:
        measured, bare = measure_pair(loader, url, bare_url, headers, concurrency, args.duration)
        row = Row(endpoint.name, endpoint.path, endpoint.auth, concurrency, size, measured, bare)
        print(
            f"  {endpoint.name} [{endpoint.auth}] c={concurrency}: "
            f"{measured.rps:,.0f} req/s (bare {bare.rps:,.0f}), ratio {row.ratio:.2f}",
            flush=True,
        )
        rows.append(row)
    return rows


def measure_pair(
    loader: LoadGenerator,
    url: str,
    bare_url: str,
    headers: dict[str, str],
    concurrency: int,
    seconds: int,
) -> tuple[Load, Load]:
    """The endpoint and the bare view, each for `seconds` split into two passes run in the
    order endpoint, bare, bare, endpoint: drift on the machine (other work on the same cores)
    then touches both alike, and the ratio between them stays fair."""
    half = max(1, seconds // 2)
    first = loader.run(url, headers, concurrency, half)
    bare = [loader.run(bare_url, headers, concurrency, half) for _ in range(2)]
    last = loader.run(url, headers, concurrency, half)
    return Load.combine([first, last]), Load.combine(bare)


# --- output -------------------------------------------------------------------------------

COLUMNS = (
    ("endpoint", "<", 27),
    ("auth", "<", 7),
    ("conc", ">", 4),
    ("bytes", ">", 7),
    ("req/s", ">", 8),
    ("p95 ms", ">", 7),
    ("bare req/s", ">", 10),
    ("bare p95", ">", 8),
    ("ratio", ">", 5),
    ("errors", ">", 6),
)


def table(result: DatabaseResult) -> str:
    def line(cells: list[str]) -> str:
        return "  ".join(
            f"{cell:{align}{width}}" for cell, (_, align, width) in zip(cells, COLUMNS, strict=True)
        )

    lines = [line([name for name, _, _ in COLUMNS])]
    lines.append(line(["-" * width for _, _, width in COLUMNS]))
    for row in result.rows:
        lines.append(
            line(
                [
                    row.endpoint,
                    row.auth,
                    str(row.concurrency),
                    f"{row.response_bytes:,}",
                    f"{row.endpoint_load.rps:,.0f}",
                    f"{row.endpoint_load.p95_ms:.1f}",
                    f"{row.bare_load.rps:,.0f}",
                    f"{row.bare_load.p95_ms:.1f}",
                    f"{row.ratio:.2f}",
                    str(row.endpoint_load.errors + row.bare_load.errors),
                ]
            )
        )
    return "\n".join(lines)


def report(results: list[DatabaseResult], loader: LoadGenerator, args: argparse.Namespace) -> None:
    print("\n" + "=" * 100)
    print(
        f"Open Commissioning benchmarks: {CORES} cores, gunicorn {WORKERS} sync workers, "
        f"load from {loader.describe()}; {args.duration} s a measurement (two passes, "
        f"endpoint-bare-bare-endpoint) after a {WARMUP_SECONDS} s warm-up"
    )
    print(
        "ratio = endpoint req/s ÷ req/s of a bare Django view returning the same number of "
        "bytes on the same server (the stack's ceiling); higher is better, 1.00 is the ceiling"
    )
    for result in results:
        dataset = result.dataset
        print(
            f"\n{result.version} — dataset: demo + {dataset.get('added_providers', 0):,} "
            f"generated providers ({dataset.get('organisations', 0):,} organisations, "
            f"{dataset.get('areas', 0):,} areas) — {result.seconds:.0f} s"
        )
        print(table(result))
        if result.worker_peak_rss_mib:
            print(
                "gunicorn RSS in MiB: workers' peak (VmHWM) "
                + ", ".join(f"{mib:.1f}" for mib in result.worker_peak_rss_mib)
                + "; at the end (VmRSS) "
                + ", ".join(f"{mib:.1f}" for mib in result.worker_rss_mib)
                + f"; master's peak {result.master_peak_rss_mib:.1f}"
                + "\n  (the worker that signed the benchmark in checked a password with Argon2, "
                "whose memory cost is 100 MiB)"
            )
        for problem in result.problems:
            print(f"problem: {problem}")


def write_json(
    results: list[DatabaseResult], loader: LoadGenerator, args: argparse.Namespace, took: float
) -> None:
    def row_json(row: Row) -> dict[str, Any]:
        return {**asdict(row), "ratio": round(row.ratio, 4)}

    document = {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(took, 1),
        "machine": {"cores": CORES, "python": platform.python_version()},
        "server": {"gunicorn_workers": WORKERS, "worker_class": "sync"},
        "load": {
            "tool": "wrk" if loader.wrk else "python-httpx",
            "description": loader.describe(),
            "duration_seconds": args.duration,
            "warmup_seconds": WARMUP_SECONDS,
            "concurrency": args.concurrency,
        },
        "databases": [
            {
                "database": result.database,
                "version": result.version,
                "dataset": result.dataset,
                "seconds": round(result.seconds, 1),
                "worker_peak_rss_mib": result.worker_peak_rss_mib,
                "worker_rss_mib": result.worker_rss_mib,
                "master_peak_rss_mib": result.master_peak_rss_mib,
                "problems": result.problems,
                "rows": [row_json(row) for row in result.rows],
            }
            for result in results
        ],
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(document, indent=2) + "\n")
    print(f"\nresults: {RESULTS.relative_to(ROOT)}; total {took:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--duration", type=int, default=4, help="seconds a measurement (two passes of half)"
    )
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--providers", type=int, default=5_000, help="generated organisations")
    parser.add_argument(
        "--databases", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"]
    )
    parser.add_argument(
        "--python-load",
        action="store_true",
        help="load from the Python thread pool even when wrk is there (to test the fallback)",
    )
    args = parser.parse_args()
    if not 2 <= args.duration <= 60 or not all(0 < c <= 256 for c in args.concurrency):
        parser.error("keep each measurement bounded: duration 2-60 s, concurrency 1-256")

    # A plain `kill` of this script still stops gunicorn and drops the database (finally blocks).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    started = time.monotonic()
    if args.python_load:
        loader = LoadGenerator(None, "asked for with --python-load")
    else:
        loader = LoadGenerator(ensure_wrk(), "wrk could not be installed")
    if loader.wrk is None:
        print(f"!! {loader.describe()}")

    databases: list[tuple[str, contextlib.AbstractContextManager[Any]]] = []
    if "sqlite" in args.databases:
        databases.append(("sqlite", sqlite_database()))
    if "postgres" in args.databases:
        if postgres_answers():
            databases.append(("postgresql", postgres_database()))
        else:
            print("== no PostgreSQL answering on 127.0.0.1:5432: SQLite only ==")

    results: list[DatabaseResult] = []
    failed = False
    for label, database in databases:
        try:
            results.append(bench_database(label, database, loader, args))
        except Exception as exc:
            failed = True
            print(f"!! {label}: {exc}", file=sys.stderr)
    report(results, loader, args)
    write_json(results, loader, args, time.monotonic() - started)
    return 1 if failed or any(result.problems for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
