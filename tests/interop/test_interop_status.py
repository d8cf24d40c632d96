"""Status lists other people's code made (tests/interop/status.mjs), read and looked up here.

digitalbazaar's @digitalbazaar/vc-bitstring-status-list makes a BitstringStatusListCredential
with one bit set, signed eddsa-rdfc-2022 by digitalbazaar's signing stack (peer.mjs) together
with two OB 3.0 credentials of the same issuer, one at the set index and one not; a second copy
of the list is signed by another issuer. The OpenWallet Foundation's @sd-jwt/jwt-status-list
makes a statuslist+jwt (ES256) and @sd-jwt/sd-jwt-vc an SD-JWT VC naming it.

`write_status_peer_outputs(directory, node)` writes all of it as files, for the CLI-level tests
(the `status_peer_files` fixture here does it once a session):

    meta.json               {index, validIndex, listUrl, issuer, otherIssuer, token: {index, uri, iss}}
    status-list.json        the BitstringStatusListCredential (bit `index` set)
    revoked-credential.json OB 3.0 credential, BitstringStatusListEntry at `index`
    valid-credential.json   the same issuer's credential at `validIndex` (unset)
    other-issuer-list.json  the same list, signed by `otherIssuer`
    status-list.jwt         the Token Status List (index `token.index` = 1, INVALID)
    issuer-metadata.json    JWT VC Issuer Metadata with the token's ES256 key
    sd-jwt-vc.txt           an SD-JWT VC of that issuer whose status names the token list
"""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from skillpass import formats
from skillpass.formats.base import Material
from skillpass.formats.issuer_keys import Trusted, parse_metadata
from skillpass.jsonld.loader import ContextStore
from skillpass.status import NOT_CHECKED, REVOKED, VALID
from skillpass.status.lookup import status_of
from skillpass.status.read import read_status_list

pytestmark = pytest.mark.interop

INTEROP_DIR = Path(__file__).resolve().parent
TIMEOUT_S = 180


def run_status_peer(node: str, command: str, *args: str) -> dict[str, Any]:
    completed = subprocess.run([node, str(INTEROP_DIR / "status.mjs"), command, *args], capture_output=True,
                               text=True, timeout=TIMEOUT_S, cwd=INTEROP_DIR, check=False)
    if completed.returncode != 0:
        raise AssertionError(f"status.mjs {command} exited {completed.returncode}: "
                             f"{completed.stdout[-2000:]} {completed.stderr[-2000:]}")
    output = json.loads(completed.stdout)
    assert isinstance(output, dict)
    return output


def write_status_peer_outputs(directory: Path, node: str) -> dict[str, Path]:
    """Run the status peer and write what it made to `directory`; returns name -> path."""
    bitstring = run_status_peer(node, "bitstring", "--index", "7", "--valid-index", "8")
    token = run_status_peer(node, "token", "--index", "3", "--value", "1")
    directory.mkdir(parents=True, exist_ok=True)
    meta = {key: bitstring[key] for key in ("index", "validIndex", "listUrl", "purpose", "issuer", "otherIssuer")}
    meta["token"] = {key: token[key] for key in ("index", "bits", "value", "uri", "iss")}
    documents: dict[str, Any] = {
        "meta.json": meta, "status-list.json": bitstring["statusList"],
        "revoked-credential.json": bitstring["revokedCredential"],
        "valid-credential.json": bitstring["validCredential"],
        "other-issuer-list.json": bitstring["otherIssuerList"],
        "issuer-metadata.json": token["issuerMetadata"],
    }
    paths = {}
    for name, document in documents.items():
        paths[name] = directory / name
        paths[name].write_text(json.dumps(document, indent=2), encoding="utf-8")
    for name, text in (("status-list.jwt", token["statusListJwt"]), ("sd-jwt-vc.txt", token["sdJwt"])):
        paths[name] = directory / name
        paths[name].write_text(text, encoding="ascii")
    return paths


@pytest.fixture(scope="session")
def status_peer_files(peer: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The status peer's outputs as files (see the module docstring); `peer` installs Node's side."""
    return write_status_peer_outputs(tmp_path_factory.mktemp("status-peer"), peer.node)


def now() -> datetime:
    return datetime.now(UTC)


def material(metadata: dict[str, Any] | None = None) -> Material:
    kept = {metadata["issuer"]: parse_metadata(metadata)} if metadata else {}
    return Material(ContextStore.bundled(), Trusted({}, kept))


def entries_of(path: Path) -> tuple[str, list[dict[str, Any]]]:
    """The credential as import verifies it: its issuer and its summary's status entries."""
    checked = formats.by_tag(formats.LDP_VC).check(path.read_bytes(), material(), now(), allow_expired=False)
    return checked.issuer, [entry.to_dict() for entry in checked.summary.status]


def test_digitalbazaar_bitstring_list_revokes_the_credential_at_its_set_bit(status_peer_files: dict[str, Path]) -> None:
    meta = json.loads(status_peer_files["meta.json"].read_text())
    status_list = read_status_list(status_peer_files["status-list.json"].read_bytes(), None, material(), now())
    assert (status_list.kind, status_list.url, status_list.issuer) == ("bitstring", meta["listUrl"], meta["issuer"])
    assert len(status_list.data) == 16384 and status_list.purposes == ("revocation",)
    lists = {status_list.url: status_list}

    issuer, entries = entries_of(status_peer_files["revoked-credential.json"])
    assert issuer == meta["issuer"]
    assert entries == [{"type": "BitstringStatusListEntry", "purpose": "revocation", "list": meta["listUrl"],
                        "index": str(meta["index"])}]
    revoked = status_of(entries[0], issuer, lists, now())
    assert (revoked.state, revoked.detail) == (REVOKED, f"revoked: index {meta['index']} of {meta['listUrl']}")

    issuer, entries = entries_of(status_peer_files["valid-credential.json"])
    assert status_of(entries[0], issuer, lists, now()).state == VALID


def test_the_same_list_signed_by_another_issuer_is_refused(status_peer_files: dict[str, Path]) -> None:
    meta = json.loads(status_peer_files["meta.json"].read_text())
    other = read_status_list(status_peer_files["other-issuer-list.json"].read_bytes(), meta["listUrl"], material(),
                             now())
    assert other.issuer == meta["otherIssuer"] != meta["issuer"]
    issuer, entries = entries_of(status_peer_files["revoked-credential.json"])
    result = status_of(entries[0], issuer, {other.url: other}, now())
    assert result.state == NOT_CHECKED and f"is from {meta['otherIssuer']}, not from" in result.detail


def test_sd_jwt_token_status_list_read_with_the_issuers_metadata(status_peer_files: dict[str, Path]) -> None:
    from skillpass.errors import UnverifiableError
    from skillpass.formats import jose

    meta = json.loads(status_peer_files["meta.json"].read_text())["token"]
    metadata = json.loads(status_peer_files["issuer-metadata.json"].read_text())
    raw = status_peer_files["status-list.jwt"].read_bytes()
    status_list = read_status_list(raw, meta["uri"], material(metadata), now())
    assert (status_list.kind, status_list.issuer, status_list.bits, status_list.lsb_first) == \
        ("token-status-list", meta["iss"], 1, True)
    assert status_list.stale_after is not None

    issuer_jwt = status_peer_files["sd-jwt-vc.txt"].read_text().split("~")[0]
    claims = jose.payload_json(jose.read_compact(issuer_jwt))
    named = claims["status"]["status_list"]
    assert named == {"idx": meta["index"], "uri": meta["uri"]}
    entry = {"type": "TokenStatusList", "purpose": None, "list": named["uri"], "index": str(named["idx"])}
    lists = {status_list.url: status_list}
    assert status_of(entry, claims["iss"], lists, now()).state == REVOKED
    assert status_of({**entry, "index": "4"}, claims["iss"], lists, now()).state == VALID
    with pytest.raises(UnverifiableError):
        read_status_list(raw, meta["uri"], material(), now())  # no key kept for the issuer


# -- through the real command: list, show and verify say what digitalbazaar's list says ---------


def _rows(cli: Any) -> dict[str, str]:
    listed = cli.with_passphrase("list", "--json")
    assert listed.returncode == 0, listed.stderr
    return {row["id"]: row["status"] for row in listed.json()}


def test_digitalbazaar_list_marks_its_credential_revoked_in_list_and_verify(
        cli: Any, wallet_home: Path, status_peer_files: dict[str, Path]) -> None:
    files = status_peer_files
    imported = cli.with_passphrase("import", str(files["revoked-credential.json"]),
                                   str(files["valid-credential.json"]), "--json")
    assert imported.returncode == 0, imported.stderr
    revoked_id, valid_id = (o["id"] for o in imported.json())
    assert set(_rows(cli).values()) == {"status not checked"}

    added = cli.with_passphrase("status", "add", str(files["status-list.json"]), "--json")
    assert added.returncode == 0, added.stderr
    assert (added.json()["revoked"], added.json()["credentials"]) == (1, 2)
    assert _rows(cli) == {revoked_id: "revoked", valid_id: "valid"}

    verified = cli("verify", str(files["revoked-credential.json"]), "--status-list", str(files["status-list.json"]),
                   "--json")
    assert verified.returncode == 9
    assert verified.json()["outcome"] == "invalid"
    assert cli("verify", str(files["valid-credential.json"]), "--status-list",
               str(files["status-list.json"])).returncode == 0


def test_another_issuers_copy_of_digitalbazaars_list_is_refused(cli: Any, wallet_home: Path,
                                                                 status_peer_files: dict[str, Path]) -> None:
    files = status_peer_files
    assert cli.with_passphrase("import", str(files["revoked-credential.json"])).returncode == 0
    refused = cli.with_passphrase("status", "add", str(files["other-issuer-list.json"]))
    assert refused.returncode == 9 and "only the issuer of a credential can revoke it" in refused.stderr
    assert set(_rows(cli).values()) == {"status not checked"}


def test_the_owf_token_status_list_revokes_an_sd_jwt_vc_in_the_wallet(cli: Any, wallet_home: Path,
                                                                      status_peer_files: dict[str, Path]) -> None:
    files = status_peer_files
    assert cli("trust", "add", "--metadata", str(files["issuer-metadata.json"]), "--name", "Token issuer").returncode == 0
    imported = cli.with_passphrase("import", str(files["sd-jwt-vc.txt"]), "--json")
    assert imported.returncode == 0, imported.stderr
    added = cli.with_passphrase("status", "add", str(files["status-list.jwt"]), "--json")
    assert added.returncode == 0, added.stderr
    assert list(_rows(cli).values()) == ["revoked"]
