"""System checks, one module per concern; importing the package registers them all
(``AppConfig.ready()`` does)."""

from oidc_claims.checks import (  # noqa: F401
    client_secrets,
    protocol,
    provider,
    revisions,
    security,
    settings,
    signing_keys,
    subjects,
    tokens,
)
