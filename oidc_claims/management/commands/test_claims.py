"""``manage.py test_claims``: run the claim tests, print a report, exit 1 when one fails."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from oidc_claims.management.commands._claim_test_output import junit_xml, text_report
from oidc_claims.management.commands._issuer import BASE_URL_HELP, issuer_request
from oidc_claims.models.claim_tests import ClaimTest
from oidc_claims.preview.claim_tests import run_claim_tests


class Command(BaseCommand):
    help = (
        "Run the claim tests (all enabled ones, or those named) on the token preview and "
        "print a pass/fail report with the actual values. Exits with status 1 when a test "
        "fails; --junit-xml writes the results for CI."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "names", nargs="*", help="Names of the tests to run, disabled ones included."
        )
        parser.add_argument("--junit-xml", metavar="PATH", help="Also write JUnit XML to PATH.")
        parser.add_argument("--base-url", default="http://localhost", help=BASE_URL_HELP)

    def handle(self, *args: Any, names: list[str], **options: Any) -> None:
        tests = None
        if names:
            tests = list(
                ClaimTest.objects.filter(name__in=names).select_related("user", "application")
            )
            missing = sorted(set(names) - {test.name for test in tests})
            if missing:
                raise CommandError(
                    f"No claim test named {', '.join(map(repr, missing))}; list them in the "
                    "admin (Claim tests) or at /api/v1/claim-tests/."
                )
        report = run_claim_tests(tests, request=issuer_request(options["base_url"]))
        for line in text_report(report):
            self.stdout.write(line)
        if options["junit_xml"]:
            try:
                with open(options["junit_xml"], "wb") as handle:
                    handle.write(junit_xml(report))
            except OSError as exc:
                raise CommandError(
                    f"Cannot write {options['junit_xml']}: {exc.strerror or exc}"
                ) from exc
        if not report.ok:
            raise CommandError(
                f"{report.count('failed') + report.count('error')} claim test(s) did not pass.",
                returncode=1,
            )
