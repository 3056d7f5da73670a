"""The API's request parser: JSON whose text the database can store."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from oidc_claims.json_limits import (
    DOCUMENT_MAX_DEPTH,
    nesting_depth,
    too_deep_message,
    unstorable_text,
)


class StorableJSONParser(JSONParser):
    """Rejects NUL characters and unpaired surrogates in any string (keys included), and
    documents nested more than ``DOCUMENT_MAX_DEPTH`` levels.

    JSON allows both (``"\\u0000"``, ``"\\ud800"``), PostgreSQL stores neither: refused
    here, they are a 400 that says why rather than a database error. DRF's parser lets the
    json module's RecursionError through, which would be a server error.
    """

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        too_deep = f"JSON parse error - {too_deep_message(DOCUMENT_MAX_DEPTH)}"
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(too_deep) from None
        if nesting_depth(data, DOCUMENT_MAX_DEPTH) > DOCUMENT_MAX_DEPTH:
            raise ParseError(too_deep)
        problem = unstorable_text(data)
        if problem:
            raise ParseError(f"JSON parse error - {problem}")
        return data
