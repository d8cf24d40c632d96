"""Where a JWT-shaped credential's issuer key comes from, offline.

1. A DID: the JWS header's `kid` names a verification method (`did:key`, `did:jwk`, or a
   `did:web` whose document the learner kept with `skillpass dids add`), whose controller must
   be the `iss` when `iss` is a DID. `assertionMethod` must list it.
2. JWT VC Issuer Metadata (draft-ietf-oauth-sd-jwt-vc §5): `{"issuer": "https://...", "jwks":
   {"keys": [...]}}` as the issuer serves it at `/.well-known/jwt-vc-issuer`, kept with
   `skillpass trust add --metadata FILE`; the key is the one whose `kid` the header names, or the
   only one.
An `x5c` chain would need a certificate trust store, which skillpass does not have. Anything else
is "could not be verified here" (exit 10), with the hint to keep the issuer's metadata.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from skillpass.errors import BadInputError, InvalidError, UnverifiableError

MAX_KEYS = 100


@dataclass(frozen=True)
class IssuerMetadata:
    issuer: str
    keys: tuple[dict[str, Any], ...]  # public JWKs

    def to_dict(self) -> dict[str, Any]:
        return {"issuer": self.issuer, "jwks": {"keys": list(self.keys)}}

    @cached_property
    def single_keys(self) -> dict[str | None, tuple[Any, Any]]:
        """kid -> (the public key, its kid) for each string kid exactly one key has, and None ->
        the only key when there is one: the answers issuer_key's search finds, built once per
        metadata (at most MAX_KEYS + 1). A key that does not build is left out, so that the
        search meets it and raises as before. cached_property writes the instance's __dict__,
        so the dataclass stays frozen and compares as before."""
        found: dict[str | None, tuple[Any, Any]] = {}
        if not all(isinstance(key, dict) for key in self.keys):
            return found  # (parse_metadata makes no such metadata)
        kids = [key.get("kid") for key in self.keys]
        for key, kid in zip(self.keys, kids):
            single, named = len(self.keys) == 1, type(kid) is str and kids.count(kid) == 1
            if single or named:
                try:
                    public_key = _public_key_of(key)
                except BadInputError:
                    continue
                if named:
                    found[kid] = (public_key, kid)
                if single:
                    found[None] = (public_key, kid)
        return found


@dataclass(frozen=True)
class Trusted:
    """What the verification may look keys up in: kept DID documents and issuer metadata."""

    did_cache: Mapping[str, dict[str, Any]]
    metadata: Mapping[str, IssuerMetadata]  # issuer URL -> its metadata


@dataclass(frozen=True)
class IssuerKey:
    public_key: Any
    source: str  # the verification method id, or "<issuer> metadata, kid ..."


def parse_metadata(document: Any) -> IssuerMetadata:
    """JWT VC Issuer Metadata: `issuer` (https) and inline `jwks` (a `jwks_uri` would need the
    network: keep the key set itself)."""
    from skillpass.keys.multikey import public_key_from_jwk

    if not isinstance(document, dict) or not isinstance(document.get("issuer"), str) \
            or not document["issuer"].startswith("https://"):
        raise BadInputError("not JWT VC Issuer Metadata: no https 'issuer'",
                            "give the document the issuer serves at /.well-known/jwt-vc-issuer",
                            code="E_METADATA")
    jwks = document.get("jwks")
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(keys, list) or not keys or len(keys) > MAX_KEYS:
        raise BadInputError("the issuer metadata carries no key set ('jwks')",
                            "download the key set jwks_uri names and put it in the file as \"jwks\""
                            if "jwks_uri" in document else "give the issuer's complete metadata", code="E_METADATA")
    for key in keys:  # built here to check; multikey caches it for issuer_key
        if isinstance(key, dict) and "d" in key:
            raise BadInputError("the issuer metadata publishes a private key ('d'): anyone could sign "
                                "as this issuer", "do not trust it; tell the issuer", code="E_METADATA")
        public_key_from_jwk({k: v for k, v in key.items() if k in ("kty", "crv", "x", "y")}
                            if isinstance(key, dict) else key)
    return IssuerMetadata(document["issuer"], tuple(keys))


def issuer_key(header: dict[str, Any], iss: Any, trusted: Trusted) -> IssuerKey:
    """The key that must have signed a JWT with `header` from issuer `iss`."""
    kid = header.get("kid")
    if "x5c" in header:
        raise UnverifiableError("the issuer's key comes with an X.509 certificate chain, which "
                                "skillpass cannot check offline",
                                "ask the issuer for its JWT VC Issuer Metadata and keep it with "
                                "'skillpass trust add --metadata FILE'", code="E_ISSUER_KEY_UNKNOWN")
    if isinstance(kid, str) and kid.startswith("did:"):
        from skillpass.dids import did_of, resolve_verification_method  # here: most keys are in metadata

        method = resolve_verification_method(kid if "#" in kid else _only_method(kid), trusted.did_cache)
        # Whatever `iss` is, the key must be its own: an https issuer's key comes from its
        # metadata, never from a DID anyone can make (did:jwk) named beside it.
        if iss is not None and did_of(method.id) != iss:
            raise InvalidError(f"the JWT's key {method.id} does not belong to its issuer {iss}",
                               "the credential was signed by someone other than its issuer",
                               code="E_CONTROLLER_MISMATCH")
        if "assertionMethod" not in method.relationships:
            raise InvalidError(f"{method.controller} does not authorise {method.id} to issue",
                               "the key is not listed for assertionMethod", code="E_VM_RELATIONSHIP")
        return IssuerKey(method.public_key, method.id)
    if isinstance(iss, str) and iss.startswith("did:") and kid is None:
        from skillpass.dids import resolve_verification_method

        method = resolve_verification_method(_only_method(iss), trusted.did_cache)
        return IssuerKey(method.public_key, method.id)
    metadata = trusted.metadata.get(iss) if isinstance(iss, str) else None
    if metadata is None:
        raise UnverifiableError(f"the issuer {iss if isinstance(iss, str) else '(none)'} is not known here",
                                "keep its JWT VC Issuer Metadata (served at /.well-known/jwt-vc-issuer) "
                                "with 'skillpass trust add --metadata FILE'", code="E_ISSUER_KEY_UNKNOWN")
    known = metadata.single_keys.get(kid) if kid is None or type(kid) is str else None
    if known is not None:  # what the search below finds
        public_key, named = known
    else:
        candidates = [k for k in metadata.keys if kid is None or k.get("kid") == kid]
        if len(candidates) != 1:
            raise UnverifiableError(f"the issuer metadata of {iss} has no single key for kid {kid!r}",
                                    "keep the issuer's current metadata with 'skillpass trust add --metadata FILE'",
                                    code="E_ISSUER_KEY_UNKNOWN")
        public_key, named = _public_key_of(candidates[0]), candidates[0].get("kid")
    return IssuerKey(public_key, f"{iss} metadata" + (f", kid {named}" if named else ""))


def _public_key_of(jwk: dict[str, Any]) -> Any:
    from skillpass.keys.multikey import public_key_from_jwk

    return public_key_from_jwk({k: v for k, v in jwk.items() if k in ("kty", "crv", "x", "y")})


def _only_method(did: str) -> str:
    """did:key and did:jwk name their one method; any other DID needs the header's kid."""
    if did.startswith("did:key:"):
        return f"{did}#{did[len('did:key:'):]}"
    if did.startswith("did:jwk:"):
        return f"{did}#0"
    raise UnverifiableError(f"the JWT does not say which key of {did} signed it (no 'kid')",
                            "ask the issuer for a token whose header names its key", code="E_ISSUER_KEY_UNKNOWN")
