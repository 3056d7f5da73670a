"""OAuth policy of the demo IdP."""

from __future__ import annotations


def pkce_required(client_id: str) -> bool:
    """PKCE is mandatory for public clients (RFC 9700 2.1.1); confidential clients may use it."""
    from oauth2_provider.models import get_application_model

    Application = get_application_model()
    client_type = (
        Application.objects.filter(client_id=client_id)
        .values_list("client_type", flat=True)
        .first()
    )
    # Unknown clients are refused later anyway; requiring PKCE for them costs nothing.
    return client_type != Application.CLIENT_CONFIDENTIAL
