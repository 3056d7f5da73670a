"""Tests of the admin screens."""
