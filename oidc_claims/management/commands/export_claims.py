"""``manage.py export_claims``: write every claim definition and app profile as JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from oidc_claims.transfer.format import export_configuration


class Command(BaseCommand):
    help = (
        "Write all claim definitions and app profiles as JSON (applications by client id, "
        "stable order), for import_claims in another environment."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")

    def handle(self, *args: Any, output: str | None = None, **options: Any) -> None:
        text = json.dumps(export_configuration(), indent=2, ensure_ascii=False) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
