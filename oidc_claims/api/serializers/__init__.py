"""Serializers of the claims API, one module per resource."""
