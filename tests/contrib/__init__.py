"""Tests of the DRF resource-server helper."""
