"""A resource server that is not the identity provider: Django REST framework and the
resource-server helper only (no django-oauth-toolkit, no oidc_claims app)."""
