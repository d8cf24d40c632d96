"""Interop tests against independent peers (a package so its conftest does not shadow tests/conftest.py)."""
