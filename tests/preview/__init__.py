"""Tests of the token preview, the impact preview and claim tests."""
