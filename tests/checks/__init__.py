"""Tests of system checks."""
