"""Signal receivers: keep the compiled-claims cache in step with the configuration."""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Count
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from oauth2_provider.models import get_application_model

from .config_version import bump_config_version
from .models import ClaimDefinition

logger = logging.getLogger("oidc_claims.signals")


@receiver(post_save, sender=ClaimDefinition, dispatch_uid="oidc_claims_definition_saved")
@receiver(post_delete, sender=ClaimDefinition, dispatch_uid="oidc_claims_definition_deleted")
def _definition_changed(**kwargs: Any) -> None:
    bump_config_version()


@receiver(
    m2m_changed,
    sender=ClaimDefinition.applications.through,
    dispatch_uid="oidc_claims_definition_applications_changed",
)
def _definition_applications_changed(*, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        bump_config_version()


@receiver(
    pre_delete, sender=get_application_model(), dispatch_uid="oidc_claims_application_deleted"
)
def _application_deleted(*, instance: Any, **kwargs: Any) -> None:
    # A definition selected for this application only would, once the application is gone,
    # select no application, which means "all applications": disable it rather than
    # release a claim meant for one client to every client.
    # annotate() before filter(): the count then covers all applications, not the joined one.
    only_this_app = ClaimDefinition.objects.annotate(app_count=Count("applications")).filter(
        app_count=1, applications=instance
    )
    orphaned = list(ClaimDefinition.objects.filter(pk__in=only_this_app.values("pk"), enabled=True))
    if orphaned:
        ClaimDefinition.objects.filter(pk__in=[d.pk for d in orphaned]).update(enabled=False)
        logger.warning(
            "Disabled claim definitions %s: their only application %r is being deleted.",
            ", ".join(repr(d.name) for d in orphaned),
            str(instance),
        )
