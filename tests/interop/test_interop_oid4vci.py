"""`skillpass receive` against an OpenID4VCI 1.0 issuer nobody here wrote the protocol code of:
tests/interop/oid4vci_issuer.mjs, on the OpenWallet Foundation's oid4vc-ts (@openid4vc/openid4vci,
@openid4vc/oauth2) with @sd-jwt/sd-jwt-vc, on 127.0.0.1 over TLS (a certificate made here,
trusted through SSL_CERT_FILE). The real command runs in a subprocess (tests/conftest.py `Cli`)."""

from __future__ import annotations

import json
import os
import pty
import select
import ssl
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, TESTS, Cli

from interop.conftest import INTEROP_DIR, NodePeer

TX_CODE = "493536"


@dataclass
class Issuer:
    url: str
    ca_file: Path
    process: subprocess.Popen[str]

    def offer(self, *configurations: str, tx_code: str | None = TX_CODE, by_reference: bool = False,
              ldp_vc: dict[str, Any] | None = None, authorization_code: bool = False) -> dict[str, Any]:
        """A new offer (its own single-use pre-authorized code): {link, offer, preAuthorizedCode};
        `ldp_vc` is the signed credential its ldp_vc configuration hands out; `authorization_code`:
        the offer has only the authorization code grant (the code is its issuer_state)."""
        body = json.dumps({"configurations": list(configurations), "txCode": tx_code,
                           "byReference": by_reference, "ldpVc": ldp_vc,
                           "authorizationCode": authorization_code}).encode()
        request = urllib.request.Request(f"{self.url}/test/offer", body, {"content-type": "application/json"})
        context = ssl.create_default_context(cafile=str(self.ca_file)) if self.url.startswith("https") else None
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            return json.loads(response.read())


def _certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1 (its own CA)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
                   .not_valid_after(now + timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                               x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    cert_file, key_file = directory / "tls.pem", directory / "tls-key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def _start(peer: NodePeer, directory: Path, *flags: str, tls: bool = True) -> Iterator[Issuer]:
    cert_file, key_file = _certificate(directory)
    tls_flags = ["--cert", str(cert_file), "--key", str(key_file)] if tls else []
    process = subprocess.Popen([peer.node, str(INTEROP_DIR / "oid4vci_issuer.mjs"), *tls_flags, *flags],
                               cwd=INTEROP_DIR, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        ready = json.loads(process.stdout.readline() or "{}")
        assert ready.get("ready"), "the issuer did not start"
        yield Issuer(ready["url"], cert_file, process)
    finally:
        process.terminate()  # by its PID: this process only
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def issuer(peer: NodePeer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Issuer]:
    yield from _start(peer, tmp_path_factory.mktemp("oid4vci"))


@pytest.fixture(scope="module")
def dpop_issuer(peer: NodePeer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Issuer]:
    yield from _start(peer, tmp_path_factory.mktemp("oid4vci-dpop"), "--dpop")


def receive(cli: Cli, issuer: Issuer, *args: str, input: bytes | None = None) -> Any:
    return cli.with_passphrase("receive", *args, input=input, env={"SSL_CERT_FILE": str(issuer.ca_file)})


def listed(cli: Cli) -> list[dict[str, Any]]:
    result = cli.with_passphrase("list", "--json")
    assert result.returncode == 0, result.stderr
    return result.json()


def test_receives_an_sd_jwt_vc_by_value_with_a_tx_code(cli: Cli, wallet_home: Path, issuer: Issuer) -> None:
    offer = issuer.offer("welding-sd-jwt")
    assert offer["link"].startswith("openid-credential-offer://?credential_offer=")
    result = receive(cli, issuer, offer["link"], "--tx-code", TX_CODE, "--yes", "--json")
    assert result.returncode == 0, result.stderr
    answer = result.json()
    assert answer["issuer"] == {"id": issuer.url, "name": "Collège Boréal (test issuer)"}
    [received] = answer["received"]
    assert received["status"] == "imported" and received["format"] == "dc+sd-jwt"
    assert received["configuration"] == "welding-sd-jwt" and "warning" not in received
    [row] = listed(cli)
    assert row["id"] == received["id"]
    # offline from here: the issuer's keys were kept beside it, the credential shows as verified
    shown = cli.with_passphrase("show", received["id"], "--json")
    assert shown.returncode == 0, shown.stderr
    assert issuer.url in json.dumps(shown.json())


def test_receives_a_jwt_vc_by_reference(cli: Cli, wallet_home: Path, issuer: Issuer) -> None:
    offer = issuer.offer("welding-jwt-vc", by_reference=True)
    assert "credential_offer_uri=" in offer["link"]
    result = receive(cli, issuer, offer["link"], "--tx-code", TX_CODE, "--yes", "--json")
    assert result.returncode == 0, result.stderr
    [received] = result.json()["received"]
    assert received["status"] == "imported" and received["format"] == "jwt_vc_json"
    assert "warning" not in received  # issued to the wallet's own did:key (the proof's kid)
    assert [row["id"] for row in listed(cli)] == [received["id"]]


def test_receives_both_formats_from_one_offer_on_stdin_with_dpop(cli: Cli, wallet_home: Path,
                                                                 dpop_issuer: Issuer) -> None:
    offer = dpop_issuer.offer("welding-sd-jwt", "welding-jwt-vc", tx_code=None)
    result = receive(cli, dpop_issuer, "-", "--yes", "--json", input=offer["link"].encode())
    assert result.returncode == 0, result.stderr
    formats = sorted(r["format"] for r in result.json()["received"])
    assert formats == ["dc+sd-jwt", "jwt_vc_json"]
    assert len(listed(cli)) == 2


def test_receives_a_data_integrity_credential(cli: Cli, wallet_home: Path, issuer: Issuer, peer: NodePeer) -> None:
    dids = cli.with_passphrase("did", "--json").json()
    p256 = next(d["did"] for d in (dids if isinstance(dids, list) else dids["dids"]) if d["keyType"] == "P-256")
    unsigned = peer.fixture("ob3-unsigned.json")
    unsigned["credentialSubject"]["id"] = p256
    signed = peer.run("issue", "--suite", "eddsa-rdfc-2022", input_json=unsigned)
    offer = issuer.offer("data-literacy-ldp", ldp_vc=signed)
    result = receive(cli, issuer, offer["link"], "--tx-code", TX_CODE, "--yes", "--json")
    assert result.returncode == 0, result.stderr
    [received] = result.json()["received"]
    assert received["status"] == "imported" and received["format"] == "ldp_vc" and "warning" not in received
    assert received["title"] == "Data Literacy Foundations"


def test_a_credential_that_does_not_verify_is_not_kept(cli: Cli, wallet_home: Path, issuer: Issuer,
                                                       peer: NodePeer) -> None:
    signed = peer.run("issue", "--suite", "eddsa-rdfc-2022", input_json=peer.fixture("ob3-unsigned.json"))
    signed["name"] = "Tampered after signing"
    offer = issuer.offer("welding-sd-jwt", "data-literacy-ldp", ldp_vc=signed)
    result = receive(cli, issuer, offer["link"], "--tx-code", TX_CODE, "--yes")
    assert result.returncode == 9, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert listed(cli) == []  # the good SD-JWT VC of the same offer is not kept either


def test_did_chooses_the_holder_key(cli: Cli, wallet_home: Path, issuer: Issuer) -> None:
    dids = cli.with_passphrase("did", "--json").json()
    ed25519 = next(d["did"] for d in (dids if isinstance(dids, list) else dids["dids"]) if d["keyType"] == "Ed25519")
    offer = issuer.offer("welding-jwt-vc")
    result = receive(cli, issuer, offer["link"], "--tx-code", TX_CODE, "--yes", "--json", "--did", ed25519)
    assert result.returncode == 0, result.stderr
    [received] = result.json()["received"]
    assert "warning" not in received  # issued to the chosen DID
    shown = cli.with_passphrase("show", received["id"], "--json").json()
    assert ed25519 in json.dumps(shown)


def test_on_a_terminal_it_shows_the_offer_asks_and_prompts_for_the_code_hidden(
        cli: Cli, wallet_home: Path, issuer: Issuer) -> None:
    offer = issuer.offer("welding-sd-jwt")
    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, str(TESTS / "cheap_kdf.py"), "receive", offer["link"],
                             "--passphrase-file", str(cli.passphrase_file)], stdin=secondary, stdout=secondary,
                            stderr=secondary, env=dict(cli.env, SSL_CERT_FILE=str(issuer.ca_file)), cwd=REPO)
    os.close(secondary)

    def read_until(marker: bytes) -> bytes:
        seen = b""
        while marker not in seen:
            ready, _, _ = select.select([primary], [], [], 30)
            assert ready, seen
            seen += os.read(primary, 4096)
        return seen

    shown = read_until(b"keep these credentials if they verify?")
    assert b"Coll\xc3\xa8ge Bor\xc3\xa9al (test issuer)" in shown and b"Welding Safety (dc+sd-jwt)" in shown
    os.write(primary, b"y\n")
    read_until(b"the code in your email (6 digits):")
    os.write(primary, TX_CODE.encode() + b"\n")
    rest = read_until(b"dc+sd-jwt")
    assert proc.wait(timeout=60) == 0
    os.close(primary)
    assert TX_CODE.encode() not in rest  # the code was not echoed
    assert len(listed(cli)) == 1


def test_a_wrong_tx_code_is_refused_and_nothing_is_kept(cli: Cli, wallet_home: Path, issuer: Issuer) -> None:
    offer = issuer.offer("welding-sd-jwt")
    result = receive(cli, issuer, offer["link"], "--tx-code", "000000", "--yes")
    assert result.returncode == 9, result.stderr
    assert result.stderr.startswith("skillpass: error: the issuer refused the offer's code (invalid_grant")
    assert len(result.stderr.strip().splitlines()) == 1
    assert listed(cli) == []


def test_a_reused_code_is_refused(cli: Cli, wallet_home: Path, issuer: Issuer) -> None:
    offer = issuer.offer("welding-jwt-vc")
    first = receive(cli, issuer, offer["link"], "--tx-code", TX_CODE, "--yes")
    assert first.returncode == 0, first.stderr
    before = listed(cli)
    again = receive(cli, issuer, offer["link"], "--tx-code", TX_CODE, "--yes")
    assert again.returncode == 9 and "invalid_grant" in again.stderr
    assert listed(cli) == before


def test_without_a_tx_code_or_a_terminal_it_says_what_to_do(cli: Cli, wallet_home: Path, issuer: Issuer) -> None:
    offer = issuer.offer("welding-sd-jwt")
    result = receive(cli, issuer, offer["link"], "--yes")
    assert result.returncode == 2
    assert "transaction code" in result.stderr and "--tx-code" in result.stderr
    assert listed(cli) == []


def test_without_yes_or_a_terminal_nothing_is_received(cli: Cli, wallet_home: Path, issuer: Issuer) -> None:
    offer = issuer.offer("welding-sd-jwt")
    result = receive(cli, issuer, offer["link"], "--tx-code", TX_CODE)
    assert result.returncode == 12 and "pass --yes" in result.stderr
    assert result.stderr.count("\n") == 1  # one line: nobody is there to read a preview
    assert listed(cli) == []


def test_an_untrusted_certificate_is_a_network_error(cli: Cli, wallet_home: Path, issuer: Issuer) -> None:
    offer = issuer.offer("welding-sd-jwt")
    result = cli.with_passphrase("receive", offer["link"], "--tx-code", TX_CODE, "--yes")
    assert result.returncode == 14 and "TLS certificate" in result.stderr
    assert listed(cli) == []


def test_plain_http_to_loopback_only_with_allow_http(cli: Cli, wallet_home: Path, peer: NodePeer,
                                                     tmp_path: Path) -> None:
    starting = _start(peer, tmp_path, tls=False)
    issuer = next(starting)
    try:
        assert issuer.url.startswith("http://127.0.0.1:")
        refused = cli.with_passphrase("receive", issuer.offer("welding-jwt-vc")["link"], "--tx-code", TX_CODE,
                                      "--yes")
        assert refused.returncode == 14 and "https only" in refused.stderr
        result = cli.with_passphrase("receive", issuer.offer("welding-jwt-vc")["link"], "--tx-code", TX_CODE,
                                     "--yes", "--json", "--allow-http")
        assert result.returncode == 0, result.stderr
        assert [r["format"] for r in result.json()["received"]] == ["jwt_vc_json"]
    finally:
        starting.close()  # stops it by its PID


def test_an_unreachable_issuer_is_a_network_error(cli: Cli, wallet_home: Path) -> None:
    port = _free_port()
    offer = json.dumps({"credential_issuer": f"https://localhost:{port}", "credential_configuration_ids": ["x"],
                        "grants": {"urn:ietf:params:oauth:grant-type:pre-authorized_code":
                                   {"pre-authorized_code": "abc"}}})
    result = cli.with_passphrase("receive", "-", "--yes", input=offer.encode())
    assert result.returncode == 14 and "cannot reach localhost" in result.stderr
    assert listed(cli) == []


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])



def test_the_received_sd_jwt_vc_is_shared_and_verified_offline(cli: Cli, wallet_home: Path, peer: NodePeer,
                                                               tmp_path: Path) -> None:
    from conftest import sources

    from skillpass.flow.session import Session

    starting = _start(peer, tmp_path)  # an issuer of its own, stopped halfway
    issuer = next(starting)
    offer = issuer.offer("welding-sd-jwt")
    result = receive(cli, issuer, offer["link"], "--tx-code", TX_CODE, "--yes", "--json")
    assert result.returncode == 0, result.stderr
    [received] = result.json()["received"]
    with pytest.raises(StopIteration):
        next(starting)  # the issuer is stopped: from here on, nothing to connect to
    with Session(wallet_home, sources()).open() as wallet:
        kept = dict(wallet.items_json("issuer"))
    [record] = kept.values()
    assert record["issuer"] == issuer.url and record["metadata"]["jwks"]["keys"]

    shared = cli.with_passphrase("share", received["id"], "--reveal", "achievement", "--challenge", "n-1",
                                 "--domain", "https://employer.example", "--out", "-")
    assert shared.returncode == 0, shared.stderr
    metadata_file, presentation = tmp_path / "jwt-vc-issuer.json", tmp_path / "shown.sd-jwt"
    metadata_file.write_text(json.dumps(record["metadata"]))
    presentation.write_text(shared.stdout.strip() + "\n")
    trusted = cli("trust", "add", "--metadata", str(metadata_file), "--name", "Boréal")
    assert trusted.returncode == 0, trusted.stderr
    report = cli("verify", str(presentation), "--challenge", "n-1", "--domain", "https://employer.example", "--json")
    assert report.returncode == 0, report.stdout
    assert report.json()["outcome"] == "verified"


# -- the authorization code flow: the test plays the learner's browser ---------------------------


@pytest.fixture(scope="module")
def no_par_issuer(peer: NodePeer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Issuer]:
    yield from _start(peer, tmp_path_factory.mktemp("oid4vci-no-par"), "--no-par")


class Signing:
    """`skillpass receive OFFER --yes --no-browser --json` running, stopped at the sign-in."""

    def __init__(self, cli: Cli, issuer: Issuer, link: str, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(TESTS / "cheap_kdf.py"), "receive", link, "--yes", "--no-browser", "--json",
             "--passphrase-file", str(cli.passphrase_file), *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=dict(cli.env, SSL_CERT_FILE=str(issuer.ca_file)), cwd=REPO, text=True)
        self.seen: list[str] = []
        self.url = self._authorization_url()

    def _authorization_url(self) -> str:
        assert self.process.stderr is not None
        for line in self.process.stderr:  # the address is printed on a line of its own
            self.seen.append(line)
            if line.strip().startswith("https://"):
                return line.strip()
        raise AssertionError("no authorization URL: " + "".join(self.seen))

    def finish(self) -> tuple[int, str, str]:
        out, err = self.process.communicate(timeout=60)
        return self.process.returncode, out, "".join(self.seen) + err

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()  # by its PID: this process only
            self.process.communicate()


def browse(url: str, issuer: Issuer, **kwargs: Any) -> Any:
    import httpx

    return httpx.get(url, verify=ssl.create_default_context(cafile=str(issuer.ca_file)), follow_redirects=True,
                     timeout=10, **kwargs)


def test_an_authorization_code_offer_is_received_through_par_and_pkce(cli: Cli, wallet_home: Path,
                                                                      issuer: Issuer) -> None:
    offer = issuer.offer("welding-sd-jwt", authorization_code=True, tx_code=None)
    assert list(offer["offer"]["grants"]) == ["authorization_code"]
    signing = Signing(cli, issuer, offer["link"])
    try:
        # pushed first (the issuer requires PAR): the address carries only client_id and request_uri
        assert signing.url.startswith(f"{issuer.url}/authorize?")
        assert "request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A" in signing.url
        assert "code_challenge" not in signing.url and "state=" not in signing.url
        page = browse(signing.url, issuer)  # the issuer approves and redirects to the loopback callback
        assert page.status_code == 200 and str(page.url).startswith("http://127.0.0.1:")
        assert page.headers["content-type"].startswith("text/plain") and "close this window" in page.text
        status, out, err = signing.finish()
    finally:
        signing.kill()
    assert status == 0, err
    [received] = json.loads(out)["received"]
    assert received["status"] == "imported" and received["format"] == "dc+sd-jwt" and "warning" not in received
    assert [row["id"] for row in listed(cli)] == [received["id"]]
    shown = cli.with_passphrase("show", received["id"], "--json")
    assert shown.returncode == 0 and issuer.url in shown.stdout


def test_without_par_the_request_is_in_the_address(cli: Cli, wallet_home: Path, no_par_issuer: Issuer) -> None:
    offer = no_par_issuer.offer("welding-jwt-vc", authorization_code=True, tx_code=None)
    signing = Signing(cli, no_par_issuer, offer["link"])
    try:
        assert "code_challenge_method=S256" in signing.url and "authorization_details=" in signing.url
        assert "issuer_state=" in signing.url and "redirect_uri=http%3A%2F%2F127.0.0.1%3A" in signing.url
        assert browse(signing.url, no_par_issuer).status_code == 200
        status, out, err = signing.finish()
    finally:
        signing.kill()
    assert status == 0, err
    assert [r["format"] for r in json.loads(out)["received"]] == ["jwt_vc_json"]


def _redirect(signing: Signing, issuer: Issuer) -> tuple[str, str]:
    """Where the issuer would send the browser, not followed: (the callback address, its state)."""
    from urllib.parse import parse_qs, urlsplit

    import httpx

    answer = httpx.get(signing.url, verify=ssl.create_default_context(cafile=str(issuer.ca_file)), timeout=10)
    assert answer.status_code == 302
    location = answer.headers["location"]
    return location.split("?")[0], parse_qs(urlsplit(location).query)["state"][0]


def test_a_denied_authorization_is_cancelled_and_nothing_is_kept(cli: Cli, wallet_home: Path,
                                                                 issuer: Issuer) -> None:
    signing = Signing(cli, issuer, issuer.offer("welding-sd-jwt", authorization_code=True, tx_code=None)["link"])
    try:
        callback, state = _redirect(signing, issuer)
        page = browse(callback, issuer, params={"error": "access_denied", "state": state})
        status, out, err = signing.finish()
    finally:
        signing.kill()
    assert page.status_code == 200 and "did not authorize" in page.text
    assert status == 12 and out == ""
    assert err.strip().splitlines()[-1].startswith("skillpass: error: the authorization was denied")
    assert listed(cli) == []


def test_a_callback_with_another_state_is_refused(cli: Cli, wallet_home: Path, issuer: Issuer) -> None:
    signing = Signing(cli, issuer, issuer.offer("welding-sd-jwt", authorization_code=True, tx_code=None)["link"])
    try:
        callback, _ = _redirect(signing, issuer)
        assert browse(callback.replace("/callback", "/favicon.ico"), issuer).status_code == 404  # not counted
        page = browse(callback, issuer, params={"code": "forged", "state": "someone-else"})
        status, _, err = signing.finish()
    finally:
        signing.kill()
    assert page.status_code == 400 and page.text.startswith("skillpass refused this answer")
    assert "forged" not in page.text and "someone-else" not in page.text  # nothing echoed
    assert status == 14 and "did not carry this request's state" in err
    assert listed(cli) == []


def test_no_sign_in_before_the_timeout_is_cancelled(cli: Cli, wallet_home: Path, issuer: Issuer) -> None:
    signing = Signing(cli, issuer, issuer.offer("welding-sd-jwt", authorization_code=True, tx_code=None)["link"],
                      "--timeout", "1")
    try:
        status, _, err = signing.finish()
    finally:
        signing.kill()
    assert status == 12 and "no answer from the sign-in within 1 s" in err
    assert listed(cli) == []


# -- a did:web issuer: its DID document fetched once at receive, kept, then used offline --------


class DidWebServer:
    """A did:web host on 127.0.0.1 over plain http (receive --allow-http): GET
    /.well-known/did.json answers `document`; every path asked for is recorded."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.document: Any = None
        self.asked: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # the name http.server calls
                outer.asked.append(self.path)
                found = self.path == "/.well-known/did.json" and outer.document is not None
                body = json.dumps(outer.document if found else {"error": "not found"}).encode()
                self.send_response(200 if found else 404)
                self.send_header("content-type", "application/did+json" if found else "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.did = f"did:web:127.0.0.1%3A{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def did_web_host() -> Iterator[DidWebServer]:
    server = DidWebServer()
    try:
        yield server
    finally:
        server.stop()


def _did_web_badge(cli: Cli, did: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(an Open Badge signed eddsa-rdfc-2022 by `did`#key-1 for the wallet's P-256 DID, its DID document)."""
    from cryptography.hazmat.primitives.asymmetric import ed25519
    from issuing import Issuer as BadgeIssuer
    from issuing import ob3

    from skillpass import suites
    from skillpass.keys import multikey

    dids = cli.with_passphrase("did", "--json").json()
    p256 = next(d["did"] for d in (dids if isinstance(dids, list) else dids["dids"]) if d["keyType"] == "P-256")
    key = ed25519.Ed25519PrivateKey.generate()
    method = f"{did}#key-1"
    document = {"@context": ["https://www.w3.org/ns/did/v1"], "id": did,
                "verificationMethod": [{"id": method, "type": "Multikey", "controller": did,
                                        "publicKeyMultibase": multikey.encode_public_key(key.public_key())}],
                "assertionMethod": [method]}
    unsigned = ob3("Data Literacy Foundations", issuer=BadgeIssuer(did, key), subject=p256)
    signed = suites.sign(unsigned, suite="eddsa-rdfc-2022", private_key=key, verification_method=method,
                         created="2026-01-15T00:00:00Z")
    return signed, document


def kept_dids(wallet_home: Path) -> dict[str, Any]:
    from conftest import sources

    from skillpass.flow.session import Session

    with Session(wallet_home, sources()).open() as wallet:
        return {value["id"]: value for _, value in wallet.items_json("did")}


def test_a_did_web_issuers_document_is_kept_and_the_credential_verifies_offline(
        cli: Cli, wallet_home: Path, issuer: Issuer, did_web_host: DidWebServer, tmp_path: Path) -> None:
    signed, document = _did_web_badge(cli, did_web_host.did)
    did_web_host.document = document
    offer = issuer.offer("data-literacy-ldp", ldp_vc=signed)
    result = receive(cli, issuer, offer["link"], "--tx-code", TX_CODE, "--yes", "--json", "--allow-http")
    assert result.returncode == 0, result.stderr
    [received] = result.json()["received"]
    assert received["status"] == "imported" and received["format"] == "ldp_vc" and "warning" not in received
    assert did_web_host.asked == ["/.well-known/did.json"]  # its own host, once
    did_web_host.stop()  # offline from here: nothing to fetch the document from
    kept = kept_dids(wallet_home)
    assert list(kept) == [did_web_host.did] and kept[did_web_host.did]["document"] == document
    listed_dids = cli.with_passphrase("dids", "list", "--json")
    assert listed_dids.returncode == 0 and did_web_host.did in listed_dids.stdout  # as after `dids add`

    shown = cli.with_passphrase("show", received["id"], "--json")
    assert shown.returncode == 0, shown.stderr
    shared = cli.with_passphrase("share", received["id"], "--reveal-all", "--challenge", "n-1",
                                 "--domain", "https://employer.example", "--out", "-")
    assert shared.returncode == 0, shared.stderr
    presentation = tmp_path / "shown.json"
    presentation.write_text(shared.stdout)
    report = cli.with_passphrase("verify", str(presentation), "--challenge", "n-1",
                                 "--domain", "https://employer.example", "--json")
    assert report.returncode == 0, report.stdout + report.stderr
    assert report.json()["outcome"] == "verified"

    again = issuer.offer("data-literacy-ldp", ldp_vc=signed)  # kept: not fetched again
    result = receive(cli, issuer, again["link"], "--tx-code", TX_CODE, "--yes", "--json", "--allow-http")
    assert result.returncode == 0, result.stderr
    assert result.json()["received"][0]["status"] == "duplicate"


@pytest.mark.parametrize("served", ["nothing", "another DID's document", "unreachable"])
def test_a_did_document_that_cannot_be_fetched_keeps_nothing(cli: Cli, wallet_home: Path, issuer: Issuer,
                                                              did_web_host: DidWebServer, served: str) -> None:
    signed, document = _did_web_badge(cli, did_web_host.did)
    did_web_host.document = {"another DID's document": {**document, "id": "did:web:127.0.0.1"},
                             "nothing": None}.get(served, document)
    if served == "unreachable":
        did_web_host.stop()
    offer = issuer.offer("welding-sd-jwt", "data-literacy-ldp", ldp_vc=signed)
    result = receive(cli, issuer, offer["link"], "--tx-code", TX_CODE, "--yes", "--allow-http")
    assert result.returncode == 14, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "127.0.0.1" in result.stderr
    assert listed(cli) == [] and kept_dids(wallet_home) == {}  # not the good SD-JWT VC either


def test_a_did_web_is_fetched_over_https_without_allow_http(cli: Cli, wallet_home: Path, issuer: Issuer,
                                                             did_web_host: DidWebServer) -> None:
    signed, document = _did_web_badge(cli, did_web_host.did)
    did_web_host.document = document
    offer = issuer.offer("data-literacy-ldp", ldp_vc=signed)
    result = receive(cli, issuer, offer["link"], "--tx-code", TX_CODE, "--yes")
    assert result.returncode == 14 and did_web_host.asked == []  # a TLS handshake with a plain http server
    assert listed(cli) == [] and kept_dids(wallet_home) == {}
