"""Published samples through the real command: 1EdTech OB 3.0 / CLR 2.0, the pilot's MATTR awards.

Skipped when ../shared/vectors is absent."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli
from skillpass.errors import ExitStatus

MATTR_EXTENSIONS = "https://mattr.global/contexts/vc-extensions/v2"
MATTR_VOCAB = "https://academic-microcredential-vocab.mattrlabs.com/v1"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"


def _issuer_document(key: dict[str, Any]) -> dict[str, Any]:
    return {"@context": ["https://www.w3.org/ns/did/v1"], "id": key["controller"],
            "verificationMethod": [{"id": key["verificationMethod"], "type": "Multikey",
                                    "controller": key["controller"],
                                    "publicKeyMultibase": key["publicKeyMultibase"]}],
            "assertionMethod": [key["verificationMethod"]]}


@pytest.fixture
def trusted_1edtech_issuer(cli: Cli, wallet_home: Path, vectors: Path, tmp_path: Path) -> Path:
    """The 1EdTech example issuer's key, kept locally, and the CLR 2.0 context trusted."""
    folder = vectors / "ob3" / "signed"
    document = tmp_path / "issuer.json"
    document.write_text(json.dumps(_issuer_document(json.loads((folder / "key.json").read_text()))))
    assert cli.with_passphrase("dids", "add", str(document)).returncode == 0
    clr = cli.with_passphrase("contexts", "add", str(vectors / "contexts" / "clr-v2p0-context-2.0.1.json"),
                              "--url", CLR_CONTEXT)
    assert clr.returncode == 0, clr.stderr
    return folder


def test_signed_open_badge_and_clr_examples_import(cli: Cli, trusted_1edtech_issuer: Path) -> None:
    folder = trusted_1edtech_issuer
    result = cli.with_passphrase("import", str(folder / "ob3_eddsa-rdfc-2022_signed.json"),
                                 str(folder / "clr2_eddsa-rdfc-2022_signed.json"), "--json")
    assert result.returncode == 0, result.stdout
    assert [o["status"] for o in result.json()] == ["imported", "imported"]
    rows = {row["id"]: row for row in cli.with_passphrase("list", "--json").json()}
    clr = next(cli.with_passphrase("show", rid, "--json").json() for rid in rows
               if "ClrCredential" in cli.with_passphrase("show", rid, "--json").json()["summary"]["types"])
    assert clr["summary"]["credentials"], "the CLR's nested credentials are summarised"


def test_without_the_clr_context_the_rejection_names_it(cli: Cli, wallet_home: Path, vectors: Path) -> None:
    result = cli.with_passphrase("import", str(vectors / "ob3" / "signed" / "clr2_eddsa-rdfc-2022_signed.json"),
                                 "--json")
    assert result.returncode == ExitStatus.UNVERIFIABLE
    assert CLR_CONTEXT in result.json()[0]["reason"]
    assert "skillpass contexts add" in result.json()[0]["hint"]


def _mattr(vectors: Path, name: str) -> Path:
    return vectors / "mattr" / "arucc-vsp" / f"academic-award.{name}.json"


def _extensions_context(vectors: Path) -> Path | None:
    """MATTR's vc-extensions/v2 context, if the shared vectors have it (they did not in 2026-11)."""
    candidates = list(vectors.rglob("*vc-extensions*v2*.json*"))
    return candidates[0] if candidates else None


def test_mattr_awards_name_the_missing_context_with_the_hint(cli: Cli, wallet_home: Path, vectors: Path) -> None:
    result = cli.with_passphrase("import", str(_mattr(vectors, "valid-ed25519signature2018")), "--json")
    assert result.returncode == ExitStatus.UNVERIFIABLE
    [outcome] = result.json()
    assert outcome["code"] == "E_CONTEXT_UNKNOWN"
    assert MATTR_EXTENSIONS in outcome["reason"]
    assert "skillpass contexts add" in outcome["hint"]


def test_mattr_awards_with_their_contexts_added(cli: Cli, wallet_home: Path, vectors: Path) -> None:
    vocab = vectors / "mattr" / "arucc-vsp" / "academic-microcredential-vocab-v1.jsonld"
    assert cli.with_passphrase("contexts", "add", str(vocab), "--url", MATTR_VOCAB).returncode == 0
    extensions = _extensions_context(vectors)
    if extensions is None:
        still = cli.with_passphrase("import", str(_mattr(vectors, "valid-ed25519signature2018")), "--json")
        assert MATTR_EXTENSIONS in still.json()[0]["reason"]
        pytest.skip(f"{MATTR_EXTENSIONS} is not in ../shared/vectors: the valid award cannot be checked offline")
    assert cli.with_passphrase("contexts", "add", str(extensions), "--url", MATTR_EXTENSIONS).returncode == 0
    valid = cli.with_passphrase("import", str(_mattr(vectors, "valid-ed25519signature2018")), "--json")
    assert valid.json()[0]["status"] == "imported", valid.stdout
    for name in ("bad-signature", "modified-information"):
        bad = cli.with_passphrase("import", str(_mattr(vectors, name)), "--json")
        assert bad.json()[0]["status"] == "rejected"
        assert bad.returncode == ExitStatus.INVALID


def test_every_sample_with_the_network_disabled(tmp_path: Path, vectors: Path, no_network: None) -> None:
    from conftest import PASSPHRASE, sources
    from skillpass import flow
    from skillpass.wallet.unlock import Passphrase
    from skillpass.wallet.wallet import create_wallet

    home = tmp_path / "home"
    create_wallet(home, passphrase=Passphrase(PASSPHRASE.encode()), use_keyring=False).close()
    session = flow.Session(home, sources())
    folder = vectors / "ob3" / "signed"
    document = tmp_path / "issuer.json"
    document.write_text(json.dumps(_issuer_document(json.loads((folder / "key.json").read_text()))))
    flow.add_did_document(session, document)
    flow.add_context(session, vectors / "contexts" / "clr-v2p0-context-2.0.1.json", CLR_CONTEXT)

    samples = [str(folder / "ob3_eddsa-rdfc-2022_signed.json"), str(folder / "clr2_eddsa-rdfc-2022_signed.json"),
               *map(str, sorted((vectors / "mattr" / "arucc-vsp").glob("academic-award.*.json")))]
    outcomes = flow.import_credentials(session, samples, None, now=datetime.now(timezone.utc),
                                       allow_expired=False, progress=lambda total: lambda: None)
    assert [o.status for o in outcomes[:2]] == ["imported", "imported"]
    assert all(o.status == "rejected" and o.code for o in outcomes[2:])


def test_what_imports_also_verifies_with_the_documents_the_wallet_keeps(
        cli: Cli, trusted_1edtech_issuer: Path, tmp_path: Path) -> None:
    badge = str(trusted_1edtech_issuer / "ob3_eddsa-rdfc-2022_signed.json")
    assert cli.with_passphrase("import", badge).returncode == 0

    kept = cli.with_passphrase("verify", badge, "--json")
    without_passphrase = cli("verify", badge, "--json")

    assert kept.returncode == 0, kept.stdout
    assert kept.json()["outcome"] == "verified"
    assert without_passphrase.returncode == ExitStatus.UNVERIFIABLE
    assert "keeps what this check could use (1 DID document" in without_passphrase.stderr
    assert "--passphrase-file" in without_passphrase.stderr
    proof = next(c for c in without_passphrase.json()["checks"] if c["name"] == "credential 1 proof")
    assert proof["code"] == "E_DID_UNKNOWN" and "verify --did FILE" in proof["hint"]


def test_verify_did_file_resolves_an_issuer_for_one_check(cli: Cli, vectors: Path, tmp_path: Path) -> None:
    folder = vectors / "ob3" / "signed"
    document = tmp_path / "issuer.json"
    document.write_text(json.dumps(_issuer_document(json.loads((folder / "key.json").read_text()))))
    badge = str(folder / "ob3_eddsa-rdfc-2022_signed.json")

    result = cli("verify", badge, "--did", str(document), "--json", "--home", str(tmp_path / "no-wallet"))

    assert result.returncode == 0, result.stdout
    assert result.json()["outcome"] == "verified"
    assert result.stderr == ""
