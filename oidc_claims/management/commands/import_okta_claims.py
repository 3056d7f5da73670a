"""``manage.py import_okta_claims FILE``: create claim definitions from Okta's claims JSON."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oidc_claims.management.commands._claims_io import checked_comment, read_json, write_report
from oidc_claims.management.commands._impact_output import (
    IMPACT_HELP,
    dry_run_with_impact,
    wants_impact,
    write_impact,
)
from oidc_claims.revisions.context import Channel, change_context
from oidc_claims.transfer.okta import import_okta_claims


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
        parser.add_argument("--impact", action="store_true", help=IMPACT_HELP)
        parser.add_argument(
            "--comment", default="", help="Why: kept with the revision the import records."
        )

    def handle(
        self,
        *args: Any,
        file: str,
        dry_run: bool = False,
        impact: bool = False,
        comment: str = "",
        **options: Any,
    ) -> None:
        comment = checked_comment(comment)
        with change_context(Channel.COMMAND, author="import_okta_claims", comment=comment):
            self._import(file, dry_run, impact)

    def _import(self, file: str, dry_run: bool, impact: bool) -> None:
        document = read_json(file)
        if wants_impact(impact, dry_run):
            report, impact_report = dry_run_with_impact(
                lambda dry: import_okta_claims(document, dry_run=dry)
            )
            write_report(report, self.stdout, self.style)
            write_impact(impact_report.as_dict(), self.stdout, self.style)
            return
        write_report(import_okta_claims(document, dry_run=dry_run), self.stdout, self.style)
