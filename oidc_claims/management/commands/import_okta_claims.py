"""``manage.py import_okta_claims FILE``: create claim definitions from Okta's claims JSON."""

from __future__ import annotations

from typing import Any

from oidc_claims.management.commands._claims_io import ImportCommand
from oidc_claims.transfer.importer import ImportReport
from oidc_claims.transfer.okta import import_okta_claims


class Command(ImportCommand):
    help = (
        "Import the JSON of Okta's GET /api/v1/authorizationServers/{id}/claims. System "
        "claims are skipped; claims that cannot be mapped or are invalid here are reported "
        "by name and reason and left out; the rest is applied in one transaction."
    )

    def apply(self, document: Any, *, dry_run: bool) -> ImportReport:
        return import_okta_claims(document, dry_run=dry_run)
