"""How deep and how large AppProfile data may be, checked wherever a profile is saved.

The admin, the API and the import all run the model's ``full_clean()``, which calls
:func:`validate_profile_data_limits`. The data is read (and decoded) on every token request
of its application, so its size is a cost of the hot path, not only of storage.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from oidc_claims.conf import claims_settings
from oidc_claims.jose import compact_json
from oidc_claims.json_limits import PROFILE_DATA_MAX_DEPTH, nesting_depth


def validate_profile_data_limits(data: Any) -> None:
    """Raise ValidationError (on the ``data`` field) when ``data`` is nested more than
    ``PROFILE_DATA_MAX_DEPTH`` levels or encodes to more than ``APP_PROFILE_MAX_BYTES``."""
    if nesting_depth(data, PROFILE_DATA_MAX_DEPTH) > PROFILE_DATA_MAX_DEPTH:
        raise ValidationError(
            {
                "data": ValidationError(
                    _("The profile data is nested more than %(limit)d levels deep."),
                    code="too_deep",
                    params={"limit": PROFILE_DATA_MAX_DEPTH},
                )
            }
        )
    limit = claims_settings.APP_PROFILE_MAX_BYTES
    size = len(compact_json(data))  # as the tokens would carry it
    if size > limit:
        raise ValidationError(
            {
                "data": ValidationError(
                    _(
                        "The profile data is %(size)d bytes as compact JSON, more than the "
                        "limit of %(limit)d (OIDC_CLAIMS['APP_PROFILE_MAX_BYTES']). Keep only "
                        "what claims read; large data belongs in a resource server."
                    ),
                    code="too_large",
                    params={"size": size, "limit": limit},
                )
            }
        )
