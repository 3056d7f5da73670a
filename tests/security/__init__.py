"""Tests of security properties across the endpoints."""
