"""What `list` and `show` present of a stored credential: plain data, rendered elsewhere."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from skillpass.summary import VALID, Summary, status_of


def list_row(cid: str, entry: dict[str, Any], now: datetime, langs: tuple[str, ...] = ()) -> dict[str, Any]:
    summary = Summary.from_dict(entry["summary"])
    row = summary.list_row(langs)
    return {"id": cid, "title": row["title"] or "", "issuer": row["issuer"] or "",
            "format": entry.get("format") or "", "issued": row["issued"] or "",
            "expires": row["expires"] or "", "status": credential_status(summary, entry, now)}


def detail(cid: str, entry: dict[str, Any], raw: bytes, now: datetime) -> dict[str, Any]:
    return {**list_row(cid, entry, now), "summary": entry["summary"],
            "verification": entry.get("verification"), "added": entry.get("added"), "size": len(raw)}


def credential_status(summary: Summary, entry: dict[str, Any], now: datetime) -> str:
    """The validity period's verdict, or 'unverified' for a credential whose proof was never checked."""
    status = status_of(summary, now)
    if status == VALID and not entry.get("verification"):
        return "unverified"
    return status
