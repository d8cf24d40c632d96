"""Named test issuer keys: an Ed25519 and a P-256 key under one name, each its own did:key, or
both under one did:web (MATTR compact credentials need one) whose DID document this module
writes, so a tester can keep it with `skillpass dids add`.

Kept in the wallet as records of kind `test-issuer` (sealed like every record), or in a key
file: a private JWK (its `kid` naming the verification method) or a secret multikey, 0600.
A test issuer's keys are never a holder's: they sign credentials, not presentations.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillpass.errors import BadInputError, UsageError
from skillpass.keys import multikey

KIND = "test-issuer"  # the wallet record kind
KEY_TYPES = ("Ed25519", "P-256")
DEFAULT_NAME = "test-issuer"
WEB_DOMAIN = "test-issuer.example"  # RFC 2606: a did:web under it can never be a real institution's
# the fragments of a did:web test issuer's verification methods
FRAGMENTS = {"Ed25519": "ed25519", "P-256": "p256"}
_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?")
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]{0,200}[a-z0-9])?(?:%3A[0-9]{1,5})?")
MAX_KEY_FILE = 16 * 1024


@dataclass(frozen=True)
class TestIssuerKey:
    """A named test issuer: its private keys by type, and its did:web host when it has one."""

    name: str
    keys: Mapping[str, Any] = field(repr=False)  # key type -> private key
    did_web: str | None = None
    created: str | None = None

    def __repr__(self) -> str:
        return f"TestIssuerKey(name={self.name!r}, did_web={self.did_web!r}, keys=<redacted>)"

    def private_key(self, key_type: str) -> Any:
        if key_type not in self.keys:
            raise UsageError(f"the test issuer {self.name} has no {key_type} key",
                             "choose a suite for the key it has, or another --issuer-key",
                             code="E_ISSUER_KEY_TYPE")
        return self.keys[key_type]

    def did(self, key_type: str) -> str:
        """The issuer's DID when it signs with a `key_type` key."""
        if self.did_web:
            return f"did:web:{self.did_web}"
        return "did:key:" + multikey.encode_public_key(self.private_key(key_type).public_key())

    def verification_method(self, key_type: str) -> str:
        did = self.did(key_type)
        if self.did_web:
            return f"{did}#{FRAGMENTS[key_type]}"
        return f"{did}#{did.removeprefix('did:key:')}"

    def did_document(self) -> dict[str, Any]:
        """The did:web document (DID Core §5; keys as Multikey) listing every key for
        assertionMethod, as `skillpass dids add` keeps it."""
        if not self.did_web:
            raise UsageError(f"the test issuer {self.name} is a did:key, which needs no DID document",
                             "make a did:web test issuer with --did-web HOST (or use mattr-compact)",
                             code="E_ISSUER_NOT_WEB")
        did = f"did:web:{self.did_web}"
        methods = [{"id": self.verification_method(kind), "type": "Multikey", "controller": did,
                    "publicKeyMultibase": multikey.encode_public_key(self.keys[kind].public_key())}
                   for kind in KEY_TYPES if kind in self.keys]
        ids = [m["id"] for m in methods]
        return {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
                "id": did, "verificationMethod": methods, "assertionMethod": ids, "authentication": ids}

    def describe(self) -> dict[str, Any]:
        """Nothing secret: the name and the DID for each key type."""
        return {"name": self.name, "didWeb": bool(self.did_web),
                "dids": {kind: self.did(kind) for kind in KEY_TYPES if kind in self.keys}}

    def to_record(self) -> dict[str, Any]:
        return {"name": self.name, "didWeb": self.did_web, "created": self.created,
                "keys": {kind: multikey.encode_secret_key(key) for kind, key in self.keys.items()}}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> TestIssuerKey:
        keys = {kind: multikey.decode_secret_key(text) for kind, text in record["keys"].items()}
        return cls(record["name"], keys, record.get("didWeb"), record.get("created"))


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise UsageError(f"{name!r} is not a test issuer name",
                         "use lowercase letters, digits and '-' (at most 40), e.g. --issuer-key college",
                         code="E_ISSUER_NAME")
    return name


def generate(name: str, *, did_web: str | None = None, key_types: tuple[str, ...] = KEY_TYPES,
             created: str | None = None) -> TestIssuerKey:
    """A new test issuer; `did_web` is its host (default: none, a did:key for each key)."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    if did_web is not None and not _HOST.fullmatch(did_web):
        raise UsageError(f"{did_web!r} is not a host for a did:web", "give a host name such as "
                         f"college.{WEB_DOMAIN}", code="E_ISSUER_NAME")
    keys: dict[str, Any] = {}
    for kind in key_types:
        keys[kind] = ed25519.Ed25519PrivateKey.generate() if kind == "Ed25519" else \
            ec.generate_private_key(ec.SECP256R1())
    return TestIssuerKey(check_name(name), keys, did_web, created)


def default_web_host(name: str) -> str:
    return f"{name}.{WEB_DOMAIN}"


# -- in the wallet ---------------------------------------------------------------------------------


def load(wallet: Any, name: str) -> TestIssuerKey | None:
    record = wallet.get_json(KIND, wallet.record_id(KIND, name))
    return None if record is None else TestIssuerKey.from_record(record)


def save(wallet: Any, key: TestIssuerKey) -> None:
    wallet.put_json(KIND, wallet.record_id(KIND, key.name), key.to_record(), replace=True)


def kept(wallet: Any) -> list[TestIssuerKey]:
    return sorted((TestIssuerKey.from_record(r) for _, r in wallet.items_json(KIND)), key=lambda k: k.name)


# -- in a key file ---------------------------------------------------------------------------------


def read_key_file(path: Path) -> TestIssuerKey:
    """A key file: a private JWK (Ed25519 or P-256; a `kid` of did:web:HOST#... makes it that
    did:web) or a secret multikey ('z...'). The issuer is named after the file."""
    from skillpass.files import read_limited

    text = read_limited(path, MAX_KEY_FILE, "a key file").decode("utf-8", "replace").strip()
    name = _file_name(path)
    if text.startswith("{"):
        try:
            jwk = json.loads(text)
        except ValueError:
            raise _bad_key_file(path, "it is not JSON") from None
        key, did_web = _from_private_jwk(jwk, path)
        return TestIssuerKey(name, {multikey.key_type(key): key}, did_web)
    try:
        key = multikey.decode_secret_key(text)
    except BadInputError:
        raise _bad_key_file(path, "it is neither a private JWK nor a secret multikey") from None
    return TestIssuerKey(name, {multikey.key_type(key): key})


def write_key_file(path: Path, key: TestIssuerKey, key_type: str) -> None:
    """The `key_type` key of `key` as a private JWK, written new at 0600."""
    from skillpass.files import write_new_file
    from skillpass.keys.multibase import b64url_encode

    private = key.private_key(key_type)
    jwk: dict[str, Any] = multikey.public_key_to_jwk(private.public_key())
    if key_type == "Ed25519":
        from cryptography.hazmat.primitives import serialization

        d = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                  serialization.NoEncryption())
    else:
        d = private.private_numbers().private_value.to_bytes(32, "big")
    jwk = {**jwk, "d": b64url_encode(d), "kid": key.verification_method(key_type)}
    write_new_file(path, (json.dumps(jwk, indent=2) + "\n").encode("utf-8"))


def _from_private_jwk(jwk: Any, path: Path) -> tuple[Any, str | None]:
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    from skillpass.keys.multibase import b64url_decode

    if not isinstance(jwk, dict) or not isinstance(jwk.get("d"), str):
        raise _bad_key_file(path, "the JWK has no private key ('d')")
    public = multikey.public_key_from_jwk({k: v for k, v in jwk.items() if k in ("kty", "crv", "x", "y")})
    d = b64url_decode(jwk["d"], max_bytes=66, what="the JWK's d")
    try:
        key: Any = (ed25519.Ed25519PrivateKey.from_private_bytes(d) if jwk.get("crv") == "Ed25519"
                    else ec.derive_private_key(int.from_bytes(d, "big"), ec.SECP256R1()))
    except ValueError:
        raise _bad_key_file(path, "the JWK's private key is malformed") from None
    if multikey.public_key_bytes(key.public_key()) != multikey.public_key_bytes(public):
        raise _bad_key_file(path, "the JWK's private key does not match its public key")
    if multikey.key_type(key) not in KEY_TYPES:
        raise _bad_key_file(path, "a test issuer key is Ed25519 or P-256")
    kid = jwk.get("kid")
    did_web = kid.removeprefix("did:web:").split("#")[0] if isinstance(kid, str) and \
        kid.startswith("did:web:") else None
    return key, did_web


def _file_name(path: Path) -> str:
    stem = re.sub(r"[^a-z0-9-]+", "-", path.name.split(".")[0].lower()).strip("-")[:40].strip("-")
    return stem or DEFAULT_NAME


def _bad_key_file(path: Path, reason: str) -> BadInputError:
    return BadInputError(f"{path} is not a test issuer key file: {reason}",
                         "give a file 'skillpass issue --issuer-key-file NEW-FILE' wrote, or a private JWK",
                         code="E_KEY_FILE")
