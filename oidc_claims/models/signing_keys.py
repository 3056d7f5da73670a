"""The ``SigningKey`` table: the provider's token-signing keys, their states and dates."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oidc_claims.jose import ALGORITHMS, EDDSA, ES256, RS256
from oidc_claims.models.compat import unique_constraint

__all__ = ["ALGORITHMS", "EDDSA", "ES256", "RS256", "KeyState", "SigningKey"]
# Bytes of one signature, for the size shown by the token preview (RS256: the modulus').
SIGNATURE_BYTES = {ES256: 64, EDDSA: 64}


class KeyState(models.TextChoices):
    """A key's place in its life: published before it signs, published after it signed."""

    NEXT = "next", _("next (published, not yet signing)")
    ACTIVE = "active", _("active (signing)")
    RETIRING = "retiring", _("retiring (published, no longer signing)")
    RETIRED = "retired", _("retired (unpublished, private key erased)")


PUBLISHED_STATES = (KeyState.NEXT, KeyState.ACTIVE, KeyState.RETIRING)


class SigningKey(models.Model):
    """One signing key. The private key is stored encrypted
    (:mod:`oidc_claims.models.key_encryption`) and erased when the key is retired; the admin,
    the API and exports never show it."""

    kid = models.CharField(_("key id"), max_length=64, unique=True, editable=False)
    algorithm = models.CharField(
        _("algorithm"), max_length=8, choices=[(alg, alg) for alg in ALGORITHMS], editable=False
    )
    state = models.CharField(
        _("state"), max_length=8, choices=KeyState.choices, default=KeyState.NEXT, editable=False
    )
    public_jwk = models.JSONField(_("public key (JWK)"), editable=False)
    encrypted_private_key = models.TextField(_("encrypted private key"), editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    activate_after = models.DateTimeField(
        _("may sign from"),
        editable=False,
        help_text=_("Published since its creation; signs once this moment has passed."),
    )
    activated = models.DateTimeField(_("activated"), null=True, blank=True, editable=False)
    retiring_since = models.DateTimeField(
        _("retiring since"), null=True, blank=True, editable=False
    )
    retire_after = models.DateTimeField(
        _("unpublished after"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Every token it signed has expired by then."),
    )
    retired = models.DateTimeField(_("retired"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ("algorithm", "-created")
        constraints = [
            # One signing key per algorithm, whatever process promotes keys.
            unique_constraint(
                fields=["algorithm"],
                condition=Q(state="active"),
                name="oidc_claims_one_active_key_per_algorithm",
            ),
            # One successor at a time, also when cron runs the rotation on several machines.
            unique_constraint(
                fields=["algorithm"],
                condition=Q(state="next"),
                name="oidc_claims_one_next_key_per_algorithm",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.algorithm} {self.kid} ({self.state})"

    @property
    def is_published(self) -> bool:
        return self.state in PUBLISHED_STATES
