"""Ed25519Signature2018, the Virtual Skills Passport pilot's suite, cross-checked both ways with
@digitalbazaar/ed25519-signature-2018: credentials and presentations signed by each side verify
on the other, and a changed claim fails on both."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from typing import Any

import pytest
from issuing import new_issuer, sign

from skillpass.errors import InvalidError
from skillpass.jsonld.loader import ContextStore
from skillpass.formats.ldp_vc.presentation import VC_V1, present
from skillpass.present.select import REVEAL_ALL
from skillpass.verifier import verify_presentation
from skillpass.formats.ldp_vc.verify import verify_credential
from skillpass.wallet.keys import generate_holder_key

pytestmark = pytest.mark.interop

SUITE = "Ed25519Signature2018"
CHALLENGE, DOMAIN = "vsp-2018-interop", "employer.example.ca"
NOW = datetime.now(timezone.utc)  # the peer signs with the real time: a proof is never from the future


def _unsigned(peer: Any, subject: str) -> dict[str, Any]:
    credential = peer.fixture("ob3-v1-unsigned.json")
    credential["credentialSubject"]["id"] = subject
    return credential


def _ours(peer: Any, subject: str) -> dict[str, Any]:
    issuer = new_issuer("Ed25519")
    credential = _unsigned(peer, subject)
    credential["issuer"]["id"] = issuer.did
    return sign(credential, issuer, SUITE)


def test_a_credential_digitalbazaar_signs_verifies_here(peer: Any) -> None:
    theirs = peer.run("issue", "--suite", SUITE, input_json=_unsigned(peer, "did:example:learner"))
    changed = copy.deepcopy(theirs)
    changed["credentialSubject"]["achievement"]["name"] = "Data Science Mastery"

    result = verify_credential(theirs, store=ContextStore.bundled(), did_cache={}, now=NOW)

    assert [p.suite for p in result.proofs] == [SUITE]
    assert theirs["proof"]["type"] == SUITE and "jws" in theirs["proof"]
    with pytest.raises(InvalidError) as refused:
        verify_credential(changed, store=ContextStore.bundled(), did_cache={}, now=NOW)
    assert refused.value.code == "E_SIG_INVALID"


def test_a_credential_we_sign_verifies_there(peer: Any) -> None:
    ours = _ours(peer, "did:example:learner")
    changed = copy.deepcopy(ours)
    changed["name"] = "Something else"

    assert peer.run("verify-credential", input_json=ours) == {"verified": True}
    assert peer.run("verify-credential", input_json=changed)["verified"] is False


def test_a_presentation_we_sign_verifies_there_bound_to_its_holder(peer: Any) -> None:
    holder = generate_holder_key("Ed25519", "2026-05-01T00:00:00Z")
    theirs = peer.run("issue", "--suite", SUITE, input_json=_unsigned(peer, holder.did))
    items = [(theirs, REVEAL_ALL), (_ours(peer, holder.did), REVEAL_ALL)]

    vp = present(items, key=holder, suite=SUITE, challenge=CHALLENGE, domain=DOMAIN).presentation
    verdict = peer.run("verify-presentation", "--challenge", CHALLENGE, "--domain", DOMAIN,
                       "--require-binding", input_json=vp)

    assert vp["@context"][0] == VC_V1 and vp["proof"]["type"] == SUITE
    assert verdict["verified"] is True, verdict
    assert [r["verified"] for r in verdict["credentialResults"]] == [True, True]


def test_a_presentation_digitalbazaar_signs_verifies_here(peer: Any) -> None:
    key = peer.run("keygen", "--type", "Ed25519")
    credentials = [peer.run("issue", "--suite", SUITE, input_json=_unsigned(peer, key["did"])),
                   _ours(peer, key["did"])]
    vp = peer.run("present", "--suite", SUITE, "--challenge", CHALLENGE, "--domain", DOMAIN,
                  "--key", json.dumps(key), input_json={"credentials": credentials})
    replayed = verify_presentation(vp, store=ContextStore.bundled(), did_cache={}, trust=None,
                                   challenge="another", domain=DOMAIN, now=NOW)

    report = verify_presentation(vp, store=ContextStore.bundled(), did_cache={}, trust=None,
                                 challenge=CHALLENGE, domain=DOMAIN, now=NOW)

    assert report.outcome == "verified", [(c.name, c.detail) for c in report.checks]
    assert SUITE in report.check("holder proof").detail
    assert report.check("credential 1 holder binding").status == "passed"
    assert replayed.outcome == "invalid" and replayed.check("challenge").code == "E_CHALLENGE"
