"""``manage.py import_claims FILE``: apply an export_claims file, all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ...transfer.importer import ImportRejected, import_document
from ._claims_io import read_json, rejected, write_report


class Command(BaseCommand):
    help = (
        "Apply a claim-configuration file written by export_claims. Definitions are matched "
        "by name and destinations, app profiles by client id; running it twice changes "
        "nothing the second time. Invalid files are refused whole, listing every error."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="The JSON file ('-' reads standard input).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; change nothing."
        )

    def handle(self, *args: Any, file: str, dry_run: bool = False, **options: Any) -> None:
        try:
            report = import_document(read_json(file), dry_run=dry_run)
        except ImportRejected as exc:
            raise rejected(exc.errors) from exc
        write_report(report, self.stdout, self.style)
