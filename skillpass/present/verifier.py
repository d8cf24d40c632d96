"""Moved: the verifier is a role of its own, `skillpass.verifier`. These names stay importable
from here for the interop tests (tests/interop), which still import them from this module."""

from skillpass.verifier import (  # noqa: F401
    FAILED,
    INVALID,
    MAX_CREDENTIALS,
    MAX_DISCLOSED,
    NOT_APPLICABLE,
    PASSED,
    UNVERIFIABLE,
    VERIFIED,
    WARNING,
    Check,
    CredentialReport,
    Disclosed,
    VerificationReport,
    read_presentation,
    verify_presentation,
)
