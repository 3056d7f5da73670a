"""Revisions of the claim configuration: who changed it, when, how, and how to undo it."""
