"""Django admin of oidc_claims: claim definitions, the token preview, application profiles."""

from .applications import AppProfileInline, install_application_admin
from .claims import ClaimDefinitionAdmin

# DOT's admin module registers the application model first (oauth2_provider comes before
# oidc_claims in INSTALLED_APPS); the profile inline is added to whatever it registered.
install_application_admin()

__all__ = ["AppProfileInline", "ClaimDefinitionAdmin", "install_application_admin"]
