"""Tests of DOT wiring and the protocol endpoints."""
