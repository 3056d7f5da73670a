"""``manage.py import_okta_claims FILE``: create claim definitions from Okta's claims JSON."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ...transfer.okta import import_okta_claims
from ._claims_io import read_json, write_report


class Command(BaseCommand):
    help = (
        "Import the JSON of Okta's GET /api/v1/authorizationServers/{id}/claims. System "
        "claims are skipped; claims that cannot be mapped or are invalid here are reported "
        "by name and reason and left out; the rest is applied in one transaction."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="The JSON file ('-' reads standard input).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; change nothing."
        )

    def handle(self, *args: Any, file: str, dry_run: bool = False, **options: Any) -> None:
        report = import_okta_claims(read_json(file), dry_run=dry_run)
        write_report(report, self.stdout, self.style)
