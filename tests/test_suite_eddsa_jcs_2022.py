"""eddsa-jcs-2022 (vc-di-eddsa 3.4) against the W3C vector, and RFC 8785 JCS itself."""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from skillpass import suites
from skillpass.errors import BadInputError, InvalidError
from skillpass.keys import multibase, multikey
from skillpass.suites import eddsa_jcs_2022 as suite
from skillpass.suites import jcs
from skillpass.suites.proof import proof_options


def load(path: Path) -> Any:
    return json.loads(path.read_text())


@pytest.fixture
def folder(vectors: Path) -> Path:
    return vectors / "eddsa-jcs-2022"


def text(path: Path) -> str:
    return path.read_text().strip()


# -- the W3C vector ---------------------------------------------------------------------------


def test_each_step_reproduces_the_w3c_vector(folder: Path) -> None:
    unsigned = load(folder / "unsigned.json")
    options = proof_options(load(folder / "signedJCS.json")["proof"])
    assert options == load(folder / "proofConfigJCS.json")  # the proof carries the doc @context
    transformed = suite.transformation(unsigned, options)
    assert transformed == (folder / "canonDocJCS.txt").read_bytes().strip()
    canonical_config = suite.proof_configuration(options)
    assert canonical_config == (folder / "proofCanonJCS.txt").read_bytes().strip()
    data = suite.hashing(transformed, canonical_config)
    assert data[:32].hex() == text(folder / "proofHashJCS.txt")
    assert data[32:].hex() == text(folder / "docHashJCS.txt")
    assert data.hex() == text(folder / "combinedHashJCS.txt")
    secret = multikey.decode_secret_key(load(folder / "keyPair.json")["privateKeyMultibase"])
    assert suite.proof_serialization(data, secret).hex() == text(folder / "sigHexJCS.txt")


def test_sign_reproduces_and_verify_accepts_the_signed_vector(folder: Path) -> None:
    signed = load(folder / "signedJCS.json")
    secret = multikey.decode_secret_key(load(folder / "keyPair.json")["privateKeyMultibase"])
    ours = suites.sign(load(folder / "unsigned.json"), suite="eddsa-jcs-2022", private_key=secret,
                       verification_method=signed["proof"]["verificationMethod"],
                       created=signed["proof"]["created"])
    assert ours == signed
    # No JSON-LD processing: an empty context store is enough.
    [result] = suites.verify_proofs(signed, expected_purpose="assertionMethod", controller=None,
                                    store=None)
    assert result.suite == "eddsa-jcs-2022"


def test_a_context_appended_after_signing_is_tolerated(folder: Path) -> None:
    # 3.4.2 step 4: the document's @context must START with the proof's.
    signed = load(folder / "signedJCS.json")
    signed["@context"] = [*signed["@context"], "https://example.org/later/v1"]
    suites.verify_proofs(signed, expected_purpose="assertionMethod", controller=None)


def test_a_context_changed_after_signing_is_invalid(folder: Path) -> None:
    signed = load(folder / "signedJCS.json")
    signed["@context"] = list(reversed(signed["@context"]))
    with pytest.raises(InvalidError) as err:
        suites.verify_proofs(signed, expected_purpose="assertionMethod", controller=None)
    assert err.value.code == "E_PROOF_CONTEXT"


def test_a_proof_without_context_from_an_older_signer_still_verifies() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    encoded = multikey.encode_public_key(key.public_key())
    vm = f"did:key:{encoded}#{encoded}"
    document = {"claim": "plain JSON, no JSON-LD", "n": 1.5}
    options = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
               "created": "2024-01-01T00:00:00Z", "verificationMethod": vm,
               "proofPurpose": "assertionMethod"}
    data = suite.hashing(suite.transformation(document, options),
                         suite.proof_configuration(options))
    proof = {**options, "proofValue": multibase.encode(key.sign(data), "z")}
    suites.verify_proofs({**document, "proof": proof}, expected_purpose="assertionMethod",
                         controller=f"did:key:{encoded}")


def test_round_trip_with_a_fresh_did_key() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    encoded = multikey.encode_public_key(key.public_key())
    did = f"did:key:{encoded}"
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                  "type": ["VerifiableCredential"], "issuer": did,
                  "credentialSubject": {"id": "did:example:learner", "score": 0.1 + 0.2}}
    signed = suites.sign(credential, suite="eddsa-jcs-2022", private_key=key,
                         verification_method=f"{did}#{encoded}")
    assert signed["proof"]["@context"] == credential["@context"]
    suites.verify_proofs(signed, expected_purpose="assertionMethod", controller=did)


# -- RFC 8785 ---------------------------------------------------------------------------------

# RFC 8785 Appendix B: IEEE-754 bit patterns and their ECMAScript serialization.
NUMBERS = [
    ("0000000000000000", "0"), ("8000000000000000", "0"), ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"), ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"), ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"), ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"), ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"), ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"), ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"), ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"), ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"), ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"), ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


@pytest.mark.parametrize("bits, expected", NUMBERS)
def test_numbers_serialize_as_ecmascript_does(bits: str, expected: str) -> None:
    assert jcs.serialize_number(struct.unpack(">d", bytes.fromhex(bits))[0]) == expected


def test_integers_are_read_as_javascript_doubles() -> None:
    assert jcs.serialize_number(1) == "1"
    assert jcs.serialize_number(10**21) == "1e+21"
    assert jcs.serialize_number(2**53 + 1) == "9007199254740992"  # what JSON.parse makes of it


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 10**400])
def test_values_json_cannot_carry_are_refused(value: float) -> None:
    with pytest.raises(BadInputError):
        jcs.canonicalize({"n": value})


def test_rfc8785_section_3_2_2_example() -> None:
    source = r"""{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }"""
    expected = r"""{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"""
    assert jcs.canonicalize(json.loads(source)) == expected.encode("utf-8")


def test_rfc8785_section_3_2_3_keys_sort_by_utf16_code_units() -> None:
    source = {"\u20ac": "Euro Sign", "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One",
              "\U0001f600": "Emoji: Grinning Face", "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"}
    values = [json.loads(jcs.canonicalize(source))[key] for key in
              json.loads(jcs.canonicalize(source))]
    assert values == ["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis",
                      "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"]


def test_strings_escape_only_what_json_stringify_escapes() -> None:
    assert jcs.serialize_string("\u2028\u00e9/<\x7f\x1f\"") == '"\u2028\u00e9/<\x7f\\u001f\\""'


def test_lone_surrogates_are_refused() -> None:
    with pytest.raises(BadInputError):
        jcs.canonicalize(json.loads('{"a": "\\ud800"}'))
