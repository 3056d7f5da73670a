"""REST API for claim configuration: definitions, app profiles, token preview, import and export.

Include ``oidc_claims.api.urls`` in the site's URLconf (e.g. under ``api/v1/``).
"""
