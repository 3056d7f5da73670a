"""Django application configuration for oidc_claims."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OidcClaimsConfig(AppConfig):
    name = "oidc_claims"
    verbose_name = _("OpenID Connect claims")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers checks and receivers (change_watch: every claim write is announced).
        from . import change_watch, checks, checks_security, checks_subjects, checks_tokens, signals  # noqa: F401
