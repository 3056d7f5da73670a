"""Tests of the claim engine."""
