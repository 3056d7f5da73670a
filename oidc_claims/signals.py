"""Signal receivers: a claim meant for one application never outlives it as a claim for all;
new users get their subject identifier; every saved application meets this app's rules; a claim
names at most MAX_APPLICATIONS_PER_CLAIM applications."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.dispatch import receiver
from oauth2_provider.models import get_application_model

from oidc_claims.models import ClaimDefinition
from oidc_claims.models.limits import MAX_APPLICATIONS_PER_CLAIM, too_many_problem
from oidc_claims.models.subjects import ensure_subject
from oidc_claims.oauth.application_rules import validate_application

logger = logging.getLogger("oidc_claims.signals")


@receiver(
    m2m_changed,
    sender=ClaimDefinition.applications.through,
    dispatch_uid="oidc_claims_definition_applications_limit",
)
def _definition_applications_added(
    *, action: str, instance: Any, reverse: bool, pk_set: Any = None, **kwargs: Any
) -> None:
    # Every channel adds applications through this relation: the admin and the API
    # validate the count first and show the message on the field; this refuses the rest.
    if action != "pre_add" or reverse:
        return
    chosen = set(instance.applications.values_list("pk", flat=True)) | set(pk_set or ())
    problem = too_many_problem("applications", len(chosen), MAX_APPLICATIONS_PER_CLAIM)
    if problem is not None:
        raise ValidationError({"applications": [problem]}, code="too_many_applications")


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


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="oidc_claims_user_created")
def _user_created(*, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    # Users created otherwise (bulk_create, raw SQL) get theirs on first need.
    if created and not raw:
        ensure_subject(instance)


@receiver(
    pre_save, sender=get_application_model(), dispatch_uid="oidc_claims_application_saved"
)
def _application_saved(*, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    # Forms validate first and show these errors on their fields; this refuses the rest
    # (the ORM, scripts, other apps' views) before the row exists.
    if not raw:
        validate_application(instance)
