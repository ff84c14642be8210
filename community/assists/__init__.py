"""Assists feature."""
