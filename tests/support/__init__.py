"""Helpers for the test suite: local servers and shared-data lookup."""
