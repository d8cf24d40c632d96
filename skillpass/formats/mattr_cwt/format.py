"""MATTR compact credentials behind the format seam: kept as the CSC:/1/ or CSS:/1/ text the
issuer gave, shown from its CWT claims, shared whole as that same text (or its QR code).

The format has no selective disclosure (one ES256 signature covers every claim) and no holder
binding (whoever shows it is not proven to be its subject): a bearer credential, and every
share says so.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

from skillpass.errors import UsageError
from skillpass.formats import MATTR_CWT
from skillpass.formats.base import (NOTHING_KEPT, Checked, Chosen, Material, Presentation, ShareOptions, Signer,
                                    outside_period)
from skillpass.formats.mattr_cwt import cwt

if TYPE_CHECKING:
    from collections.abc import Mapping

    from skillpass.present.fields import Field, FieldList
    from skillpass.present.select import Selection
    from skillpass.summary import Summary
    from skillpass.wallet.keys import HolderKey

KIND = "MattrCompactCredential"
STATUS_TYPE = "MattrCwtStatusList"
SUITE = "COSE_Sign1 (ES256)"
WHOLE_REASON = (f"signed as one {SUITE} with no selective disclosure: a MATTR compact credential "
                "can only be shared whole")
BEARER = ("a MATTR compact credential is a bearer credential: it is bound to no holder, so whoever "
          "has its text or QR code can show it")
# Claims a credential names itself with, first found wins (MATTR lets the issuer pick any names).
_TITLE_KEYS = ("title", "award", "awardTitle", "awardName", "credentialName", "credential_name",
               "achievement", "qualification", "course", "courseName", "program", "degree", "name")
_DESCRIPTION_KEYS = ("description", "awardDescription", "award_description", "credentialDescription",
                     "credential_description", "courseDescription", "course_description")


class MattrCompact:
    tag = MATTR_CWT
    name = "MATTR compact credential"

    def check(self, raw: bytes, material: Material, now: datetime, allow_expired: bool) -> Checked:
        from skillpass.encoding.dates import format_utc, from_numeric_date

        compact = cwt.read_compact(raw)
        method = cwt.verify_token(compact.token, material.trusted.did_cache)
        validity = cwt.validity(compact.claims, now)
        if validity != "valid" and not allow_expired:
            start, end = cwt.period(compact.claims)
            expired = validity == "expired"
            raise outside_period(expired, end if expired else start)
        issuer = compact.token.issuer
        assert issuer is not None  # verify_token checked it
        verification = {"issuer": issuer, "checked": format_utc(now), "validity": validity,
                        "proofs": [{"suite": SUITE, "verificationMethod": method.id,
                                    "proofPurpose": "assertionMethod",
                                    "created": from_numeric_date(compact.claims.get(cwt.IAT)),
                                    "keyType": "P-256"}]}
        return Checked(issuer, validity, verification, summary_of(compact), alias_of(compact))

    def summarize(self, raw: bytes, kept: Mapping[str, Any] = NOTHING_KEPT) -> Summary:
        return summary_of(cwt.read_compact(raw))

    def binding_warning(self, raw: bytes, keys: list[HolderKey]) -> str | None:
        return BEARER + "; keep it as you would keep the paper"

    def fields(self, raw: bytes, summary: Summary | None) -> FieldList:
        from skillpass.present.fields import WHOLE, FieldList, field_at, summary_values

        view = cwt.json_view(cwt.read_compact(raw).claims)
        shown = summary_values(summary)
        fields = tuple(field_at(view, pointer, shown, WHOLE) for pointer, _ in leaves(view))
        return FieldList(False, SUITE, WHOLE_REASON, fields)

    def revealed(self, raw: bytes, fields: FieldList, selection: Selection) -> tuple[Field, ...]:
        return fields.fields

    def signer(self, chosen: list[Chosen], keys: list[HolderKey], request: ShareOptions) -> Signer:
        if len(chosen) != 1:
            raise UsageError("a MATTR compact credential is shared on its own, as the text the issuer gave",
                             "share each one with its own 'skillpass share ID'", code="E_FORMAT_MIXED")
        if request.suite is not None:
            raise UsageError("--proof-suite is for JSON-LD presentations; a MATTR compact credential is "
                             "shared as issued, with nothing signed by you", "leave out --proof-suite")
        return Signer(None, None)

    def present(self, chosen: list[Chosen], signer: Signer, request: ShareOptions, material: Material,
                now: datetime) -> Presentation:
        one = chosen[0]
        text = cwt.read_compact(one.raw).text  # the whole text, unchanged: nothing can be left out
        warnings = [f"the format has no selective disclosure, so the whole credential is shared "
                    f"({len(one.fields.fields)} fields)", BEARER]
        if request.challenge is not None or request.domain is not None:
            warnings.append("a MATTR compact credential cannot answer a --challenge or --domain: the "
                            "verifier gets the credential as issued")
        return Presentation(text, ".csc.txt", None, (one.fields.fields,), tuple(warnings))


def summary_of(compact: cwt.Compact) -> Summary:
    """What list, show and the passport display: the claims, the issuer, the period, the status
    entry. Raises only BadInputError."""
    from skillpass.errors import BadInputError

    try:
        return _summary(compact)
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, RecursionError) as exc:
        raise BadInputError("credential has a shape skillpass cannot read",
                            hint="check it is the credential the issuer gave you", code="E_SHAPE") from exc


def _summary(compact: cwt.Compact) -> Summary:
    from skillpass.summary import Achievement, Claim, Party, StatusEntry, Summary
    from skillpass.summary.claims import claims_of
    from skillpass.summary.jwt import skill_alignments
    from skillpass.summary.reader import Budget, Reader, person_name

    r = Reader(Budget())
    view = cwt.json_view(compact.claims)
    custom = {key: view[key] for key in compact.claims if isinstance(key, str) and key != "vc" and key in view}
    vc = view.get("vc") if isinstance(view.get("vc"), dict) else None
    subject = vc.get("credentialSubject") if vc is not None else None
    subject = subject if isinstance(subject, dict) else {}
    claims: list[Claim] = list(claims_of(custom, "", r)) if custom else []
    if subject:
        claims += claims_of(subject, "/vc/credentialSubject", r)
    types = tuple(t for t in (vc.get("type") if vc and isinstance(vc.get("type"), list) else [])
                  if isinstance(t, str))[:100]
    title = _title(custom, subject, types, r)
    skills = tuple(skill_alignments(custom, r)) + tuple(skill_alignments(subject, r))
    start, end = cwt.period(compact.claims)
    status = cwt.status_of(compact.claims)
    entries = (StatusEntry(STATUS_TYPE, "revocation", status[1], str(status[0])),) if status else ()
    return Summary(
        title=title, kind=KIND, types=types, issuer=Party(id=r.plain(compact.token.issuer)),
        subject_name=person_name(subject or custom, r), issued=start, expires=end,
        credential_id=cwt.cti_text(compact.claims.get(cwt.CTI)), claims=tuple(claims), status=entries,
        achievements=(Achievement(name=title, alignments=skills),) if skills else (),
        description=_description((custom, subject, vc or {}), r), truncated=r.truncated)


def _description(sources: tuple[dict[str, Any], ...], r: Any) -> Any:
    """The description the issuer gave the credential (a claim, its award's, the `vc`'s), else
    None: the other claims are shown as claims, not as a description."""
    from skillpass.summary.reader import filled

    for claims in sources:
        places = [(claims, key) for key in _DESCRIPTION_KEYS]
        places += [(claims[key], "description") for key in _TITLE_KEYS if isinstance(claims.get(key), dict)]
        for holder, key in places:
            value = holder.get(key)
            text = filled(r.claim_text(holder, key)) if isinstance(value, (str, dict)) else None
            if text is not None:
                return text
    return None


def _title(custom: dict[str, Any], subject: dict[str, Any], types: tuple[str, ...], r: Any) -> Any:
    """A title claim, else the credential's most specific type, else the format's name."""
    from skillpass.langtext import LangText

    for key in _TITLE_KEYS:
        for claims in (custom, subject):
            holder, name = (claims[key], "name") if isinstance(claims.get(key), dict) else (claims, key)
            value = holder.get(name)
            if isinstance(value, str) and value.strip():
                return r.claim_text(holder, name)  # with `award_fr`, `award#fr`: its French
    specific = [t for t in types if t != "VerifiableCredential"]
    return LangText(r.plain(specific[-1]) or "") if specific else LangText("MATTR compact credential")


def alias_of(compact: cwt.Compact) -> str:
    """What finds a second copy: the issuer and cti, or the digest of what the issuer signed (an
    ECDSA signature's twin is as valid, so the signature itself cannot tell copies apart)."""
    from skillpass.formats.mattr_cwt.cose import sig_structure

    issuer = compact.token.issuer or ""
    cti = cwt.cti_text(compact.claims.get(cwt.CTI))
    if cti:
        return f"{issuer}\ncti:{cti}"
    return f"{issuer}\nsigned:{hashlib.sha256(sig_structure(compact.token.sign1)).hexdigest()}"


def leaves(view: Any, pointer: str = "", depth: int = 0) -> list[tuple[str, Any]]:
    """(JSON pointer, value) of each leaf of the claims' JSON view, `@context` left out."""
    from skillpass.encoding.pointer import child_pointer

    out: list[tuple[str, Any]] = []
    stack: list[tuple[str, Any, int]] = [(pointer, view, depth)]
    while stack and len(out) < 2000:
        path, value, level = stack.pop()
        if isinstance(value, (dict, list)) and value and level < cwt.MAX_VIEW_DEPTH:
            items = value.items() if isinstance(value, dict) else enumerate(value)
            children = [(child_pointer(path, k), v, level + 1) for k, v in items if k != "@context"]
            stack.extend(reversed(children))
        elif path:
            out.append((path, value))
    return out


FORMAT = MattrCompact()
