"""Django admin of oidc_claims: claims, the token preview, app profiles, claim tests and
signing keys and revisions."""

from oidc_claims.installed_apps import raise_for_installed_apps_order

# Before anything is registered: in the wrong order, DOT's admin module would register the
# application model after this one did, and fail with a bare AlreadyRegistered.
raise_for_installed_apps_order()

from oidc_claims.admin.applications import AppProfileInline, install_application_admin  # noqa: E402
from oidc_claims.admin.claim_tests import ClaimTestAdmin  # noqa: E402
from oidc_claims.admin.claims import ClaimDefinitionAdmin  # noqa: E402
from oidc_claims.admin.revisions import RevisionAdmin  # noqa: E402
from oidc_claims.admin.signing_keys import SigningKeyAdmin  # noqa: E402

# DOT's admin module registers the application model first (oauth2_provider comes before
# oidc_claims in INSTALLED_APPS); the profile inline is added to whatever it registered.
install_application_admin()

__all__ = [
    "AppProfileInline",
    "ClaimDefinitionAdmin",
    "ClaimTestAdmin",
    "SigningKeyAdmin",
    "RevisionAdmin",
    "install_application_admin",
]
