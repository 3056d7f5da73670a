"""The test settings with oidc_claims listed before oauth2_provider (a mistake sites make)."""

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "oauth2_provider"]  # noqa: F405
INSTALLED_APPS.insert(INSTALLED_APPS.index("oidc_claims"), "oauth2_provider")
INSTALLED_APPS.remove("oauth2_provider")
INSTALLED_APPS.insert(INSTALLED_APPS.index("oidc_claims") + 1, "oauth2_provider")
