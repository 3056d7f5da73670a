"""System check of the revision retention settings' ranges (E013 checks their types)."""

from __future__ import annotations

from typing import Any

from django.core import checks

from oidc_claims.checks.provider import TAG
from oidc_claims.conf import claims_settings


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@checks.register(TAG)
def check_revision_retention(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    problems = []
    keep = claims_settings.REVISIONS_KEEP
    if _number(keep) and keep < 1:
        problems.append(f"OIDC_CLAIMS['REVISIONS_KEEP'] = {keep!r}")
    days = claims_settings.REVISIONS_KEEP_DAYS
    if _number(days) and days < 0:
        problems.append(f"OIDC_CLAIMS['REVISIONS_KEEP_DAYS'] = {days!r}")
    if not problems:
        return []
    return [
        checks.Error(
            f"Revision retention is out of range: {', '.join(problems)}; revisions are "
            "pruned with these values each time one is recorded.",
            hint="Set REVISIONS_KEEP to a number of revisions of at least 1 (or None for no "
            "limit) and REVISIONS_KEEP_DAYS to a number of days of at least 0 (or None).",
            id="oidc_claims.E022",
        )
    ]
