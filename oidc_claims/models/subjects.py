"""Public subject identifiers: the stable, opaque ``sub`` of each user (OpenID Connect Core 8).

A user's ``sub`` is a random identifier kept in :class:`UserSubject`, never the database
primary key: it reveals neither how many users there are nor which was created when, and
it cannot be guessed. A client's ``sub`` (client-credentials tokens, RFC 9068 section 2.2)
is its client id; the two can never be equal, by construction of both formats:

* a user's subject is 32 lowercase hexadecimal characters (128 random bits), or with
  ``OIDC_CLAIMS["SUBJECT_IDENTIFIERS"] = "primary-key"`` the decimal primary key;
* a client id of either of those shapes is refused (:func:`client_id_problem`), and a
  subject that an existing client id already uses is never handed out.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.utils.translation import gettext_lazy as _

from oidc_claims.conf import claims_settings

# The reverse accessor from the user model to its UserSubject.
SUBJECT_RELATION = "oidc_claims_subject"
# OIDC_CLAIMS["SUBJECT_IDENTIFIERS"] values.
OPAQUE = "opaque"
PRIMARY_KEY = "primary-key"
SUBJECT_FORMATS = (OPAQUE, PRIMARY_KEY)
# Bytes of randomness in a subject: 128 bits, written as 32 hexadecimal characters.
SUBJECT_BYTES = 16
OPAQUE_SUBJECT_RE = re.compile(r"[0-9a-f]{32}")
PRIMARY_KEY_SUBJECT_RE = re.compile(r"[0-9]+")


def new_subject() -> str:
    """A fresh random subject of the opaque form."""
    return secrets.token_hex(SUBJECT_BYTES)


def has_user_subject_shape(value: str) -> bool:
    """Whether ``value`` has the form of a user's subject (opaque or primary-key form)."""
    return bool(OPAQUE_SUBJECT_RE.fullmatch(value) or PRIMARY_KEY_SUBJECT_RE.fullmatch(value))


def client_id_problem(client_id: str) -> str | None:
    """Why ``client_id`` cannot be a client's id, or None: a client's ``sub`` is its client
    id, so it may not look like, let alone equal, a user's subject."""
    if has_user_subject_shape(client_id or ""):
        return (
            f"The client id {client_id!r} has the form of a user's subject identifier "
            "(32 lowercase hexadecimal characters, or only digits), and a client-credentials "
            "token's sub is its client id: choose a client id with other characters, e.g. "
            "the generated default."
        )
    return None


class UserSubject(models.Model):
    """The public subject identifier (``sub``) of one user; created once, never changed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name=SUBJECT_RELATION,
        verbose_name=_("user"),
    )
    subject = models.CharField(
        _("subject"), max_length=64, unique=True, editable=False, default=new_subject
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("user subject identifier")
        verbose_name_plural = _("user subject identifiers")

    def __str__(self) -> str:
        return self.subject

    def clean(self) -> None:
        if not OPAQUE_SUBJECT_RE.fullmatch(self.subject or ""):
            raise ValidationError(
                {"subject": _("A subject is 32 lowercase hexadecimal characters.")},
                code="invalid_subject",
            )
        if client_uses(self.subject):
            raise ValidationError(
                {"subject": _("An application's client id is this subject; pick another.")},
                code="subject_is_client_id",
            )


def client_uses(subject: str) -> bool:
    """Whether an application has ``subject`` as its client id (rows saved before the
    client-id rule existed)."""
    from oauth2_provider.models import get_application_model

    return get_application_model().objects.filter(client_id=subject).exists()


def subject_of(user: Any) -> str:
    """The ``sub`` of ``user``: its public subject, created on first need.

    The subject comes without a query when the caller loaded it with the user
    (``select_related("oidc_claims_subject")``), as the token look-ups of userinfo and
    introspection do; otherwise it costs one query, plus one insert the first time.
    """
    if claims_settings.SUBJECT_IDENTIFIERS == PRIMARY_KEY:
        return str(user.pk)
    try:
        return getattr(user, SUBJECT_RELATION).subject
    except ObjectDoesNotExist:
        return ensure_subject(user).subject


def ensure_subject(user: Any) -> UserSubject:
    """``user``'s UserSubject, created if it has none (safe against concurrent creation)."""
    using = router.db_for_write(UserSubject)
    existing = UserSubject.objects.using(using).filter(user_id=user.pk).first()
    if existing is not None:
        return _remember(user, existing)
    error: IntegrityError | None = None
    for _attempt in range(3):
        candidate = UserSubject(user_id=user.pk)
        if client_uses(candidate.subject):
            continue  # 128 random bits: practically never, but a client's sub must differ
        try:
            with transaction.atomic(using=using):
                candidate.save(using=using, force_insert=True)
        except IntegrityError as exc:
            # Another request created this user's subject first (or, with odds of 2**-128,
            # the random subject was taken): use what is stored, or draw again.
            error = exc
            existing = UserSubject.objects.using(using).filter(user_id=user.pk).first()
            if existing is not None:
                return _remember(user, existing)
            continue
        return _remember(user, candidate)
    raise error or IntegrityError(f"no free subject identifier for user {user.pk!r}")


def _remember(user: Any, subject: UserSubject) -> UserSubject:
    setattr(user, SUBJECT_RELATION, subject)
    return subject
