"""OpenAPI annotations, when drf-spectacular is installed (the ``openapi`` extra)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oidc_claims.api.permissions import MANAGE_SCOPE, READ_SCOPE

# The header that carries the comment of a change, kept with the revision it records.
COMMENT_HEADER = "X-Change-Comment"
COMMENT_HEADER_HELP = (
    "Why the configuration changes (at most 1000 characters); kept with the revision that "
    "records the change."
)

try:
    from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme
    from drf_spectacular.openapi import AutoSchema
    from drf_spectacular.utils import (
        OpenApiParameter,
        PolymorphicProxySerializer,
        extend_schema,
        extend_schema_field,
        extend_schema_view,
    )
except ImportError:  # The schema is optional: the API itself works without drf-spectacular.

    def extend_schema_field(*args: Any, **kwargs: Any) -> Callable[[Any], Any]:
        return lambda target: target

    def extend_schema(*args: Any, **kwargs: Any) -> Callable[[Any], Any]:
        return lambda target: target

    def extend_schema_view(**kwargs: Any) -> Callable[[Any], Any]:
        return lambda target: target

    def one_of(component_name: str, serializers: list[Any]) -> Any:
        return serializers[0]

    def api_schema() -> Any:
        from rest_framework.schemas import DefaultSchema

        return DefaultSchema()

else:

    def one_of(component_name: str, serializers: list[Any]) -> Any:
        """A response that is one of ``serializers`` (told apart by their fields)."""
        return PolymorphicProxySerializer(
            component_name=component_name,
            serializers=serializers,
            resource_type_field_name=None,
        )

    class ClaimsAutoSchema(AutoSchema):
        """drf-spectacular's schema, with the change-comment header on every write."""

        def get_override_parameters(self) -> list[Any]:
            parameters = super().get_override_parameters()
            writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
            if writes and not getattr(self.view, "read_only_api", False):
                parameters = [
                    *parameters,
                    OpenApiParameter(
                        COMMENT_HEADER,
                        str,
                        OpenApiParameter.HEADER,
                        required=False,
                        description=COMMENT_HEADER_HELP,
                    ),
                ]
            return parameters

    def api_schema() -> Any:
        """The schema generator of the claims API's views."""
        return ClaimsAutoSchema()

    class ClaimsOAuth2Scheme(DjangoOAuthToolkitScheme):
        """States the scopes each operation needs (see permissions.TokenHasClaimsScope)."""

        target_class = "oidc_claims.api.authentication.ClaimsOAuth2Authentication"

        def get_security_requirement(self, auto_schema: Any) -> list[dict[str, list[str]]]:
            reading = auto_schema.method in ("GET", "HEAD", "OPTIONS") or getattr(
                auto_schema.view, "read_only_api", False
            )
            scopes = (READ_SCOPE, MANAGE_SCOPE) if reading else (MANAGE_SCOPE,)
            return [{self.name: [scope]} for scope in scopes]


__all__ = [
    "COMMENT_HEADER",
    "api_schema",
    "extend_schema",
    "extend_schema_field",
    "extend_schema_view",
    "one_of",
]
