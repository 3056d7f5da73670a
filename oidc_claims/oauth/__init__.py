"""django-oauth-toolkit wiring: the validator, the token generator, the endpoint views."""
