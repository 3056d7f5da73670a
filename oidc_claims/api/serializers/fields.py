"""Fields shared by the API's serializers."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class LookupField(serializers.SlugRelatedField):
    """A related object by a text key (a client id, a username), refusing what cannot be one.

    Non-strings and NUL characters fail as "does not exist" instead of reaching the database
    (PostgreSQL refuses NUL in text with an error).
    """

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)
