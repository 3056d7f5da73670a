"""Application profiles: the data expressions read per application, and its tokens' audiences."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings

from oidc_claims.jose import ALGORITHMS
from oidc_claims.models.key_store import id_token_algorithm_problem
from oidc_claims.models.profile_limits import validate_profile_data_limits


class AppProfile(models.Model):
    """Per-application data that claim expressions read as ``app.profile.*``."""

    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="oidc_claims_profile",
        verbose_name=_("application"),
    )
    data = models.JSONField(
        _("profile data"),
        default=dict,
        blank=True,
        help_text=_(
            'A JSON object read by expressions as app.profile.<key>. The key "groups_allow_list" '
            "(a list of group names) limits the groups that groups claims release to this app."
        ),
    )
    access_token_audience = models.CharField(
        _("access token audience"),
        max_length=2000,
        blank=True,
        help_text=_(
            "Space-separated audiences of this application's JWT access tokens; "
            "empty uses the default."
        ),
    )
    allowed_resources = models.CharField(
        _("allowed resources"),
        max_length=2000,
        blank=True,
        help_text=_(
            "Space-separated resource URIs this application may request with the RFC 8707 "
            "resource parameter (its access tokens are then for them alone); its access token "
            "audiences are always allowed. Any other resource is refused (invalid_target)."
        ),
    )
    resource_server_audiences = models.CharField(
        _("audiences served as a resource server"),
        max_length=2000,
        blank=True,
        help_text=_(
            "Space-separated audiences this application serves as a resource server: "
            "introspection shows it the claims of access tokens issued for any of them "
            "(its client id always counts)."
        ),
    )
    id_token_signed_response_alg = models.CharField(
        _("ID token signing algorithm"),
        max_length=8,
        blank=True,
        choices=[("", _("the application's algorithm (RS256 or HS256)"))]
        + [(alg, alg) for alg in ALGORITHMS],
        help_text=_(
            "The algorithm of this application's ID tokens (OpenID Connect Dynamic "
            "Registration's id_token_signed_response_alg), signed with the provider's active "
            "key of that algorithm; empty follows the application's own algorithm."
        ),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    GROUPS_ALLOW_LIST_KEY = "groups_allow_list"

    class Meta:
        verbose_name = _("application profile")
        verbose_name_plural = _("application profiles")

    def __str__(self) -> str:
        return f"Profile of {self.application}"

    def clean(self) -> None:
        if not isinstance(self.data, dict):
            raise ValidationError(
                {"data": _('The profile data must be a JSON object, e.g. {"label": "Sales"}.')},
                code="invalid_profile",
            )
        validate_profile_data_limits(self.data)
        allow_list = self.data.get(self.GROUPS_ALLOW_LIST_KEY)
        if allow_list is not None and not (
            isinstance(allow_list, list) and all(isinstance(name, str) for name in allow_list)
        ):
            raise ValidationError(
                {
                    "data": _(
                        '"groups_allow_list" must be a list of group names, '
                        'e.g. ["staff", "sales"].'
                    )
                },
                code="invalid_allow_list",
            )
        problem = id_token_algorithm_problem(self.id_token_signed_response_alg)
        if problem is not None:
            raise ValidationError(
                {"id_token_signed_response_alg": problem}, code="no_active_signing_key"
            )
