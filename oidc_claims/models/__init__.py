"""The app's models: claim definitions, app profiles, revisions, claim tests, signing keys.

Each model lives in a module of its own; importing this package registers them all.
"""

from oidc_claims.models.app_profiles import AppProfile
from oidc_claims.models.authentication_time import AuthenticationTime
from oidc_claims.models.claim_definitions import (
    DESTINATION_FIELDS,
    GROUP_LIMIT_MAX,
    SCOPE_TOKEN_RE,
    ClaimDefinition,
    GroupFilter,
    ValueType,
    default_group_limit,
    field_default,
    value_syntax_error,
)
from oidc_claims.models.claim_tests import ClaimTest
from oidc_claims.models.configuration_version import ConfigurationVersion
from oidc_claims.models.revisions import Revision
from oidc_claims.models.signing_keys import SigningKey
from oidc_claims.models.subjects import UserSubject
from oidc_claims.models.userinfo_requests import RequestedUserinfoClaims

__all__ = [
    "DESTINATION_FIELDS",
    "GROUP_LIMIT_MAX",
    "SCOPE_TOKEN_RE",
    "AppProfile",
    "AuthenticationTime",
    "ClaimDefinition",
    "ClaimTest",
    "ConfigurationVersion",
    "GroupFilter",
    "RequestedUserinfoClaims",
    "Revision",
    "SigningKey",
    "UserSubject",
    "ValueType",
    "default_group_limit",
    "field_default",
    "value_syntax_error",
]
