"""``AuthenticationTime``: when the user signed in for a grant, kept with its code and tokens.

OpenID Connect Core 2 defines ``auth_time`` as the time of the authentication the tokens
come from, and 12.2 keeps it across refreshes. DOT reads ``user.last_login`` instead, which a
later sign-in elsewhere changes; this model keeps the time with what the grant produced.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings

from oidc_claims.models.compat import check_constraint


class AuthenticationTime(models.Model):
    """The sign-in an authorization code or an access token comes from.

    Exactly one of ``grant`` and ``access_token`` is set; each row goes with its code or
    token. A refresh copies the time to the new access token.
    """

    grant = models.OneToOneField(
        oauth2_settings.GRANT_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="oidc_claims_authentication",
        verbose_name=_("authorization code"),
    )
    access_token = models.OneToOneField(
        oauth2_settings.ACCESS_TOKEN_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="oidc_claims_authentication",
        verbose_name=_("access token"),
    )
    auth_time = models.DateTimeField(_("signed in at"))

    class Meta:
        verbose_name = _("authentication time")
        verbose_name_plural = _("authentication times")
        constraints = [
            check_constraint(
                condition=(Q(grant__isnull=False) & Q(access_token__isnull=True))
                | (Q(grant__isnull=True) & Q(access_token__isnull=False)),
                name="oidc_claims_authentication_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.auth_time.isoformat()
