"""Signal receivers: a claim meant for one application never outlives it as a claim for all."""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Count
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from oauth2_provider.models import get_application_model

from .models import ClaimDefinition

logger = logging.getLogger("oidc_claims.signals")


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
