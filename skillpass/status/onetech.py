"""1EdTech revocation lists: plain JSON documents an issuer serves over https, unsigned.

    1EdTech Revocation List Status Method (OB 3.0, CLR 2.0; credentialStatus type
    `1EdTechRevocationList`, its `id` the list's URL): {id, issuer, revokedCredentials: [{id,
    revocationReason}]}
    Open Badges 2.0 RevocationList (the issuer profile's `revocationList`): {id, type
    "RevocationList", issuer, revokedAssertions: [id, or {id | uid, revocationReason}]}

Neither is signed, so `signed=False`: the list is only as trustworthy as the https download the
learner made, and every view says so. `issuer` is who the list says it is from; the lookup still
requires it to be the credential's issuer.
"""

from __future__ import annotations

from typing import Any

from skillpass.errors import BadInputError, InvalidError
from skillpass.status import StatusList

MAX_REVOKED = 100_000
MAX_ID = 2048
MAX_REASON = 500


def is_onetech_list(document: Any) -> bool:
    return isinstance(document, dict) and isinstance(document.get("revokedCredentials"), list)


def is_ob2_list(document: Any) -> bool:
    if not isinstance(document, dict):
        return False
    kind = document.get("type")
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    return "RevocationList" in kinds or isinstance(document.get("revokedAssertions"), list)


def read_onetech_list(document: dict[str, Any], url: str | None) -> StatusList:
    """A 1EdTech Revocation List: the credentials it names by `id` are revoked."""
    revoked, reasons = _entries(document.get("revokedCredentials"), ("id",), "revokedCredentials")
    return StatusList(url=_url(document, url), kind="1edtech", issuer=_issuer(document),
                      revoked_ids=revoked, signed=False, reasons=reasons)


def read_ob2_list(document: dict[str, Any], url: str | None) -> StatusList:
    """An OB 2.0 RevocationList: the assertions it names by id (a string, or an object's `id`)
    or by `uid` (OB 2.0 §RevocationList) are revoked."""
    revoked, reasons = _entries(document.get("revokedAssertions"), ("id", "uid"), "revokedAssertions")
    return StatusList(url=_url(document, url), kind="ob2", issuer=_issuer(document),
                      revoked_ids=revoked, signed=False, reasons=reasons)


def _entries(value: Any, keys: tuple[str, ...], name: str) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    if not isinstance(value, list):
        raise InvalidError(f"the revocation list has no {name} list", "ask the issuer for a complete "
                           "revocation list", code="E_STATUS_LIST_KIND")
    if len(value) > MAX_REVOKED:
        raise BadInputError(f"the revocation list names over {MAX_REVOKED} credentials",
                            "this is not a real revocation list", code="E_STATUS_LIST_TOO_LARGE")
    revoked: set[str] = set()
    reasons: dict[str, str] = {}
    for item in value:
        ids = [item] if isinstance(item, str) else \
            [item[k] for k in keys if isinstance(item, dict) and isinstance(item.get(k), str)]
        reason = item.get("revocationReason") if isinstance(item, dict) else None
        for credential_id in ids:
            if credential_id and len(credential_id) <= MAX_ID:
                revoked.add(credential_id)
                if isinstance(reason, str) and reason:
                    reasons[credential_id] = reason[:MAX_REASON]
    return frozenset(revoked), tuple(sorted(reasons.items()))


def _issuer(document: dict[str, Any]) -> str:
    issuer = document.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(value, str) or not value:
        raise InvalidError("the revocation list does not say which issuer it is from",
                           "ask the issuer for a complete revocation list", code="E_NO_ISSUER")
    return value[:MAX_ID]


def _url(document: dict[str, Any], url: str | None) -> str:
    own = document.get("id")
    if url is not None:
        if isinstance(own, str) and own != url:
            raise InvalidError(f"the revocation list says it is {own[:200]}, not {url[:200]}",
                               "give the revocation list the credential names", code="E_STATUS_LIST_URL")
        return url
    if not isinstance(own, str) or not own:
        raise BadInputError("the revocation list has no id, so skillpass cannot tell which "
                            "credentials it is for", "give the URL the credential names with it",
                            code="E_STATUS_LIST_URL")
    return own[:MAX_ID]
