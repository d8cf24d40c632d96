"""What one status entry of a credential says, from the status lists at hand, offline.

`entry` is a summary.StatusEntry as a dict {type, purpose, list, index}, and may carry:
    size        Bitstring Status List `statusSize` (bits an entry; 1 when absent)
    messages    Bitstring Status List `statusMessage` [{status: "0x1", message}], for 'message'
    credential  the credential's id (or ids: an OB 2.0 assertion's id and uid) that an id list
                (1EdTech, OB 2.0) names; when absent, `index` is taken to hold it

The list must come from the credential's issuer (DIDs compared without fragment, https issuers
exactly): Bitstring Status List §2.3 lets another party publish a credential's status, but
skillpass has no way to know whom an issuer trusts with that, so such a list is not used and the
result says so. `detail` is English, for the lead's translations to key on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from skillpass.status import (
    NOT_CHECKED,
    REVOKED,
    STALE,
    SUSPENDED,
    VALID,
    StatusList,
    StatusResult,
)
from skillpass.status.bitstring import MIN_ENTRIES

# entry type -> the StatusList.kind it must be looked up in
ENTRY_KINDS = {
    "BitstringStatusListEntry": "bitstring", "StatusList2021Entry": "statuslist2021",
    "RevocationList2020Status": "revocationlist2020", "1EdTechRevocationList": "1edtech",
    "OB2RevocationList": "ob2", "TokenStatusList": "token-status-list", "MattrCwtStatusList": "mattr-cwt",
}
KIND_NAMES = {
    "bitstring": "Bitstring Status List", "statuslist2021": "StatusList2021",
    "revocationlist2020": "RevocationList2020", "1edtech": "1EdTech revocation list",
    "ob2": "Open Badges 2.0 revocation list", "token-status-list": "Token Status List",
    "mattr-cwt": "MATTR status list",
}
TOKEN_STATES = {0: VALID, 1: REVOKED, 2: SUSPENDED}  # draft-ietf-oauth-status-list §7.1
MAX_INDEX_DIGITS = 12


def status_of(entry: Mapping[str, Any], issuer: str | None, lists: Mapping[str, StatusList], now: datetime,
              obtained: Mapping[str, str] | None = None) -> StatusResult:
    """The status of the credential of `issuer` that names `entry`, from `lists` (by URL);
    `obtained` maps a list's URL to when the wallet got it (shown as `checked`)."""
    entry_type = str(entry.get("type") or "")
    url = entry.get("list") if isinstance(entry.get("list"), str) else None
    purpose = entry.get("purpose") if isinstance(entry.get("purpose"), str) else None
    kind = ENTRY_KINDS.get(entry_type)
    if kind is None:
        return StatusResult(NOT_CHECKED, url, f"skillpass does not know status entries of type "
                            f"{entry_type[:60] or '(none)'}", purpose)
    status_list = _list_for(url, lists)
    if url is None or status_list is None:
        return StatusResult(NOT_CHECKED, url, f"no copy is kept of the status list {url or '(none named)'} "
                            f"its {entry_type} names: the credential may have been revoked or suspended", purpose)
    checked = (obtained or {}).get(status_list.url) or (obtained or {}).get(url)
    refused = _refusal(status_list, kind, issuer)
    if refused is not None:
        return StatusResult(NOT_CHECKED, url, refused, purpose, checked)
    state, detail, purpose = _answer(entry, status_list, purpose)
    return _with_age(StatusResult(state, url, detail, purpose, checked), status_list, now)


def same_issuer(list_issuer: str, credential_issuer: str | None) -> bool:
    """DIDs without their fragment; anything else (https issuers) exactly."""
    if not credential_issuer:
        return False
    if list_issuer.startswith("did:") and credential_issuer.startswith("did:"):
        return list_issuer.split("#", 1)[0] == credential_issuer.split("#", 1)[0]
    return list_issuer == credential_issuer


def list_key(url: str) -> str:
    """The URL a status list is kept and looked up under: without its fragment, since a 1EdTech
    entry's id, or a list URL written with the entry's '#index', names the list itself."""
    return url.split("#", 1)[0]


def _list_for(url: str | None, lists: Mapping[str, StatusList]) -> StatusList | None:
    if url is None:
        return None
    return lists.get(url) or lists.get(list_key(url))


def _refusal(status_list: StatusList, kind: str, issuer: str | None) -> str | None:
    if status_list.kind != kind:
        return (f"the list kept for {status_list.url} is a {KIND_NAMES.get(status_list.kind, status_list.kind)}, "
                f"not the {KIND_NAMES[kind]} the credential names: its status is not checked")
    if not same_issuer(status_list.issuer, issuer):
        return (f"the status list {status_list.url} is from {status_list.issuer}, not from the credential's "
                f"issuer {issuer or '(unknown)'}: the credential's status is not checked")
    return None


def _answer(entry: Mapping[str, Any], status_list: StatusList, purpose: str | None) -> tuple[str, str, str | None]:
    if status_list.kind in ("1edtech", "ob2"):
        return (*_id_answer(entry, status_list), purpose or "revocation")
    index = _index(entry.get("index"))
    if index is None:
        return NOT_CHECKED, f"the credential's status index {str(entry.get('index'))[:40]!r} is not a number", purpose
    if status_list.kind == "token-status-list":
        return (*_token_answer(status_list, index), purpose)
    if purpose is None and len(status_list.purposes) == 1:
        purpose = status_list.purposes[0]
    # Bitstring Status List §3.2 step 5: the entry's purpose is one the list is for
    if purpose not in status_list.purposes:
        return (NOT_CHECKED, (f"the status list {status_list.url} is for {', '.join(status_list.purposes)}, "
                              f"not the {purpose or '(no purpose)'} the credential names"), purpose)
    size = _size(entry.get("size"), status_list.bits)
    if status_list.kind == "bitstring" and len(status_list.data) * 8 // size < MIN_ENTRIES:
        return NOT_CHECKED, _too_short(status_list, size), purpose
    value = _value(status_list, index, size)
    if value is None:
        return NOT_CHECKED, _beyond(status_list, index, size), purpose
    return (*_purpose_answer(purpose, value, entry, status_list.url, index), purpose)


def _id_answer(entry: Mapping[str, Any], status_list: StatusList) -> tuple[str, str]:
    named = entry.get("credential", entry.get("index"))
    ids = [named] if isinstance(named, str) else [i for i in named if isinstance(i, str)] \
        if isinstance(named, (list, tuple)) else []
    if not ids:
        return NOT_CHECKED, "the credential has no id to look for in its revocation list"
    reasons, url = dict(status_list.reasons), status_list.url
    for credential_id in ids:
        if credential_id in status_list.revoked_ids:
            reason = reasons.get(credential_id)
            return REVOKED, (f"revoked by {url} (an unsigned list, as the issuer serves it): {reason}" if reason
                             else f"revoked by {url} (an unsigned list, as the issuer serves it)")
    return VALID, f"not in the revocation list {url} (an unsigned list, as the issuer serves it)"


def _token_answer(status_list: StatusList, index: int) -> tuple[str, str]:
    value = _value(status_list, index, status_list.bits)
    if value is None:
        # §8.3 step 6: an index out of bounds makes no statement about the token
        return NOT_CHECKED, _beyond(status_list, index, status_list.bits)
    state = TOKEN_STATES.get(value)
    if state is None:
        # §7.1: 0x03 and 0x0C-0x0F are application specific, the rest not yet registered
        return NOT_CHECKED, (f"status {value:#04x} at index {index} of {status_list.url} is specific to "
                             "this issuer; skillpass cannot tell what it means")
    where = _token_where(value, index, status_list.url)
    if state == REVOKED:
        return REVOKED, f"revoked (INVALID): {where}"
    if state == SUSPENDED:
        return SUSPENDED, f"suspended: {where}"
    return VALID, f"neither revoked nor suspended: {where}"


def _purpose_answer(purpose: str, value: int, entry: Mapping[str, Any], url: str, index: int) -> tuple[str, str]:
    where = _where(index, url)
    if purpose == "revocation":
        return (REVOKED, f"revoked: {where}") if value else (VALID, f"not revoked: {where}")
    if purpose == "suspension":
        return (SUSPENDED, f"suspended: {where}") if value else (VALID, f"not suspended: {where}")
    if purpose == "message":
        message = _message(entry.get("messages"), value)
        return VALID, (f"status message {value:#x} ({message!r}) at {where}; this is not a revocation" if message
                       else f"status message {value:#x} at {where}; this is not a revocation")
    if purpose == "refresh":
        return VALID, (f"the issuer has an updated credential (refresh): {where}" if value
                       else f"no refresh: {where}")
    return NOT_CHECKED, f"the status purpose {purpose[:40]!r} is not one skillpass knows ({where}: {value:#x})"


def _where(index: int, url: str) -> str:
    return f"index {index} of {url}"


def _token_where(value: int, index: int, url: str) -> str:
    return f"status {value:#04x} at index {index} of {url}"


def _message(messages: Any, value: int) -> str | None:
    if not isinstance(messages, list):
        return None
    for item in messages[:256]:
        if isinstance(item, dict) and isinstance(item.get("status"), str) and isinstance(item.get("message"), str):
            try:
                if int(item["status"], 16) == value:
                    return item["message"][:200]
            except ValueError:
                continue
    return None


def _with_age(result: StatusResult, status_list: StatusList, now: datetime) -> StatusResult:
    """A list past its stale_after no longer says the credential is valid or suspended. A
    revocation it shows stands: revocation is not reversible (Bitstring Status List §2.2)."""
    from skillpass.encoding.dates import as_utc, parse

    ends = parse(status_list.stale_after) if status_list.stale_after else None
    if ends is None or as_utc(now) <= ends or result.state in (REVOKED, NOT_CHECKED):
        return result
    return StatusResult(STALE, result.list, f"the status list is out of date since {status_list.stale_after} "
                        f"(it said: {result.detail})", result.purpose,
                        result.checked or status_list.issued)


def _index(value: Any) -> int | None:
    # Bitstring Status List §2.1: statusListIndex is an integer >= 0 as a base-10 string
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= MAX_INDEX_DIGITS:
        return int(value)
    return None


def _size(value: Any, default: int) -> int:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 8 else default


def _value(status_list: StatusList, index: int, size: int) -> int | None:
    try:
        return status_list.value_at(index, size)
    except IndexError:
        return None


def _too_short(status_list: StatusList, size: int) -> str:
    # Bitstring Status List §3.2 steps 2 and 9: the bitstring's length divided by the entry's
    # statusSize is at least 131,072 (STATUS_LIST_LENGTH_ERROR), so that a list hides its credentials
    entries = len(status_list.data) * 8 // size
    return (f"the status list {status_list.url} holds {entries} entries of {size} bits, fewer than the "
            f"{MIN_ENTRIES} Bitstring Status List §3.2 requires: the credential's status is not checked")


def _beyond(status_list: StatusList, index: int, size: int) -> str:
    entries = len(status_list.data) * 8 // size
    return (f"index {index} is beyond the {entries} entries of the status list {status_list.url}: "
            "the credential's status is not checked")
