"""Claim definitions: which claim and value, in which tokens, for which scopes and applications."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Trim
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings

from oidc_claims.conf import claims_settings
from oidc_claims.expressions import ExpressionSyntaxError, compile_expression
from oidc_claims.expressions.safe_regex import RegexSyntaxError, compile_safe_regex
from oidc_claims.models.claim_names import RESERVED_CLAIM_NAMES, claim_name_problem
from oidc_claims.models.compat import check_constraint, unique_constraint
from oidc_claims.models.limits import MAX_SCOPES_PER_CLAIM, too_many_problem

# Most groups one claim may carry, whatever an admin types: a token with thousands of
# groups breaks cookies, headers and resource servers long before it is useful.
GROUP_LIMIT_MAX = 1000

# RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
SCOPE_TOKEN_RE = re.compile(r"[\x21\x23-\x5B\x5D-\x7E]+")


def default_group_limit() -> int:
    """The group limit of a new definition: OIDC_CLAIMS['DEFAULT_GROUP_LIMIT'], capped."""

    return max(1, min(int(claims_settings.DEFAULT_GROUP_LIMIT), GROUP_LIMIT_MAX))


class ValueType(models.TextChoices):
    EXPRESSION = "expression", _("Expression")
    GROUPS = "groups", _("Groups")


class GroupFilter(models.TextChoices):
    STARTS_WITH = "starts_with", _("Starts with (case-insensitive)")
    EQUALS = "equals", _("Equals (case-insensitive)")
    CONTAINS = "contains", _("Contains (case-insensitive)")
    REGEX = "regex", _("Matches regex (case-sensitive)")


def field_default(model: type[models.Model], name: str) -> Any:
    """The value a new ``model`` row gets for ``name`` (its field's default, called if callable)."""
    return model._meta.get_field(name).get_default()


# (field, destination label) of the three places a claim can go, in token order.
DESTINATION_FIELDS: tuple[tuple[str, str], ...] = (
    ("include_in_id_token", "ID token"),
    ("include_in_access_token", "access token"),
    ("include_in_userinfo", "userinfo response"),
)


def _unique_enabled_name(field: str, label: str) -> models.UniqueConstraint:
    return unique_constraint(
        fields=["name"],
        condition=Q(enabled=True, **{field: True}),
        name=f"oidc_claims_unique_{field.removeprefix('include_in_')}_name",
        violation_error_message=(
            f"Another enabled claim with this name already goes into the {label}."
        ),
        violation_error_code="duplicate_claim_name",
    )


def value_syntax_error(
    value: str, value_type: str, group_filter: str = ""
) -> ExpressionSyntaxError | RegexSyntaxError | None:
    """The syntax error of a claim value (an expression, or a regex group filter), or None.

    Model validation and the admin's in-place check both ask this, so they cannot disagree.
    """
    try:
        if value_type == ValueType.EXPRESSION:
            compile_expression(value)
        elif value_type == ValueType.GROUPS and group_filter == GroupFilter.REGEX:
            compile_safe_regex(value)
    except (ExpressionSyntaxError, RegexSyntaxError) as exc:
        return exc
    return None


class ClaimDefinition(models.Model):
    """One configured claim: its name, how its value is computed, and where it goes."""

    ValueType = ValueType
    GroupFilter = GroupFilter
    # What an admin sets (the admin form, the API, the file format, a duplicate): all but
    # the id, "standard" (set by the seeding) and the timestamps.
    EDITABLE_FIELDS: tuple[str, ...] = (
        "name",
        "description",
        "value_type",
        "value",
        "group_filter",
        "group_limit",
        "include_in_id_token",
        "include_in_access_token",
        "include_in_userinfo",
        "id_token_without_access_token",
        "scopes",
        "applications",
        "enabled",
    )

    name = models.CharField(
        _("name"),
        max_length=255,
        help_text=_("The claim name as it appears in tokens, e.g. 'email' or 'groups'."),
    )
    description = models.TextField(_("description"), blank=True)
    value_type = models.CharField(
        _("value type"), max_length=20, choices=ValueType.choices, default=ValueType.EXPRESSION
    )
    value = models.TextField(
        _("value"),
        help_text=_(
            "An expression such as user.email, or for a groups claim the filter value "
            "(a prefix, name, substring or regular expression)."
        ),
    )
    group_filter = models.CharField(
        _("group filter"),
        max_length=20,
        choices=GroupFilter.choices,
        blank=True,
        help_text=_("How groups are matched against the value; only for groups claims."),
    )
    group_limit = models.PositiveIntegerField(
        _("group limit"),
        default=default_group_limit,
        validators=[MinValueValidator(1), MaxValueValidator(GROUP_LIMIT_MAX)],
        help_text=_(
            "The most groups the claim may carry; when more match, the token request is refused."
        ),
    )
    include_in_id_token = models.BooleanField(_("include in ID token"), default=True)
    include_in_access_token = models.BooleanField(_("include in access token"), default=False)
    include_in_userinfo = models.BooleanField(_("include in userinfo"), default=True)
    id_token_without_access_token = models.BooleanField(
        _("in the ID token when no access token is issued"),
        default=False,
        help_text=_(
            "Also put the claim into the ID token when the response carries no access token "
            "to call userinfo with (response_type=id_token), as OpenID Connect Core 5.4 asks "
            "for the standard claims."
        ),
    )
    standard = models.BooleanField(
        _("standard claim"),
        default=False,
        help_text=_(
            "One of OpenID Connect's standard claims (Core 5.1), created out of the box; "
            "edit its value to read your site's data. An empty text value is left out."
        ),
    )
    scopes = models.JSONField(
        _("scopes"),
        default=list,
        blank=True,
        help_text=_("Scopes that release the claim (any one of them); empty means any scope."),
    )
    applications = models.ManyToManyField(
        oauth2_settings.APPLICATION_MODEL,
        blank=True,
        related_name="oidc_claim_definitions",
        verbose_name=_("applications"),
        help_text=_("Applications that receive the claim; none selected means all."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("claim definition")
        verbose_name_plural = _("claim definitions")
        permissions = [("preview_token", "Can preview tokens")]
        constraints = [
            check_constraint(
                condition=~Q(name__in=sorted(RESERVED_CLAIM_NAMES)),
                name="oidc_claims_name_not_reserved",
                violation_error_message="This claim name is reserved for the protocol.",
            ),
            # Trim() strips spaces only on both backends; clean() rejects all whitespace.
            check_constraint(
                condition=Q(name=Trim("name")) & ~Q(name=""),
                name="oidc_claims_name_not_blank",
                violation_error_message=(
                    "A claim name may not be empty or start or end with a space."
                ),
            ),
            check_constraint(
                condition=~Q(value=""),
                name="oidc_claims_value_not_empty",
                violation_error_message="A claim needs a value.",
            ),
            check_constraint(
                condition=(
                    Q(value_type=ValueType.EXPRESSION, group_filter="")
                    | Q(value_type=ValueType.GROUPS, group_filter__in=GroupFilter.values)
                ),
                name="oidc_claims_group_filter_matches_type",
                violation_error_message=(
                    "A groups claim needs a group filter; an expression claim has none."
                ),
            ),
            check_constraint(
                condition=Q(group_limit__gte=1, group_limit__lte=GROUP_LIMIT_MAX),
                name="oidc_claims_group_limit_range",
                violation_error_message=f"The group limit must be between 1 and {GROUP_LIMIT_MAX}.",
            ),
            check_constraint(
                condition=(
                    Q(include_in_id_token=True)
                    | Q(include_in_access_token=True)
                    | Q(include_in_userinfo=True)
                ),
                name="oidc_claims_has_destination",
                violation_error_message="A claim must go into at least one token.",
            ),
            *(_unique_enabled_name(field, label) for field, label in DESTINATION_FIELDS),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def destinations(self) -> list[str]:
        """Names of the destinations this definition is configured for (id_token, ...)."""
        return [
            field.removeprefix("include_in_")
            for field, _label in DESTINATION_FIELDS
            if getattr(self, field)
        ]

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        for field, error in (
            ("name", self._name_error()),
            ("group_filter", self._group_filter_error()),
            ("value", self._value_error()),
            ("scopes", self._scopes_error()),
            ("include_in_id_token", self._destination_error()),
        ):
            if error is not None:
                errors.setdefault(field, []).append(error)
        if "name" not in errors:
            duplicate = self._duplicate_name_error()
            if duplicate is not None:
                errors["name"] = [duplicate]
        if errors:
            raise ValidationError(errors)

    def _name_error(self) -> ValidationError | None:
        name = self.name or ""
        if not isinstance(name, str):
            return ValidationError(_("The claim name must be text."), code="name_not_text")
        if not name.strip():
            return ValidationError(_("The claim name may not be empty."), code="blank_name")
        if name != name.strip():
            return ValidationError(
                _("Remove the whitespace at the start or end of the claim name."),
                code="name_whitespace",
            )
        if name in RESERVED_CLAIM_NAMES:
            return ValidationError(
                _(
                    "'%(name)s' is a registered or protocol claim that the token layer sets "
                    "itself; choose another name. Reserved: %(reserved)s."
                ),
                code="reserved_name",
                params={"name": name, "reserved": ", ".join(sorted(RESERVED_CLAIM_NAMES))},
            )
        problem = claim_name_problem(name, in_access_token=bool(self.include_in_access_token))
        return None if problem is None else ValidationError(problem, code="deceptive_name")

    def _group_filter_error(self) -> ValidationError | None:
        if self.value_type == ValueType.GROUPS and not self.group_filter:
            return ValidationError(
                _("Choose how groups are matched: starts with, equals, contains or regex."),
                code="group_filter_required",
            )
        if self.value_type == ValueType.EXPRESSION and self.group_filter:
            return ValidationError(
                _("An expression claim has no group filter; leave it empty."),
                code="group_filter_not_allowed",
            )
        return None

    def clean_fields(self, exclude: Any = None) -> None:
        # Before Django's TextField turns 42 into "42" without a word.
        if not isinstance(self.value, str | None) and "value" not in (exclude or ()):
            raise ValidationError(
                {
                    "value": ValidationError(
                        _(
                            "The value is an expression written as text, not a %(type)s: "
                            'write the number 42 as the text 42, the string as "42".'
                        ),
                        code="value_not_text",
                        params={"type": type(self.value).__name__},
                    )
                }
            )
        super().clean_fields(exclude)

    def _value_error(self) -> ValidationError | None:
        if not isinstance(self.value, str | None):
            return None  # clean_fields() says why
        if not self.value or not self.value.strip():
            return ValidationError(_("A claim needs a value."), code="blank_value")
        error = value_syntax_error(self.value, self.value_type, self.group_filter)
        if isinstance(error, RegexSyntaxError):
            return ValidationError(
                _("Invalid regular expression: line %(line)s, column %(column)s: %(error)s"),
                code="invalid_regex",
                params={"line": error.line, "column": error.column, "error": error.message},
            )
        if error is not None:
            return ValidationError(
                _("Invalid expression: %(error)s"),
                code="invalid_expression",
                params={"error": str(error)},
            )
        return None

    def _scopes_error(self) -> ValidationError | None:
        scopes: Any = self.scopes
        if not isinstance(scopes, list) or not all(
            isinstance(scope, str) and SCOPE_TOKEN_RE.fullmatch(scope) for scope in scopes
        ):
            return ValidationError(
                _(
                    'Give the scopes as a list of scope names without spaces, e.g. ["email", '
                    '"profile"]; an empty list releases the claim with any scope.'
                ),
                code="invalid_scopes",
            )
        problem = too_many_problem("scopes", len(scopes), MAX_SCOPES_PER_CLAIM)
        return None if problem is None else ValidationError(problem, code="too_many_scopes")

    def _destination_error(self) -> ValidationError | None:
        if any(getattr(self, field) for field, _label in DESTINATION_FIELDS):
            return None
        return ValidationError(
            _(
                "Choose at least one destination (ID token, access token or userinfo); "
                "to keep a claim without issuing it, disable it instead."
            ),
            code="no_destination",
        )

    def _duplicate_name_error(self) -> ValidationError | None:
        if not self.enabled:
            return None
        others = ClaimDefinition.objects.filter(name=self.name, enabled=True)
        if self.pk is not None:
            others = others.exclude(pk=self.pk)
        clashes = [
            label
            for field, label in DESTINATION_FIELDS
            if getattr(self, field) and others.filter(**{field: True}).exists()
        ]
        if not clashes:
            return None
        return ValidationError(
            _(
                "Another enabled claim named '%(name)s' already goes into the %(where)s; "
                "one name can have only one value per token. Disable or rename one of them, "
                "or make one definition serve several destinations."
            ),
            code="duplicate_claim_name",
            params={"name": self.name, "where": " and ".join(clashes)},
        )
