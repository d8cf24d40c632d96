"""The worst inputs under the limits, timed: any input under the size limit must be answered
within 2 s on this machine, in under 256 MiB.

Usage: python bench/hostile.py  (python bench/bench.py --only hostile runs it too)

1. Whole `skillpass verify` commands (wall time and peak memory of the real process) on inputs
   built to cost the most while staying under the documented limits: an 8 MiB text value, the
   most values one input may hold (20,000) as one list and as objects, a presentation of as many
   credentials as fit, nesting at the depth limit; each carries a proof, so that canonicalization
   runs before the signature fails.
2. Every case of the hostile corpus (tests/hostile/cases.json) that is a file, through `verify`
   in-process: the slowest ten.
3. The refusals the tests prove bounded by what is (not) done, never by the clock
   (tests/test_no_timed_assertions.py): each timed here once, in-process, but for the nested QR
   text, a whole command.
Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import clean_env

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "tests" / "hostile")]


def worst_inputs(where: Path) -> dict[str, Path]:
    from issuing import ob3

    from make_corpus import ED, HOLDER, presentation, signed

    def with_fake_proof(credential: dict[str, Any]) -> dict[str, Any]:
        return {**credential, "proof": signed()["proof"]}  # well formed, wrong for this content

    inputs: dict[str, Any] = {}
    big_text = ob3("Big", issuer=ED, subject=HOLDER.did)
    big_text["credentialSubject"]["achievement"]["description"] = "x" * (8 * 1024 * 1024 - 4096)
    inputs["8 MiB text value"] = with_fake_proof(big_text)
    tags = ob3("Tags", issuer=ED, subject=HOLDER.did)
    tags["credentialSubject"]["achievement"]["tag"] = [f"skill {i}" for i in range(19_900)]
    inputs["19,900 values of one property"] = with_fake_proof(tags)
    from make_corpus import P256, sign

    sd_tags = ob3("Tags", issuer=P256, subject=HOLDER.did)
    sd_proof = sign(ob3("Small", issuer=P256, subject=HOLDER.did), P256, "ecdsa-sd-2023")["proof"]
    sd_tags["credentialSubject"]["achievement"]["tag"] = [f"skill {i}" for i in range(19_900)]
    inputs["19,900 values, ecdsa-sd-2023 base proof"] = {**sd_tags, "proof": sd_proof}
    objects = ob3("Alignments", issuer=ED, subject=HOLDER.did)
    objects["credentialSubject"]["achievement"]["alignment"] = [
        {"type": ["Alignment"], "targetName": f"n{i}", "targetUrl": f"https://x.example/{i}"}
        for i in range(3_950)]  # five values each
    inputs["3,950 alignment objects"] = with_fake_proof(objects)
    badges = [signed(ob3(f"Badge {i}", issuer=ED, subject=HOLDER.did, n=i)) for i in range(100)]
    inputs["presentation of 100 credentials (the most one may carry)"] = presentation(badges)
    many = [signed(ob3(f"Badge {i}", issuer=ED, subject=HOLDER.did, n=i)) for i in range(450)]
    inputs["presentation of 450 credentials"] = presentation(many)
    deep: Any = "bottom"
    for _ in range(58):
        deep = {"https://example.com/p": deep}
    nested = ob3("Deep", issuer=ED, subject=HOLDER.did)
    nested["credentialSubject"]["https://example.com/p"] = deep
    inputs["nesting at the depth limit"] = with_fake_proof(nested)
    paths = {}
    for name, document in inputs.items():
        path = where / (name.replace(" ", "-").replace(",", "") + ".json")
        path.write_text(json.dumps(document))
        paths[name] = path
    return paths


def whole_command(path: Path) -> tuple[float, float, int]:
    """(seconds, peak MiB, exit status) of `skillpass verify FILE` in its own process."""
    code = ("import resource, subprocess, sys, time; start = time.perf_counter(); "
            "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
            "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode)")
    out = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "skillpass", "verify", str(path),
                          "--home", str(path.parent / "verifier")], capture_output=True, text=True, cwd=REPO,
                         env=clean_env())
    seconds, kib, status = out.stdout.split()
    return float(seconds), int(kib) / 1024, int(status)


def corpus_times() -> list[tuple[float, str]]:
    from skillpass import cli

    manifest = json.loads((REPO / "tests" / "hostile" / "cases.json").read_text())
    times = []
    with tempfile.TemporaryDirectory() as scratch:
        for case in manifest:
            path = REPO / "tests" / "hostile" / "cases" / case["case"]
            if case.get("make") == "generate":
                from make_corpus import generated

                path = Path(scratch) / case["case"]
                path.write_bytes(generated(case["case"]))
            elif case.get("make"):
                continue
            if "import" not in case["commands"] and "verify" not in case["commands"]:
                continue
            for args in [["verify", str(path), "--home", str(Path(scratch) / "v"), *case.get("args", [])]]:
                start = time.perf_counter()
                with open(os.devnull, "w") as sink:
                    saved = sys.stdout, sys.stderr
                    sys.stdout = sys.stderr = sink
                    try:
                        cli.run(args)
                    finally:
                        sys.stdout, sys.stderr = saved
                times.append((time.perf_counter() - start, case["case"]))
    return sorted(times, reverse=True)


def bounded_refusals(where: Path) -> list[tuple[str, float, str]]:
    """(what, seconds, the error it got) for each input a test refuses on a bound."""
    import base64
    import gzip
    import sqlite3
    from datetime import UTC, datetime

    from test_qr_images import png_header_only
    from test_status_lists import list_credential

    from skillpass.encoding import cborld
    from skillpass.errors import SkillpassError
    from skillpass.jsonld.canon import canonize
    from skillpass.jsonld.loader import ContextStore
    from skillpass.qr import parts, scan
    from skillpass.qr.vpqr import from_vpqr
    from skillpass.status.bitstring import read_list_credential
    from skillpass.summary import summarize
    from skillpass.wallet import vault
    from skillpass.wallet.unlock import Passphrase, SecretSources
    from skillpass.wallet.wallet import create_wallet, open_wallet

    store = ContextStore.bundled()
    nested = "VP1-B3ECQ"
    for _ in range(3000):
        nested = parts.split(nested, 10_000)[0]
    (where / "nested.txt").write_text(nested)
    (where / "bomb.png").write_bytes(png_header_only(60_000, 60_000))
    gz = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(64 * 1024 * 1024), 9)).decode()
    inner = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "OpenBadgeCredential"],
             "issuer": "did:example:issuer",
             "credentialSubject": {"achievement": {"name": "x", "alignment": [{"targetName": "t"}] * 1000}}}
    clique = [{"@id": f"_:b{i}", "https://example.com/p": [{"@id": f"_:b{j}"} for j in range(12) if j != i]}
              for i in range(12)]
    big_cbor = bytes.fromhex("d90501") + b"\x5a" + b"\xff" * 10_000_000
    big_text = "VP1-B" + "A" * 50_000_000
    home = where / "kdf-ceiling"
    create_wallet(home, passphrase=Passphrase(b"correct horse battery staple"), use_keyring=False).close()
    with sqlite3.connect(home / "wallet.db") as conn:
        header = json.loads(conn.execute("SELECT value FROM meta WHERE key='header'").fetchone()[0])
        header["slots"][0]["kdf"].update(m=4 * 1024 * 1024, t=40)
        conn.execute("UPDATE meta SET value = ? WHERE key='header'", (json.dumps(header),))
    conn.close()
    vault.KDF_LIMITS = vault.KdfLimits()  # the production bounds
    cases = {
        "PNG claiming 60,000 x 60,000 pixels": lambda: scan.read_images([where / "bomb.png"]),
        "status list: 64 MiB of zeros gzipped to 64 KB": lambda: read_list_credential(
            list_credential("did:example:1", gz), "did:example:1", None, datetime.now(UTC)),
        "CBOR-LD: a 10 MB byte string": lambda: cborld.decode(big_cbor, store=store),
        "VPQR: a 50 MB text": lambda: from_vpqr(big_text, store=store),
        "summary of a CLR of 200 credentials x 1,000 alignments": lambda: summarize(
            {"type": ["ClrCredential"], "credentialSubject": {"verifiableCredential": [inner] * 200}}),
        "canonize a 12-clique of look-alike blank nodes": lambda: canonize({"@graph": clique}),
        "open a wallet whose header asks Argon2id for 4 GiB, t=40": lambda: open_wallet(
            home, SecretSources(environ={"SKILLPASS_PASSPHRASE": "correct horse battery staple"}), use_agent=False),
    }
    found = []
    for name, run in cases.items():
        start = time.perf_counter()
        try:
            run()
            outcome = "answered"
        except SkillpassError as error:
            outcome = error.code
        found.append((name, time.perf_counter() - start, outcome))
    seconds, _, status = whole_command(where / "nested.txt")
    found.append(("`skillpass verify`: a QR text nested 3,000 times", seconds, f"exit {status}"))
    return found


def table() -> str:
    lines = ["| input | wall time | peak memory | exit |", "|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as scratch:
        for name, path in worst_inputs(Path(scratch)).items():
            seconds, mib, status = whole_command(path)
            lines.append(f"| `skillpass verify`: {name} ({path.stat().st_size / 1048576:.1f} MiB) | "
                         f"{seconds:.2f} s | {mib:.0f} MiB | {status} |")
    slowest = corpus_times()
    lines += ["", f"Slowest of the {len(slowest)} corpus cases (tests/hostile) through `verify`, in-process:",
              "", "| case | time |", "|---|---|"]
    lines += [f"| {name} | {seconds * 1000:.0f} ms |" for seconds, name in slowest[:10]]
    lines += ["", "Refusals the tests prove bounded without a clock, timed once:", "",
              "| input | time | answer |", "|---|---|---|"]
    with tempfile.TemporaryDirectory() as scratch:
        lines += [f"| {name} | {seconds * 1000:.{0 if seconds >= 0.01 else 2}f} ms | {outcome} |"
                  for name, seconds, outcome in bounded_refusals(Path(scratch))]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    print(table())


if __name__ == "__main__":
    main()
