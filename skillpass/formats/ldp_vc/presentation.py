"""The VerifiablePresentation a learner shares, signed by their holder did:key.

VC Data Model 2.0 section 4.13 (1.1 section 4.10): a presentation wraps the credentials and
names its `holder`; the holder's proof uses `proofPurpose: authentication` with the verifier's
`challenge` and `domain` (VC Data Integrity 1.0 section 2.1), so it cannot be replayed to
another verifier or another request. Shapes follow digitalbazaar's @digitalbazaar/vc
(createPresentation, signPresentation) so its verifier accepts them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from skillpass.errors import BadInputError

if TYPE_CHECKING:
    from skillpass.jsonld.loader import ContextStore
    from skillpass.present.fields import Field
    from skillpass.present.select import Selection
    from skillpass.wallet.keys import HolderKey

VC_V1 = "https://www.w3.org/2018/credentials/v1"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
ED25519_2018_CONTEXT = "https://w3id.org/security/suites/ed25519-2018/v1"
DEFAULT_SUITE = "eddsa-rdfc-2022"
# Suites a holder may sign with -> the holder key type each needs. Ed25519Signature2018 is for
# VC 1.1-era verifiers (MATTR's) that know no Data Integrity cryptosuites.
PRESENTATION_SUITES = {"eddsa-rdfc-2022": "Ed25519", "ecdsa-rdfc-2019": "P-256",
                       "Ed25519Signature2018": "Ed25519"}
AUTHENTICATION = "authentication"


@dataclass(frozen=True)
class PresentationResult:
    """What `share` hands to the renderer: the presentation, warnings, and what it reveals."""

    presentation: dict[str, Any]
    warnings: tuple[str, ...]
    disclosed: tuple[tuple[Field, ...], ...]  # per credential: every field a verifier sees
    suite: str | None  # None for an unsigned presentation

    def to_dict(self) -> dict[str, Any]:
        return {"presentation": self.presentation, "warnings": list(self.warnings),
                "disclosed": [[f.to_dict() for f in fields] for fields in self.disclosed],
                "suite": self.suite}


def build_presentation(credentials: Sequence[dict[str, Any]], *, holder: str | None,
                       vp_id: str | None = None) -> dict[str, Any]:
    """An unsigned VerifiablePresentation; VC 1.1 context only when every credential is 1.1."""
    from skillpass.formats.ldp_vc.verify import vc_version

    versions = [vc_version(credential) for credential in credentials]
    all_v1 = bool(versions) and all(version == "1.1" for version in versions)
    presentation: dict[str, Any] = {"@context": [VC_V1 if all_v1 else VC_V2],
                                    "type": ["VerifiablePresentation"]}
    if credentials:
        presentation["verifiableCredential"] = list(credentials)
    if vp_id is not None:
        presentation["id"] = vp_id
    if holder is not None:
        presentation["holder"] = holder
    return presentation


def sign_presentation(vp: dict[str, Any], *, key: HolderKey, suite: str = DEFAULT_SUITE,
                      challenge: str | None, domain: str | None, created: str | None = None,
                      store: ContextStore | None = None) -> dict[str, Any]:
    """A copy of `vp` with the holder's authentication proof."""
    from skillpass import suites

    check_suite_and_key(suite, key)
    holder = vp.get("holder")
    if holder is not None and holder != key.did:
        raise BadInputError(f"the presentation's holder {holder} is not the signing key's DID",
                            hint="build the presentation with holder set to the key's DID",
                            code="E_HOLDER_MISMATCH")
    document = dict(vp)
    if suite == "Ed25519Signature2018":
        document["@context"] = _with_ed25519_2018_context(vp.get("@context"))
    return suites.sign(document, suite=suite, private_key=key.private_key(),
                       verification_method=key.verification_method,
                       proof_purpose=AUTHENTICATION, created=created, challenge=challenge,
                       domain=domain, store=store)


def check_suite_and_key(suite: str, key: HolderKey) -> None:
    """BadInputError unless `suite` is a presentation suite that can use `key`."""
    needed = PRESENTATION_SUITES.get(suite)
    if needed is None:
        raise BadInputError(f"cannot sign a presentation with {suite}",
                            hint="choose one of: " + ", ".join(PRESENTATION_SUITES),
                            code="E_SUITE_UNSUPPORTED")
    if key.key_type != needed:
        raise BadInputError(f"{suite} cannot sign with the {key.key_type} holder key",
                            hint="use eddsa-rdfc-2022 or Ed25519Signature2018 with the Ed25519 "
                                 "key, ecdsa-rdfc-2019 with the P-256 key",
                            code="E_KEY_TYPE")


def holder_binding_warnings(credentials: Sequence[dict[str, Any]],
                            holder_dids: Sequence[str]) -> list[str]:
    """A warning for each credential whose subject id is none of `holder_dids`.

    A verifier that checks holder binding refuses such a credential: the presentation's signer
    is not the person the credential is about. A credential without a subject id is bound to
    no one, which such a verifier refuses too.
    """
    warnings: list[str] = []
    holders = {did.split("#", 1)[0] for did in holder_dids}
    for number, credential in enumerate(credentials, start=1):
        if not _subject_ids(credential):
            warnings.append(f"credential {_name(credential, number)} names no subject (no credentialSubject.id): "
                            "a verifier that checks holder binding will refuse it")
        for subject_id in _subject_ids(credential):
            if subject_id.split("#", 1)[0] not in holders:
                warnings.append(f"credential {_name(credential, number)} is about {subject_id}, "
                                f"not {' or '.join(sorted(holders)) or 'the holder'}: "
                                "a verifier may refuse it")
    return warnings


def present(items: Sequence[tuple[dict[str, Any], Selection]], *, key: HolderKey | None,
            suite: str = DEFAULT_SUITE, challenge: str | None = None, domain: str | None = None,
            unsigned: bool = False, store: ContextStore | None = None,
            now: datetime | None = None, vp_id: str | None = None) -> PresentationResult:
    """Disclose each credential as selected, wrap them, and sign as the holder (or not).

    Every credential's contexts must be in `store` (bundled plus any the user trusted).
    """
    from skillpass.jsonld.loader import ContextStore
    from skillpass.formats.ldp_vc.disclose import disclose
    from skillpass.formats.ldp_vc.fields import disclosable_fields
    from skillpass.present.select import revealed_fields
    from skillpass.suites.proof import w3c_date
    from skillpass.formats.ldp_vc.verify import check_contexts

    store = store or ContextStore.bundled()
    _check_signing_request(key, suite, challenge, domain, unsigned)
    shared: list[dict[str, Any]] = []
    disclosed: list[tuple[Field, ...]] = []
    for credential, selection in items:
        check_contexts(credential, store)
        shared.append(disclose(credential, selection, store=store))
        disclosed.append(revealed_fields(disclosable_fields(credential), selection))
    holder = key.did if key is not None else None
    warnings = holder_binding_warnings([c for c, _ in items], [holder] if holder else [])
    vp = build_presentation(shared, holder=holder, vp_id=vp_id)
    if not unsigned:
        assert key is not None
        vp = sign_presentation(vp, key=key, suite=suite, challenge=challenge, domain=domain,
                               created=w3c_date(now) if now else None, store=store)
    return PresentationResult(vp, tuple(warnings), tuple(disclosed), None if unsigned else suite)


def _check_signing_request(key: HolderKey | None, suite: str, challenge: str | None,
                           domain: str | None, unsigned: bool) -> None:
    if unsigned:
        if challenge is not None or domain is not None:
            raise BadInputError("an unsigned presentation cannot answer a challenge or domain",
                                hint="sign the presentation, or leave out challenge and domain",
                                code="E_UNSIGNED_CHALLENGE")
        return
    if key is None:
        raise BadInputError("signing a presentation needs a holder key",
                            hint="create one with 'skillpass init'", code="E_NO_HOLDER_KEY")
    check_suite_and_key(suite, key)  # before any derivation work


def _with_ed25519_2018_context(context: Any) -> Any:
    """As digitalbazaar's suite: a VC 2.0 document gets the suite context; VC 1.1 defines it."""
    contexts = context if isinstance(context, list) else [context]
    if VC_V1 in contexts or ED25519_2018_CONTEXT in contexts:
        return context
    return [*contexts, ED25519_2018_CONTEXT]


def _subject_ids(credential: dict[str, Any]) -> list[str]:
    subject = credential.get("credentialSubject") if isinstance(credential, dict) else None
    subjects = subject if isinstance(subject, list) else [subject]
    return [s["id"] for s in subjects if isinstance(s, dict) and isinstance(s.get("id"), str)]


def _name(credential: dict[str, Any], number: int) -> str:
    from skillpass.present.fields import display_value

    shown = credential.get("name") or credential.get("id")
    return f"{number} ({display_value(shown, 60)})" if shown else str(number)
