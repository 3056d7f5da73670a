"""Over HTTP: oidc_claims against plain django-oauth-toolkit, each in one gunicorn worker.

    .venv/bin/python benchmarks/http_serving.py [--rounds 5] [--seconds 3] [--connections 4] \
        [--node]

One database (SQLite in WAL mode as the example ships it, or ``DATABASE_URL``), prepared by
``serving_seed.py``: 50 claim definitions with a groups claim, a client-credentials client
whose secret is stored unhashed, an access token for userinfo. Three Django sites serve it,
each one gunicorn gthread worker (``example_project/gunicorn.conf.py``, keep-alive), every
site pinned to core 0 (``taskset``); the load generator (threads, one keep-alive
``http.client`` connection each) runs on core 1:

- ``plain DOT``: ``benchmarks/settings_plain_dot.py``, opaque access tokens;
- ``oidc_claims RS256`` and ``oidc_claims ES256``: the example's settings, JWT access
  tokens signed with RS256 or ES256 (``OIDC_ACCESS_TOKEN_SIGNING_ALG``);
- the IdP as shipped is the RS256 site with the demo's ``demo-service`` client, whose secret
  is hashed by the shipped ``CLIENT_SECRET_HASHER``;
- with ``--node``, panva's oidc-provider (``benchmarks/node_provider/server.mjs``, one Node
  process, after ``npm ci --prefix benchmarks/node_provider``) serves the same
  client-credentials request, RS256 and ES256 JWT access tokens with the same claims, none
  stored; the ratios of the IdP as shipped to it close the report.

Each round runs every (site, request) pair for ``--seconds``, sites in turn, so that drift of
the shared machine hits all alike. Reported per pair: requests per second (median of the
rounds), p50 and p99 latency (all rounds' requests) and the ratio to plain DOT; then the
worker's CPU time per request (median of the rounds, from /proc) and what it gives, requests
per second per core, with its ratio to plain DOT. On a machine shared with other work the
core is not the worker's alone, and the CPU figures are the steadier ones.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER_CORE, LOAD_CORE = "0", "1"
NODE_PROVIDER = ROOT / "benchmarks" / "node_provider"


class Site:
    """One gunicorn worker serving a settings module on a free port."""

    def __init__(
        self, label: str, settings: str, environment: dict[str, str], workdir: str
    ) -> None:
        self.label = label
        self.port = _free_port()
        # gunicorn's and Django's log (errors, worker restarts), named when a request fails.
        self.log = Path(workdir) / f"{label.replace(' ', '-')}.log"
        self.environment = {
            **environment,
            "DJANGO_SETTINGS_MODULE": settings,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": "1",
        }
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        return [PYTHON, "-m", "gunicorn", "-c", "example_project/gunicorn.conf.py"]

    def worker_pids(self) -> list[str]:
        assert self.process is not None
        master = self.process.pid
        return Path(f"/proc/{master}/task/{master}/children").read_text().split()

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            ["taskset", "-c", SERVER_CORE, *self.command()],
            cwd=ROOT,
            env={**os.environ, **self.environment},
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("w"),
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.label} did not start on port {self.port}; see {self.log}")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the site's worker process."""
        total = 0.0
        for pid in self.worker_pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


class NodeSite(Site):
    """panva's oidc-provider (``benchmarks/node_provider/server.mjs``), one Node process."""

    def __init__(self, label: str, alg: str, client: list[str], workdir: str) -> None:
        super().__init__(label, "", {}, workdir)
        client_id, secret = client
        self.environment = {
            "PORT": str(self.port), "ALG": alg, "CLIENT_ID": client_id, "CLIENT_SECRET": secret,
        }  # fmt: skip

    def command(self) -> list[str]:
        return ["node", str(NODE_PROVIDER / "server.mjs")]

    def worker_pids(self) -> list[str]:
        assert self.process is not None
        return [str(self.process.pid)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Request:
    """One kind of request: method, path, body and headers; 200 expected."""

    def __init__(self, name: str, method: str, path: str, body: str | None, headers: dict):
        self.name, self.method, self.path, self.body, self.headers = (
            name, method, path, body, headers,
        )  # fmt: skip


def token_request(client_id: str, secret: str) -> Request:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return Request(
        "client credentials",
        "POST",
        "/o/token/",
        urlencode({"grant_type": "client_credentials"}),
        {"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
    )


def userinfo_request(token: str) -> Request:
    return Request("userinfo", "GET", "/o/userinfo/", None, {"Authorization": f"Bearer {token}"})


def load(port: int, request: Request, seconds: float, connections: int) -> tuple[int, list[float]]:
    """Send ``request`` over ``connections`` keep-alive connections for ``seconds``."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    failures: list[str] = []
    stop_at = time.perf_counter() + seconds

    def worker(mine: list[float]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {**request.headers, "Host": "127.0.0.1"}
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            connection.request(request.method, request.path, request.body, headers)
            response = connection.getresponse()
            body = response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                failures.append(f"{response.status} {body[:200]!r}")
                return
        connection.close()

    threads = [threading.Thread(target=worker, args=(mine,)) for mine in latencies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{request.name} on port {port}: {failures[0]}")
    every = [latency for mine in latencies for latency in mine]
    return len(every), every


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0, help="per site, request and round")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--definitions", type=int, default=50)
    parser.add_argument(
        "--node",
        action="store_true",
        help="also serve the client-credentials workload with panva's oidc-provider "
        "(install it first: npm ci --prefix benchmarks/node_provider)",
    )
    args = parser.parse_args()
    if args.node and not (NODE_PROVIDER / "node_modules" / "oidc-provider").is_dir():
        parser.error("--node needs oidc-provider: run 'npm ci --prefix benchmarks/node_provider'")

    # The load generator's own core: the sites' worker has core 0 to itself.
    os.sched_setaffinity(0, {int(LOAD_CORE)})
    workdir = tempfile.mkdtemp(prefix="oidc-claims-serving-")
    environment = {
        "DATABASE_URL": os.environ.get("DATABASE_URL")
        or f"sqlite:///{Path(workdir) / 'serving.sqlite3'}",
        "OIDC_ISSUER": "http://127.0.0.1/o",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "OIDC_RSA_PRIVATE_KEY": _rsa_key(),
    }
    seeded = subprocess.run(  # noqa: S603
        [PYTHON, "benchmarks/serving_seed.py", str(args.definitions)],
        cwd=ROOT,
        env={**os.environ, **environment, "DJANGO_SETTINGS_MODULE": "example_project.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(seeded.stdout.strip().splitlines()[-1])
    client_credentials = token_request(*data["client"])
    userinfo = userinfo_request(data["userinfo_token"])
    shipped = token_request(*data["demo_client"])

    sites = [
        (Site("plain DOT", "benchmarks.settings_plain_dot", environment, workdir),
         [client_credentials, userinfo]),
        (Site("oidc_claims RS256", "example_project.settings",
              {**environment, "OIDC_ACCESS_TOKEN_SIGNING_ALG": "RS256"}, workdir),
         [client_credentials, userinfo, shipped]),
        (Site("oidc_claims ES256", "example_project.settings",
              {**environment, "OIDC_ACCESS_TOKEN_SIGNING_ALG": "ES256"}, workdir),
         [client_credentials]),
    ]  # fmt: skip
    if args.node:
        sites += [
            (NodeSite(f"oidc-provider {alg}", alg, data["client"], workdir), [client_credentials])
            for alg in ("RS256", "ES256")
        ]
    rates: dict[tuple[str, str], list[float]] = {}
    latencies: dict[tuple[str, str], list[float]] = {}
    cpu_per_request: dict[tuple[str, str], list[float]] = {}
    try:
        for site, _ in sites:
            site.start()
        for site, requests in sites:  # warm-up: imports, compiled claims, keys, connections
            for request in requests:
                load(site.port, request, 1.0, args.connections)
        for _ in range(args.rounds):
            for site, requests in sites:
                for index, request in enumerate(requests):
                    key = (site.label, _label(request, index))
                    cpu_before = site.cpu_seconds()
                    try:
                        count, measured = load(
                            site.port, request, args.seconds, args.connections
                        )
                    except RuntimeError as exc:
                        raise RuntimeError(f"{site.label}: {exc}; see {site.log}") from exc
                    cpu = site.cpu_seconds() - cpu_before
                    rates.setdefault(key, []).append(count / args.seconds)
                    cpu_per_request.setdefault(key, []).append(cpu / max(count, 1))
                    latencies.setdefault(key, []).extend(measured)
    finally:
        for site, _ in sites:
            site.stop()

    print(
        f"{args.definitions} claim definitions, {args.rounds} rounds x {args.seconds:g} s, "
        f"{args.connections} connections, one gthread worker on core {SERVER_CORE}, "
        f"{environment['DATABASE_URL'].split(':', 1)[0]}"
    )
    print(
        f"{'site':<19}{'request':<34}{'req/s':>7}{'p50 ms':>8}{'p99 ms':>8}{'vs DOT':>7}"
        f"{'CPU ms':>8}{'req/s/core':>11}{'vs DOT':>7}"
    )
    for (label, request), values in rates.items():
        rate = statistics.median(values)
        cpu = statistics.median(cpu_per_request[(label, request)])
        base = rates.get(("plain DOT", request))
        base_cpu = cpu_per_request.get(("plain DOT", request))
        ratio = f"{rate / statistics.median(base):.2f}" if base else ""
        cpu_ratio = f"{statistics.median(base_cpu) / cpu:.2f}" if base_cpu else ""
        p50 = percentile(latencies[(label, request)], 0.50) * 1000
        p99 = percentile(latencies[(label, request)], 0.99) * 1000
        print(
            f"{label:<19}{request:<34}{rate:>7.0f}{p50:>8.2f}{p99:>8.2f}{ratio:>7}"
            f"{cpu * 1000:>8.2f}{1 / cpu:>11.0f}{cpu_ratio:>7}"
        )
    if args.node:  # the stretch target: at least 0.3x the Node.js provider, same workload
        pairs = [
            ("oidc_claims RS256", "client credentials (demo, hashed)", "oidc-provider RS256"),
            ("oidc_claims RS256", "client credentials", "oidc-provider RS256"),
            ("oidc_claims ES256", "client credentials", "oidc-provider ES256"),
        ]
        for label, request, node in pairs:
            ours, theirs = (label, request), (node, "client credentials")
            rate = statistics.median(rates[ours]) / statistics.median(rates[theirs])
            cpu = statistics.median(cpu_per_request[theirs]) / statistics.median(
                cpu_per_request[ours]
            )
            print(f"{label}, {request} / {node}: {rate:.2f}x req/s, {cpu:.2f}x req/s per core")


def _label(request: Request, index: int) -> str:
    if index == 2:
        return "client credentials (demo, hashed)"
    return request.name


def _rsa_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


if __name__ == "__main__":
    main()
