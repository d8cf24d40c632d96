"""skillpass's presentations against digitalbazaar's verifier, and digitalbazaar's against ours.

skillpass derives (ecdsa-sd-2023) and signs the presentation; the Node peer's
@digitalbazaar/vc `verify` checks the holder's proof, the challenge and domain, and every
credential in it. The other way round, a disclosure and presentation made by the peer must
verify with skillpass's proof code and be read by its field listing.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from issuing import Issuer, new_issuer, ob3, sign, signed_ob3

from skillpass import suites
from skillpass.formats.ldp_vc.fields import disclosable_fields
from skillpass.formats.ldp_vc.presentation import VC_V1, present
from skillpass.present.select import REVEAL_ALL, Selection, resolve_selection
from skillpass.wallet.keys import HolderKey, generate_holder_key

pytestmark = pytest.mark.interop

NodePeer = Any  # the `peer` fixture from conftest.py
CHALLENGE, DOMAIN = "7d2e9c4a-interop", "employer.example"
HOLDER_SUITES = [("eddsa-rdfc-2022", "Ed25519"), ("ecdsa-rdfc-2019", "P-256"),
                 ("Ed25519Signature2018", "Ed25519")]
WHOLE_V2 = ["eddsa-rdfc-2022", "ecdsa-rdfc-2019", "eddsa-jcs-2022", "ecdsa-jcs-2019"]
Signed = tuple[dict[str, Any], Issuer]
REVEAL = ["credentialSubject.achievement.name", "credentialSubject.achievement.alignment[0].targetCode"]


@pytest.fixture(scope="module")
def keys() -> dict[str, HolderKey]:
    return {kind: generate_holder_key(kind, "2026-11-01T00:00:00Z") for kind in ("Ed25519", "P-256")}


@pytest.fixture(scope="module")
def sd_credential() -> Signed:
    issuer = new_issuer("P-256")
    credential = ob3("Data Analysis Fundamentals", issuer=issuer)
    credential["name"] = "Micro-credential: data analysis"
    return sign(credential, issuer, "ecdsa-sd-2023"), issuer


def verify_with_peer(peer: NodePeer, vp: dict[str, Any]) -> dict[str, Any]:
    result = peer.run("verify-presentation", "--challenge", CHALLENGE, "--domain", DOMAIN,
                      input_json=vp)
    assert isinstance(result, dict)
    return result


def selection(credential: dict[str, Any], reveal: list[str]) -> Selection:
    return resolve_selection(disclosable_fields(credential), reveal, False)


@pytest.mark.parametrize(("suite", "key_type"), HOLDER_SUITES)
def test_derived_credential_in_a_signed_presentation(peer: NodePeer, keys: dict[str, HolderKey],
                                                     sd_credential: Signed,
                                                     suite: str, key_type: str) -> None:
    credential, _ = sd_credential

    result = present([(credential, selection(credential, REVEAL))], key=keys[key_type],
                     suite=suite, challenge=CHALLENGE, domain=DOMAIN)

    verdict = verify_with_peer(peer, result.presentation)
    assert verdict["verified"] is True, verdict
    assert verdict["presentationVerified"] is True
    assert [r["verified"] for r in verdict["credentialResults"]] == [True]
    derived = result.presentation["verifiableCredential"][0]
    assert "description" not in derived["credentialSubject"]["achievement"]


@pytest.mark.parametrize(("suite", "key_type"), HOLDER_SUITES)
def test_whole_and_derived_credentials_together(peer: NodePeer, keys: dict[str, HolderKey],
                                                sd_credential: Signed,
                                                suite: str, key_type: str) -> None:
    items = [(sd_credential[0], REVEAL_ALL)]
    items += [(signed_ob3(vc_suite, f"Badge {n}")[0], REVEAL_ALL)
              for n, vc_suite in enumerate(WHOLE_V2)]

    result = present(items, key=keys[key_type], suite=suite, challenge=CHALLENGE, domain=DOMAIN)

    verdict = verify_with_peer(peer, result.presentation)
    assert verdict["verified"] is True, verdict
    assert [r["verified"] for r in verdict["credentialResults"]] == [True] * len(items)


@pytest.mark.parametrize(("suite", "key_type"), HOLDER_SUITES)
def test_vc_1_1_presentation(peer: NodePeer, keys: dict[str, HolderKey], suite: str,
                             key_type: str) -> None:
    items = [(signed_ob3(vc_suite)[0], REVEAL_ALL)
             for vc_suite in ("Ed25519Signature2018", "Ed25519Signature2020")]

    result = present(items, key=keys[key_type], suite=suite, challenge=CHALLENGE, domain=DOMAIN)

    assert result.presentation["@context"][0] == VC_V1
    verdict = verify_with_peer(peer, result.presentation)
    assert verdict["verified"] is True, verdict


def test_mixed_vc_versions_make_a_vc_2_0_presentation(peer: NodePeer,
                                                      keys: dict[str, HolderKey]) -> None:
    items = [(signed_ob3("Ed25519Signature2018")[0], REVEAL_ALL),
             (signed_ob3("eddsa-rdfc-2022")[0], REVEAL_ALL)]

    result = present(items, key=keys["Ed25519"], challenge=CHALLENGE, domain=DOMAIN)

    verdict = verify_with_peer(peer, result.presentation)
    assert verdict["verified"] is True, verdict


def test_peer_rejects_a_changed_disclosure_and_a_replay(peer: NodePeer, keys: dict[str, HolderKey],
                                                        sd_credential: Signed) -> None:
    credential, _ = sd_credential
    vp = present([(credential, selection(credential, REVEAL))], key=keys["Ed25519"],
                 challenge=CHALLENGE, domain=DOMAIN).presentation
    tampered = copy.deepcopy(vp)
    tampered["verifiableCredential"][0]["credentialSubject"]["achievement"]["name"] = "Forged"

    assert verify_with_peer(peer, tampered)["verified"] is False
    replayed = peer.run("verify-presentation", "--challenge", "another", "--domain", DOMAIN,
                        input_json=vp)
    assert replayed["verified"] is False


def test_we_derive_from_a_base_proof_the_peer_issued(peer: NodePeer,
                                                     keys: dict[str, HolderKey]) -> None:
    unsigned = peer.fixture("ob3-unsigned.json")
    base = peer.run("issue", "--suite", "ecdsa-sd-2023", "--mandatory", "/issuer,/validFrom",
                    input_json=unsigned)
    field_list = disclosable_fields(base)
    assert field_list.selective is True
    assert {f.pointer for f in field_list.fields if f.mandatory} >= {"/validFrom"}

    result = present([(base, selection(base, ["credentialSubject.achievement.name"]))],
                     key=keys["P-256"], suite="ecdsa-rdfc-2019", challenge=CHALLENGE, domain=DOMAIN)

    verdict = verify_with_peer(peer, result.presentation)
    assert verdict["verified"] is True, verdict


def test_a_presentation_the_peer_derives_and_signs_reads_and_verifies_here(peer: NodePeer) -> None:
    base = peer.run("issue", "--suite", "ecdsa-sd-2023", "--mandatory", "/issuer",
                    input_json=peer.fixture("ob3-unsigned.json"))
    derived = peer.run("derive", "--reveal", "/credentialSubject/achievement/name", input_json=base)
    holder = peer.run("keygen", "--type", "Ed25519")
    whole = peer.run("issue", "--suite", "eddsa-rdfc-2022",
                     input_json=peer.fixture("ob3-unsigned.json"))
    vp = peer.run("present", "--suite", "eddsa-rdfc-2022", "--challenge", CHALLENGE,
                  "--domain", DOMAIN, "--key", json.dumps(holder),
                  input_json={"credentials": [derived, whole]})

    [proof] = suites.verify_proofs(vp, expected_purpose="authentication", controller=holder["did"],
                                   challenge=CHALLENGE, domain=DOMAIN)
    assert proof.suite == "eddsa-rdfc-2022"
    issuer = derived["issuer"]["id"] if isinstance(derived["issuer"], dict) else derived["issuer"]
    suites.verify_proofs(vp["verifiableCredential"][0], expected_purpose="assertionMethod",
                         controller=issuer)
    derived_fields = disclosable_fields(vp["verifiableCredential"][0])
    assert derived_fields.selective is False
    assert "already a selective disclosure" in str(derived_fields.reason)
    assert "credentialSubject.achievement.name" in {f.path for f in derived_fields.fields}
    assert disclosable_fields(vp["verifiableCredential"][1]).reason == (
        "signed with eddsa-rdfc-2022: can only be shared whole")


# -- disclosures a verifier can bind and accept --------------------------------------------------


def verify_bound(peer: NodePeer, vp: dict[str, Any]) -> dict[str, Any]:
    """digitalbazaar's verdict, with holder binding required (every subject id is the holder)."""
    result = peer.run("verify-presentation", "--challenge", CHALLENGE, "--domain", DOMAIN,
                      "--require-binding", input_json=vp)
    assert isinstance(result, dict)
    return result


@pytest.mark.parametrize("mandatory", ["/issuer", "/validFrom"])
def test_a_disclosure_of_top_level_fields_only_is_accepted(peer: NodePeer, keys: dict[str, HolderKey],
                                                           mandatory: str) -> None:
    unsigned = peer.fixture("ob3-unsigned.json")
    unsigned["credentialSubject"]["id"] = keys["P-256"].did
    base = peer.run("issue", "--suite", "ecdsa-sd-2023", "--mandatory", mandatory, input_json=unsigned)

    result = present([(base, selection(base, ["name"]))], key=keys["P-256"], suite="ecdsa-rdfc-2019",
                     challenge=CHALLENGE, domain=DOMAIN)

    [derived] = result.presentation["verifiableCredential"]
    assert set(derived["credentialSubject"]) == {"id", "type"}
    verdict = verify_bound(peer, result.presentation)
    assert verdict["verified"] is True, verdict


def test_a_vc_1_1_disclosure_is_accepted(peer: NodePeer, keys: dict[str, HolderKey]) -> None:
    unsigned = peer.fixture("ob3-v1-unsigned.json")
    unsigned["credentialSubject"]["id"] = keys["Ed25519"].did
    # the issuer makes neither issuer nor issuanceDate mandatory: the holder must add them
    base = peer.run("issue", "--suite", "ecdsa-sd-2023", "--mandatory", "/credentialSubject/type",
                    input_json=unsigned)

    result = present([(base, selection(base, ["name"]))], key=keys["Ed25519"], challenge=CHALLENGE,
                     domain=DOMAIN)

    [derived] = result.presentation["verifiableCredential"]
    assert derived["issuanceDate"] == unsigned["issuanceDate"] and "issuer" in derived
    assert result.presentation["@context"][0] == VC_V1
    verdict = verify_bound(peer, result.presentation)
    assert verdict["verified"] is True, verdict


def test_the_peer_refuses_what_binding_requires_without_it(peer: NodePeer, keys: dict[str, HolderKey],
                                                           sd_credential: Signed) -> None:
    """The check the tests above rely on can fail: a credential about someone else is refused."""
    credential, _ = sd_credential  # issued with no subject id
    vp = present([(credential, selection(credential, REVEAL))], key=keys["Ed25519"],
                 challenge=CHALLENGE, domain=DOMAIN).presentation

    assert verify_with_peer(peer, vp)["verified"] is True
    assert verify_bound(peer, vp)["verified"] is False
