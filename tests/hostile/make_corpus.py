"""Write the hostile-input corpus: tests/hostile/cases/ and tests/hostile/cases.json.

Run from the repository root: `python tests/hostile/make_corpus.py`. Keys come from fixed seeds
and ECDSA signs deterministically (RFC 6979), so the files come out byte for byte the same.
Each manifest entry names a case file (or a thing the runner makes at test time: a FIFO, a
symbolic-link loop, a path through a file, an oversized file), how it is fed to skillpass
(`import`, `verify`, `restore`, `dids add`, `contexts add`) and what must come back: the exit
status, and the error code or a piece of the message.
"""

from __future__ import annotations

import base64
import copy
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent.parent), str(HERE.parent)]

from cryptography.hazmat.primitives.asymmetric import ec, ed25519  # noqa: E402

from issuing import Issuer, ob3, sign  # noqa: E402
from jwt_corpus import jwt_cases  # noqa: E402
from skillpass.keys import multibase, multikey  # noqa: E402

CASES = HERE / "cases"
CREATED = "2026-01-15T00:00:00Z"
ED_KEY = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
P256_KEY = ec.derive_private_key(0x1D2C3B4A5968778695A4B3C2D1E0F1E2D3C4B5A69788796A5B4C3D2E1F0E1D2C,
                                 ec.SECP256R1())
OTHER_KEY = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64)))
HOLDER_KEY = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(64, 96)))
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def issuer(key: Any) -> Issuer:
    return Issuer("did:key:" + multikey.encode_public_key(key.public_key()), key)


ED, P256, OTHER, HOLDER = issuer(ED_KEY), issuer(P256_KEY), issuer(OTHER_KEY), issuer(HOLDER_KEY)


def badge(**extra: Any) -> dict[str, Any]:
    return ob3("Welding Safety", issuer=ED, subject=HOLDER.did, **extra)


def signed(credential: dict[str, Any] | None = None, by: Issuer = ED, suite: str = "eddsa-rdfc-2022",
           created: str = CREATED) -> dict[str, Any]:
    return sign(credential or badge(), by, suite, created=created)


def js(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")


def with_proof(credential: dict[str, Any], **changes: Any) -> dict[str, Any]:
    altered = copy.deepcopy(credential)
    for key, value in changes.items():
        if value is None:
            altered["proof"].pop(key, None)
        else:
            altered["proof"][key] = value
    return altered


def ecdsa_with(r: int | None = None, s_of: Any = None) -> dict[str, Any]:
    """An ecdsa-rdfc-2019 credential whose r||s is replaced (r = 0, s = 0, or s -> n - s)."""
    good = signed(ob3("Forklift", issuer=P256, subject=HOLDER.did), P256, "ecdsa-rdfc-2019")
    raw = multibase.decode(good["proof"]["proofValue"], max_bytes=64)
    r_value, s_value = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    r_value = r_value if r is None else r
    s_value = s_value if s_of is None else s_of(s_value)
    return with_proof(good, proofValue=multibase.encode(r_value.to_bytes(32, "big") + s_value.to_bytes(32, "big"), "z"))


def presentation(credentials: list[Any], *, signer: Issuer | None = HOLDER, holder: str | None = None,
                 challenge: str = "corpus") -> dict[str, Any]:
    """A VP of `credentials` signed by `signer` (None: unsigned); with `holder`, it then claims
    another holder than the one who signed."""
    from skillpass.formats.ldp_vc.presentation import VC_V2, sign_presentation
    from skillpass.wallet.keys import HolderKey

    vp: dict[str, Any] = {"@context": [VC_V2], "type": ["VerifiablePresentation"],
                          "verifiableCredential": credentials,
                          "holder": signer.did if signer else HOLDER.did}
    if signer is None:
        return vp
    key = HolderKey(signer.did, "Ed25519", multikey.encode_secret_key(signer.private_key), CREATED)
    signed_vp = sign_presentation(vp, key=key, challenge=challenge, domain=None, created=CREATED)
    return {**signed_vp, "holder": holder} if holder else signed_vp


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def cases() -> list[tuple[str, bytes | None, dict[str, Any]]]:
    """(file name, bytes or None for a thing made at test time, expectation)."""
    good = signed()
    sd = sign(ob3("Data Analysis", issuer=P256, subject=HOLDER.did), P256, "ecdsa-sd-2023")
    expired = signed(badge(validUntil="2026-02-01T00:00:00Z"))
    future = signed(badge(validFrom="2099-01-01T00:00:00Z"))
    many = badge()
    many["credentialSubject"]["achievement"]["tag"] = [f"t{i}" for i in range(20_001)]
    out: list[tuple[str, bytes | None, dict[str, Any]]] = []

    def case(name: str, data: bytes | None, exit: int, code: str | None = None, **more: Any) -> None:
        out.append((name, data, {"exit": exit, "code": code, **more}))

    # -- not JSON, or not a credential (exit 8) ------------------------------------------------
    case("empty.json", b"", 8, "E_EMPTY")
    case("whitespace.json", b" \n\t\r\n", 8, "E_EMPTY")
    case("words.json", b"hello, wallet", 8, "E_JSON")
    case("truncated.json", js(good)[:-40], 8, "E_JSON")
    case("trailing-garbage.json", js(good) + b" x", 8, "E_JSON")
    case("duplicate-key.json", b'{"@context": [], "@context": []}', 8, "E_DUP_KEY")
    case("nan.json", b'{"value": NaN}', 8, "E_JSON")
    case("infinity.json", b'{"value": -Infinity}', 8, "E_JSON")
    case("huge-float.json", b'{"value": 1e999}', 8, "E_JSON")
    case("huge-integer.json", b'{"value": ' + b"9" * 5000 + b"}", 8, "E_JSON")
    case("latin1.json", '{"name": "Coll\u00e8ge"}'.encode("latin-1"), 8, "E_ENCODING")
    case("utf16.json", '{"name": "x"}'.encode("utf-16"), 8, "E_ENCODING")
    case("nul.json", b'{"name": "a\x00b"}', 8, "E_ENCODING")
    case("lone-surrogate.json", js(good).replace(b'"Welding Safety"', b'"Welding \\ud800"', 1), 8, "E_ENCODING")
    case("nested-65.json", nested(65), 8, "E_TOO_DEEP")
    case("nested-100000.json", nested(100_000), 8, "E_TOO_DEEP")
    case("too-many-values.json", js(many), 8, "E_TOO_MANY_VALUES")
    case("random-binary.bin", bytes((i * 151 + 7) % 256 for i in range(4096)), 8, "E_ENCODING")
    # JSON that is no credential: malformed input to import (8); to a verifier, invalid (9)
    not_a_vp = {"verify exit": 9, "verify code": "E_NOT_PRESENTATION"}
    case("array-of-numbers.json", b"[1, 2, 3]", 8, "E_NOT_CREDENTIAL", **not_a_vp)
    case("string.json", b'"a credential"', 8, "E_NOT_CREDENTIAL", **not_a_vp)
    case("no-context.json", js({k: v for k, v in good.items() if k != "@context"}), 8, "E_NOT_CREDENTIAL",
         **{"verify exit": 9, "verify code": "E_CONTEXT_FIRST"})
    case("no-vc-type.json", js({**good, "type": ["OpenBadgeCredential"]}), 8, "E_NOT_CREDENTIAL", **not_a_vp)
    case("oversized.json", None, 8, "E_TOO_LARGE", make="oversized")
    # -- other formats: JWT-shaped ones read, the rest named (exit 10) ------------------------
    jwt = (base64.urlsafe_b64encode(b'{"alg":"ES256","typ":"vc+jwt"}').rstrip(b"=") + b"."
           + base64.urlsafe_b64encode(b'{"iss":"did:example:1"}').rstrip(b"=") + b".c2ln")
    # a JWT that carries no credential; an SD-JWT whose typ is not an SD-JWT VC's
    case("vc.jwt", jwt, 8, "E_NOT_CREDENTIAL", **{"verify exit": 9, "verify code": "E_VC_JWT_SHAPE"})
    case("vc.sd-jwt", jwt + b"~WyJzYWx0IiwibmFtZSIsIkFuYSJd~", 9, "E_SD_JWT_TYPE")
    case("two-part-jwt.txt", b"eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0", 8, "E_JSON")
    case("mattr.txt", b"CSC:/1/2KCE3IQEJB5DCMSLHQ2I7FYA2Q5XCRHM3H2TXOQHUWHH2DNGNJQA", 8, "E_COSE")
    # a COSE_Sign1 whose payload nests CBOR arrays 30,000 deep
    deep = bytes.fromhex("d28443a10126a0") + b"\x5a" + (30_000 + 1).to_bytes(4, "big") + b"\x81" * 30_000 + b"\x00" \
        + b"\x58\x40" + bytes(64)
    case("mattr-deep.txt", b"CSC:/1/" + base64.b32encode(deep).rstrip(b"="), 8, "E_COSE")
    case("cborld.cbor", bytes.fromhex("d90501a20011018662"), 10, "E_FORMAT_UNSUPPORTED")
    case("cose.cbor", bytes.fromhex("d28443a10126a10442"), 10, "E_FORMAT_UNSUPPORTED")
    case("badge.png", b"\x89PNG\r\n\x1a\n" + bytes(32), 8, "E_PNG")
    case("badge.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', 8, "E_NO_BAKED_BADGE")
    laughs = b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    case("badge-entities.svg", laughs + b'<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>', 8, "E_SVG")
    case("record-entities.xml", b'<?xml version="1.0"?>' + laughs
         + b'<r xmlns="https://core.digitary.net/schema/mycreds/vsp/2022/11/01">&b;</r>', 8, "E_XML_DTD")
    case("qr.txt", b"VP1-B3ECQ2LFNZ2GKZDUMVZXI", 8, "E_CBORLD_TAG_UNKNOWN")
    case("qr-lower-case.txt", b"VP1-B3ecq2lfnz2gkzdumvzxi", 8, "E_VPQR_ENCODING")
    case("qr-2-64-items.txt", b"VP1-B" + base64.b32encode(bytes.fromhex("d905019bffffffffffffffff")).rstrip(b"="),
         8, "E_CBORLD_BAD_CBOR")
    case("qr-part-1-of-2.txt", b"SKP1:ABCDEFGH:1/2:VP1-B3ECQ", 8, "E_QR_PARTS_MISSING")
    case("qr-parts-mixed.txt", b"SKP1:ABCDEFGH:1/2:VP1-B3ECQ\nSKP1:HGFEDCBA:2/2:2LFNZ", 8, "E_QR_PARTS_MIXED")
    case("passport-page-unsigned.html", b"<!DOCTYPE html><html lang=en><body><h1>Skills passport</h1></body></html>",
         8, "E_NO_PRESENTATION_IN_PAGE", commands=["verify"])
    case("passport-page-import.html", b"<!DOCTYPE html><html lang=en><body><h1>Skills passport</h1></body></html>",
         10, "E_FORMAT_UNSUPPORTED", commands=["import"])
    case("base64-text.txt", base64.b64encode(js(good)), 8, "E_JSON")
    # -- contexts ------------------------------------------------------------------------------
    case("unknown-context.json", js({**good, "@context": [*good["@context"], "https://evil.example/ctx"]}),
         10, "E_CONTEXT_UNKNOWN")
    case("inline-context.json", js({**good, "@context": [*good["@context"], {"x": "https://x.example/x"}]}),
         9, "E_CONTEXT_INLINE")
    invalid = {"verify exit": 9}
    case("first-context-not-vc.json", js({**good, "@context": list(reversed(good["@context"]))}), 8,
         "E_CONTEXT_FIRST", **invalid)
    case("context-a-number.json", js({**good, "@context": 7}), 8, "E_JSONLD", **invalid)
    undefined = copy.deepcopy(good)
    undefined["credentialSubject"]["undefinedTerm"] = "x"
    case("undefined-term.json", js(undefined), 8, "E_JSONLD_UNDEFINED_TERM", **invalid)
    # -- proofs --------------------------------------------------------------------------------
    case("no-proof.json", js({k: v for k, v in good.items() if k != "proof"}), 9, "E_NO_PROOF")
    case("proof-a-string.json", js({**good, "proof": "signed, honestly"}), 9, "E_PROOF_MALFORMED")
    case("unknown-suite.json", js(with_proof(good, type="RsaSignature2018", cryptosuite=None)), 10, "E_SUITE_UNSUPPORTED")
    case("bbs-2022.json", js(with_proof(good, type="BbsSignature2022", cryptosuite=None)), 10, "E_SUITE_UNSUPPORTED")
    case("no-cryptosuite.json", js(with_proof(good, cryptosuite=None)), 9, "E_PROOF_MALFORMED")
    case("wrong-purpose.json", js(with_proof(good, proofPurpose="authentication")), 9, "E_PROOF_PURPOSE")
    case("another-dids-key.json", js(with_proof(good, verificationMethod=OTHER.verification_method)), 9,
         "E_CONTROLLER_MISMATCH")
    theirs = copy.deepcopy(badge())
    theirs["issuer"]["id"] = OTHER.did
    forged = signed(theirs, OTHER)
    forged["issuer"]["id"] = ED.did
    forged["proof"]["verificationMethod"] = ED.verification_method
    case("another-keys-signature.json", js(forged), 9, "E_SIG_INVALID")
    web = copy.deepcopy(good)
    web["issuer"]["id"] = "did:web:college.example"
    case("uncached-did-web.json", js(with_proof(web, verificationMethod="did:web:college.example#key-1")), 10,
         "E_DID_UNKNOWN")
    case("method-not-a-string.json", js(with_proof(good, verificationMethod=["x"])), 9, "E_PROOF_MALFORMED")
    case("malformed-did-key.json", js(with_proof(good, verificationMethod="did:key:z6Mk#z6Mk")), 8,
         "E_DID_MALFORMED", **invalid)
    case("created-in-the-future.json", js(signed(created="2099-01-01T00:00:00Z")), 9, "E_PROOF_FUTURE")
    case("created-not-a-date.json", js(with_proof(good, created="yesterday")), 9, "E_PROOF_MALFORMED")
    value = good["proof"]["proofValue"]
    case("truncated-proof-value.json", js(with_proof(good, proofValue=value[:40])), 9, "E_PROOF_MALFORMED")
    case("proof-value-not-base58.json", js(with_proof(good, proofValue="z" + "0OIl" * 20)), 9, "E_PROOF_MALFORMED")
    case("proof-value-600k.json", js(with_proof(good, proofValue="z" + "2" * 600_000)), 9, "E_PROOF_MALFORMED")
    case("proof-value-not-multibase.json", js(with_proof(good, proofValue="m" + value[1:])), 9, "E_PROOF_MALFORMED")
    case("ecdsa-r-zero.json", js(ecdsa_with(r=0)), 9, "E_SIG_INVALID")
    case("ecdsa-s-zero.json", js(ecdsa_with(s_of=lambda s: 0)), 9, "E_SIG_INVALID")
    case("ecdsa-s-order.json", js(ecdsa_with(s_of=lambda s: P256_ORDER)), 9, "E_SIG_INVALID")
    # high-S is the same signature mirrored (n - s); WebCrypto signers write it half of the time
    # and digitalbazaar accepts it, so it must verify here too: the corpus's positive control.
    case("ecdsa-high-s-still-valid.json", js(ecdsa_with(s_of=lambda s: P256_ORDER - s)), 0, None,
         commands=["verify"])
    case("sd-proof-garbage.json", js(with_proof(sd, proofValue="u2V0AhVhA" + "A" * 30)), 9, "E_PROOF_MALFORMED")
    case("sd-proof-wrong-header.json", js(with_proof(sd, proofValue="u" + multibase.b64url_encode(b"\xd9\x5d\x07" + b"\x80"))),
         9, "E_PROOF_MALFORMED")
    changed = copy.deepcopy(good)
    changed["credentialSubject"]["achievement"]["name"] = "Master Welder"
    case("changed-claim.json", js(changed), 9, "E_SIG_INVALID")
    case("expired.json", js(expired), 9, "E_EXPIRED")
    case("not-yet-valid.json", js(future), 9, "E_NOT_YET_VALID")
    case("malformed-date.json", js(signed(badge(validFrom="the fifteenth"))), 9, "E_DATE")
    case("issuer-a-number.json", js({**good, "issuer": 42}), 9, "E_NO_ISSUER")
    ring = copy.deepcopy(good)
    nxt = "https://example.com/next"
    ring["@context"] = [*ring["@context"]]
    ring["credentialSubject"][nxt] = {"id": "_:r0", nxt: {"id": "_:r1", nxt: {"id": "_:r2", nxt: {"id": "_:r0"}}}}
    case("look-alike-blank-nodes.json", js(ring), 10, "E_CANON_LIMIT", commands=["verify"])
    # -- presentations (verify) ----------------------------------------------------------------
    verify = {"commands": ["verify"], "args": ["--challenge", "corpus"]}
    case("vp-unsigned.json", js(presentation([good], signer=None)), 9, "E_UNSIGNED", **verify)
    case("vp-another-challenge.json", js(presentation([good], challenge="other")), 9, "E_CHALLENGE", **verify)
    case("vp-base-proof-inside.json", js(presentation([sd])), 9, "E_BASE_PROOF", **verify)
    case("vp-signed-by-someone-else.json", js(presentation([good], signer=OTHER, holder=HOLDER.did)), 9,
         "E_CONTROLLER_MISMATCH", **verify)
    case("vp-credential-of-someone-else.json",
         js(presentation([signed(ob3("Welding Safety", issuer=ED, subject=OTHER.did))])), 9, "E_NOT_BOUND", **verify)
    case("vp-expired-credential.json", js(presentation([expired])), 9, "E_EXPIRED", **verify)
    case("vp-no-credential.json", js(presentation([])), 9, "E_NO_CREDENTIAL", **verify)
    case("vp-101-credentials.json", js(presentation([good] * 101, signer=None)), 10,
         "E_TOO_MANY_CREDENTIALS", **verify)
    case("vp-credential-a-jwt.json", js(presentation([jwt.decode()])), 9, "E_VC_JWT_SHAPE", **verify)
    # -- files that are not files --------------------------------------------------------------
    case("a-fifo", None, 8, "E_NOT_A_FILE", make="fifo")
    case("a-directory", None, 8, "E_NOT_A_FILE", make="directory", commands=["verify"])
    case("a-symlink-loop", None, 13, "E_IO", make="symlink-loop")
    case("through-a-file", None, 13, "E_IO", make="through-a-file")
    case("missing.json", None, 13, "E_IO", make="missing")
    # -- other commands ------------------------------------------------------------------------
    case("backup-garbage.json", b'{"format": "skillpass-backup", "version": 1}', 5, None,
         commands=["restore"], message="damaged backup")
    case("backup-not-one.json", js({"hello": "world"}), 8, None, commands=["restore"], message="not a skillpass backup")
    case("backup-nested.json", b'{"format": "skillpass-backup", "version": 1, "kdf": ' + nested(100_000) + b"}",
         8, None, commands=["restore"])
    case("backup-empty-salt.json", js({"format": "skillpass-backup", "version": 1, "created": CREATED,
                                       "kdf": {"alg": "argon2id", "m": 256, "t": 1, "p": 1}, "salt": "",
                                       "nonce": "AAAAAAAAAAAAAAAA", "ciphertext": "AAAA"}), 5, None,
         commands=["restore"])
    case("did-document-without-id.json", js({"verificationMethod": []}), 8, None, commands=["dids add"],
         message="not a DID or controller document")
    case("did-document-not-json.json", b"<html>", 8, None, commands=["dids add"])
    case("context-not-json.json", b"{context", 8, None, commands=["contexts add"], message="not valid JSON")
    case("context-an-array.json", b"[]", 8, None, commands=["contexts add"], message="not a JSON object")
    jwt_cases(case, ED, HOLDER, OTHER)
    return out


MAX_COMMITTED = 64 * 1024  # larger cases are made again by the runner (make: "generate")


def generated(name: str) -> bytes:
    """The bytes of a case too large to keep in the repository."""
    return next(data for case_name, data, _ in cases() if case_name == name and data is not None)


def main() -> None:
    CASES.mkdir(exist_ok=True)
    for stale in CASES.iterdir():
        stale.unlink()
    manifest = []
    for name, data, expected in cases():
        if data is not None and len(data) > MAX_COMMITTED:
            expected["make"] = "generate"
        elif data is not None:
            (CASES / name).write_bytes(data)
        expected.setdefault("commands", ["import", "verify"])
        manifest.append({"case": name, **expected})
    (HERE / "cases.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(manifest)} cases in {CASES}")


if __name__ == "__main__":
    main()
