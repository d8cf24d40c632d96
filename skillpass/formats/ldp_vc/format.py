"""W3C Verifiable Credentials in JSON-LD with Data Integrity proofs, behind the format seam.

Verified by formats/ldp_vc/verify.py (contexts, proofs, dates), disclosed by disclose.py (an
ecdsa-sd-2023 derived proof, or the credential whole) and presented by presentation.py (a
VerifiablePresentation signed by the holder's did:key).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from skillpass.formats import LDP_VC
from skillpass.formats.base import NOTHING_KEPT, Checked, Chosen, Material, Presentation, ShareOptions, Signer

if TYPE_CHECKING:
    from collections.abc import Mapping

    from skillpass.present.fields import Field, FieldList
    from skillpass.present.select import Selection
    from skillpass.summary import Summary
    from skillpass.wallet.keys import HolderKey


class LdpVc:
    tag = LDP_VC
    name = "W3C VC (Data Integrity)"

    def check(self, raw: bytes, material: Material, now: datetime, allow_expired: bool) -> Checked:
        from skillpass.formats.ldp_vc.verify import verify_credential
        from skillpass.summary import summarize

        credential = _parse(raw)
        verification = verify_credential(credential, store=material.store,
                                         did_cache=material.trusted.did_cache, now=now,
                                         allow_expired=allow_expired)
        credential_id = credential.get("id")
        alias = f"{verification.issuer}\n{credential_id}" if isinstance(credential_id, str) else None
        return Checked(verification.issuer, verification.validity, verification.to_dict(),
                       summarize(credential), alias)

    def summarize(self, raw: bytes, kept: Mapping[str, Any] = NOTHING_KEPT) -> Summary:
        from skillpass.summary import summarize

        return summarize(_parse(raw))

    def binding_warning(self, raw: bytes, keys: list[HolderKey]) -> str | None:
        return subject_binding_warning(_parse(raw), keys)

    def fields(self, raw: bytes, summary: Summary | None) -> FieldList:
        from skillpass.formats.ldp_vc.fields import disclosable_fields

        return disclosable_fields(_parse(raw), summary)

    def revealed(self, raw: bytes, fields: FieldList, selection: Selection) -> tuple[Field, ...]:
        from skillpass.formats.ldp_vc.fields import with_carried_ids
        from skillpass.present.select import revealed_fields

        return with_carried_ids(_parse(raw), revealed_fields(fields, selection))

    def always_sent(self, raw: bytes, revealed: tuple[Field, ...], selection: Selection) -> list[dict[str, Any]]:
        from skillpass.formats.ldp_vc.fields import always_sent

        return always_sent(_parse(raw), revealed, selection.reveal_all)

    def signer(self, chosen: list[Chosen], keys: list[HolderKey], request: ShareOptions) -> Signer:
        from skillpass.present.holder import Shared, choose_signer, subject_ids

        signer = choose_signer([Shared(c.ref, subject_ids(_parse(c.raw))) for c in chosen], keys,
                               request.suite)
        return Signer(signer.key, signer.suite)

    def present(self, chosen: list[Chosen], signer: Signer, request: ShareOptions, material: Material,
                now: datetime) -> Presentation:
        from skillpass.formats.ldp_vc.presentation import present

        assert signer.key is not None and signer.suite is not None
        result = present([(_parse(c.raw), c.selection) for c in chosen], key=signer.key,
                         suite=signer.suite, challenge=request.challenge, domain=request.domain,
                         unsigned=request.unsigned, store=material.store, now=now)
        return Presentation(result.presentation, ".json", result.suite, result.disclosed, result.warnings)


def subject_binding_warning(credential: Any, keys: list[HolderKey]) -> str | None:
    """Why a verifier that checks holder binding (credentialSubject.id = the presentation's
    holder) will refuse this credential when the learner shares it."""
    from skillpass.present.holder import subject_ids

    subjects = subject_ids(credential)
    if not subjects:
        return ("it names no subject (no credentialSubject.id): verifiers that check holder "
                "binding will refuse it")
    if any(s.split("#", 1)[0] in {key.did for key in keys} for s in subjects):
        return None
    return (f"it is issued to {', '.join(subjects)}, none of your DIDs: verifiers that check "
            "holder binding will refuse it when you share it")


def _parse(raw: bytes) -> dict[str, Any]:
    from skillpass.ingest import parse_json

    document = parse_json(raw)
    if not isinstance(document, dict):
        from skillpass.errors import BadInputError

        raise BadInputError("the stored credential is not a JSON object", code="E_NOT_CREDENTIAL")
    return document


FORMAT = LdpVc()
