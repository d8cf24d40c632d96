"""VPQR codes against the JavaScript libraries that write and read them.

`vpqr.mjs` runs @digitalcredentials/vpqr 2.2.1 (legacy CBOR-LD, tag 0x0501, base32) and
@digitalbazaar/vpqr 6.0.0 (CBOR-LD 1.0, tag 0xcb1d, registry entry 1, base45 by default), with
contexts from npm packages only. Proofs are checked by peer.mjs's verify-presentation
(@digitalbazaar/vc) and by skillpass's verifier.

- skillpass writes the same text as @digitalcredentials/vpqr, character for character;
- what either library writes decodes in skillpass to the same presentation, which verifies;
- what skillpass writes decodes there to the same JSON, which digitalbazaar's verifier accepts.

@digitalbazaar/cborld 8.1.0 fails on the `"@context": null` of VC 2.0's `verifiableCredential`
(TypeError reading '@import'), in every format, so @digitalbazaar/vpqr 6 is exercised with a
VC 1.1 presentation (an Ed25519Signature2020 credential, an Ed25519Signature2018 holder proof);
the last test pins that limitation, so an upgrade that lifts it is noticed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from issuing import new_issuer, ob3, sign
from test_cborld import (
    CHALLENGE,
    DOMAIN,
    LEAKING_VP,
    STORE,
    holder_key,
    sd_disclosure,
    two_credentials,
    verify,
    whole_presentation,
)

from interop.conftest import INTEROP_DIR, NodePeer
from skillpass.encoding import cborld
from skillpass.formats.ldp_vc.presentation import present
from skillpass.present.select import REVEAL_ALL
from skillpass.qr.payload import VPQR_CBORLD_1_0, outgoing
from skillpass.qr.vpqr import from_vpqr, payload_bytes, to_vpqr

pytestmark = pytest.mark.interop

KINDS = ["sd", "whole", "both", "v1"]


@pytest.fixture(scope="module")
def vpqr_peer(peer: NodePeer) -> Iterator[NodePeer]:
    """vpqr.mjs in its own serve process (the `peer` fixture installs and checks Node)."""
    node_peer = NodePeer(node=peer.node, script=INTEROP_DIR / "vpqr.mjs")
    yield node_peer
    node_peer.close()


@pytest.fixture(scope="module")
def presentations() -> dict[str, dict[str, Any]]:
    holder = holder_key()
    issuer = new_issuer("Ed25519")
    v1_credential = sign(ob3("Welding Safety", issuer=issuer, subject=holder.did, v1=True, n=3), issuer,
                         "Ed25519Signature2020")
    v1 = present([(v1_credential, REVEAL_ALL)], key=holder, suite="Ed25519Signature2018",
                 challenge=CHALLENGE, domain=DOMAIN, now=datetime(2026, 5, 30, 12, tzinfo=UTC))
    bilingual = ob3("Welding Safety", issuer=issuer, subject=holder.did, v1=True, n=4)
    bilingual["credentialSubject"]["achievement"]["name"] = [
        {"@value": "Welding Safety", "@language": "en"}, {"@value": "Sécurité en soudage", "@language": "fr"}]
    v1_bilingual = present([(sign(bilingual, issuer, "Ed25519Signature2020"), REVEAL_ALL)], key=holder,
                           suite="Ed25519Signature2018", challenge=CHALLENGE, domain=DOMAIN,
                           now=datetime(2026, 5, 30, 12, tzinfo=UTC))
    return {"sd": sd_disclosure(holder), "whole": whole_presentation(holder),
            "both": two_credentials(holder), "v1": v1.presentation, "v1-bilingual": v1_bilingual.presentation}


def theirs(vpqr_peer: NodePeer, vp: dict[str, Any], *args: str) -> str:
    text = vpqr_peer.run("encode", *args, input_json={"vp": vp})["text"]
    assert isinstance(text, str)
    return text


def decoded_there(vpqr_peer: NodePeer, text: str, lib: str) -> Any:
    return vpqr_peer.run("decode", "--lib", lib, input_json={"text": text})["vp"]


def verified_by_digitalbazaar(peer: NodePeer, vp: dict[str, Any]) -> None:
    verdict = peer.run("verify-presentation", "--challenge", CHALLENGE, "--domain", DOMAIN, input_json=vp)
    assert verdict["verified"] is True, verdict
    assert all(r["verified"] for r in verdict["credentialResults"])


# -- @digitalcredentials/vpqr 2.2.1 ------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_our_text_is_character_for_character_theirs(vpqr_peer: NodePeer, presentations: dict[str, Any],
                                                    kind: str) -> None:
    vp = presentations[kind]

    assert to_vpqr(vp, store=STORE) == theirs(vpqr_peer, vp, "--lib", "dcc")


@pytest.mark.parametrize("kind", KINDS)
def test_their_text_decodes_here_and_verifies(vpqr_peer: NodePeer, presentations: dict[str, Any],
                                              kind: str) -> None:
    vp = presentations[kind]

    decoded = from_vpqr(theirs(vpqr_peer, vp, "--lib", "dcc"), store=STORE)

    assert decoded == vp
    assert verify(decoded).outcome == "verified"


@pytest.mark.parametrize("kind", KINDS)
def test_our_text_decodes_there_and_verifies_in_digitalbazaar(
        vpqr_peer: NodePeer, peer: NodePeer, presentations: dict[str, Any], kind: str) -> None:
    vp = presentations[kind]

    back = decoded_there(vpqr_peer, to_vpqr(vp, store=STORE), "dcc")

    assert back == vp
    verified_by_digitalbazaar(peer, back)


def test_the_context_stack_quirk_is_shared(vpqr_peer: NodePeer) -> None:
    """The second credential uses OB 3.0 terms only the first declares: both walks allow it."""
    text = to_vpqr(LEAKING_VP, store=STORE)

    assert text == theirs(vpqr_peer, LEAKING_VP, "--lib", "dcc")
    assert decoded_there(vpqr_peer, text, "dcc") == LEAKING_VP


# -- @digitalbazaar/vpqr 6.0.0 -----------------------------------------------------------------


def test_cbor_ld_1_0_base45_both_ways(vpqr_peer: NodePeer, peer: NodePeer,
                                      presentations: dict[str, Any]) -> None:
    vp = presentations["v1"]
    their_text = theirs(vpqr_peer, vp, "--lib", "db")  # its defaults: cbor-ld-1.0, entry 1, base45
    our_text = to_vpqr(vp, store=STORE, format=cborld.CBORLD_1_0, multibase="R")

    assert their_text.startswith("VP1-R") and payload_bytes(their_text)[:5] == bytes.fromhex("d9cb1d8201")
    assert our_text == their_text
    decoded = from_vpqr(their_text, store=STORE)
    assert decoded == vp and verify(decoded).outcome == "verified"
    back = decoded_there(vpqr_peer, our_text, "db")
    assert back == vp
    verified_by_digitalbazaar(peer, back)


def test_a_bilingual_presentation_goes_as_cbor_ld_1_0_which_they_read(vpqr_peer: NodePeer, peer: NodePeer,
                                                                      presentations: dict[str, Any]) -> None:
    """Texts with their language (value objects) are what the legacy format cannot carry, in
    @digitalcredentials/vpqr as here: share's code is then @digitalbazaar/vpqr 6's own text."""
    vp = presentations["v1-bilingual"]
    code, output = vpqr_peer.run_result("encode", input_json={"vp": vp})  # @digitalcredentials/vpqr
    assert code != 0, output
    shared = outgoing(vp, STORE, parts=False, fields=1)

    assert shared.encoding == VPQR_CBORLD_1_0 and shared.texts == (theirs(vpqr_peer, vp, "--lib", "db"),)
    back = decoded_there(vpqr_peer, shared.texts[0], "db")
    assert back == vp
    verified_by_digitalbazaar(peer, back)
    decoded = from_vpqr(shared.texts[0], store=STORE)
    assert decoded == vp and verify(decoded).outcome == "verified"


def test_its_legacy_format_is_ours(vpqr_peer: NodePeer, presentations: dict[str, Any]) -> None:
    vp = presentations["v1"]
    their_text = theirs(vpqr_peer, vp, "--lib", "db", "--format", "legacy-singleton", "--multibase", "B")

    assert their_text == to_vpqr(vp, store=STORE)
    assert from_vpqr(their_text, store=STORE) == vp
    assert decoded_there(vpqr_peer, their_text, "db") == decoded_there(vpqr_peer, their_text, "dcc") == vp


def test_digitalbazaar_cborld_8_cannot_read_a_vc_2_presentation(vpqr_peer: NodePeer,
                                                              presentations: dict[str, Any]) -> None:
    code, output = vpqr_peer.run_result("decode", "--lib", "db",
                                        input_json={"text": to_vpqr(presentations["sd"], store=STORE)})

    assert code != 0 and "@import" in output["error"]
