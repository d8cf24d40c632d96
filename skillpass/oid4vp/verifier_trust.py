"""Who signed a request object (OpenID4VP 1.0 §5.9.3): the `x5c` chain of its header checked
against the anchors the learner trusts, and the client id checked against the leaf.

Anchors: `--verifier-anchor FILE` when given (a verifier's own CA, for tests and closed
pilots), else the bundle `SSL_CERT_FILE` names, else the system store. Path validation is
`cryptography`'s (x509.verification, RFC 5280 with web PKI CA rules); the end-entity
certificate's extensions are not held to TLS server rules, since a request-signing certificate
is no TLS certificate.
"""

from __future__ import annotations

import base64
import hashlib
import os
import ssl
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from skillpass.errors import InvalidError, UnverifiableError

MAX_CHAIN = 5


@dataclass(frozen=True)
class CertifiedVerifier:
    subject: str  # the leaf's subject, for people
    dns_names: tuple[str, ...]
    leaf_hash: str  # base64url SHA-256 of the leaf's DER (the x509_hash client id)
    public_key: Any


def _refused(message: str, code: str = "E_VERIFIER_CERT") -> InvalidError:
    return InvalidError(message, "do not answer this request; tell whoever sent it", code=code)


def leaf_of(x5c: Any) -> tuple[Any, list[Any]]:
    """(leaf, intermediates) of an x5c header (base64 DER, leaf first, RFC 7515 §4.1.6)."""
    from cryptography import x509

    if not isinstance(x5c, list) or not 1 <= len(x5c) <= MAX_CHAIN or not all(isinstance(c, str) for c in x5c):
        raise _refused("the request object's x5c header is not a certificate chain")
    try:
        certs = [x509.load_der_x509_certificate(base64.b64decode(c, validate=True)) for c in x5c]
    except ValueError:
        raise _refused("the request object's x5c header holds something that is not a certificate") from None
    return certs[0], certs[1:]


def certified(x5c: Any, anchors: list[Any], now: datetime) -> CertifiedVerifier:
    """The leaf of `x5c` once its chain reaches one of `anchors` at `now`; InvalidError if not."""
    from cryptography import x509
    from cryptography.x509.verification import (
        Criticality,
        ExtensionPolicy,
        PolicyBuilder,
        Store,
        VerificationError,
    )

    leaf, intermediates = leaf_of(x5c)
    if not anchors:
        raise UnverifiableError("no trust anchors to check the verifier's certificate against",
                                "give the verifier's CA with --verifier-anchor FILE", code="E_VERIFIER_ANCHOR")
    ee_policy = ExtensionPolicy.permit_all().may_be_present(
        x509.SubjectAlternativeName, Criticality.AGNOSTIC, None)
    builder = (PolicyBuilder().store(Store(anchors)).time(now.replace(tzinfo=None) if now.tzinfo else now)
               .max_chain_depth(MAX_CHAIN)
               .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=ee_policy))
    try:
        builder.build_client_verifier().verify(leaf, intermediates)
    except VerificationError as exc:
        raise _refused(f"the verifier's certificate does not chain to a trusted anchor ({str(exc)[:160]})",
                       "E_VERIFIER_UNTRUSTED") from None
    try:
        san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns = tuple(san.get_values_for_type(x509.DNSName))
    except x509.ExtensionNotFound:
        dns = ()
    from cryptography.hazmat.primitives.serialization import Encoding

    digest = hashlib.sha256(leaf.public_bytes(Encoding.DER)).digest()
    return CertifiedVerifier(leaf.subject.rfc4514_string()[:200], dns,
                             base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii"), leaf.public_key())


def load_anchors(anchor_file: Path | None) -> list[Any]:
    """The certificates trusted to vouch for verifiers (see the module docstring)."""
    from cryptography import x509

    if anchor_file is not None:
        sources = [anchor_file]
    elif os.environ.get("SSL_CERT_FILE"):
        sources = [Path(os.environ["SSL_CERT_FILE"])]
    else:
        paths = ssl.get_default_verify_paths()
        sources = [Path(p) for p in (paths.cafile, paths.openssl_cafile) if p and Path(p).is_file()][:1]
        if not sources:
            try:
                import certifi

                sources = [Path(certifi.where())]
            except ImportError:
                sources = []
    anchors: list[Any] = []
    for source in sources:
        try:
            data = source.read_bytes()
        except OSError:
            raise UnverifiableError(f"cannot read the trust anchors in {source}", "check the file",
                                    code="E_VERIFIER_ANCHOR") from None
        try:
            anchors += x509.load_pem_x509_certificates(data)
        except ValueError:
            raise UnverifiableError(f"{source} holds no PEM certificates", "give a PEM file of CA certificates",
                                    code="E_VERIFIER_ANCHOR") from None
    return anchors
