"""Offline verification-method resolution: did:key, did:jwk, cached DID documents (CID 3.3)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from skillpass import dids
from skillpass.dids import did_of, method_from_document, resolve_verification_method
from skillpass.errors import BadInputError, InvalidError, UnverifiableError
from skillpass.keys import multibase, multikey

# W3C vc-di-eddsa / vc-di-ecdsa test keys (public halves).
ED25519 = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
P256 = "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"
P384 = "z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ"
WEB = "did:web:university.example"


def did_key(encoded: str) -> str:
    return f"did:key:{encoded}#{encoded}"


def did_jwk(jwk: dict[str, Any]) -> str:
    return "did:jwk:" + multibase.b64url_encode(json.dumps(jwk).encode())


def web_document(**extra: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": WEB,
        "verificationMethod": [
            {"id": f"{WEB}#key-1", "type": "Multikey", "controller": WEB,
             "publicKeyMultibase": ED25519},
        ],
        "assertionMethod": [f"{WEB}#key-1"],
    }
    document.update(extra)
    return document


# -- did:key ------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoded, key_type", [(ED25519, "Ed25519"), (P256, "P-256"),
                                               (P384, "P-384")])
def test_did_key_resolves_offline_to_its_multikey(encoded: str, key_type: str) -> None:
    method = resolve_verification_method(did_key(encoded))
    assert method.id == did_key(encoded)
    assert method.controller == f"did:key:{encoded}"
    assert method.key_type == key_type
    assert multikey.encode_public_key(method.public_key) == encoded
    assert {"assertionMethod", "authentication", "capabilityInvocation",
            "capabilityDelegation"} <= method.relationships


def test_did_key_method_id_must_repeat_the_key_as_fragment() -> None:
    with pytest.raises(InvalidError) as err:
        resolve_verification_method(f"did:key:{ED25519}#key-1")
    assert err.value.code == "E_VM_NOT_FOUND"


@pytest.mark.parametrize("vm_id", ["#key-1", "key-1", "#"])
def test_a_method_id_that_names_nobody_is_not_found_rather_than_an_unknown_did(vm_id: str) -> None:
    with pytest.raises(InvalidError) as caught:
        resolve_verification_method(vm_id, {"": {"id": ""}})
    assert caught.value.code == "E_VM_NOT_FOUND"
    assert caught.value.message == (f"verification method {vm_id} not found: a proof names its key by a "
                                    "DID URL (did:...#key-1) or a URL")


def test_a_huge_method_id_makes_a_bounded_message_with_its_start_and_end() -> None:
    from skillpass.errors import MAX_MESSAGE

    controller = "did:web:" + "a" * 100_000
    with pytest.raises(UnverifiableError) as caught:
        resolve_verification_method(controller + "#k", {})
    message = caught.value.message
    assert len(message) == MAX_MESSAGE and message.startswith("unknown DID did:web:aaa") and message.endswith("aaa")
    assert "…" in message and caught.value.hint and len(caught.value.hint) < MAX_MESSAGE


def test_did_key_with_an_unsupported_key_type_is_refused() -> None:
    x25519 = multibase.encode(b"\xec\x01" + bytes(32), "z")
    with pytest.raises(BadInputError) as err:
        resolve_verification_method(did_key(x25519))
    assert err.value.code == "E_DID_MALFORMED"


def _resolved(vm_id: Any) -> Any:
    try:
        method = resolve_verification_method(vm_id)
    except (BadInputError, InvalidError) as error:
        return ("error", error.code, error.message)
    return (method, multikey.encode_public_key(method.public_key))


def _resolved_anew(vm_id: str) -> Any:
    try:
        method = dids._resolve_did_key(vm_id, did_of(vm_id))
    except (BadInputError, InvalidError) as error:
        return ("error", error.code, error.message)
    return (method, multikey.encode_public_key(method.public_key))


class _Text(str):
    pass


@pytest.mark.parametrize("vm_id", [
    did_key(ED25519), did_key(P256), did_key(P384), f"did:key:{ED25519}#key-1", f"did:key:{ED25519}",
    did_key(multibase.encode(b"\xec\x01" + bytes(32), "z")), did_key("z6Mk"), did_key(ED25519 + "1"),
    did_key("z" + "9" * 300), "did:key:#", _Text(did_key(ED25519))])
def test_a_kept_did_key_method_is_the_method_resolved_anew(vm_id: str) -> None:
    """The same method and key, or the same error, asked once or again."""
    assert _resolved(vm_id) == _resolved_anew(vm_id)
    assert _resolved(vm_id) == _resolved_anew(vm_id)


def test_did_of_strips_the_fragment() -> None:
    assert did_of(did_key(ED25519)) == f"did:key:{ED25519}"
    assert did_of("https://example.edu/issuers/565049#key") == "https://example.edu/issuers/565049"
    assert did_of(WEB) == WEB


# -- did:jwk ------------------------------------------------------------------------------------


def test_did_jwk_resolves_its_embedded_key() -> None:
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    did = did_jwk(multikey.public_key_to_jwk(key))
    method = resolve_verification_method(did + "#0")
    assert method.controller == did
    assert method.key_type == "P-256"
    assert multikey.public_key_bytes(method.public_key) == multikey.public_key_bytes(key)
    assert "assertionMethod" in method.relationships


def test_did_jwk_encryption_key_is_not_for_signing() -> None:
    key = ed25519.Ed25519PrivateKey.generate().public_key()
    did = did_jwk({**multikey.public_key_to_jwk(key), "use": "enc"})
    assert resolve_verification_method(did + "#0").relationships == frozenset({"keyAgreement"})


def test_did_jwk_only_has_fragment_zero() -> None:
    key = ed25519.Ed25519PrivateKey.generate().public_key()
    with pytest.raises(InvalidError):
        resolve_verification_method(did_jwk(multikey.public_key_to_jwk(key)) + "#1")


def test_did_jwk_carrying_a_private_key_is_refused() -> None:
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": multibase.b64url_encode(bytes(32)),
           "d": multibase.b64url_encode(bytes(32))}
    with pytest.raises(BadInputError):
        resolve_verification_method(did_jwk(jwk) + "#0")


def test_did_jwk_that_is_not_base64url_json_is_refused() -> None:
    with pytest.raises(BadInputError):
        resolve_verification_method("did:jwk:not*base64#0")


# -- DID documents from the cache ---------------------------------------------------------------


def test_did_web_is_never_fetched_and_names_the_fix() -> None:
    with pytest.raises(UnverifiableError) as err:
        resolve_verification_method(f"{WEB}#key-1")
    assert err.value.code == "E_DID_UNKNOWN"
    assert WEB in err.value.message
    assert "skillpass dids add FILE" in str(err.value.hint)
    assert "skillpass verify --did FILE" in str(err.value.hint)


def test_did_web_resolves_from_the_cache_with_its_relationships() -> None:
    method = resolve_verification_method(f"{WEB}#key-1", {WEB: web_document()})
    assert method.controller == WEB
    assert method.type == "Multikey"
    assert method.relationships == frozenset({"assertionMethod"})
    assert multikey.encode_public_key(method.public_key) == ED25519


def test_relative_ids_and_embedded_methods_are_understood() -> None:
    document = web_document(
        verificationMethod=[{"id": "#key-1", "type": "Multikey", "controller": WEB,
                             "publicKeyMultibase": ED25519}],
        assertionMethod=["#key-1"],
        authentication=[{"id": f"{WEB}#auth", "type": "Multikey", "controller": WEB,
                         "publicKeyMultibase": P256}])
    assert resolve_verification_method(f"{WEB}#key-1", {WEB: document}).relationships == {
        "assertionMethod"}
    auth = resolve_verification_method(f"{WEB}#auth", {WEB: document})
    assert auth.key_type == "P-256"
    assert auth.relationships == frozenset({"authentication"})


def test_a_method_listed_under_no_relationship_has_none() -> None:
    method = method_from_document(f"{WEB}#key-1", web_document(assertionMethod=[]))
    assert method.relationships == frozenset()


@pytest.mark.parametrize("entry, key_type", [
    ({"type": "JsonWebKey2020", "publicKeyJwk": {
        "kty": "EC", "crv": "P-256", "x": "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4",
        "y": "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM"}}, "P-256"),
    ({"type": "JsonWebKey", "publicKeyJwk": {
        "kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}},
     "Ed25519"),
    ({"type": "Ed25519VerificationKey2020", "publicKeyMultibase": ED25519}, "Ed25519"),
    ({"type": "Ed25519VerificationKey2018",
      "publicKeyBase58": multibase.b58encode(
          multibase.decode(ED25519, max_bytes=multikey.MAX_PUBLIC_KEY_BYTES)[2:])}, "Ed25519"),
])
def test_each_public_key_encoding_is_read(entry: dict[str, Any], key_type: str) -> None:
    document = web_document(verificationMethod=[{"id": f"{WEB}#key-1", "controller": WEB,
                                                 **entry}])
    method = resolve_verification_method(f"{WEB}#key-1", {WEB: document})
    assert method.key_type == key_type
    assert method.type == entry["type"]


def test_publickeybase58_decodes_to_the_same_key_as_the_multikey() -> None:
    raw = multibase.decode(ED25519, max_bytes=multikey.MAX_PUBLIC_KEY_BYTES)[2:]
    document = web_document(verificationMethod=[{
        "id": f"{WEB}#key-1", "type": "Ed25519VerificationKey2018", "controller": WEB,
        "publicKeyBase58": multibase.b58encode(raw)}])
    method = method_from_document(f"{WEB}#key-1", document)
    assert multikey.encode_public_key(method.public_key) == ED25519


def test_a_method_missing_from_the_document_is_not_found() -> None:
    with pytest.raises(InvalidError) as err:
        resolve_verification_method(f"{WEB}#key-9", {WEB: web_document()})
    assert err.value.code == "E_VM_NOT_FOUND"


def test_the_document_id_must_be_the_did() -> None:
    with pytest.raises(BadInputError) as err:
        resolve_verification_method(f"{WEB}#key-1", {WEB: web_document(id="did:web:other")})
    assert err.value.code == "E_DID_DOCUMENT"


def test_the_method_controller_must_be_the_document() -> None:
    document = web_document(verificationMethod=[{
        "id": f"{WEB}#key-1", "type": "Multikey", "controller": "did:web:attacker.example",
        "publicKeyMultibase": ED25519}])
    with pytest.raises(InvalidError) as err:
        resolve_verification_method(f"{WEB}#key-1", {WEB: document})
    assert err.value.code == "E_VM_INVALID"


def test_a_revoked_method_is_refused() -> None:
    document = web_document(verificationMethod=[{
        "id": f"{WEB}#key-1", "type": "Multikey", "controller": WEB,
        "publicKeyMultibase": ED25519, "revoked": "2024-01-01T00:00:00Z"}])
    with pytest.raises(InvalidError) as err:
        resolve_verification_method(f"{WEB}#key-1", {WEB: document})
    assert err.value.code == "E_VM_REVOKED"


def test_a_method_with_two_keys_is_ambiguous() -> None:
    document = web_document(verificationMethod=[{
        "id": f"{WEB}#key-1", "type": "Multikey", "controller": WEB,
        "publicKeyMultibase": ED25519,
        "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "AA"}}])
    with pytest.raises(BadInputError) as err:
        resolve_verification_method(f"{WEB}#key-1", {WEB: document})
    assert err.value.code == "E_DID_MALFORMED"


def test_an_issuer_profile_url_resolves_from_the_cache_like_a_did() -> None:
    # Open Badges issuers use their profile URL as controller (1EdTech OB 3.0 8.3).
    issuer = "https://example.edu/issuers/565049"
    document = {"id": issuer, "verificationMethod": [
        {"id": f"{issuer}#{ED25519}", "type": "Multikey", "controller": issuer,
         "publicKeyMultibase": ED25519}], "assertionMethod": [f"{issuer}#{ED25519}"]}
    method = resolve_verification_method(f"{issuer}#{ED25519}", {issuer: document})
    assert method.controller == issuer


@pytest.mark.parametrize("char", ["\x1b", "\u202e", "\u200b"])
def test_a_document_whose_id_has_a_control_or_invisible_character_is_refused(char: str) -> None:
    with pytest.raises(BadInputError) as raised:
        dids.did_document_of({"id": f"did:web:boreal.example{char}", "verificationMethod": []})
    assert raised.value.code == "E_DID_DOCUMENT" and f"(U+{ord(char):04X})" in raised.value.message
