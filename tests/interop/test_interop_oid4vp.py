"""OpenID4VP 1.0 with verifiers whose protocol code nobody here wrote.

tests/interop/oid4vp_verifier.mjs is built on the OpenWallet Foundation's @openid4vc/openid4vp and
dcql, with @sd-jwt/sd-jwt-vc checking each SD-JWT VC. The real `skillpass share --request LINK --yes
--allow-http` answers it on 127.0.0.1. The verifier checks the KB-JWT's nonce and aud (the whole
client id) and that only the claims its DCQL query names were disclosed, and it refuses a replayed
answer. It answers by direct_post and direct_post.jwt, and it takes signed x509_san_dns: / x509_hash:
requests by request_uri. polaris-oid4vp (PyPI, an OpenID-certified HAIP verifier) then accepts the
answer over TLS: an x509_hash request fetched by request_uri_method=post, answered by
direct_post.jwt."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from skillpass.errors import ExitStatus
from skillpass.formats.sd_jwt_vc.issue import issue
from skillpass.keys.multikey import public_key_to_jwk

pytestmark = pytest.mark.interop

INTEROP = Path(__file__).resolve().parent
ISSUER = "https://credentials.boreal.example"
VCT = "https://credentials.boreal.example/welding-safety"
ISSUER_KEY = ec.generate_private_key(ec.SECP256R1())
CLAIMS = {"iss": ISSUER, "vct": VCT, "given_name": "Ana", "family_name": "Roy",
          "address": {"locality": "Sudbury", "region": "ON"}, "skills": ["welding", "blueprints"],
          "achievement": {"name": "Welding Safety", "hours": 40}}
DISCLOSABLE = [("given_name",), ("family_name",), ("address",), ("address", "locality"), ("skills", 1),
               ("achievement",)]
READY_TIMEOUT_S = 30


class Verifier:
    """The Node verifier, started on a free port and stopped by its PID."""

    def __init__(self, *args: str) -> None:
        node = shutil.which("node")
        if node is None or not (INTEROP / "node_modules" / "@openid4vc" / "openid4vp").is_dir():
            pytest.skip("the OpenID4VP verifier needs node and tests/interop/node_modules")
        self.process = subprocess.Popen([node, str(INTEROP / "oid4vp_verifier.mjs"), *args], cwd=INTEROP,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: list[dict[str, Any]] = []
        ready = self._next_line()
        assert ready.get("ready"), ready
        self.link, self.port, self.client_id = ready["link"], ready["port"], ready["clientId"]

    def _next_line(self) -> dict[str, Any]:
        found: list[str] = []
        reader = threading.Thread(target=lambda: found.append(self.process.stdout.readline()))  # type: ignore[union-attr]
        reader.start()
        reader.join(READY_TIMEOUT_S)
        if not found or not found[0]:
            self.stop()
            raise AssertionError(f"the verifier did not start: {self.process.stderr.read()[-2000:]}")  # type: ignore[union-attr]
        return json.loads(found[0])

    def results(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/results", timeout=10) as answer:
            return json.loads(answer.read())

    def new_link(self) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/new", timeout=10) as answer:
            return str(json.loads(answer.read())["link"])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # by its PID, nothing else
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def issuer_jwk() -> dict[str, Any]:
    return public_key_to_jwk(ISSUER_KEY.public_key())


@pytest.fixture
def holding(cli: Any, wallet_home: Path, tmp_path: Path) -> str:
    """A wallet holding an SD-JWT VC issued to its P-256 key, its issuer's metadata trusted."""
    metadata = tmp_path / "jwt-vc-issuer.json"
    metadata.write_text(json.dumps({"issuer": ISSUER, "jwks": {"keys": [{**issuer_jwk(), "kid": "k1"}]}}))
    assert cli("trust", "add", "--metadata", str(metadata), "--name", "Collège Boréal").returncode == 0
    holder = next(k["publicKeyJwk"] for k in cli.with_passphrase("did", "--json").json() if k["keyType"] == "P-256")
    credential = tmp_path / "ana.sd-jwt"
    credential.write_text(issue(CLAIMS, DISCLOSABLE, ISSUER_KEY, kid="k1", holder_jwk=holder) + "\n")
    imported = cli.with_passphrase("import", str(credential), "--json")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    return str(imported.json()[0]["id"])


def started(*args: str) -> Iterator[Verifier]:
    verifier = Verifier("--issuer-jwk", json.dumps(issuer_jwk()), "--vct", VCT, *args)
    try:
        yield verifier
    finally:
        verifier.stop()


@pytest.fixture
def verifier() -> Iterator[Verifier]:
    yield from started("--claims", json.dumps([["given_name"], ["address", "locality"]]))


@pytest.fixture
def encrypted_verifier() -> Iterator[Verifier]:
    yield from started("--claims", json.dumps([["given_name"]]), "--mode", "direct_post.jwt")


def share(cli: Any, link: str, *extra: str) -> Any:
    return cli.with_passphrase("share", "--request", link, "--yes", "--allow-http", "--json", *extra)


def test_the_owf_verifier_accepts_a_dcql_answer_disclosing_only_what_it_asked(
        cli: Any, holding: str, verifier: Verifier) -> None:
    answered = share(cli, verifier.link)

    assert answered.returncode == 0, answered.stderr
    document = answered.json()
    assert document["verifier"]["clientId"] == verifier.client_id and document["verifier"]["authenticated"] is False
    [outcome] = verifier.results()
    assert outcome["verified"] is True, outcome
    assert sorted(outcome["credentials"]["skills"]["disclosed"]) == ["address", "given_name", "locality"]
    assert outcome["credentials"]["skills"]["kb"]["aud"] == verifier.client_id
    claims = outcome["credentials"]["skills"]["claims"]
    assert claims["given_name"] == "Ana" and claims["address"]["locality"] == "Sudbury"
    assert "family_name" not in claims and "achievement" not in claims
    [record] = cli.with_passphrase("history", "--json").json()
    assert record["domain"] == verifier.client_id and record["challenge"] and record["via"].startswith("direct_post")


def test_in_text_mode_the_answer_is_told_on_stderr_and_stdout_stays_empty(
        cli: Any, holding: str, verifier: Verifier) -> None:
    answered = cli.with_passphrase("share", "--request", verifier.link, "--yes", "--allow-http")

    assert answered.returncode == 0, answered.stderr
    assert answered.stdout == ""
    assert f"answered {verifier.client_id}: 1 credential (direct_post)" in answered.stderr


def test_the_owf_verifier_refuses_a_replayed_answer(cli: Any, holding: str, verifier: Verifier) -> None:
    first = share(cli, verifier.link)
    again = share(cli, verifier.link)

    assert first.returncode == 0, first.stderr
    assert again.returncode == ExitStatus.NETWORK
    assert "refused the answer" in again.stderr and "replayed" in again.stderr
    outcomes = verifier.results()
    assert [o["verified"] for o in outcomes] == [True, False] and outcomes[1].get("replay") is True
    assert len(cli.with_passphrase("history", "--json").json()) == 1  # a refused answer is not recorded


def test_an_encrypted_answer_direct_post_jwt_is_accepted(cli: Any, holding: str,
                                                          encrypted_verifier: Verifier) -> None:
    answered = share(cli, encrypted_verifier.link)

    assert answered.returncode == 0, answered.stderr
    [outcome] = encrypted_verifier.results()
    assert outcome["verified"] is True and outcome["encrypted"] is True, outcome
    assert outcome["credentials"]["skills"]["disclosed"] == ["given_name"]


def test_a_request_the_wallet_cannot_satisfy_names_the_missing_claim(cli: Any, holding: str) -> None:
    for verifier in started("--claims", json.dumps([["given_name"], ["birthdate"]])):
        answered = share(cli, verifier.link)

        assert answered.returncode == ExitStatus.NOT_FOUND, answered.stderr
        assert "birthdate" in answered.stderr
        assert verifier.results() == []


def test_without_allow_http_a_loopback_verifier_is_refused(cli: Any, holding: str, verifier: Verifier) -> None:
    refused = cli.with_passphrase("share", "--request", verifier.link, "--yes")

    assert refused.returncode == ExitStatus.NETWORK and "https" in refused.stderr
    assert verifier.results() == []


# -- a signed request object: x509_san_dns and x509_hash client ids ------------------------------


def _pki(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A CA (the anchor file) and a request-signing leaf for DNS name localhost."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC)
    ca_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Verifier CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
          .not_valid_after(now + timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Boreal Hiring")]))
            .issuer_name(ca_name).public_key(leaf_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    anchor = tmp_path / "verifier-ca.pem"
    anchor.write_bytes(ca.public_bytes(Encoding.PEM))
    x5c = [base64.b64encode(c.public_bytes(Encoding.DER)).decode() for c in (leaf, ca)]
    digest = __import__("hashlib").sha256(leaf.public_bytes(Encoding.DER)).digest()
    from skillpass.keys.multibase import b64url_encode

    private = public_key_to_jwk(leaf_key.public_key())
    private["d"] = b64url_encode(leaf_key.private_numbers().private_value.to_bytes(32, "big"))
    return anchor, {"keyJwk": private, "x5c": x5c,
                    "hash": base64.urlsafe_b64encode(digest).rstrip(b"=").decode()}


@pytest.mark.parametrize("prefix", ["x509_san_dns", "x509_hash"])
def test_a_signed_request_by_reference_is_checked_against_the_verifier_anchor(
        cli: Any, holding: str, tmp_path: Path, prefix: str) -> None:
    anchor, pki = _pki(tmp_path)
    client_id = "x509_san_dns:localhost" if prefix == "x509_san_dns" else f"x509_hash:{pki['hash']}"
    signed = tmp_path / "signed.json"
    signed.write_text(json.dumps({**pki, "clientId": client_id}))
    for verifier in started("--claims", json.dumps([["given_name"]]), "--signed", str(signed)):
        untrusted = share(cli, verifier.link)
        answered = share(cli, verifier.new_link(), "--verifier-anchor", str(anchor))

        assert untrusted.returncode == ExitStatus.INVALID, untrusted.stderr
        assert "trusted anchor" in untrusted.stderr
        assert answered.returncode == 0, answered.stderr
        document = answered.json()
        assert document["verifier"]["authenticated"] is True and "Boreal Hiring" in document["verifier"]["how"]
        [outcome] = verifier.results()
        assert outcome["verified"] is True and outcome["credentials"]["skills"]["kb"]["aud"] == client_id


# -- a second verifier nobody here wrote: polaris-oid4vp (PyPI) ---------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as probe:  # polaris prints the port it is given: it cannot take 0
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Polaris:
    """`polaris-oid4vp serve --once` on a free port over TLS with its own test PKI; stopped by PID."""

    def __init__(self, tmp_path: Path, claims: list[str]) -> None:
        import os
        import sys

        executable = Path(sys.executable).with_name("polaris-oid4vp")
        if not executable.exists():
            pytest.skip("polaris-oid4vp is not installed")
        self.pki = tmp_path / "polaris-pki"
        self.port = _free_port()
        subprocess.run([str(executable), "keygen", "--out", str(self.pki), "--host", "localhost",
                        "--port", str(self.port)], check=True, capture_output=True, timeout=60)
        jwks = tmp_path / "polaris-issuers.json"
        jwks.write_text(json.dumps({"keys": [{**issuer_jwk(), "kid": "k1", "use": "sig", "alg": "ES256"}]}))
        command = [str(executable), "serve", "--pki", str(self.pki), "--host", "localhost", "--bind", "127.0.0.1",
                   "--port", str(self.port), "--issuer-jwks", str(jwks), "--vct", VCT, "--once"]
        for claim in claims:
            command += ["--claim", claim]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.link = ""
        while not self.link:
            line = self._line()
            if line.strip().startswith("openid4vp://"):
                self.link = line.strip()

    def _line(self) -> str:
        found: list[str] = []
        reader = threading.Thread(target=lambda: found.append(self.process.stdout.readline()))  # type: ignore[union-attr]
        reader.daemon = True
        reader.start()
        reader.join(READY_TIMEOUT_S)
        if not found or not found[0]:
            self.stop()
            raise AssertionError(f"polaris-oid4vp said nothing: {self.process.stderr.read()[-2000:]}")  # type: ignore[union-attr]
        return found[0]

    def verdict(self) -> str:
        while True:
            line = self._line()
            if line.strip().startswith("<-"):
                return line.strip()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def test_polaris_a_haip_verifier_accepts_the_answer(cli: Any, holding: str, tmp_path: Path) -> None:
    polaris = Polaris(tmp_path, ["given_name"])
    try:
        tls = {"SSL_CERT_FILE": str(polaris.pki / "tls.pem")}
        untrusted = cli.with_passphrase("share", "--request", polaris.link, "--yes", "--json", env=tls)
        answered = cli.with_passphrase("share", "--request", polaris.link, "--yes", "--json",
                                       "--verifier-anchor", str(polaris.pki / "anchor.pem"), env=tls)
        assert untrusted.returncode == ExitStatus.INVALID, untrusted.stderr
        assert answered.returncode == 0, answered.stderr
        verdict = polaris.verdict()
        document = answered.json()
        assert document["verifier"]["authenticated"] is True
        assert document["verifier"]["clientId"].startswith("x509_hash:")
        assert document["responseMode"] == "direct_post.jwt"
        assert verdict.startswith("<- 200 authentic"), verdict  # a wallet error is answered 200 too
        assert "'given_name'" in verdict and "family_name" not in verdict and "address" not in verdict
    finally:
        polaris.stop()
