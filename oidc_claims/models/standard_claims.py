"""OpenID Connect's standard claims (Core 5.4) as claim definitions, created out of the box.

Each is an ordinary :class:`~oidc_claims.models.ClaimDefinition` marked ``standard``: the
admin edits its value like any other (to read the site's data), the engine decides it,
and the preview explains it. They are seeded after every ``migrate`` (and every ``flush``,
which Django follows with the same signal), creating only the names that no definition
has yet: an admin's edit, renaming or disabling is never overwritten. A deleted one comes
back at the next ``migrate``; disable it to stop releasing it, or set
``OIDC_CLAIMS["SEED_STANDARD_CLAIMS"] = False``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, router

from oidc_claims.conf import claims_settings
from oidc_claims.models import ClaimDefinition

# Core 5.4: the scope that releases each claim, in the order of the specification.
STANDARD_SCOPES = ("profile", "email", "address", "phone")


@dataclass(frozen=True)
class StandardClaim:
    """A standard claim: its scope, its default value (an expression), and what it means."""

    name: str
    scope: str
    value: str
    description: str


_NO_DATA = (
    "Django's user model keeps no such data, so the value is null and the claim is left "
    "out. Point it at your data: an attribute listed in OIDC_CLAIMS['USER_ATTRIBUTES'] "
    "(e.g. {{'{alias}': '{path}'}}, then the value user.{alias}), or any expression."
)

STANDARD_CLAIMS: tuple[StandardClaim, ...] = (
    StandardClaim(
        "name", "profile", "user.fullName", "Full name: the first and last name, when known."
    ),
    StandardClaim("given_name", "profile", "user.firstName", "Given (first) name."),
    StandardClaim("family_name", "profile", "user.lastName", "Family (last) name."),
    StandardClaim(
        "preferred_username", "profile", "user.login", "The username the user signs in with."
    ),
    StandardClaim(
        "updated_at",
        "profile",
        "null",
        "When the profile last changed, in seconds since the epoch. "
        + _NO_DATA.format(alias="profileUpdatedAt", path="profile.updated_epoch"),
    ),
    StandardClaim("email", "email", "user.email", "Email address."),
    StandardClaim(
        "email_verified",
        "email",
        "null",
        "Whether the address was verified (true or false). "
        + _NO_DATA.format(alias="emailVerified", path="profile.email_verified"),
    ),
    StandardClaim(
        "address",
        "address",
        "null",
        "Postal address, a JSON object (formatted, street_address, locality, region, "
        "postal_code, country). " + _NO_DATA.format(alias="address", path="profile.address"),
    ),
    StandardClaim(
        "phone_number",
        "phone",
        "null",
        "Phone number, E.164 recommended (+1 555 0100). "
        + _NO_DATA.format(alias="phone", path="profile.phone"),
    ),
    StandardClaim(
        "phone_number_verified",
        "phone",
        "null",
        "Whether the phone number was verified (true or false). "
        + _NO_DATA.format(alias="phoneVerified", path="profile.phone_verified"),
    ),
)


def definition_fields(claim: StandardClaim) -> dict[str, Any]:
    """The fields of a new ClaimDefinition for ``claim``: in userinfo, and in the ID token
    when no access token is issued (Core 5.4), released by its scope."""
    return {
        "name": claim.name,
        "description": claim.description,
        "value_type": "expression",
        "value": claim.value,
        "group_filter": "",
        "include_in_id_token": False,
        "include_in_access_token": False,
        "include_in_userinfo": True,
        "id_token_without_access_token": True,
        "scopes": [claim.scope],
        "standard": True,
        "enabled": True,
    }


def seed_standard_claims(model: Any = None, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Create the standard claims that no definition is named after yet; return their names.

    ``model`` is the ClaimDefinition model (a migration's historical one, or the real one).
    """
    model = model or ClaimDefinition
    taken = set(model._base_manager.using(using).values_list("name", flat=True))
    missing = [claim for claim in STANDARD_CLAIMS if claim.name not in taken]
    if missing:
        # A write like any other: the change watch announces the new configuration.
        model._base_manager.using(using).bulk_create(
            model(**definition_fields(claim)) for claim in missing
        )
    return [claim.name for claim in missing]


def seed_after_migrate(app_config: Any, using: str, apps: Any = None, **kwargs: Any) -> None:
    """``post_migrate`` receiver: seed the standard claims unless the site turned it off."""
    if not claims_settings.SEED_STANDARD_CLAIMS:
        return
    try:
        model = (apps or app_config.apps).get_model("oidc_claims", "ClaimDefinition")
    except LookupError:
        return  # migrated back before the claim definitions existed
    field_names = {field.name for field in model._meta.get_fields()}
    if "standard" not in field_names or not router.allow_migrate_model(using, model):
        return
    seed_standard_claims(model, using)
