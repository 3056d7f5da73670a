"""Serve the relying party on an ephemeral port: ``python -m tests.e2e.relying_party.server``.

Migrates its SQLite database, then prints ``PORT <n>`` on the first line of its output.
"""

import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import django
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002  (the signature of the base class)
        sys.stderr.write(f"relying party: {format % args}\n")


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.e2e.relying_party.settings"
    django.setup()
    call_command("migrate", verbosity=0)
    server = make_server(
        "127.0.0.1",
        0,
        get_wsgi_application(),
        server_class=ThreadingWSGIServer,
        handler_class=QuietHandler,
    )
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
