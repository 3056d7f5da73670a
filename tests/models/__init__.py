"""Tests of models and their rules."""
