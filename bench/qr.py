"""A presentation as one QR code: how big it gets, and what it costs to make and read (issue 11).

Usage: python bench/qr.py [--runs N]  (python bench/bench.py --only qr runs it too)

Two presentations of one Open Badges 3.0 credential (VC 2.0), issued with an ecdsa-sd-2023 base
proof (mandatory: /issuer, /credentialSubject/id) and presented by a did:key holder with an
eddsa-rdfc-2022 proof over a challenge and domain (formats.ldp_vc.presentation.present, as
tests/test_cborld.py builds them for tests/test_vpqr.py and the interop tests):

(a) a disclosure revealing the achievement's name, the issuer and validFrom (and the subject's
    id, which every disclosure carries for holder binding);
(b) the same credential whole (reveal all: a derived proof over every statement).

Every key is derived from a fixed seed, the issuer's HMAC and proof-scoped keys too (so the
base proof is made with suites.ecdsa_sd_2023.create_base_proof, which tests/issuing.py sign calls
without them), and ECDSA nonces are RFC 6979: the same bytes on every run.

For each: the presentation JSON (compact: separators "," and ":"), its CBOR-LD (legacy
singleton, tag 0x0501), the QR text (qr.vpqr.to_vpqr), and the smallest QR version at error
correction L and at M for that text in alphanumeric mode, computed with the qrcode library as
qr/code.py does (code.make itself takes M, else L; what it picked is a row of its own). Beside
them, what npm @digitalcredentials/vpqr 2.2.1 writes for the same presentation
(`node tests/interop/vpqr.mjs encode --lib dcc`), with its QR version as its own encoder
(@nuintun/qrcode, level L by default) reports it; "n/a" without node or tests/interop/node_modules.
Then in-process, warm, median of N runs: to_vpqr, from_vpqr, and code.make + code.png (8 pixels
a module), and code.make alone.

Targets (issue 11): the disclosure fits one code (version ≤ 40 at L; the version at M is said),
and ours is no longer than theirs in characters. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from common import median_ms

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]
INTEROP = REPO / "tests" / "interop"
CHALLENGE, DOMAIN = "c0ffee-cborld", "https://employer.example"
REVEAL = ["credentialSubject.achievement.name", "validFrom"]  # the issuer is mandatory already
PRESENTED = datetime(2026, 5, 30, 12, tzinfo=UTC)
WARMUP = 3


def seeded_ed25519(label: str) -> Any:
    from cryptography.hazmat.primitives.asymmetric import ed25519

    return ed25519.Ed25519PrivateKey.from_private_bytes(hashlib.sha256(label.encode()).digest())


def seeded_p256(label: str) -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec

    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    scalar = int.from_bytes(hashlib.sha256(label.encode()).digest()) % (order - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


def presentations(store: Any) -> dict[str, dict[str, Any]]:
    """(a) the disclosure and (b) the whole credential, each in a holder-signed presentation."""
    from issuing import Issuer, ob3

    from skillpass.formats.ldp_vc.fields import disclosable_fields
    from skillpass.formats.ldp_vc.presentation import present
    from skillpass.keys import multikey
    from skillpass.present.select import REVEAL_ALL, resolve_selection
    from skillpass.suites.ecdsa_sd_2023 import create_base_proof
    from skillpass.wallet.keys import HolderKey

    holder_private = seeded_ed25519("bench/qr holder")
    holder = HolderKey("did:key:" + multikey.encode_public_key(holder_private.public_key()), "Ed25519",
                       multikey.encode_secret_key(holder_private), "2026-05-30T12:00:00Z")
    issuer_private = seeded_p256("bench/qr issuer")
    issuer = Issuer("did:key:" + multikey.encode_public_key(issuer_private.public_key()), issuer_private)
    base = create_base_proof(ob3(issuer=issuer, subject=holder.did), private_key=issuer.private_key,
                             verification_method=issuer.verification_method,
                             mandatory_pointers=["/issuer", "/credentialSubject/id"],
                             created="2026-01-15T00:00:00Z", hmac_key=hashlib.sha256(b"bench/qr hmac").digest(),
                             proof_key=seeded_p256("bench/qr proof-scoped"), store=store)
    selections = {"a": resolve_selection(disclosable_fields(base), REVEAL, False), "b": REVEAL_ALL}
    return {kind: present([(base, selection)], key=holder, challenge=CHALLENGE, domain=DOMAIN, store=store,
                          now=PRESENTED).presentation for kind, selection in selections.items()}


def qr_version(text: str, level: str) -> int | None:
    """The smallest QR version that holds `text` in alphanumeric mode at `level`; None past 40."""
    import qrcode
    from qrcode import constants, util

    error_correction = {"L": constants.ERROR_CORRECT_L, "M": constants.ERROR_CORRECT_M}[level]
    data = text.encode("ascii")
    # As qr/code.py: version 40 asked first, for qrcode 8.2's best_fit raises ValueError, not
    # DataOverflowError, when no version holds the payload.
    bits = util.BitBuffer()
    bits.put(util.MODE_ALPHA_NUM, 4)
    bits.put(len(data), util.length_in_bits(util.MODE_ALPHA_NUM, 40))
    util.QRData(data, mode=util.MODE_ALPHA_NUM).write(bits)
    if len(bits) > util.BIT_LIMIT_TABLE[error_correction][40]:
        return None
    symbol = qrcode.QRCode(error_correction=error_correction, border=0)
    symbol.add_data(util.QRData(data, mode=util.MODE_ALPHA_NUM))
    return symbol.best_fit()


def node_peer() -> str | None:
    """node, when it and tests/interop/node_modules are there."""
    node = shutil.which("node")
    return node if node and (INTEROP / "node_modules" / "@digitalcredentials" / "vpqr").is_dir() else None


def theirs(node: str | None, vp: dict[str, Any]) -> dict[str, Any] | None:
    """What @digitalcredentials/vpqr 2.2.1 makes of `vp`: {text, hex, version}, or None."""
    if node is None:
        return None
    done = subprocess.run([node, str(INTEROP / "vpqr.mjs"), "encode", "--lib", "dcc"], input=json.dumps({"vp": vp}),
                          capture_output=True, text=True, cwd=INTEROP, timeout=180, check=False)
    if done.returncode != 0:
        print(f"vpqr.mjs encode exited {done.returncode}: {done.stdout[-500:]}{done.stderr[-500:]}", file=sys.stderr)
        return None
    output: dict[str, Any] = json.loads(done.stdout)
    return output


def measure(vp: dict[str, Any], node: str | None, store: Any, runs: int) -> dict[str, Any]:
    from skillpass.encoding import cborld
    from skillpass.qr import code
    from skillpass.qr.vpqr import from_vpqr, to_vpqr

    text = to_vpqr(vp, store=store)
    made = code.make(text)
    other = theirs(node, vp)
    return {
        "json": len(json.dumps(vp, separators=(",", ":")).encode()),
        "cborld": len(cborld.encode(vp, store=store)),
        "chars": len(text), "L": qr_version(text, "L"), "M": qr_version(text, "M"),
        "made": f"{made.version}-{made.error_correction} ({made.size}x{made.size} modules)",
        "round_trip": from_vpqr(text, store=store) == vp,
        "theirs": other and {"chars": len(other["text"]), "cborld": len(other["hex"]) // 2,
                             "L": qr_version(other["text"], "L"), "M": qr_version(other["text"], "M"),
                             "reported": other["version"], "same": other["text"] == text},
        "to_vpqr": median_ms(lambda: to_vpqr(vp, store=store), runs, WARMUP),
        "from_vpqr": median_ms(lambda: from_vpqr(text, store=store), runs, WARMUP),
        "make": median_ms(lambda: code.make(text), runs, WARMUP),
        "make_png": median_ms(lambda: code.png(code.make(text)), runs, WARMUP),
    }


def cell(value: Any, unit: str = "") -> str:
    if value is None:
        return "none (> 40)"  # a version that no level holds; "n/a" is for a missing peer
    if isinstance(value, bool):
        return "yes" if value else "NO"
    return f"{value:,}{unit}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def their(m: dict[str, Any], key: str, unit: str = "") -> str:
    return "n/a" if m["theirs"] is None else cell(m["theirs"][key], unit)


def verdicts(a: dict[str, Any], b: dict[str, Any]) -> tuple[str, str]:
    fits = (f"(a) ≤ 40 at L: {'met' if a['L'] is not None else 'over'}"
            f" (version {cell(a['L'])} at L, {cell(a['M'])} at M)")
    if a["theirs"] is None:
        return fits, "ours ≤ theirs: n/a"
    shorter = ", ".join(f"{name} {'met' if m['chars'] <= m['theirs']['chars'] else 'over'}"
                        for name, m in (("(a)", a), ("(b)", b)))
    return fits, f"ours ≤ theirs in characters: {shorter}"


def table(runs: int) -> str:
    from skillpass.jsonld.loader import ContextStore

    store = ContextStore.bundled()
    node = node_peer()
    built = presentations(store)
    a, b = (measure(built[kind], node, store, runs) for kind in ("a", "b"))
    fits, shorter = verdicts(a, b)
    rows = [
        ("presentation JSON, compact", cell(a["json"], " B"), cell(b["json"], " B"), ""),
        ("CBOR-LD, legacy singleton", cell(a["cborld"], " B"), cell(b["cborld"], " B"), ""),
        ("QR text, skillpass `to_vpqr`", cell(a["chars"], " chars"), cell(b["chars"], " chars"), shorter),
        ("QR version at L (alphanumeric)", cell(a["L"]), cell(b["L"]), fits),
        ("QR version at M (alphanumeric)", cell(a["M"]), cell(b["M"]), ""),
        ("`code.make` picks", a["made"], b["made"], "M, else L"),
        ("`from_vpqr` gives the presentation back", cell(a["round_trip"]), cell(b["round_trip"]), ""),
        ("@digitalcredentials/vpqr 2.2.1: CBOR-LD", their(a, "cborld", " B"), their(b, "cborld", " B"), ""),
        ("@digitalcredentials/vpqr 2.2.1: QR text", their(a, "chars", " chars"), their(b, "chars", " chars"), ""),
        ("... the same text as ours", their(a, "same"), their(b, "same"), ""),
        ("... QR version at L / at M (qrcode, as ours)", f"{their(a, 'L')} / {their(a, 'M')}",
         f"{their(b, 'L')} / {their(b, 'M')}", ""),
        ("... QR version its encoder reports (@nuintun/qrcode, L)", their(a, "reported"), their(b, "reported"), ""),
        ("`to_vpqr` (CBOR-LD encode + its check decode)", f"{a['to_vpqr']:.2f} ms", f"{b['to_vpqr']:.2f} ms", ""),
        ("`from_vpqr`", f"{a['from_vpqr']:.2f} ms", f"{b['from_vpqr']:.2f} ms", ""),
        ("`code.make` + `code.png` (8 px a module)", f"{a['make_png']:.2f} ms", f"{b['make_png']:.2f} ms", ""),
        ("... of which `code.make`", f"{a['make']:.2f} ms", f"{b['make']:.2f} ms", ""),
    ]
    lines = ["| | (a) disclosure: achievement name, issuer, validFrom | (b) the same credential whole | target |",
             "|---|---|---|---|"]
    lines += [f"| {label} | {x} | {y} | {target} |" for label, x, y, target in rows]
    return "\n".join(lines + ["", context(node, runs)])


def context(node: str | None, runs: int) -> str:
    versions = ", ".join(f"{name} {version(name)}" for name in ("qrcode", "cbor2", "cryptography", "pillow"))
    if node is None:
        peer = "node or tests/interop/node_modules absent"
    else:
        node_version = subprocess.run([node, "--version"], capture_output=True, text=True, check=False).stdout.strip()
        peer = f"Node {node_version}"
    return (f"One OB 3.0 credential (VC 2.0, ecdsa-sd-2023, fixed keys), holder proof eddsa-rdfc-2022 with "
            f"challenge and domain. Timings: median of {runs} runs after {WARMUP} warm-ups, in-process. "
            f"{datetime.now(UTC):%Y-%m-%d}, {os.cpu_count()}-core {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}, {versions}; {peer}.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    print(table(max(1, parser.parse_args().runs)))


if __name__ == "__main__":
    main()
