"""``manage.py record_claim_revision``: record the claim configuration as a revision now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oidc_claims.management.commands._claims_io import checked_comment
from oidc_claims.revisions.context import Channel
from oidc_claims.revisions.recorder import record_revision


class Command(BaseCommand):
    help = (
        "Record the claim configuration as a revision if it differs from the latest one. "
        "Changes made through Django are recorded by themselves; run this after changing the "
        "claim tables outside Django (SQL in psql), so that they get a revision of their own."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--comment", default="", help="Why the configuration changed.")

    def handle(self, *args: Any, comment: str = "", **options: Any) -> None:
        comment = checked_comment(comment)
        revision = record_revision(
            channel=Channel.COMMAND, author="record_claim_revision", comment=comment
        )
        if revision is None:
            self.stdout.write("The configuration is that of the latest revision; nothing recorded.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Recorded revision {revision.pk}."))
