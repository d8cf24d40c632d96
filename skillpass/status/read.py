"""Read any status list the wallet is given, offline, into one `StatusList`.

What it is, from its bytes:
    JSON with a proof, typed BitstringStatusListCredential / StatusList2021Credential /
        RevocationList2020Credential          verified as any W3C credential (formats.ldp_vc),
                                              then read by bitstring.py
    a JWT with typ statuslist+jwt              token.py (IETF Token Status List)
    a JWT carrying one of the list credentials verified as a VC-JWT (formats.vc_jwt), then bitstring.py
    JSON with revokedCredentials               onetech.py (1EdTech; unsigned)
    JSON RevocationList / revokedAssertions    onetech.py (OB 2.0; unsigned)
    anything else binary (CBOR)                formats/mattr_cwt/status_list.py (MATTR CWT list)

A list credential is verified exactly like a credential the learner imports, except that an
expired one is still read: its `stale_after` then says it is out of date, and the lookup reports
"not checked since", which is true, where refusing it would say nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from skillpass.errors import BadInputError, InvalidError
from skillpass.status import MAX_LIST_BYTES, StatusList

if TYPE_CHECKING:
    from skillpass.formats.base import Material


def read_status_list(raw: bytes, url: str | None, material: Material, now: datetime) -> StatusList:
    """The verified status list in `raw`; `url` is where a credential names it (None: the
    list's own id or sub)."""
    if len(raw) > MAX_LIST_BYTES:
        raise BadInputError(f"the status list is over {MAX_LIST_BYTES // (1024 * 1024)} MiB",
                            "this is not a real status list",
                            code="E_STATUS_LIST_TOO_LARGE")
    if not raw.removeprefix(b"\xef\xbb\xbf").strip():  # else the last resort below calls it a bad MATTR list
        raise BadInputError("the status list is empty", "give the file the list's URL serves, as downloaded",
                            code="E_EMPTY")
    text = _text(raw)
    if text is None:
        return _mattr_cwt(raw, url, material, now)
    if text.startswith(("{", "[")):
        return _json_list(raw, url, material, now)
    from skillpass.status import token

    if token.looks_like_token(text):
        return token.read_token_status_list(text, url, material, now)
    if text.count(".") == 2 and text.startswith("ey"):
        return _vc_jwt_list(text, url, material, now)
    return _mattr_cwt(raw, url, material, now)


def _json_list(raw: bytes, url: str | None, material: Material, now: datetime) -> StatusList:
    from skillpass.ingest import parse_json
    from skillpass.status import bitstring, onetech

    document = parse_json(raw)
    if bitstring.list_kind(document) is not None:
        return _ldp_list(raw, document, url, material, now)
    if onetech.is_onetech_list(document):
        return onetech.read_onetech_list(document, url)
    if onetech.is_ob2_list(document):
        return onetech.read_ob2_list(document, url)
    raise BadInputError("this JSON is not a status list skillpass knows (Bitstring Status List, "
                        "StatusList2021, RevocationList2020, 1EdTech or OB 2.0 revocation list)",
                        "give the file the credential's status entry names", code="E_STATUS_LIST_KIND")


def _ldp_list(raw: bytes, document: dict[str, Any], url: str | None, material: Material,
              now: datetime) -> StatusList:
    from skillpass import formats
    from skillpass.status.bitstring import read_list_credential

    if "proof" not in document:
        raise InvalidError("the status list credential is not signed (no proof)",
                           "give the status list exactly as the issuer publishes it", code="E_STATUS_LIST_UNSIGNED")
    # Bitstring Status List §3.2 step 4: every proof verifies (STATUS_VERIFICATION_ERROR)
    checked = formats.by_tag(formats.LDP_VC).check(raw, material, now, allow_expired=True)
    _refuse_not_yet_valid(checked.validity)
    return read_list_credential(document, checked.issuer, url, now)


def _vc_jwt_list(text: str, url: str | None, material: Material, now: datetime) -> StatusList:
    from skillpass.formats.vc_jwt.credential import verify_issued
    from skillpass.status.bitstring import list_kind, read_list_credential

    issued = verify_issued(text, material.trusted, now)
    if list_kind(issued.credential) is None:
        raise BadInputError("this JWT is a credential, not a status list",
                            "give the file the credential's status entry names", code="E_STATUS_LIST_KIND")
    _refuse_not_yet_valid(issued.validity)
    return read_list_credential(issued.credential, issued.issuer, url, now)


def _refuse_not_yet_valid(validity: str) -> None:
    if validity == "not yet valid":
        raise InvalidError("the status list is not valid yet (its validFrom is in the future)",
                           "check this computer's clock, or get the list again later", code="E_STATUS_LIST_DATE")


def _mattr_cwt(raw: bytes, url: str | None, material: Material, now: datetime) -> StatusList:
    try:
        from skillpass.formats.mattr_cwt.status_list import read_cwt_status_list
    except ImportError:
        raise BadInputError("this is not a status list skillpass can read here",
                            "give the file the credential's status entry names", code="E_STATUS_LIST_KIND") from None
    result: StatusList = read_cwt_status_list(raw, url, material, now)
    return result


def _text(raw: bytes) -> str | None:
    """The input as text (JSON or a compact JWT), or None for binary (a CWT)."""
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        text = body.decode("utf-8").strip()
    except UnicodeDecodeError:
        return None
    return text if text and text.isprintable() or text.startswith("{") else None
