"""What every claims API view shares: authentication, permissions, the JSON parser."""

from __future__ import annotations

from typing import Any

from ..authentication import API_AUTHENTICATION_CLASSES
from ..parsers import StorableJSONParser
from ..permissions import API_PERMISSION_CLASSES


class ClaimsAPIMixin:
    """Set explicitly, so that the site's REST_FRAMEWORK defaults cannot loosen the API."""

    authentication_classes: Any = API_AUTHENTICATION_CLASSES
    parser_classes: Any = (StorableJSONParser,)
    permission_classes: Any = API_PERMISSION_CLASSES
