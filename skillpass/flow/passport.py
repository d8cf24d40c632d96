"""The skills passport and the profile it is headed with."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from skillpass.flow.credentials import current_rows

if TYPE_CHECKING:
    from skillpass.flow.session import Session
    from skillpass.passport.build import Filters, Passport

PROFILE, PROFILE_ID = "profile", "0"
MAX_NAME = 200


def passport(session: Session, now: datetime, filters: Filters, langs: tuple[str, ...] = ()) -> Passport:
    from skillpass.passport.build import build

    with session.open() as wallet:
        rows = current_rows(wallet)
        dids = tuple(key.did for key in wallet.holder_keys())
        name = _profile(wallet).get("name")
    return build(rows, now=now, holder_name=name, holder_dids=dids, filters=filters, langs=langs,
                 issuer_names=_trusted_names(session))


def _trusted_names(session: Session) -> dict[str, str]:
    """The names the trust list gives issuers (a damaged list names nobody: the passport is
    still made)."""
    from skillpass.errors import SkillpassError
    from skillpass.trust import TrustList

    try:
        return {entry.did: entry.name for entry in TrustList.load(session.home).entries()}
    except SkillpassError:
        return {}


def profile(session: Session, name: str | None = None, clear: bool = False) -> dict[str, Any]:
    """The learner's profile (a display name for the passport), kept encrypted; set or cleared."""
    from skillpass.errors import UsageError

    with session.open() as wallet:
        current = _profile(wallet)
        if clear:
            current.pop("name", None)
        elif name is not None:
            cleaned = " ".join(name.split())
            if not cleaned or len(cleaned) > MAX_NAME or any(ord(c) < 32 or 127 <= ord(c) < 160 for c in cleaned):
                raise UsageError(f"a name is one line of 1 to {MAX_NAME} characters", "e.g. --name \"Ana Roy\"")
            current["name"] = cleaned
        if clear or name is not None:
            wallet.put_json(PROFILE, PROFILE_ID, current, replace=True)
        return {"name": current.get("name"), "dids": [key.did for key in wallet.holder_keys()]}


def _profile(wallet: Any) -> dict[str, Any]:
    found = dict(wallet.items_json(PROFILE)).get(PROFILE_ID)
    return dict(found) if isinstance(found, dict) else {}
