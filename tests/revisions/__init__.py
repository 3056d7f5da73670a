"""Tests of revisions of the claim configuration."""
