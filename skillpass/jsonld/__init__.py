"""Offline JSON-LD: hash-pinned bundled contexts (`loader`), RDFC-1.0 canonicalization (`canon`).

Import the submodules directly; this package imports nothing heavy.
"""
