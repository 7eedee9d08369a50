"""Scheduled functions: thin wrappers over services."""
