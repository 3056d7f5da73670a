"""``manage.py rotate_signing_keys``: make the signing keys' due transitions (safe from cron)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from oidc_claims.models.key_rotation import (
    advance,
    publish_seconds,
    reencrypt_keys,
    retire_seconds,
    start_rotation,
)
from oidc_claims.models.signing_keys import ALGORITHMS, PUBLISHED_STATES, SigningKey


class Command(BaseCommand):
    help = (
        "Rotate the signing keys of the given algorithms: publish a new key before it signs, "
        "promote it when it has been published long enough, keep the old one published until "
        "its tokens expire, then retire it. Idempotent: run it from cron every few minutes."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--algorithm",
            action="append",
            choices=ALGORITHMS,
            help="Algorithm whose keys to rotate (repeatable). Default: every algorithm that "
            "has a published key in the database.",
        )
        parser.add_argument(
            "--start",
            action="store_true",
            help="Publish a successor now, whatever the active key's age (e.g. after a "
            "suspected leak); it signs once published for the publication period.",
        )
        parser.add_argument(
            "--activate-now",
            action="store_true",
            help="Let an algorithm's first key sign at once (only when that algorithm has no "
            "active key yet, so no token of it exists).",
        )
        parser.add_argument(
            "--reencrypt",
            action="store_true",
            help="Encrypt every stored private key again under the first secret of "
            "OIDC_CLAIMS['SIGNING_KEYS_ENCRYPTION_KEY'].",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        algorithms = options["algorithm"] or sorted(
            set(
                SigningKey.objects.filter(state__in=PUBLISHED_STATES).values_list(
                    "algorithm", flat=True
                )
            )
        )
        try:
            if options["reencrypt"]:
                self.stdout.write(f"Re-encrypted {reencrypt_keys()} private key(s).")
            if not algorithms and not options["reencrypt"]:
                raise CommandError(
                    "No signing key in the database yet: name the algorithm of the first one, "
                    f"e.g. --algorithm ES256 (one of {', '.join(ALGORITHMS)})."
                )
            for algorithm in algorithms:
                transitions = []
                if options["start"]:
                    transitions += start_rotation(algorithm)
                transitions += advance(algorithm, activate_first=options["activate_now"])
                for transition in transitions:
                    self.stdout.write(str(transition))
                if not transitions:
                    self.stdout.write(f"{algorithm}: nothing due.")
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Keys are published {publish_seconds()} s before they sign and "
            f"{retire_seconds()} s after they stop."
        )
