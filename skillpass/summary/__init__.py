"""What the wallet remembers about a credential: the summary behind `list`, `show` and the passport.

A summary is display data derived from the credential, never the source: the credential is kept
byte-for-byte and its summary can be derived again (bump SUMMARY_VERSION when the shape changes).
Nothing here verifies anything. Values stay as the issuer wrote them: dates and numbers as strings,
texts as `LangText` with their languages. Input is untrusted, so every list and text is capped.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from skillpass.encoding import dates
from skillpass.errors import BadInputError
from skillpass.summary.claims import MAX_CLAIM_DEPTH, MAX_POINTER
from skillpass.summary.extract import MAX_NESTING, summarize_credential
from skillpass.summary.model import (
    SUMMARY_VERSION,
    Achievement,
    Alignment,
    Claim,
    Party,
    Result,
    StatusEntry,
    Summary,
)
from skillpass.summary.reader import MAX_IMAGE, MAX_ITEMS, MAX_TEXT, MAX_TOTAL, Budget, Reader

__all__ = ["EXPIRED", "MAX_CLAIM_DEPTH", "MAX_IMAGE", "MAX_ITEMS", "MAX_NESTING", "MAX_POINTER",
           "MAX_TEXT", "MAX_TOTAL", "NOT_YET_VALID", "SUMMARY_VERSION", "UNKNOWN", "VALID",
           "Achievement", "Alignment", "Claim", "Party", "Result", "StatusEntry", "Summary",
           "status_of", "summarize"]

VALID, EXPIRED, NOT_YET_VALID = dates.VALID, dates.EXPIRED, dates.NOT_YET_VALID
UNKNOWN = "unknown"


def summarize(credential: Any) -> Summary:
    """Summarize a parsed credential: a VC 1.1/2.0 JSON-LD document (Open Badge 3.0, CLR 2.0,
    AcademicAward, any other), a VC-JWT payload (`vc` claim) or SD-JWT VC claims (`vct`).

    Raises only BadInputError, whatever the shape of the input.
    """
    try:
        return summarize_credential(credential, Reader(Budget()), 0)
    except BadInputError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, RecursionError) as exc:
        # A shape the readers above did not foresee must not crash an import over display data.
        raise BadInputError("credential has a shape skillpass cannot read",
                            hint="check the file is a verifiable credential", code="E_SHAPE") from exc


# --- validity period ------------------------------------------------------------------------------

def status_of(summary: Summary, now: datetime | None = None) -> str:
    """'valid', 'expired', 'not yet valid' from the validity period alone (no proof, no status
    list), or 'unknown' when a date cannot be read. A naive `now` is taken as UTC."""
    try:
        start, end = dates.validity_bounds(summary.issued, summary.expires)
    except ValueError:
        return UNKNOWN
    return dates.period_status(start, end, dates.as_utc(now or datetime.now(UTC)))
