"""Userinfo claims a client asked for with the ``claims`` parameter, kept with its access token."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings


class RequestedUserinfoClaims(models.Model):
    """The ``userinfo`` member of an OIDC ``claims`` request parameter, kept with the access
    token it was granted with (DOT keeps nothing of the authorization request there), so
    userinfo honours it for the token's whole life, in every process, and after a refresh.
    """

    access_token = models.OneToOneField(
        oauth2_settings.ACCESS_TOKEN_MODEL,
        on_delete=models.CASCADE,
        related_name="oidc_claims_userinfo_request",
        verbose_name=_("access token"),
    )
    claim_names = models.JSONField(_("requested claim names"), default=list)

    class Meta:
        verbose_name = _("requested userinfo claims")
        verbose_name_plural = _("requested userinfo claims")

    def __str__(self) -> str:
        return ", ".join(self.claim_names)
