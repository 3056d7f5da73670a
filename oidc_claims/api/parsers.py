"""The API's request parser: JSON whose text the database can store."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from ..transfer.format import unstorable_text


class StorableJSONParser(JSONParser):
    """Rejects NUL characters and unpaired surrogates in any string (keys included).

    JSON allows both (``"\\u0000"``, ``"\\ud800"``), PostgreSQL stores neither: refused
    here, they are a 400 that says why rather than a database error.
    """

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        problem = unstorable_text(data)
        if problem:
            raise ParseError(f"JSON parse error - {problem}")
        return data
