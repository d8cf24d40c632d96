"""SD-JWT VC behind the format seam: kept as the compact text the issuer sent, shared as an
SD-JWT with only the chosen disclosures and a KB-JWT signed by the key it is bound to."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from skillpass.errors import BadInputError, UsageError
from skillpass.formats import SD_JWT_VC
from skillpass.formats.base import (NOTHING_KEPT, Checked, Chosen, Material, Presentation, ShareOptions, Signer, jws_alias,
                                    metadata_used, outside_period)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from skillpass.present.fields import Field, FieldList
    from skillpass.present.select import Selection
    from skillpass.summary import Summary
    from skillpass.wallet.keys import HolderKey


class SdJwtVc:
    tag = SD_JWT_VC
    name = "SD-JWT VC"

    def check(self, raw: bytes, material: Material, now: datetime, allow_expired: bool) -> Checked:
        from skillpass.encoding.dates import format_utc, from_numeric_date
        from skillpass.formats.jose import ALGORITHMS
        from skillpass.formats.sd_jwt_vc import vc
        from skillpass.summary import summarize

        issued = vc.verify_issued(_text(raw), material.trusted, now)
        if issued.sd.kb_jwt is not None:  # RFC 9901 §4.3: a KB-JWT is made for one verifier
            raise BadInputError("this SD-JWT ends with a key binding JWT: it was presented to a "
                                "verifier, not issued to you", "import the SD-JWT VC the issuer sent you",
                                code="E_SD_JWT_PRESENTED")
        if issued.validity != "valid" and not allow_expired:
            when = from_numeric_date(issued.claims.get("exp" if issued.validity == "expired" else "nbf"))
            raise outside_period(issued.validity == "expired", when)
        alg = issued.sd.issuer_jwt.alg
        verification = {"issuer": issued.issuer, "checked": format_utc(now), "validity": issued.validity,
                        "vct": issued.vct, "disclosures": len(issued.sd.disclosures),
                        "proofs": [{"suite": f"SD-JWT ({alg})", "verificationMethod": issued.key,
                                    "proofPurpose": "assertionMethod",
                                    "created": from_numeric_date(issued.claims.get("iat")),
                                    "keyType": ALGORITHMS.get(alg)}]}
        alias = jws_alias(issued.issuer, issued.claims.get("jti"), issued.sd.issuer_jwt.token)
        return Checked(issued.issuer, issued.validity, verification, summarize(issued.claims), alias,
                       metadata_used(material.trusted, issued.issuer, issued.key))

    def summarize(self, raw: bytes, kept: Mapping[str, Any] = NOTHING_KEPT) -> Summary:
        from skillpass.formats.sd_jwt_vc.vc import held
        from skillpass.summary import summarize

        return summarize(held(_text(raw)).claims)

    def binding_warning(self, raw: bytes, keys: list[HolderKey]) -> str | None:
        from skillpass.formats.sd_jwt_vc.vc import held, holder_jwk_of, holder_key_of

        jwk = holder_jwk_of(held(_text(raw)).claims)
        if jwk is None:
            return ("its issuer bound it to no key (no cnf): you can only share it without key "
                    "binding, and verifiers that require key binding will refuse it")
        if holder_key_of(jwk, keys) is None:
            return ("it is bound to a key that is not one of your wallet's keys (cnf.jwk): you "
                    "cannot present it with key binding (see your keys with 'skillpass did --json')")
        return None

    def fields(self, raw: bytes, summary: Summary | None) -> FieldList:
        from skillpass.formats.sd_jwt_vc.fields import disclosable_fields
        from skillpass.formats.sd_jwt_vc.vc import held

        return disclosable_fields(held(_text(raw)), summary)

    def revealed(self, raw: bytes, fields: FieldList, selection: Selection) -> tuple[Field, ...]:
        from skillpass.formats.sd_jwt_vc.fields import revealed
        from skillpass.formats.sd_jwt_vc.vc import held

        return revealed(held(_text(raw)), fields, selection)

    def always_sent(self, raw: bytes, revealed: tuple[Field, ...], selection: Selection) -> list[dict[str, Any]]:
        from skillpass.formats.sd_jwt_vc.fields import always_sent
        from skillpass.formats.sd_jwt_vc.vc import held

        return always_sent(held(_text(raw)), selection)

    def signer(self, chosen: list[Chosen], keys: list[HolderKey], request: ShareOptions) -> Signer:
        from skillpass.formats.jose import ALG_FOR_KEY
        from skillpass.formats.sd_jwt_vc.vc import held, holder_jwk_of, holder_key_of

        if len(chosen) != 1:
            raise UsageError("an SD-JWT VC is presented on its own, one per presentation",
                             "share each SD-JWT VC with its own 'skillpass share ID'", code="E_FORMAT_MIXED")
        if request.suite is not None:
            raise UsageError("--proof-suite is for JSON-LD presentations; an SD-JWT VC's key binding "
                             "is signed by the key it is bound to", "leave out --proof-suite")
        jwk = holder_jwk_of(held(_text(chosen[0].raw)).claims)
        if request.unsigned or jwk is None:
            return Signer(None, None)
        if request.challenge is None or request.domain is None:  # RFC 9901 §4.3: both required
            raise UsageError("a key binding JWT names the verifier and answers its nonce",
                             "give the verifier's --domain and --challenge", code="E_KB_REQUEST")
        key = holder_key_of(jwk, keys)
        if key is None:
            raise UsageError(f"{chosen[0].ref} is bound to a key that is not in this wallet, so "
                             "skillpass cannot sign its key binding",
                             "share it with --unsigned (verifiers that require key binding will "
                             "refuse it)", code="E_HOLDER_MISMATCH")
        return Signer(key, f"kb+jwt ({ALG_FOR_KEY[key.key_type]})")

    def present(self, chosen: list[Chosen], signer: Signer, request: ShareOptions, material: Material,
                now: datetime) -> Presentation:
        from skillpass.formats.sd_jwt_vc import vc
        from skillpass.formats.sd_jwt_vc.fields import claim_path, revealed

        one = chosen[0]
        kept = vc.held(_text(one.raw))
        if one.selection.reveal_all:
            paths = list(kept.processed.paths.values())
        else:
            paths = [claim_path(kept.claims, pointer) for pointer in one.selection.pointers]
        private_key = signer.key.private_key() if signer.key is not None else None
        text = vc.present(kept, paths, private_key=private_key, aud=request.domain,
                          nonce=request.challenge, now=now)
        warnings = () if signer.key is not None else (
            "no key binding: a verifier cannot tell that you hold this credential",)
        return Presentation(text, ".sd-jwt", signer.suite,
                            (revealed(kept, one.fields, one.selection),), warnings)


def _text(raw: bytes) -> str:
    try:
        return raw.decode("ascii").strip()
    except UnicodeDecodeError:
        from skillpass.formats.sd_jwt_vc.sd_jwt import malformed

        raise malformed("not ASCII text") from None


FORMAT = SdJwtVc()
