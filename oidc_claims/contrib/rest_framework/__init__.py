"""Django REST framework classes for resource servers that accept oidc_claims' JWT access tokens.

Optional: importing this package requires djangorestframework; nothing else in oidc_claims does.
"""
