"""Shared encodings, one copy each: XML Schema dates (`dates`)."""
