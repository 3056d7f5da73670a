"""System checks of subject identifiers: the ``SUBJECT_IDENTIFIERS`` setting.

Registered in ``AppConfig.ready()`` like the other checks; ids continue the
``oidc_claims.E0xx/W0xx`` series.
"""

from __future__ import annotations

from typing import Any

from django.core import checks

from oidc_claims.checks.provider import TAG
from oidc_claims.conf import claims_settings
from oidc_claims.models.subjects import OPAQUE, PRIMARY_KEY, SUBJECT_FORMATS


@checks.register(TAG)
def check_subject_identifiers(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    value = claims_settings.SUBJECT_IDENTIFIERS
    if value == OPAQUE:
        return []
    if value == PRIMARY_KEY:
        return [
            checks.Warning(
                "OIDC_CLAIMS['SUBJECT_IDENTIFIERS'] is 'primary-key': every token's sub is the "
                "user's database primary key, which tells anyone who sees a token how many "
                "users there are and lets them guess other users' subjects.",
                hint="Keep it only while relying parties still know users by those subjects; "
                "then map them to the opaque subjects (table oidc_claims_usersubject) and "
                f"set OIDC_CLAIMS['SUBJECT_IDENTIFIERS'] = {OPAQUE!r}.",
                id="oidc_claims.W004",
            )
        ]
    return [
        checks.Error(
            f"OIDC_CLAIMS['SUBJECT_IDENTIFIERS'] is {value!r}, which is not a subject format.",
            hint=f"Set it to one of: {', '.join(repr(name) for name in SUBJECT_FORMATS)}.",
            id="oidc_claims.E009",
        )
    ]
