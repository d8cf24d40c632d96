"""The eight steps of `skillpass demo`, each through the flow functions the commands use.

Each step yields its title and narration (English: the renderer translates them) and what
happened, as data. Nothing is faked: the test issuer signs, `import` verifies, `status add`
revokes, `share` presents and `verify` checks, as they do for a learner.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from skillpass import flow
from skillpass.demo import issuers as cast

EMPLOYER_DOMAIN = "recrutement.example.ca"


def t(text: str) -> str:
    """Marks a message for the catalogs (scripts/messages.py extracts `t("...")`); the renderer
    translates it when it shows it, in the language of that moment."""
    return text


TITLES = (
    t("1. The learner creates a wallet and a did:key"),
    t("2. A college and a university issue six micro-credentials"),
    t("3. The learner imports them, each verified offline"),
    t("4. The college revokes one: its status list is kept"),
    t("5. The skills passport"),
    t("6. An employer asks; the learner reveals three fields"),
    t("7. The employer verifies the presentation"),
    t("8. Someone alters the presentation: refused"),
)
NARRATION = (
    t("An encrypted wallet on this computer: no account, no server. Its did:key is the learner's "
      "identity for issuers and employers."),
    t("Collège des Grands-Lacs and Université du Nord are fictional (demo) issuers, labelled test "
      "issuers. Names in English and French, skills, hours, credits; five formats."),
    t("The real import: format detected, signature checked with no network. The expired one is "
      "refused, then kept with --allow-expired and shown expired."),
    t("The college signs a status list with one bit set. 'skillpass status add' keeps it offline, "
      "and the credential it names is now revoked."),
    t("Every skill the credentials prove, by framework; ×2: two credentials back it."),
    t("The employer sends a challenge and its domain. The learner reveals three fields of one "
      "ecdsa-sd-2023 credential; the rest stays hidden. As a QR code and a file."),
    t("Signatures, challenge and domain checked, offline. The employer sees the three fields, and "
      "who issued them."),
    t("The credits are changed from 1.5 to 6 after signing: the issuer's signature no longer matches."),
)


@dataclass(frozen=True)
class Files:
    """Where the story writes what a presenter may keep (`--keep-in DIR`)."""

    base: Path

    @property
    def credentials(self) -> Path:
        return self.base / "credentials"

    @property
    def did_document(self) -> Path:
        return self.base / "universite-du-nord-did.json"

    @property
    def status_list(self) -> Path:
        return self.base / "status-list.json"

    @property
    def challenge(self) -> Path:
        return self.base / "challenge.txt"

    @property
    def presentation(self) -> Path:
        return self.base / "presentation.json"

    @property
    def qr_png(self) -> Path:
        return self.base / "presentation-qr.png"

    @property
    def tampered(self) -> Path:
        return self.base / "presentation-altered.json"


def story(session: flow.Session, files: Files, now: datetime) -> Iterator[tuple[str, dict[str, Any]]]:
    """(title, detail) for each step, as it happens. Step 6's detail also holds the QR code
    itself (`qrCode`, a qr.code.QrCode) for the renderer to draw, which is no data."""
    holders = _create_wallet(session)
    yield TITLES[0], {"holder": holders["Ed25519"]["did"], "keyTypes": sorted(holders)}

    issuers = cast.make_issuers()
    files.credentials.mkdir(mode=0o700, exist_ok=True)
    issued = cast.issue_all(issuers, holders["Ed25519"], holders["P-256"], now, files.credentials)
    yield TITLES[1], {"issuers": _issuers(issuers), "issued": issued}

    imported = _import(session, issuers, issued, files, now)
    yield TITLES[2], imported
    yield TITLES[3], _revoke(session, issuers, imported["imported"], files, now)
    yield TITLES[4], _passport(session, now)

    shared = _share(session, imported["imported"], files, now)
    yield TITLES[5], {k: v for k, v in shared.items() if k != "presentation"}

    presentation, challenge = shared["presentation"], shared["challenge"]
    yield TITLES[6], _verify(files.base, presentation, challenge, now)

    altered = json.loads(json.dumps(presentation))
    altered["verifiableCredential"][0]["credentialSubject"]["creditsEarned"] = 6
    files.tampered.write_text(json.dumps(altered, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    yield TITLES[7], {"file": str(files.tampered), **_verify(files.base, altered, challenge, now)}


def _create_wallet(session: flow.Session) -> dict[str, dict[str, Any]]:
    created = flow.init_wallet(session, use_keyring=False)
    return {d["keyType"]: d for d in created["dids"]}


def _issuers(issuers: cast.Issuers) -> list[dict[str, Any]]:
    return [{"name": cast.COLLEGE, "dids": sorted(set(issuers.college.describe()["dids"].values()))},
            {"name": cast.UNIVERSITY, "dids": sorted(set(issuers.university.describe()["dids"].values()))}]


def _import(session: flow.Session, issuers: cast.Issuers, issued: list[dict[str, Any]], files: Files,
            now: datetime) -> dict[str, Any]:
    """Keep the university's did:web document, then import the six files as `skillpass import`
    does: the expired one is refused, then kept with allow_expired."""
    files.did_document.write_text(json.dumps(issuers.university.did_document(), indent=2) + "\n")
    kept = flow.add_did_document(session, files.did_document)
    outcomes = _imported(session, [item["file"] for item in issued], now, allow_expired=False)
    refused = [o for o in outcomes if o.status == "rejected"]
    again = _imported(session, [o.source for o in refused], now, allow_expired=True)
    by_file = {o.source: o for o in outcomes if o.status != "rejected"} | {o.source: o for o in again}
    statuses = _statuses(session, now)
    return {"didDocument": kept, "refusedFirst": [o.to_dict() for o in refused], "imported": [
        {**by_file[item["file"]].to_dict(), **_names(item), "suite": item["suite"],
         "state": statuses.get(by_file[item["file"]].id or "", "")} for item in issued]}


def _names(item: dict[str, Any]) -> dict[str, Any]:
    return {"key": item["key"], "name": item["name"], "nameFr": item["nameFr"]}


def _imported(session: flow.Session, paths: list[str], now: datetime, *, allow_expired: bool) -> list[Any]:
    if not paths:
        return []
    return flow.import_credentials(session, paths, None, now=now, allow_expired=allow_expired,
                                   progress=lambda total: lambda: None)


def _statuses(session: flow.Session, now: datetime) -> dict[str, str]:
    return {row["id"]: row["status"] for row in flow.list_credentials(session, now)}


def _revoke(session: flow.Session, issuers: cast.Issuers, imported: list[dict[str, Any]], files: Files,
            now: datetime) -> dict[str, Any]:
    """The college's status list with the revoked credential's bit set, kept as `skillpass
    status add` keeps it; every credential's status after."""
    from skillpass.issuing import sign_status_list

    signed = sign_status_list(cast.STATUS_URL, (cast.REVOKED_INDEX,), issuers.college, now=now,
                              issuer_name=cast.COLLEGE)
    files.status_list.write_text(json.dumps(signed.credential, indent=2, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
    kept = flow.add_status_list(session, files.status_list, None, now)
    statuses = _statuses(session, now)
    return {"statusList": {k: kept[k] for k in ("url", "issuer", "credentials", "revoked")},
            "file": str(files.status_list),
            "credentials": [{"id": item["id"], **_names(item), "status": statuses.get(item["id"], "")}
                            for item in imported]}


def _passport(session: flow.Session, now: datetime) -> dict[str, Any]:
    from skillpass.passport.build import Filters

    built = flow.passport(session, now, Filters()).to_dict()  # as issued: --json is the same in every language
    return {"counts": built["counts"], "frameworks": [
        {"name": framework["name"], "skills": [
            {"name": skill["name"], "framework": skill["frameworkName"], "credentials": len(skill["credentials"])}
            for skill in framework["skills"]]}
        for framework in built["frameworks"]]}


def _share(session: flow.Session, imported: list[dict[str, Any]], files: Files, now: datetime) -> dict[str, Any]:
    shared_id = next(item["id"] for item in imported if item["suite"] == cast.SHARED.suite)
    challenge = os.urandom(8).hex()
    files.challenge.write_text(f"challenge {challenge}\ndomain {EMPLOYER_DOMAIN}\n", encoding="utf-8")
    drawn: dict[str, Any] = {}

    def deliver(body: Any, suffix: str, payload: Any) -> str:
        drawn.update(_qr_code(payload, files.qr_png))
        files.presentation.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return str(files.presentation)

    request = flow.ShareRequest([shared_id], list(cast.REVEALED), False, challenge, EMPLOYER_DOMAIN, None, False,
                                qr=True)
    result = flow.share(session, request, now=now, choose=lambda listing: None, confirm=lambda question: True,
                        deliver=deliver)
    return {"credential": shared_id, "challenge": challenge, "domain": EMPLOYER_DOMAIN,
            "revealed": list(cast.REVEALED), "hidden": list(cast.HIDDEN), "file": result["file"],
            "holder": result["holder"], "suite": result["suite"],
            "qr": {k: v for k, v in drawn.items() if k != "symbol"}, "qrCode": drawn["symbol"],
            "presentation": result["presentation"]}


def _qr_code(payload: Any, png: Path) -> dict[str, Any]:
    """The share's one QR code (qr.code), also written as a PNG image."""
    from skillpass.qr import code

    [text] = payload.texts
    symbol = code.make(text)
    png.write_bytes(code.png(symbol))
    return {"symbol": symbol, "version": symbol.version, "errorCorrection": symbol.error_correction,
            "characters": len(text), "columns": symbol.size + 2 * code.QUIET_ZONE, "png": str(png)}


def _verify(home: Path, presentation: dict[str, Any], challenge: str, now: datetime) -> dict[str, Any]:
    report = flow.verify_presentation_file(home, json.dumps(presentation).encode(), challenge=challenge,
                                           domain=EMPLOYER_DOMAIN, allow_unbound=False, require_trusted=False,
                                           now=now)
    failed = [{"check": c["name"], "detail": c["detail"]} for c in report["checks"] if c["status"] == "failed"]
    disclosed = [{"path": d["path"], "label": d.get("label"), "value": d["value"]}
                 for c in report["credentials"] for d in c["disclosed"]]
    return {"outcome": report["outcome"], "failed": failed, "disclosed": disclosed}
