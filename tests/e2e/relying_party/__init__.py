"""A relying-party Django site built on mozilla-django-oidc, run as its own server process."""
