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
        from oidc_claims import checks, signals  # noqa: F401
        from oidc_claims.engine import change_watch  # noqa: F401
        from oidc_claims.models.standard_claims import seed_after_migrate
        from oidc_claims.revisions.recorder import record_after_migrate
        from oidc_claims.tokens import auth_time  # noqa: F401

        # Also after `flush`, which Django follows with post_migrate.
        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="oidc_claims_seed")
        # After the seeding: what migrate changed (seeded claims included) is one revision.
        post_migrate.connect(
            record_after_migrate, sender=self, dispatch_uid="oidc_claims_revision_migrate"
        )
