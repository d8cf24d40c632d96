"""VC-JWT behind the format seam: kept as the compact JWS the issuer sent, shared whole inside a
JWT presentation signed by the DID it is issued to (the JWS covers every claim: nothing can be
hidden without breaking it)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from skillpass.errors import BadInputError, UsageError
from skillpass.formats import JWT_VC
from skillpass.formats.base import (NOTHING_KEPT, Checked, Chosen, Material, Presentation, ShareOptions, Signer, jws_alias,
                                    metadata_used, outside_period)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from skillpass.present.fields import Field, FieldList
    from skillpass.present.select import Selection
    from skillpass.summary import Summary
    from skillpass.wallet.keys import HolderKey


class VcJwt:
    tag = JWT_VC
    name = "VC-JWT"

    def check(self, raw: bytes, material: Material, now: datetime, allow_expired: bool) -> Checked:
        from skillpass.encoding.dates import format_utc, from_numeric_date
        from skillpass.formats.jose import ALGORITHMS
        from skillpass.formats.vc_jwt.credential import verify_issued
        from skillpass.summary import summarize

        issued = verify_issued(_text(raw), material.trusted, now)
        if issued.validity != "valid" and not allow_expired:
            expired = issued.validity == "expired"
            document = issued.credential
            when = (document.get("validUntil", document.get("expirationDate")) if expired
                    else document.get("validFrom", document.get("issuanceDate")))
            raise outside_period(expired, when)
        alg = str(_header(raw).get("alg"))
        claims = _claims(raw)
        verification = {"issuer": issued.issuer, "checked": format_utc(now), "validity": issued.validity,
                        "proofs": [{"suite": f"VC-JWT ({alg})", "verificationMethod": issued.key,
                                    "proofPurpose": "assertionMethod",
                                    "created": from_numeric_date(claims.get("iat")),
                                    "keyType": ALGORITHMS.get(alg)}]}
        alias = jws_alias(issued.issuer, issued.credential.get("id"), issued.token)
        return Checked(issued.issuer, issued.validity, verification, summarize(issued.credential), alias,
                       metadata_used(material.trusted, issued.issuer, issued.key))

    def summarize(self, raw: bytes, kept: Mapping[str, Any] = NOTHING_KEPT) -> Summary:
        from skillpass.summary import summarize

        return summarize(credential(raw))

    def binding_warning(self, raw: bytes, keys: list[HolderKey]) -> str | None:
        from skillpass.formats.ldp_vc.format import subject_binding_warning

        return subject_binding_warning(credential(raw), keys)

    def fields(self, raw: bytes, summary: Summary | None) -> FieldList:
        from skillpass.present.fields import WHOLE, FieldList, field_at, summary_values
        from skillpass.suites.ecdsa_sd_2023 import selectable_pointers

        document = credential(raw)
        shown = summary_values(summary)
        fields = tuple(field_at(document, pointer, shown, WHOLE) for pointer in selectable_pointers(document))
        suite = f"VC-JWT ({_header(raw).get('alg')})"
        return FieldList(False, suite, f"signed as one JWT ({suite}): can only be shared whole", fields)

    def revealed(self, raw: bytes, fields: FieldList, selection: Selection) -> tuple[Field, ...]:
        return fields.fields

    def always_sent(self, raw: bytes, revealed: tuple[Field, ...], selection: Selection) -> list[dict[str, Any]]:
        """The @context and types of the credential (whole, in the JWT), and the JWT's signature."""
        from skillpass.formats.ldp_vc.fields import always_sent

        return [*always_sent(credential(raw), revealed, True),
                {"name": "proof", "value": f"VC-JWT ({_header(raw).get('alg')})"}]

    def signer(self, chosen: list[Chosen], keys: list[HolderKey], request: ShareOptions) -> Signer:
        from skillpass.formats.jose import ALG_FOR_KEY
        from skillpass.present.holder import Shared, choose_signer, subject_ids

        if request.suite is not None:
            raise UsageError("--proof-suite is for JSON-LD presentations; VC-JWTs are shared in a JWT "
                             "presentation signed by the DID they are issued to", "leave out --proof-suite")
        if request.unsigned:
            raise UsageError("a JWT presentation is always signed", "leave out --unsigned, or give the "
                             "credential itself ('skillpass show ID --raw')")
        signer = choose_signer([Shared(c.ref, subject_ids(credential(c.raw))) for c in chosen], keys, None)
        return Signer(signer.key, f"jwt_vp_json ({ALG_FOR_KEY[signer.key.key_type]})")

    def present(self, chosen: list[Chosen], signer: Signer, request: ShareOptions, material: Material,
                now: datetime) -> Presentation:
        from skillpass.formats.vc_jwt.presentation import present

        key = signer.key
        assert key is not None
        token = present([_text(c.raw) for c in chosen], holder_did=key.did,
                        verification_method=key.verification_method, private_key=key.private_key(),
                        aud=request.domain, nonce=request.challenge, now=now)
        return Presentation(token, ".jwt", signer.suite, tuple(c.fields.fields for c in chosen))


def credential(raw: bytes) -> dict[str, Any]:
    """The credential a kept VC-JWT carries, as JSON (its signature was checked at import)."""
    from skillpass.formats.vc_jwt.credential import credential_of

    return credential_of(_claims(raw), _header(raw).get("typ"))


def _claims(raw: bytes) -> dict[str, Any]:
    from skillpass.formats.jose import payload_json, read_compact

    return payload_json(read_compact(_text(raw), "VC-JWT"), "VC-JWT")


def _header(raw: bytes) -> dict[str, Any]:
    from skillpass.formats.jose import read_compact

    return read_compact(_text(raw), "VC-JWT").header


def _text(raw: bytes) -> str:
    try:
        return raw.decode("ascii").strip()
    except UnicodeDecodeError:
        raise BadInputError("the VC-JWT is not ASCII text", "check it is the token the issuer sent",
                            code="E_JWT") from None


FORMAT = VcJwt()
