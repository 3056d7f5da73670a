"""Tests of token payloads and signing."""
