"""The learner's holder identity: an Ed25519 and a P-256 key, each a did:key (multikey, base58btc)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from skillpass.keys import multikey

HOLDER_KEY_TYPES = ("Ed25519", "P-256")


@dataclass(frozen=True)
class HolderKey:
    did: str
    key_type: str
    secret_multibase: str
    created: str

    def __repr__(self) -> str:
        return f"HolderKey(did={self.did!r}, key_type={self.key_type!r}, secret=<redacted>)"

    @property
    def verification_method(self) -> str:
        return f"{self.did}#{self.did.removeprefix('did:key:')}"

    def private_key(self) -> multikey.PrivateKey:
        return multikey.decode_secret_key(self.secret_multibase)

    def public_key_multibase(self) -> str:
        return self.did.removeprefix("did:key:")

    def describe(self) -> dict[str, Any]:
        """What `skillpass did --json` prints: nothing secret."""
        public = multikey.decode_public_key(self.public_key_multibase())
        return {
            "did": self.did,
            "verificationMethod": self.verification_method,
            "type": "Multikey",
            "keyType": self.key_type,
            "controller": self.did,
            "publicKeyMultibase": self.public_key_multibase(),
            "publicKeyJwk": multikey.public_key_to_jwk(public),
            "created": self.created,
        }

    def to_json(self) -> bytes:
        return json.dumps({"did": self.did, "keyType": self.key_type,
                           "secretKeyMultibase": self.secret_multibase,
                           "created": self.created}).encode()

    @classmethod
    def from_json(cls, data: bytes) -> HolderKey:
        obj = json.loads(data)
        return cls(obj["did"], obj["keyType"], obj["secretKeyMultibase"], obj["created"])


def generate_holder_key(key_type: str, created: str) -> HolderKey:
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    private: multikey.PrivateKey
    if key_type == "Ed25519":
        private = ed25519.Ed25519PrivateKey.generate()
    elif key_type == "P-256":
        private = ec.generate_private_key(ec.SECP256R1())
    else:
        raise ValueError(key_type)
    did = "did:key:" + multikey.encode_public_key(private.public_key())
    return HolderKey(did, key_type, multikey.encode_secret_key(private), created)
