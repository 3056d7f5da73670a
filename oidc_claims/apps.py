"""Django application configuration for oidc_claims."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OidcClaimsConfig(AppConfig):
    name = "oidc_claims"
    verbose_name = _("OpenID Connect claims")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers checks and receivers (change_watch: every claim write is announced;
        # auth_time: every sign-in is recorded in the session; revisions.recorder: every
        # committed change of the claim configuration is recorded as a revision).
        from . import (  # noqa: F401
            auth_time,
            change_watch,
            checks,
            checks_keys,
            checks_protocol,
            checks_secrets,
            checks_security,
            checks_settings,
            checks_subjects,
            checks_tokens,
            signals,
        )
        from .revisions import checks as revision_checks  # noqa: F401
        from .revisions.recorder import record_after_migrate
        from .standard_claims import seed_after_migrate

        # Also after `flush`, which Django follows with post_migrate.
        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="oidc_claims_seed")
        # After the seeding: what migrate changed (seeded claims included) is one revision.
        post_migrate.connect(
            record_after_migrate, sender=self, dispatch_uid="oidc_claims_revision_migrate"
        )
