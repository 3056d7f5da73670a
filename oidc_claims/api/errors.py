"""Django validation errors as DRF errors: ``{"field": ["problem", ...]}``."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.settings import api_settings


def as_drf_error(exc: DjangoValidationError) -> serializers.ValidationError:
    """The DRF error for a model's ``full_clean()`` failure, keeping messages and codes.

    Model-level problems (constraints over several fields) go under DRF's
    ``non_field_errors`` key.
    """
    by_field = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    detail: dict[str, list[ErrorDetail]] = {}
    for field, errors in by_field.items():
        key = api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
        messages = detail.setdefault(key, [])
        for error in errors:
            message = str(error.message % error.params if error.params else error.message)
            if message not in messages:  # clean() and a database constraint may agree
                messages.append(ErrorDetail(message, code=error.code or "invalid"))
    return serializers.ValidationError(detail)
