"""The seam every credential format sits behind: what import, list, show, share and verify ask
of a format, and the plain data that crosses it.

A format is one package under skillpass/formats/ with an object `FORMAT` that has these methods
(data flows one way: detect -> parse -> verify -> store -> view -> select -> present):

    check(raw, material, now, allow_expired) -> Checked     verify as the holder receives it
    summarize(raw, kept) -> Summary                          display data, derived again at will
    binding_warning(raw, keys) -> str | None                 why the learner could not present it
    fields(raw, summary) -> FieldList                        what `show --fields` lists
    revealed(raw, fields, selection) -> tuple[Field, ...]    what a verifier would see
    signer(chosen, keys, request) -> Signer                  which wallet key answers
    present(chosen, signer, request, material, now) -> Presentation

A format that is never shared (the MyCreds record) also has `refuse_share()`, which raises. A
format whose shares carry more than their fields (types, @context, a proof, SD-JWT digests) has
`always_sent(raw, revealed, selection) -> list[{"name", "value"}]` for the preview's last line.
And its verifier side, `verify_presented` in the package's `presented` module, which reports with
the same checks and the same `--json` document as every other format (skillpass/verifier).
The store keeps the credential's bytes exactly as received and the format's `tag`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from skillpass.errors import InvalidError
    from skillpass.formats.issuer_keys import Trusted
    from skillpass.jsonld.loader import ContextStore
    from skillpass.present.fields import Field, FieldList
    from skillpass.present.select import Selection
    from skillpass.summary import Summary
    from skillpass.wallet.keys import HolderKey


@dataclass(frozen=True)
class Material:
    """What verification may use, all of it offline: JSON-LD contexts (bundled and kept) and the
    keys of issuers and holders (kept DID documents, JWT VC Issuer Metadata)."""

    store: ContextStore
    trusted: Trusted


# What a credential kept without a verified proof is shown as (Checked.unverified).
NOT_VERIFIABLE, HOSTED_BADGE = "not verifiable", "not verified (hosted badge)"


@dataclass(frozen=True)
class Checked:
    """A credential as import verified it: what the wallet keeps beside its bytes."""

    issuer: str
    validity: str  # 'valid', or 'expired' / 'not yet valid' with --allow-expired
    verification: dict[str, Any]  # the entry's "verification" record (show prints it)
    summary: Summary
    alias: str | None  # issuer and credential id: what finds a second copy of it
    issuer_metadata: dict[str, Any] | None = None  # the JWT VC Issuer Metadata its key came from
    # Kept without a proof verified, and said so wherever it is shown: "not verifiable" (a
    # MyCreds record), "not verified (hosted badge)". `verification` then says why.
    unverified: str | None = None


@dataclass(frozen=True)
class Chosen:
    """One credential of a share, with the learner's choice."""

    ref: str  # the wallet id, used in messages
    raw: bytes
    fields: FieldList
    selection: Selection


@dataclass(frozen=True)
class ShareOptions:
    challenge: str | None  # the verifier's nonce
    domain: str | None  # the verifier's domain (a JWT's aud)
    suite: str | None  # --proof-suite, JSON-LD presentations only
    unsigned: bool


@dataclass(frozen=True)
class Signer:
    """The wallet key that answers (None: the presentation goes unsigned) and how it signs."""

    key: HolderKey | None
    suite: str | None


@dataclass(frozen=True)
class Presentation:
    """What `share` delivers: JSON (a VerifiablePresentation) or compact text (an SD-JWT+KB, a
    JWT presentation), and what it reveals."""

    body: dict[str, Any] | str
    suffix: str  # for a file name: .json, .sd-jwt, .jwt
    suite: str | None  # how the holder signed it; None when unsigned
    disclosed: tuple[tuple[Field, ...], ...]  # per credential: every field a verifier sees
    warnings: tuple[str, ...] = field(default_factory=tuple)


def outside_period(expired: bool, when: Any, *, badge: bool = False) -> InvalidError:
    """Import's one refusal of a credential outside its validity period (--allow-expired keeps it)."""
    from skillpass.errors import InvalidError

    return InvalidError(
        (f"the badge expired on {when}" if expired else f"the badge is not valid before {when}") if badge
        else (f"the credential expired on {when}" if expired else f"the credential is not valid before {when}"),
        "to keep it anyway, import with --allow-expired", code="E_EXPIRED" if expired else "E_NOT_YET_VALID")


def jws_alias(issuer: str, credential_id: Any, signed_token: str) -> str:
    """What finds a second copy of a JWT-shaped credential: its issuer and id, or (with no id)
    the digest of what the issuer signed, so that the same token with another encoding of its
    signature (an ECDSA signature's high-S twin is as valid) is one credential, not two."""
    import hashlib

    if isinstance(credential_id, str) and credential_id:
        return f"{issuer}\n{credential_id}"
    signing_input = signed_token.rpartition(".")[0]
    return f"{issuer}\nsigned:{hashlib.sha256(signing_input.encode('ascii')).hexdigest()}"


def metadata_used(trusted: Trusted, issuer: str, key_source: str) -> dict[str, Any] | None:
    """The issuer metadata a JWT's key came from (None when it came from a DID)."""
    if key_source.startswith("did:"):
        return None
    metadata = trusted.metadata.get(issuer)
    return metadata.to_dict() if metadata is not None else None


NOTHING_KEPT: Mapping[str, Any] = MappingProxyType({})


class CredentialFormat(Protocol):
    tag: str  # kept in the wallet entry: ldp_vc, dc+sd-jwt, jwt_vc_json
    name: str  # for people: "W3C VC (Data Integrity)", "SD-JWT VC", "VC-JWT"

    def check(self, raw: bytes, material: Material, now: datetime, allow_expired: bool) -> Checked: ...

    # kept: the documents the wallet keeps by id (DID documents, OB 2.0 BadgeClasses and
    # Profiles), for a credential that names others by URL; derived again, nothing is fetched
    def summarize(self, raw: bytes, kept: Mapping[str, Any] = NOTHING_KEPT) -> Summary: ...

    def binding_warning(self, raw: bytes, keys: list[HolderKey]) -> str | None: ...

    def fields(self, raw: bytes, summary: Summary | None) -> FieldList: ...

    def revealed(self, raw: bytes, fields: FieldList, selection: Selection) -> tuple[Field, ...]: ...

    def signer(self, chosen: list[Chosen], keys: list[HolderKey], request: ShareOptions) -> Signer: ...

    def present(self, chosen: list[Chosen], signer: Signer, request: ShareOptions, material: Material,
                now: datetime) -> Presentation: ...
