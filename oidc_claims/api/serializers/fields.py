"""Fields and field handling shared by the API's serializers."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from oidc_claims.transfer.format import json_type


class LookupField(serializers.SlugRelatedField):
    """A related object by a text key (a client id, a username), refusing what cannot be one.

    Non-strings and NUL characters fail as "does not exist" instead of reaching the database
    (PostgreSQL refuses NUL in text with an error).
    """

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class TextField(serializers.CharField):
    """A string, and only a string: DRF's CharField turns 42 into "42" without a word, and a
    claim's name or expression must be what the client wrote."""

    default_error_messages = {
        "not_text": "Expected text (a JSON string), found {type}; an expression is "
        'written as text: the number 42 as "42", the string as "\\"42\\"".',
    }

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("not_text", type=json_type(data))
        return super().to_internal_value(data)


def with_defaults_on_replace(
    serializer: serializers.ModelSerializer, attrs: dict[str, Any]
) -> dict[str, Any]:
    """``attrs`` of a PUT with every omitted writable field at its model default.

    DRF keeps the stored value of a field a PUT leaves out; a replace should not depend
    on what was there before.
    """
    if serializer.instance is None or serializer.partial:
        return attrs
    meta = serializer.Meta.model._meta
    for name, field in serializer.fields.items():
        if field.read_only or name in attrs:
            continue
        model_field = meta.get_field(field.source)
        attrs[name] = [] if model_field.many_to_many else model_field.get_default()
    return attrs
