"""``manage.py import_claims FILE``: apply an export_claims file, all or nothing."""

from __future__ import annotations

from typing import Any

from oidc_claims.management.commands._claims_io import ImportCommand
from oidc_claims.transfer.importer import ImportReport, import_document


class Command(ImportCommand):
    help = (
        "Apply a claim-configuration file written by export_claims. Definitions are matched "
        "by name and destinations, app profiles by client id; running it twice changes "
        "nothing the second time. Invalid files are refused whole, listing every error."
    )

    def apply(self, document: Any, *, dry_run: bool) -> ImportReport:
        return import_document(document, dry_run=dry_run)
