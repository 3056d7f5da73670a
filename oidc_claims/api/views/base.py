"""What every claims API view shares: authentication, permissions, the JSON parser, and the
change context that attributes configuration changes to the API caller."""

from __future__ import annotations

import contextlib
from typing import Any

from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from oidc_claims.api.authentication import API_AUTHENTICATION_CLASSES
from oidc_claims.api.parsers import StorableJSONParser
from oidc_claims.api.permissions import API_PERMISSION_CLASSES
from oidc_claims.api.schema import COMMENT_HEADER, api_schema
from oidc_claims.models.revisions import Channel
from oidc_claims.revisions.context import ChangeContext, change_context, comment_problem


class ClaimsAPIMixin:
    """Set explicitly, so that the site's REST_FRAMEWORK defaults cannot loosen the API."""

    authentication_classes: Any = API_AUTHENTICATION_CLASSES
    parser_classes: Any = (StorableJSONParser,)
    permission_classes: Any = API_PERMISSION_CLASSES
    # Documents the X-Change-Comment header of the writes (the rollback endpoint also reads
    # "comment" from its body).
    schema: Any = api_schema()
    change: ChangeContext

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # Every change of the claim configuration the request makes is one revision of
        # channel "api", by the authenticated user (and the OAuth 2 client it used).
        with change_context(Channel.API) as self.change:
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        self.change.set_user(request.user)
        application = getattr(request.auth, "application", None)
        if application is not None:
            self.change.client_id = application.client_id
        if request.method not in SAFE_METHODS:
            self.change.comment = header_comment(request)


def header_comment(request: Request) -> str:
    """The X-Change-Comment header (UTF-8 bytes allowed), or 400 saying what is wrong."""
    value = request.headers.get(COMMENT_HEADER, "")
    # WSGI hands header bytes over as Latin-1; a client sending UTF-8 meant UTF-8.
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        value = value.encode("latin-1").decode("utf-8")
    value = value.strip()
    problem = comment_problem(value)
    if problem is not None:
        raise serializers.ValidationError({COMMENT_HEADER: [problem]})
    return value
