"""Presentations digitalbazaar derives and signs verify in skillpass; with another challenge they fail."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest

from skillpass.jsonld.loader import ContextStore
from skillpass.verifier import FAILED, PASSED, VerificationReport, verify_presentation

pytestmark = pytest.mark.interop

HOLDER_SUITES = {"eddsa-rdfc-2022": "Ed25519", "ecdsa-rdfc-2019": "P-256",
                 "Ed25519Signature2018": "Ed25519"}
CHALLENGE = "8c2b7e1d-interop"
DOMAIN = "https://employer.example"
REVEAL = "/credentialSubject/achievement/name"
NOW = datetime.now(timezone.utc)  # the peer signs with the real time: a proof is never from the future


def _verify(presentation: dict[str, Any], challenge: str = CHALLENGE) -> VerificationReport:
    return verify_presentation(presentation, store=ContextStore.bundled(), did_cache={}, trust=None,
                               challenge=challenge, domain=DOMAIN, now=NOW)


def _credential_for(peer: Any, holder_did: str, suite: str, *args: str) -> dict[str, Any]:
    unsigned = peer.fixture("ob3-unsigned.json")
    unsigned["credentialSubject"]["id"] = holder_did
    return peer.run("issue", "--suite", suite, *args, input_json=unsigned)


@pytest.fixture(scope="module", params=sorted(HOLDER_SUITES))
def presentation(request: pytest.FixtureRequest, peer: Any) -> dict[str, Any]:
    """A VP signed by a digitalbazaar holder: a derived ecdsa-sd-2023 credential and a whole one."""
    suite = request.param
    key = peer.run("keygen", "--type", HOLDER_SUITES[suite])
    base = _credential_for(peer, key["did"], "ecdsa-sd-2023", "--mandatory", "/issuer,/validFrom")
    derived = peer.run("derive", "--reveal", REVEAL, input_json=base)
    whole = _credential_for(peer, key["did"], "eddsa-rdfc-2022")
    result = peer.run("present", "--suite", suite, "--challenge", CHALLENGE, "--domain", DOMAIN,
                      "--key", json.dumps(key), input_json={"credentials": [derived, whole]})
    assert isinstance(result, dict)
    return result


def test_presentation_signed_by_digitalbazaar_verifies(presentation: dict[str, Any]) -> None:
    report = _verify(presentation)

    failed = {c.name: (c.code, c.detail) for c in report.checks if c.status == FAILED}
    assert report.outcome == "verified", failed
    assert report.check("holder proof").status == PASSED
    assert report.check("challenge").status == PASSED
    assert report.check("domain").status == PASSED
    assert report.check("credential 1 disclosure").detail.startswith("selective disclosure")
    disclosed = {d.path: (d.label, d.value) for d in report.credentials[0].disclosed}
    assert disclosed["/credentialSubject/achievement/name"] == (
        "Achievement name", "Data Literacy Foundations")
    assert not any(path.endswith("/description") for path in disclosed)
    assert report.holder == presentation["holder"]


def test_presentation_signed_by_digitalbazaar_for_another_challenge_fails(
        presentation: dict[str, Any]) -> None:
    report = _verify(presentation, challenge="a-different-request")

    assert report.outcome == "invalid"
    assert [(c.name, c.code) for c in report.checks if c.status == FAILED] == [
        ("challenge", "E_CHALLENGE")]


def test_presentation_digitalbazaar_verifies_is_the_one_we_verify(
        peer: Any, presentation: dict[str, Any]) -> None:
    """The control: digitalbazaar agrees this presentation is good."""
    result = peer.run("verify-presentation", "--challenge", CHALLENGE, "--domain", DOMAIN,
                      input_json=presentation)

    assert result["verified"] is True, result
