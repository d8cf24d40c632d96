"""MATTR compact credentials (CSC:/1/, CSS:/1/): MATTR's sample and vc-cwt-verifier fixtures
decode as their .decoded.json says and the fixture's signature verifies against its JWK; a
credential signed by a key made here, its did:web document kept with `dids add`, goes through
the real command (import from a file, stdin and a QR image; list, show, verify, share); the
refusals (a changed byte, an unknown did:web, expired, another alg); the CWT status list."""

from __future__ import annotations

import base64
import gzip
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from conftest import Cli
from skillpass.errors import BadInputError, ExitStatus, InvalidError, UnverifiableError
from skillpass.formats.mattr_cwt import cose, cwt
from skillpass.formats.mattr_cwt.format import FORMAT

ISSUER = "did:web:credentials.boreal.example"
KID = "key-1"
NOW = int(time.time())
DAY = 86_400
LIST_URL = "https://boreal.example/core/v2/credentials/compact/revocation-lists/4e1c"
CTI = bytes.fromhex("0f8fad5bd9cb469fa16570867728950e")


# -- making credentials ---------------------------------------------------------------------------


def did_document(key: Any, did: str = ISSUER, relationship: str = "assertionMethod") -> dict[str, Any]:
    from skillpass.keys.multikey import public_key_to_jwk

    vm = f"{did}#{KID}"
    return {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
            "id": did, "verificationMethod": [{"id": vm, "type": "JsonWebKey2020", "controller": did,
                                               "publicKeyJwk": public_key_to_jwk(key.public_key())}],
            relationship: [vm]}


def claims(extra: dict[Any, Any] | None = None) -> dict[Any, Any]:
    made = {cwt.ISS: ISSUER, cwt.IAT: NOW - DAY, cwt.NBF: NOW - DAY, cwt.EXP: NOW + 365 * DAY,
            cwt.CTI: cbor2.CBORTag(64, CTI), "name": "Ana Tremblay", "award": "Welding Safety Level 2",
            "hours": 40, cwt.STATUS: {2: 3, 3: LIST_URL}}
    made.update(extra or {})
    return {k: v for k, v in made.items() if v is not None}


def compact(key: Any, payload: dict[Any, Any] | None = None, *, prefix: str = cwt.COMPACT,
            alg: int = cose.ES256) -> str:
    signed = cose.sign1(cbor2.dumps(claims() if payload is None else payload), key, KID.encode(), alg=alg)
    return cwt.encode_text(signed, prefix)


def changed_byte(text: str) -> str:
    """The same credential with one byte of its signed payload changed (still well-formed)."""
    prefix, data = cwt.decode_text(text)
    at = data.index(b"Welding")
    return cwt.encode_text(data[:at] + b"V" + data[at + 1:], prefix)


def as_decoded(value: Any) -> Any:
    """A CBOR value as the vectors' .decoded.json write it."""
    if isinstance(value, bytes):
        return {"__bytes_hex__": value.hex()}
    if isinstance(value, cbor2.CBORTag):
        return {"__cbor_tag__": value.tag, "value": as_decoded(value.value)}
    if isinstance(value, (list, tuple)):
        return [as_decoded(v) for v in value]
    if isinstance(value, dict):
        return {str(k): as_decoded(v) for k, v in value.items()}
    return value


@pytest.fixture(scope="module")
def key() -> Any:
    return ec.generate_private_key(ec.SECP256R1())


# -- the published vectors ----------------------------------------------------------------------


def _fixture_cose(path: Path) -> bytes:
    text = path.read_text().strip()
    if path.name.endswith(".csc.txt"):
        return cwt.decode_text(text)[1]
    return base64.b64decode(text) if path.name.endswith(".b64") else bytes.fromhex(text)


def test_every_vector_decodes_as_its_decoded_json(vectors: Path) -> None:
    folder = vectors / "mattr" / "cwt"
    decoded = sorted(folder.glob("*.decoded.json"))
    assert len(decoded) == 3
    for expected_file in decoded:
        stem = expected_file.name.removesuffix(".decoded.json")
        [source] = [p for p in folder.iterdir() if p.name.startswith(stem + ".") and p != expected_file]
        token = cwt.read_token(_fixture_cose(source))
        expected = json.loads(expected_file.read_text())
        assert expected["cose_tag"] == cose.COSE_SIGN1_TAG
        assert as_decoded(token.sign1.protected) == expected["protected"], stem
        assert as_decoded(token.sign1.unprotected) == expected["unprotected"], stem
        assert as_decoded(token.claims) == expected["payload"], stem
        assert token.sign1.signature.hex() == expected["signature_hex"], stem


def test_the_mattr_labs_sample_reads_as_its_claims(vectors: Path) -> None:
    raw = (vectors / "mattr" / "cwt" / "mattr-labs-university.csc.txt").read_bytes()
    summary = FORMAT.summarize(raw)

    assert (summary.kind, summary.title.default, summary.issuer.id) == (
        "MattrCompactCredential", "Emma Tasman", "did:web:mattr-university.mattrlabs.co")
    assert (summary.issued, summary.expires) == ("2024-10-29T19:37:42Z", "2027-01-15T08:00:00Z")  # iat, exp
    assert summary.credential_id == "urn:uuid:37269815-0b57-4814-b909-ba056de72590"
    assert [(c.path, c.value.default) for c in summary.claims] == [
        ("/name", "Emma Tasman"), ("/alumniOf", "MATTR Labs University")]
    [status] = summary.status
    assert (status.type, status.purpose, status.index) == ("MattrCwtStatusList", "revocation", "0")
    assert status.list == ("https://labs-mattr-university.vii.au01.mattr.global/core/v2/credentials/compact/"
                           "revocation-lists/737c068f-4ec4-43f8-bc89-69e2614a3edf")
    with pytest.raises(UnverifiableError) as unknown:  # its DID document is not kept here
        cwt.verify_token(cwt.read_compact(raw).token, {})
    assert unknown.value.code == "E_DID_UNKNOWN" and "dids add" in (unknown.value.hint or "")


def test_a_semantic_credential_reads_its_vc_claim(vectors: Path) -> None:
    data = bytes.fromhex((vectors / "mattr" / "cwt" / "vc-cwt-verifier-readme.cose.hex").read_text().strip())
    summary = FORMAT.summarize(cwt.encode_text(data, cwt.SEMANTIC).encode())

    assert (summary.title.default, summary.types) == ("PublicCovidPass", ("VerifiableCredential", "PublicCovidPass"))
    assert summary.subject_name.default == "Jack Sparrow"
    assert (summary.issued, summary.expires) == ("2021-10-27T03:48:37Z", "2031-10-27T03:48:37Z")  # nbf, exp
    assert [(c.path, c.value.default) for c in summary.claims] == [
        ("/vc/credentialSubject/givenName", "Jack"), ("/vc/credentialSubject/familyName", "Sparrow"),
        ("/vc/credentialSubject/dob", "1960-04-16")]


def test_the_vc_cwt_verifier_fixture_verifies_against_its_jwk(vectors: Path) -> None:
    from skillpass.keys.multikey import public_key_from_jwk

    folder = vectors / "mattr" / "cwt"
    expected = json.loads((folder / "vc-cwt-verifier-fixture.decoded.json").read_text())
    token = cwt.read_token(base64.b64decode((folder / "vc-cwt-verifier-fixture.cose.b64").read_text()))
    jwk = expected["issuer_public_jwk"]
    document = {"id": "did:web:xxx", "verificationMethod": [
        {"id": "did:web:xxx#key-1", "type": "JsonWebKey2020", "controller": "did:web:xxx", "publicKeyJwk": jwk}],
        "assertionMethod": ["did:web:xxx#key-1"]}

    cose.verify_es256(token.sign1, public_key_from_jwk(jwk))
    assert cwt.verify_token(token, {"did:web:xxx": document}).id == "did:web:xxx#key-1"
    assert cwt.validity(token.claims, datetime(2021, 11, 1, tzinfo=UTC)) == "valid"
    assert cwt.validity(token.claims, datetime(2026, 1, 1, tzinfo=UTC)) == "expired"
    tampered = cose.Sign1(token.sign1.protected_bytes, token.sign1.protected, {},
                          token.sign1.payload.replace(b"Jack", b"Jill"), token.sign1.signature)
    with pytest.raises(InvalidError) as changed:
        cose.verify_es256(tampered, public_key_from_jwk(jwk))
    assert changed.value.code == "E_SIG_INVALID"
    not_listed = {**document, "assertionMethod": [], "authentication": ["did:web:xxx#key-1"]}
    with pytest.raises(InvalidError) as relationship:
        cwt.verify_token(token, {"did:web:xxx": not_listed})
    assert relationship.value.code == "E_VM_RELATIONSHIP"


# -- in-process checks ----------------------------------------------------------------------------


def material(*documents: dict[str, Any]) -> Any:
    from skillpass.formats.base import Material
    from skillpass.formats.issuer_keys import Trusted
    from skillpass.jsonld.loader import ContextStore

    return Material(ContextStore.bundled(), Trusted({d["id"]: d for d in documents}, {}))


def test_check_keeps_what_the_issuer_signed(key: Any) -> None:
    text = compact(key)
    checked = FORMAT.check(text.encode(), material(did_document(key)), datetime.now(UTC), False)

    assert (checked.issuer, checked.validity, checked.unverified) == (ISSUER, "valid", None)
    assert checked.verification["proofs"][0]["suite"] == "COSE_Sign1 (ES256)"
    assert checked.verification["proofs"][0]["verificationMethod"] == f"{ISSUER}#{KID}"
    assert checked.alias == f"{ISSUER}\ncti:urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e"
    assert checked.summary.title.default == "Welding Safety Level 2"
    assert checked.summary.subject_name.default == "Ana Tremblay"
    assert [(c.path, c.value.default) for c in checked.summary.claims] == [
        ("/name", "Ana Tremblay"), ("/award", "Welding Safety Level 2"), ("/hours", "40")]


def test_its_skills_are_the_passports(key: Any) -> None:
    """A `skills` claim (names, or objects with a name and a framework, as `skillpass issue`
    writes them and as SD-JWT VC claims are read) is the skills the passport shows."""
    from skillpass.passport.skills import skills_of

    payload = {**claims(), "skills": ["Welding", {"name": "Collaboration", "framework": "Skills for Success"}, 7]}
    checked = FORMAT.check(compact(key, payload).encode(), material(did_document(key)), datetime.now(UTC), False)

    [achievement] = checked.summary.achievements
    assert achievement.name == checked.summary.title
    assert [(s.name.default, s.framework, s.framework_name and s.framework_name.default)
            for s in skills_of(checked.summary)] == [
        ("Welding", "other", None), ("Collaboration", "skills-for-success", "Skills for Success")]
    assert FORMAT.check(compact(key).encode(), material(did_document(key)), datetime.now(UTC),
                        False).summary.achievements == ()


def test_the_description_is_the_issuers_and_the_claims_stay_claims(key: Any) -> None:
    """A credential's description is the one its issuer wrote (a claim, or its award's), whole;
    without one, none: its claims are not run together on one line, cut mid-word."""
    long = " ".join(["Joining steel plates safely, with the right protection."] * 20)
    payloads = {"claim": {"description": long}, "award's": {"award": {"name": "Welding", "description": "Joins."}},
                "vc's": {"vc": {"type": ["VerifiableCredential"], "description": "Of the vc.",
                                "credentialSubject": {"award": "Welding"}}}}

    described = {case: FORMAT.summarize(compact(key, claims(extra)).encode()).description
                 for case, extra in payloads.items()}
    plain = FORMAT.summarize(compact(key).encode())

    assert {case: text.default for case, text in described.items()} == {
        "claim": long, "award's": "Joins.", "vc's": "Of the vc."}
    assert plain.description is None
    assert [(c.path, c.value.default) for c in plain.claims] == [
        ("/name", "Ana Tremblay"), ("/award", "Welding Safety Level 2"), ("/hours", "40")]


@pytest.mark.parametrize(("case", "error", "code"), [
    ("changed byte", InvalidError, "E_SIG_INVALID"),
    ("another key", InvalidError, "E_SIG_INVALID"),
    ("ES384 header", InvalidError, "E_COSE_ALG"),
    ("not did:web", UnverifiableError, "E_ISSUER_KEY_UNKNOWN"),
    ("no issuer", InvalidError, "E_NO_ISSUER"),
    ("expired", InvalidError, "E_EXPIRED"),
    ("not yet valid", InvalidError, "E_NOT_YET_VALID"),
    ("lower case", BadInputError, "E_MATTR_TEXT"),
    ("padding", BadInputError, "E_MATTR_TEXT"),
    ("trailing bytes", BadInputError, "E_COSE"),
    ("CSS without vc", BadInputError, "E_COSE"),
])
def test_each_refusal(key: Any, case: str, error: type, code: str) -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    texts = {
        "changed byte": lambda: changed_byte(compact(key)),
        "another key": lambda: compact(other),
        "ES384 header": lambda: compact(key, alg=-35),
        "not did:web": lambda: compact(key, claims({cwt.ISS: "https://boreal.example"})),
        "no issuer": lambda: compact(key, {k: v for k, v in claims().items() if k != cwt.ISS}),
        "expired": lambda: compact(key, claims({cwt.EXP: NOW - DAY})),
        "not yet valid": lambda: compact(key, claims({cwt.NBF: NOW + 30 * DAY})),
        "lower case": lambda: compact(key).lower().replace("csc:", "CSC:"),
        "padding": lambda: compact(key) + "=" * 4,
        "trailing bytes": lambda: cwt.encode_text(cwt.decode_text(compact(key))[1] + b"\x00"),
        "CSS without vc": lambda: compact(key, prefix=cwt.SEMANTIC),
    }
    with pytest.raises(error) as refused:
        FORMAT.check(texts[case]().encode(), material(did_document(key)), datetime.now(UTC), False)
    assert refused.value.code == code and refused.value.hint


def test_expired_is_kept_with_allow_expired(key: Any) -> None:
    text = compact(key, claims({cwt.EXP: NOW - DAY}))
    checked = FORMAT.check(text.encode(), material(did_document(key)), datetime.now(UTC), True)
    assert checked.validity == "expired"


def test_malformed_input_is_bad_input_never_a_crash() -> None:
    for text in ("CSC:/1/", "CSC:/1/AAAA", "CSC:/1/" + "A" * 9, "CSS:/1/2KCE", "CSC:/1/" + "7" * 40,
                 cwt.encode_text(cbor2.dumps(cbor2.CBORTag(18, [b"", {}, b"\x01", b""]))),
                 cwt.encode_text(cbor2.dumps(cbor2.CBORTag(18, [b"\x01", {}, b"\xa0", b""]))),
                 cwt.encode_text(b"\x81" * 500 + b"\x00")):
        with pytest.raises(BadInputError):
            FORMAT.summarize(text.encode())
    with pytest.raises(BadInputError) as big:
        FORMAT.summarize(b"CSC:/1/" + b"A" * (cwt.MAX_TEXT + 100))
    assert big.value.code == "E_TOO_LARGE"


def test_a_cycle_of_shared_values_is_shown_bounded(key: Any) -> None:
    shared = cbor2.loads(b"\xd8\x1c\x82\xd8\x1d\x00\xd8\x1d\x00")  # a list holding itself twice
    view = cwt.json_view({cwt.ISS: ISSUER, "loop": shared})
    assert len(json.dumps(view)) < 10_000_000


# -- through the real command ------------------------------------------------------------------


@pytest.fixture
def kept(cli: Cli, wallet_home: Path, key: Any, tmp_path: Path) -> Path:
    """A wallet that keeps the issuer's did:web document; the credential's file."""
    document = tmp_path / "did.json"
    document.write_text(json.dumps(did_document(key)))
    added = cli.with_passphrase("dids", "add", str(document), "--json")
    assert added.returncode == 0, added.stderr
    path = tmp_path / "welding.csc.txt"
    path.write_text(compact(key) + "\n")
    return path


def test_import_list_show_verify_and_share(cli: Cli, kept: Path, tmp_path: Path) -> None:
    imported = cli.with_passphrase("import", str(kept), "--json")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    [outcome] = imported.json()
    assert outcome["status"] == "imported" and outcome["title"] == "Welding Safety Level 2"
    assert "bearer credential" in outcome["warning"]
    cid = outcome["id"]

    [row] = cli.with_passphrase("list", "--json").json()
    assert (row["title"], row["issuer"], row["format"], row["status"]) == (
        "Welding Safety Level 2", ISSUER, "mattr-cwt", "status not checked")
    assert (row["issued"], row["expires"]) == (_iso(NOW - DAY), _iso(NOW + 365 * DAY))
    detail = cli.with_passphrase("show", cid, "--json").json()
    assert detail["summary"]["kind"] == "MattrCompactCredential"
    assert [(c["path"], c["value"]) for c in detail["summary"]["claims"]] == [
        ("/name", "Ana Tremblay"), ("/award", "Welding Safety Level 2"), ("/hours", "40")]
    assert detail["verification"]["proofs"][0]["verificationMethod"] == f"{ISSUER}#{KID}"
    assert "description" not in detail["summary"]  # its claims are shown as claims
    shown = cli.with_passphrase("show", cid)
    assert shown.returncode == 0 and "Ana Tremblay" in shown.stdout and "MattrCwtStatusList" in shown.stdout
    assert "Description" not in shown.stdout
    fields = cli.with_passphrase("show", cid, "--fields", "--json").json()
    assert fields["selective"] is False and "no selective disclosure" in fields["reason"]
    assert {f["pointer"] for f in fields["fields"]} >= {"/iss", "/name", "/award", "/status/list"}

    report = cli.with_passphrase("verify", str(kept), "--json")
    assert report.returncode == 0, report.stdout + report.stderr
    document = report.json()
    assert document["outcome"] == "verified" and document["kind"] == "credential"
    checks = {c["name"]: c["status"] for c in document["checks"]}
    assert checks["holder proof"] == checks["credential 1 holder binding"] == "not applicable"
    assert checks["credential 1 proof"] == checks["credential 1 validity"] == "passed"
    assert checks["credential 1 status"] == "warning"  # a status list is named, none is at hand
    disclosed = {d["path"]: d["value"] for d in document["credentials"][0]["disclosed"]}
    assert disclosed["/award"] == "Welding Safety Level 2" and disclosed["/iss"] == ISSUER
    assert document["credentials"][0]["status"][0]["list"] == LIST_URL

    shared = cli.with_passphrase("share", cid, "--reveal-all", "--out", "-")
    assert shared.returncode == 0, shared.stderr
    assert shared.stdout == kept.read_text()  # the whole text, unchanged
    assert "no selective disclosure" in shared.stderr and "bearer credential" in shared.stderr
    png = tmp_path / "code.png"
    coded = cli.with_passphrase("share", cid, "--reveal-all", "--qr-png", str(png), "--json")
    assert coded.returncode == 0, coded.stderr
    assert coded.json()["qr"]["text"] == kept.read_text().strip()
    assert coded.json()["qr"]["codes"][0]["mode"] == "alphanumeric"  # base32 and "CSC:/1/" only
    assert cli.with_passphrase("verify", "--qr", str(png)).returncode == 0


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_import_from_stdin_and_from_a_qr_image(cli: Cli, kept: Path, key: Any, tmp_path: Path) -> None:
    from skillpass.qr import code

    vc = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential", "WeldingTicket"],
          "credentialSubject": {"givenName": "Ana", "familyName": "Tremblay", "level": 2}}
    semantic = compact(key, {cwt.ISS: ISSUER, cwt.NBF: NOW - DAY, cwt.EXP: NOW + DAY, "vc": vc}, prefix=cwt.SEMANTIC)
    piped = cli.with_passphrase("import", "-", "--json", input=semantic.encode() + b"\n")
    assert piped.returncode == 0, piped.stderr
    assert [(o["status"], o["title"]) for o in piped.json()] == [("imported", "WeldingTicket")]
    detail = cli.with_passphrase("show", piped.json()[0]["id"], "--json").json()
    assert [(c["path"], c["value"]) for c in detail["summary"]["claims"]] == [
        ("/vc/credentialSubject/givenName", "Ana"), ("/vc/credentialSubject/familyName", "Tremblay"),
        ("/vc/credentialSubject/level", "2")]
    other = compact(key, claims({cwt.CTI: cbor2.CBORTag(64, bytes(16)), "award": "First Aid"}))
    png = tmp_path / "first-aid.png"
    png.write_bytes(code.png(code.make(other)))
    scanned = cli.with_passphrase("import", "--qr", str(png), "--json")
    assert scanned.returncode == 0, scanned.stdout + scanned.stderr
    assert [(o["status"], o["title"]) for o in scanned.json()] == [("imported", "First Aid")]
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "first-aid.csc").write_text(other)
    again = cli.with_passphrase("import", str(tmp_path / "folder"), "--json")  # a folder's .csc files
    assert [o["status"] for o in again.json()] == ["duplicate"]


def test_refusals_through_the_command(cli: Cli, kept: Path, key: Any, tmp_path: Path) -> None:
    changed = tmp_path / "changed.csc.txt"
    changed.write_text(changed_byte(kept.read_text().strip()))
    tampered = cli.with_passphrase("import", str(changed), "--json")
    assert tampered.returncode == ExitStatus.INVALID and tampered.json()[0]["code"] == "E_SIG_INVALID"
    checked = cli.with_passphrase("verify", str(changed), "--json")
    assert checked.returncode == ExitStatus.INVALID and checked.json()["outcome"] == "invalid"

    stranger = tmp_path / "stranger.csc.txt"
    stranger.write_text(compact(key, claims({cwt.ISS: "did:web:unknown.example"})))
    unknown = cli.with_passphrase("import", str(stranger), "--json")
    assert unknown.returncode == ExitStatus.UNVERIFIABLE
    assert unknown.json()[0]["code"] == "E_DID_UNKNOWN" and "skillpass dids add" in unknown.json()[0]["hint"]
    assert cli("verify", str(stranger)).returncode == ExitStatus.UNVERIFIABLE

    expired = tmp_path / "expired.csc.txt"
    expired.write_text(compact(key, claims({cwt.EXP: NOW - DAY, cwt.CTI: cbor2.CBORTag(64, b"\x01" * 16)})))
    refused = cli.with_passphrase("import", str(expired), "--json")
    assert refused.returncode == ExitStatus.INVALID and refused.json()[0]["code"] == "E_EXPIRED"
    assert "--allow-expired" in refused.json()[0]["hint"]
    kept_anyway = cli.with_passphrase("import", str(expired), "--allow-expired", "--json")
    assert kept_anyway.returncode == 0 and kept_anyway.json()[0]["status"] == "imported"
    assert cli.with_passphrase("verify", str(expired)).returncode == ExitStatus.INVALID

    es384 = tmp_path / "es384.csc.txt"
    es384.write_text(compact(key, alg=-35))
    wrong_alg = cli.with_passphrase("import", str(es384), "--json")
    assert wrong_alg.returncode == ExitStatus.INVALID and wrong_alg.json()[0]["code"] == "E_COSE_ALG"


def test_a_challenge_is_refused_by_the_verifier_and_warned_at_share(cli: Cli, kept: Path) -> None:
    cid = cli.with_passphrase("import", str(kept), "--json").json()[0]["id"]
    shared = cli.with_passphrase("share", cid, "--reveal-all", "--challenge", "n-1", "--out", "-")
    assert shared.returncode == 0 and "cannot answer a --challenge" in shared.stderr
    report = cli.with_passphrase("verify", str(kept), "--challenge", "n-1", "--json")
    assert report.returncode == ExitStatus.INVALID
    assert {c["name"]: c["code"] for c in report.json()["checks"]}["challenge"] == "E_CHALLENGE"


# -- the status list ------------------------------------------------------------------------------


def status_list(key: Any, revoked: set[int], extra: dict[Any, Any] | None = None, size: int = 1024) -> bytes:
    bits = bytearray(size // 8)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)  # most significant bit first
    payload = {cwt.ISS: ISSUER, cwt.IAT: NOW - DAY, cwt.EXP: NOW + DAY, cwt.STATUS_LIST: gzip.compress(bytes(bits))}
    payload.update(extra or {})
    payload = {k: v for k, v in payload.items() if v is not None}
    return cose.sign1(cbor2.dumps(payload), key, KID.encode())


def test_the_status_list_reads_as_signed(key: Any) -> None:
    from skillpass.formats.mattr_cwt.status_list import read_cwt_status_list

    signed = status_list(key, {3, 9})
    for form in (signed, base64.b64encode(signed), base64.urlsafe_b64encode(signed).rstrip(b"="),
                 cwt.encode_text(signed).encode()):
        found = read_cwt_status_list(form, LIST_URL, material(did_document(key)), datetime.now(UTC))
        assert (found.url, found.kind, found.issuer, found.purposes, found.bits) == (
            LIST_URL, "mattr-cwt", ISSUER, ("revocation",), 1)
        assert [found.value_at(i) for i in range(12)] == [0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]
        assert (found.issued, found.stale_after) == (_iso(NOW - DAY), _iso(NOW + DAY))


def test_the_status_list_refusals(key: Any) -> None:
    from skillpass.formats.mattr_cwt.status_list import read_cwt_status_list
    from skillpass.status import inflate_list

    other = ec.generate_private_key(ec.SECP256R1())
    here = material(did_document(key))
    with pytest.raises(InvalidError) as forged:
        read_cwt_status_list(status_list(other, {3}), LIST_URL, here, datetime.now(UTC))
    assert forged.value.code == "E_SIG_INVALID"
    with pytest.raises(UnverifiableError):
        read_cwt_status_list(status_list(key, {3}), LIST_URL, material(), datetime.now(UTC))
    with pytest.raises(InvalidError) as empty:
        read_cwt_status_list(status_list(key, set(), {cwt.STATUS_LIST: None}), LIST_URL, here, datetime.now(UTC))
    assert empty.value.code == "E_STATUS_LIST"
    with pytest.raises(BadInputError) as bomb:
        inflate_list(gzip.compress(bytes(4096)), wbits=47, limit=1024)
    assert bomb.value.code == "E_STATUS_LIST_TOO_LARGE"
    assert inflate_list(gzip.compress(bytes(1024)), wbits=47, limit=1024) == bytes(1024)
    with pytest.raises(BadInputError):
        read_cwt_status_list(b"{\"not\": \"a list\"}", LIST_URL, here, datetime.now(UTC))
    with pytest.raises(BadInputError) as nameless:  # verify --status-list FILE gives no URL
        read_cwt_status_list(status_list(key, {3}), None, here, datetime.now(UTC))
    assert nameless.value.code == "E_STATUS_LIST_URL" and "--url" in (nameless.value.hint or "")
    named = read_cwt_status_list(status_list(key, {3}, {cwt.SUB: LIST_URL}), None, here, datetime.now(UTC))
    assert named.url == LIST_URL


def test_a_revoked_credential_through_the_command(cli: Cli, kept: Path, key: Any, tmp_path: Path) -> None:
    cid = cli.with_passphrase("import", str(kept), "--json").json()[0]["id"]
    listed = tmp_path / "revocation-list.cwt"
    listed.write_bytes(status_list(key, {3}))  # the credential's index

    added = cli.with_passphrase("status", "add", str(listed), "--url", LIST_URL, "--json")
    assert added.returncode == 0, added.stdout + added.stderr
    assert (added.json()["kind"], added.json()["revoked"]) == ("mattr-cwt", 1)
    [row] = cli.with_passphrase("list", "--json").json()
    assert (row["id"], row["status"]) == (cid, "revoked")
    report = cli.with_passphrase("verify", str(kept), "--json")
    assert report.returncode == ExitStatus.INVALID, report.stdout
    assert {c["name"]: c["status"] for c in report.json()["checks"]}["credential 1 status"] == "failed"

    named = tmp_path / "named-list.cwt"
    named.write_bytes(status_list(key, set(), {cwt.SUB: LIST_URL}))
    given = cli("verify", str(kept), "--did", str(tmp_path / "did.json"), "--status-list", str(named), "--json")
    assert given.returncode == 0, given.stdout + given.stderr
    assert {c["name"]: c["status"] for c in given.json()["checks"]}["credential 1 status"] == "passed"


# -- review findings ------------------------------------------------------------------------------

BIG = 10**5000  # a bignum (CBOR tag 2) whose decimal text Python refuses to write


def test_a_huge_integer_claim_is_shown_by_its_size() -> None:
    from fractions import Fraction

    view = cwt.json_view({cwt.ISS: ISSUER, "big": BIG, "nested": {BIG: [-BIG]}, 2**70: "key",
                          "ratio": Fraction(BIG, 3)})
    assert view["big"] == "<16610-bit integer>" and BIG.bit_length() == 16610
    assert view["nested"] == {"<16610-bit integer>": ["<16610-bit integer>"]}
    assert view["<71-bit integer>"] == "key" and view["ratio"] == "<Fraction>"
    assert cwt.json_view({"edge": 2**64 - 1, "small": 2**63 - 1}) == {"edge": str(2**64 - 1), "small": 2**63 - 1}


def test_a_huge_integer_claim_verifies_and_shares(cli: Cli, kept: Path, key: Any, tmp_path: Path) -> None:
    big = tmp_path / "big.csc.txt"
    big.write_text(compact(key, claims({"big": BIG})))
    report = cli.with_passphrase("verify", str(big), "--json")
    assert report.returncode == 0, report.stdout + report.stderr
    disclosed = {d["path"]: d["value"] for d in report.json()["credentials"][0]["disclosed"]}
    assert disclosed["/big"] == "<16610-bit integer>"
    assert cli.with_passphrase("verify", str(big)).returncode == 0
    cid = cli.with_passphrase("import", str(big), "--json").json()[0]["id"]
    shared = cli.with_passphrase("share", cid, "--reveal-all", "--out", "-")
    assert shared.returncode == 0 and shared.stdout.strip() == big.read_text().strip()


@pytest.mark.parametrize("claim", [cwt.EXP, cwt.NBF, cwt.IAT])
def test_a_date_claim_sent_as_a_bignum_is_refused(key: Any, claim: int) -> None:
    text = compact(key, claims({claim: 2**64}))
    with pytest.raises(BadInputError) as refused:
        FORMAT.check(text.encode(), material(did_document(key)), datetime.now(UTC), True)
    assert refused.value.code == "E_COSE" and "65-bit number, not a date" in refused.value.message
    with pytest.raises(InvalidError) as beyond:  # within CBOR's integers: read, and no date
        FORMAT.check(compact(key, claims({cwt.NBF: 2**64 - 1})).encode(), material(did_document(key)),
                     datetime.now(UTC), True)
    assert beyond.value.code == "E_DATE"


@pytest.mark.parametrize("spoof", [{"iss": "did:web:trusted.example"}, {"exp": NOW + 99 * 365 * DAY},
                                   {"cti": "urn:uuid:other"}, {"status": {"index": 0, "list": "x"}},
                                   {"8": "shown as claim 8"}])
def test_a_text_key_cannot_stand_in_for_a_registered_claim(cli: Cli, kept: Path, key: Any, tmp_path: Path,
                                                           spoof: dict[str, Any]) -> None:
    extra: dict[Any, Any] = {8: "claim 8", **spoof}
    text = compact(key, claims(extra))
    with pytest.raises(BadInputError) as refused:
        FORMAT.check(text.encode(), material(did_document(key)), datetime.now(UTC), False)
    assert refused.value.code == "E_CWT_CLAIM_NAME" and refused.value.hint
    path = tmp_path / "spoof.csc.txt"
    path.write_text(text)
    imported = cli.with_passphrase("import", str(path), "--json")
    assert imported.returncode == ExitStatus.BAD_INPUT and imported.json()[0]["code"] == "E_CWT_CLAIM_NAME"
    assert cli.with_passphrase("verify", str(path)).returncode == ExitStatus.BAD_INPUT


def test_a_status_list_whose_sub_is_another_url_is_refused(key: Any) -> None:
    from skillpass.formats.mattr_cwt.status_list import read_cwt_status_list

    here = material(did_document(key))
    other = status_list(key, {3}, {cwt.SUB: LIST_URL + "-old"})
    with pytest.raises(InvalidError) as refused:
        read_cwt_status_list(other, LIST_URL, here, datetime.now(UTC))
    assert refused.value.code == "E_STATUS_LIST_URL"
    assert read_cwt_status_list(status_list(key, {3}, {cwt.SUB: LIST_URL}), LIST_URL, here,
                                datetime.now(UTC)).url == LIST_URL


def test_a_status_list_bitstring_with_trailing_data_or_too_large_is_refused(key: Any) -> None:
    from skillpass.formats.mattr_cwt.status_list import read_cwt_status_list
    from skillpass.status import MAX_LIST_BYTES

    here = material(did_document(key))
    trailing = status_list(key, set(), {cwt.STATUS_LIST: gzip.compress(bytes(128)) + b"\x00"})
    with pytest.raises(InvalidError) as refused:
        read_cwt_status_list(trailing, LIST_URL, here, datetime.now(UTC))
    assert refused.value.code == "E_STATUS_LIST_ENCODING"
    with pytest.raises(BadInputError) as large:
        read_cwt_status_list(b"A" * (MAX_LIST_BYTES + 1), LIST_URL, here, datetime.now(UTC))
    assert large.value.code == "E_STATUS_LIST_TOO_LARGE"
