"""Which of the learner's DIDs signs a presentation: the one its credentials are issued to.

A verifier that checks holder binding (VC DM 2.0 §5.5 and its "holder" note; digitalbazaar's and
skillpass's verifiers do) accepts a credential only when its `credentialSubject.id` is the
presentation's `holder`, and a presentation has exactly one holder. So the signing key follows
from the credentials: every credential issued to one of the wallet's DIDs must be issued to the
same one, and a `--proof-suite` must be one that DID's key can sign. Anything else is refused
here, naming which credential belongs to which DID, rather than signed and refused later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from skillpass.errors import UsageError

if TYPE_CHECKING:
    from skillpass.wallet.keys import HolderKey

# The suite a holder key signs with when the learner does not choose one.
DEFAULT_SUITE_FOR = {"Ed25519": "eddsa-rdfc-2022", "P-256": "ecdsa-rdfc-2019"}
SUITES_FOR = {"Ed25519": ("eddsa-rdfc-2022", "Ed25519Signature2018"), "P-256": ("ecdsa-rdfc-2019",)}


@dataclass(frozen=True)
class Shared:
    """One credential of a share: the id the learner knows it by and its subject ids."""

    ref: str  # the wallet id (or a position) used in messages
    subject_ids: tuple[str, ...]


@dataclass(frozen=True)
class Signer:
    key: HolderKey
    suite: str


def subject_ids(credential: Any) -> tuple[str, ...]:
    """The `credentialSubject.id` values of a credential (one subject or several)."""
    subject = credential.get("credentialSubject") if isinstance(credential, dict) else None
    subjects = subject if isinstance(subject, list) else [subject]
    return tuple(s["id"] for s in subjects if isinstance(s, dict) and isinstance(s.get("id"), str))


def bound_dids(subjects: Sequence[str], keys: Sequence[HolderKey]) -> list[str]:
    """The wallet DIDs among `subjects` (a subject may name a DID URL: did:key:z...#z...)."""
    mine = {key.did for key in keys}
    return sorted({s.split("#", 1)[0] for s in subjects} & mine)


def choose_signer(credentials: Sequence[Shared], keys: Sequence[HolderKey],
                  suite: str | None) -> Signer:
    """The key (and suite) to sign with; UsageError E_HOLDER_MIXED / E_HOLDER_MISMATCH when no
    single wallet DID can be the holder of every bound credential."""
    by_did = {key.did: key for key in keys}
    owners = {c.ref: bound_dids(c.subject_ids, keys) for c in credentials}
    common = _common_did(owners)
    if common is None:
        raise UsageError(
            "these credentials are issued to different DIDs of yours, and a presentation has one "
            "holder: " + "; ".join(f"{ref} to {_describe(by_did[dids[0]])}"
                                   for ref, dids in owners.items() if dids),
            "share them in separate presentations", code="E_HOLDER_MIXED")
    if common == "":
        key = _key_for_suite(keys, suite)
        return Signer(key, suite or DEFAULT_SUITE_FOR[key.key_type])
    key = by_did[common]
    if suite is not None and suite not in SUITES_FOR[key.key_type]:
        bound = [ref for ref, dids in owners.items() if common in dids]
        raise UsageError(
            f"--proof-suite {suite} cannot sign with {_describe(key)}, the DID "
            f"{_plural(bound)} issued to", "use --proof-suite "
            + " or ".join(SUITES_FOR[key.key_type]) + ", or leave it out", code="E_HOLDER_MISMATCH")
    return Signer(key, suite or DEFAULT_SUITE_FOR[key.key_type])


def _common_did(owners: dict[str, list[str]]) -> str | None:
    """The one wallet DID every bound credential names; '' when none is bound; None if none is
    shared by all of them."""
    bound = [set(dids) for dids in owners.values() if dids]
    if not bound:
        return ""
    common = set.intersection(*bound)
    return sorted(common)[0] if common else None


def _key_for_suite(keys: Sequence[HolderKey], suite: str | None) -> HolderKey:
    wanted = next((kind for kind, suites in SUITES_FOR.items() if suite in suites), "Ed25519")
    for key in keys:
        if key.key_type == wanted:
            return key
    raise UsageError(f"the wallet has no {wanted} holder key", "choose another --proof-suite",
                     code="E_NO_HOLDER_KEY")


def _describe(key: HolderKey) -> str:
    return f"your {key.key_type} DID {key.did}"


def _plural(refs: list[str]) -> str:
    if len(refs) == 1:
        return f"credential {refs[0]} is"
    return "credentials " + ", ".join(refs) + " are"
