"""Real server processes sharing one database: `manage.py runserver` on ephemeral ports."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_MODULE = "tests.settings_processes"
LOAD_LINE = "Claim configuration "


def free_port() -> int:
    """A port the kernel just handed out, for servers that cannot bind port 0 themselves."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class Site:
    """One database (and optionally one Redis) that server and command processes share."""

    database_url: str
    redis_url: str | None = None

    def environment(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "OIDC_CLAIMS_PROCESSES_DATABASE_URL": self.database_url,
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("OIDC_CLAIMS_PROCESSES_REDIS_URL", None)
        if self.redis_url:
            env["OIDC_CLAIMS_PROCESSES_REDIS_URL"] = self.redis_url
        return env

    def manage(self, *args: str, stdin: str | None = None) -> str:
        """Run a management command in a process of its own; its output."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.environment(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stderr}"
        return result.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code)


@dataclass
class Server:
    """`manage.py runserver --noreload` (threaded) on an ephemeral port."""

    site: Site
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=self.site.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until(self._answers, f"the server on {self.url} ({self.log_path})")
        return self

    def _answers(self) -> bool:
        assert self.process is not None and self.process.poll() is None, self.log_path.read_text()
        try:
            return requests.get(f"{self.url}/o/.well-known/jwks.json", timeout=5).ok
        except requests.ConnectionError:
            return False

    def loads(self) -> int:
        """How many times this process has loaded (compiled) the claim configuration."""
        return self.log_path.read_text().count(LOAD_LINE)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)


class RedisServer:
    """A private redis-server on an ephemeral port, to be stopped mid-test."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, f"redis-server on port {self.port}")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)


def database_url_for_processes(tmp_path: Path) -> tuple[str, Callable[[], None]]:
    """A fresh database of the suite's engine for the processes, and how to drop it."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{tmp_path / 'processes.sqlite3'}", lambda: None
    name = f"{database['NAME']}_processes"
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    server = f"postgres://{credentials}@{host}"

    def admin(statement: str) -> None:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(statement)

    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}", lambda: admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
