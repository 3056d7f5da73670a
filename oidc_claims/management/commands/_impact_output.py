"""The ``--impact`` option of the import commands: the dry run's effect on tokens, as text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import CommandError, OutputWrapper
from oauth2_provider.settings import oauth2_settings

from oidc_claims.preview.impact import impact_of
from oidc_claims.preview.impact_diff import DESTINATIONS
from oidc_claims.transfer.importer import ImportReport

LABELS = dict(zip(DESTINATIONS, ("ID tokens", "access tokens", "userinfo responses"), strict=True))
IMPACT_HELP = (
    "With --dry-run: also show how the import would change tokens (users whose ID tokens, "
    "access tokens or userinfo change, per claim with example users). Needs "
    "OAUTH2_PROVIDER['OIDC_ISS_ENDPOINT']."
)


def wants_impact(impact: bool, dry_run: bool) -> bool:
    """Whether to report the impact; ``--impact`` alone is refused (an import is kept)."""
    if impact and not dry_run:
        raise CommandError("--impact shows what a dry run would do to tokens: add --dry-run.")
    return impact


def dry_run_with_impact(run: Callable[[bool], ImportReport]) -> tuple[ImportReport, Any]:
    """``run(False)`` inside a transaction that is rolled back, and its impact report."""
    if not oauth2_settings.OIDC_ISS_ENDPOINT:
        raise CommandError(
            "--impact builds tokens, whose issuer comes from a request on the web: set "
            "OAUTH2_PROVIDER['OIDC_ISS_ENDPOINT'] (e.g. 'https://idp.example.com/o') to use "
            "it from the command line."
        )
    reports: list[ImportReport] = []
    impact = impact_of(lambda: reports.append(run(False)))
    reports[0].dry_run = True
    return reports[0], impact


def write_impact(report: dict[str, Any], stdout: OutputWrapper, style: Any) -> None:
    """Per destination "N of M users' ... change", then per application the claims."""
    users = report["users"]
    compared = f"{users['compared']} of {users['total']} active users (a sample)"
    stdout.write(
        f"Impact on tokens ({compared if users['sample'] else str(users['compared']) + ' users'}"
        f"{', partial: time limit reached' if report['partial'] else ''}):"
    )
    for row in report["summary"]:
        line = (
            f"  {row['changed_users']} of {row['users']} users' {LABELS[row['destination']]} "
            f"change ({row['changed_applications']} application(s))"
        )
        stdout.write(style.WARNING(line) if row["changed_applications"] else line)
    for app in report["applications"]:
        tallies = [
            f"{LABELS[destination['destination']]}: {tally['kind']} {tally['claim']} for "
            f"{tally['users']} (e.g. {', '.join(tally['examples'])})"
            for destination in app["destinations"]
            for tally in destination["claims"]
        ]
        if tallies:
            stdout.write(f"  {app['client_id']}:")
            for text in tallies:
                stdout.write(f"    {text}")
