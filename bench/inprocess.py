"""Group 1: in-process medians, skillpass against the reference implementations, on the same
inputs, in the same run, timed alternately.

- digitalbazaar (Node, `peer.mjs serve`: bench-load + bench-time): verify of one Open Badges 3.0
  credential (about 1.4 KB) per suite, signed by our signing functions (tests/issuing.py) and
  written to a file the peer reads, so both sides verify the same bytes; ecdsa-sd-2023 "verify"
  is of a credential we derived, and "derive" derives from the same base proof on both sides.
  Presentations: one eddsa-rdfc-2022 credential about the holder, in a presentation signed with
  eddsa-rdfc-2022 over a challenge and a domain. "sign" gives both sides the same credential and
  the same holder key (Ed25519 is deterministic: the same signature but for `created`);
  "verify" checks the same presentation bytes (holder proof, challenge, domain, the credential).
- SD-JWT VC (bench/sd_jwt_vc.py's fixture, issued by the PyPI `sd-jwt` reference): parse of the
  issued credential, present three claims with a KB-JWT, verify the presentation with its nonce
  and aud; against `sd-jwt` (in this process, paired run by run) and @sd-jwt/sd-jwt-vc (Node).
- VPQR: bench/qr.py's disclosure presentation, encoded and decoded by @digitalcredentials/vpqr
  2.2.1 and by us (the same text both ways).
Ours and theirs alternate in blocks of runs (10 blocks), each side's median over all its runs;
Node times itself with performance.now. Under the table, a cProfile of our side of each row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from common import NodeBench, alternated, ms, paired_medians, profile_calls, ratio

SUITES = ["eddsa-rdfc-2022", "ecdsa-rdfc-2019", "Ed25519Signature2020", "Ed25519Signature2018",
          "eddsa-jcs-2022", "ecdsa-jcs-2019", "ecdsa-sd-2023"]
SD_REVEAL = ["/credentialSubject/achievement/name"]
CHALLENGE, DOMAIN = "8c1d5e-bench", "hiring.example"
TARGET = 0.25


@dataclass
class Operation:
    """One row: our callable, and how the reference runs the same thing."""

    name: str
    ours: Callable[[], Any]
    node_job: dict[str, Any] | None = None  # for peer.mjs bench-load
    python_reference: Callable[[], Any] | None = None  # the PyPI sd-jwt reference
    reference: str = "digitalbazaar"
    note: str = ""


def credential_operations(store: Any, now: datetime) -> list[Operation]:
    from issuing import signed_ob3

    from skillpass.formats.ldp_vc.verify import verify_credential
    from skillpass.suites.ecdsa_sd_2023 import derive_proof

    found = []
    for suite in SUITES:
        credential, _ = signed_ob3(suite)
        if suite == "ecdsa-sd-2023":
            base = credential
            found.append(Operation(f"derive {suite} (one of its statements)",
                                   lambda base=base: derive_proof(base, selective_pointers=SD_REVEAL, store=store),
                                   {"op": "derive", "credential": base, "reveal": SD_REVEAL}))
            credential = derive_proof(base, selective_pointers=SD_REVEAL, store=store)
        label = f"verify {suite}" + (" (derived)" if suite == "ecdsa-sd-2023" else "")
        found.append(Operation(label, lambda c=credential: verify_credential(c, store=store, did_cache={}, now=now),
                               {"op": "verify-credential", "credential": credential}))
    return found


def presentation_operations(store: Any, now: datetime) -> list[Operation]:
    from issuing import new_issuer, ob3, sign

    from skillpass.formats.ldp_vc.presentation import build_presentation, sign_presentation
    from skillpass.verifier import verify_presentation
    from skillpass.wallet.keys import generate_holder_key

    holder = generate_holder_key("Ed25519", "2026-11-01T00:00:00Z")
    issuer = new_issuer("Ed25519")
    credential = sign(ob3(issuer=issuer, subject=holder.did), issuer, "eddsa-rdfc-2022")

    def sign_ours() -> dict[str, Any]:
        return sign_presentation(build_presentation([credential], holder=holder.did), key=holder,
                                 suite="eddsa-rdfc-2022", challenge=CHALLENGE, domain=DOMAIN, store=store)

    vp = sign_ours()

    def verify_ours() -> Any:  # verify_presentation leaves its input as it was
        return verify_presentation(vp, store=store, did_cache={}, trust=None, challenge=CHALLENGE, domain=DOMAIN,
                                   now=now)

    if verify_ours().outcome != "verified":
        raise RuntimeError("the bench presentation does not verify: nothing to time")

    key = {"publicKeyMultibase": holder.public_key_multibase(), "secretKeyMultibase": holder.secret_multibase}
    return [Operation("sign a presentation (eddsa-rdfc-2022, one credential)", sign_ours,
                      {"op": "sign-presentation", "credentials": [credential], "key": key,
                       "suite": "eddsa-rdfc-2022", "challenge": CHALLENGE, "domain": DOMAIN}),
            Operation("verify that presentation (holder proof + credential)", verify_ours,
                      {"op": "verify-presentation", "presentation": vp, "challenge": CHALLENGE, "domain": DOMAIN},
                      note="ours: the whole report (format, trust, dates, binding)")]


def sd_jwt_operations() -> list[Operation]:
    import sd_jwt_vc as sd

    s = sd.setup()
    node_parse = {"op": "sdjwt-parse", "issued": s["issued"]}
    node_present = {"op": "sdjwt-present", "issued": s["issued"], "frame": sd.NODE_FRAME,
                    "holderJwk": s["holder_jwk"].export(private_key=True, as_dict=True), "aud": sd.AUD,
                    "nonce": sd.NONCE}
    node_verify = {"op": "sdjwt-verify", "presentation": s["shown"], "issuerJwk": s["issuer_public_jwk"],
                   "aud": sd.AUD, "nonce": sd.NONCE}
    # The floor under each row, timed here against the PyPI reference (bench/sd_jwt_vc.py FLOORS).
    floors = {name: paired_medians(floor(s), theirs, FLOOR_RUNS) for (name, floor), theirs in
              zip(sd.FLOORS.items(), (sd.parse_reference(s), sd.present_reference(s), sd.verify_reference(s)))}

    def floor(name: str, what: str, versus_pypi: bool) -> str:
        floor_ms, theirs_ms = floors[name]
        return f"floor ({what}) {ms(floor_ms)}" + (f" = {ratio(floor_ms, theirs_ms)}" if versus_pypi else "")

    rows = []
    for name, ours, python_reference, job, notes in [
            ("SD-JWT VC parse (as received, no signature check)", sd.parse_ours(s), sd.parse_reference(s),
             node_parse, ("theirs: SDJWTHolder, no check, no claims rebuilt; "
                          + floor("parse", "its own steps, unchecked", True),
                          "theirs: getClaims, claims rebuilt with fewer checks")),
            ("SD-JWT VC present: 3 claims + KB-JWT", sd.present_ours(s), sd.present_reference(s), node_present,
             (floor("present", "one ES256 signature", True), floor("present", "one ES256 signature", False))),
            ("SD-JWT VC verify: presentation + KB-JWT, aud, nonce", sd.verify_ours(s), sd.verify_reference(s),
             node_verify, (floor("verify", "two ES256 verifications", True) + "; theirs skips typ, dates, "
                           "KB-JWT age, strict JSON", floor("verify", "two ES256 verifications", False)))]:
        rows.append(Operation(name, ours, python_reference=python_reference, reference="sd-jwt (PyPI)",
                              note=notes[0]))
        rows.append(Operation(name, ours, job, reference="@sd-jwt/sd-jwt-vc", note=notes[1]))
    return rows


FLOOR_RUNS = 300


def vpqr_operations(store: Any) -> list[Operation]:
    import qr

    from skillpass.qr.vpqr import from_vpqr, to_vpqr

    vp = qr.presentations(store)["a"]
    text = to_vpqr(vp, store=store)
    return [Operation("VPQR encode (CBOR-LD + QR text)", lambda: to_vpqr(vp, store=store),
                      {"op": "vpqr-encode", "vp": vp}, reference="@digitalcredentials/vpqr",
                      note="ours also decodes to check"),
            Operation("VPQR decode", lambda: from_vpqr(text, store=store), {"op": "vpqr-decode", "text": text},
                      reference="@digitalcredentials/vpqr")]


def operations(parts: set[str]) -> list[Operation]:
    from skillpass.jsonld.loader import ContextStore

    store = ContextStore.bundled()
    now = datetime.now(UTC)
    found: list[Operation] = []
    if "suites" in parts:
        found += credential_operations(store, now) + presentation_operations(store, now)
    if "sdjwt" in parts:
        found += sd_jwt_operations()
    if "vpqr" in parts:
        found += vpqr_operations(store)
    return found


HEADER = ["operation", "skillpass", "reference", "theirs", "ratio", "target"]


def run(parts: set[str], runs: int, node_path: str | None, scratch: Path) -> tuple[list[list[str]], list[str]]:
    """The rows of the table, and one profile line block per operation of ours."""
    node = NodeBench(node_path, scratch) if node_path else None
    rows, profiles, profiled = [], [], set()
    try:
        for number, op in enumerate(operations(parts)):
            mine, theirs = measure(op, node, number, runs)
            verdict = "" if theirs is None else ("met" if mine / theirs <= TARGET else "over")
            rows.append([op.name + (f" ({op.note})" if op.note else ""), ms(mine), op.reference,
                         "n/a" if theirs is None else ms(theirs),
                         "-" if theirs is None else ratio(mine, theirs), f"≤ {TARGET}x: {verdict}" if verdict else ""])
            if op.name not in profiled:
                profiled.add(op.name)
                profiles.append(f"- **{op.name}** ({ms(mine)}): {profile_calls(op.ours, max(5, runs // 4))}")
    finally:
        if node:
            node.close()
    return rows, profiles


def measure(op: Operation, node: NodeBench | None, number: int, runs: int) -> tuple[float, float | None]:
    if op.python_reference is not None:
        return paired_medians(op.ours, op.python_reference, runs)
    if op.node_job is None or node is None:
        from common import median_ms

        return median_ms(op.ours, runs), None
    job_id = node.load({"id": f"op{number}", **op.node_job})
    return alternated(op.ours, node, job_id, runs)
