"""Shared encodings, one copy each: XML Schema dates (`dates`), RFC 6901 JSON pointers (`pointer`)."""
