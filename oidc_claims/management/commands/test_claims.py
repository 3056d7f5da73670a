"""``manage.py test_claims``: run the claim tests, print a report, exit 1 when one fails."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError
from django.http import HttpRequest
from oauth2_provider.settings import oauth2_settings

from oidc_claims.management.commands._claim_test_output import junit_xml, text_report
from oidc_claims.models.claim_tests import ClaimTest
from oidc_claims.preview.claim_tests import run_claim_tests


class IssuerRequest(HttpRequest):
    """The request the issuer is derived from when OIDC_ISS_ENDPOINT is not set: the site's
    base URL, as the token endpoint would be reached."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise CommandError(
                f"--base-url {base_url!r}: give a URL such as https://idp.example.com"
            )
        self._base_scheme, self._base_host = parts.scheme, parts.netloc

    def get_host(self) -> str:
        return self._base_host

    def _get_scheme(self) -> str:
        return self._base_scheme


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
        parser.add_argument(
            "--base-url",
            default="http://localhost",
            help="The site's URL, for the issuer (iss) when OAUTH2_PROVIDER['OIDC_ISS_ENDPOINT'] "
            "is not set (default: http://localhost).",
        )

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
        request = None if oauth2_settings.OIDC_ISS_ENDPOINT else IssuerRequest(options["base_url"])
        report = run_claim_tests(tests, request=request)
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
