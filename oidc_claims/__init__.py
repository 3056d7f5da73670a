"""Admin-configured OpenID Connect claims for django-oauth-toolkit."""

__version__ = "0.1.0"
