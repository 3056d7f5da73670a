"""``manage.py import_claims FILE``: apply an export_claims file, all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oidc_claims.management.commands._claims_io import (
    checked_comment,
    read_json,
    rejected,
    write_report,
)
from oidc_claims.management.commands._impact_output import (
    IMPACT_HELP,
    dry_run_with_impact,
    wants_impact,
    write_impact,
)
from oidc_claims.revisions.context import Channel, change_context
from oidc_claims.transfer.importer import ImportRejected, import_document


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
        with change_context(Channel.COMMAND, author="import_claims", comment=comment):
            self._import(file, dry_run, impact)

    def _import(self, file: str, dry_run: bool, impact: bool) -> None:
        document = read_json(file)
        impact_report = None
        try:
            if wants_impact(impact, dry_run):
                report, impact_report = dry_run_with_impact(
                    lambda dry: import_document(document, dry_run=dry)
                )
            else:
                report = import_document(document, dry_run=dry_run)
        except ImportRejected as exc:
            raise rejected(exc.errors) from exc
        write_report(report, self.stdout, self.style)
        if impact_report is not None:
            write_impact(impact_report.as_dict(), self.stdout, self.style)
