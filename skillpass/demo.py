"""`skillpass demo`: the whole story in a throwaway wallet, offline, in a few seconds.

Nothing is faked: a fictional college signs real ecdsa-sd-2023 and eddsa-rdfc-2022 Open Badges
3.0 credentials to the learner's new did:key, and the same pipeline the commands use imports
them, shares a selective disclosure for an employer's challenge, and verifies it, then shows
that a presentation altered after signing is refused. The learner's real wallet is never touched.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from skillpass import flow

COLLEGE = "Collège des Grands-Lacs (démo)"
EMPLOYER_DOMAIN = "recrutement.example.ca"
REVEALED = ["credentialSubject.achievement.name", "credentialSubject.achievement.alignment"]


@dataclass(frozen=True)
class DemoStep:
    title: str
    detail: dict[str, Any]


def run_demo(home: Path | None, *, now: datetime, on_step: Callable[[DemoStep], None],
             keep: bool = False) -> dict[str, Any]:
    """Run every step, reporting each through `on_step`; returns the whole story as data."""
    from skillpass.wallet.unlock import SecretSources

    base = Path(tempfile.mkdtemp(prefix="skillpass-demo-")) if home is None else home
    passphrase = os.urandom(12).hex()
    session = flow.Session(base / "wallet", SecretSources(environ={"SKILLPASS_PASSPHRASE": passphrase}))
    try:
        steps = [_step(on_step, title, detail) for title, detail in _story(session, base, now)]
    except BaseException:  # Ctrl-C or a failure: a throwaway wallet is thrown away
        if not keep:
            _remove_tree(base)
        raise
    if keep:
        (base / "passphrase.txt").write_text(passphrase + "\n")
        os.chmod(base / "passphrase.txt", 0o600)
    else:
        _remove_tree(base)
    return {"home": str(base) if keep else None, "steps": [{"title": s.title, **s.detail} for s in steps]}


def _step(on_step: Callable[[DemoStep], None], title: str, detail: dict[str, Any]) -> DemoStep:
    step = DemoStep(title, detail)
    on_step(step)
    return step


def _story(session: flow.Session, base: Path, now: datetime) -> Any:
    created = flow.init_wallet(session, use_keyring=False)
    holder = next(d["did"] for d in created["dids"] if d["keyType"] == "Ed25519")
    yield "1. A learner creates an encrypted wallet and a did:key identity", {"holder": holder}

    files = _issue_credentials(base, holder, now)
    yield f"2. {COLLEGE} issues two Open Badges 3.0 micro-credentials", {"files": [str(f) for f in files]}

    outcomes = flow.import_credentials(session, [str(f) for f in files], None, now=now,
                                       allow_expired=False, progress=lambda total: lambda: None)
    yield "3. The learner imports them: each proof is verified offline", {
        "imported": [o.to_dict() for o in outcomes]}
    from skillpass.i18n import preferences
    from skillpass.passport.build import Filters

    passport = flow.passport(session, now, Filters(), preferences()).to_dict()
    yield "4. The skills passport", {"skills": [
        {"framework": skill["frameworkName"] or framework["name"], "name": skill["name"],
         "credentials": [proof["title"] for proof in skill["credentials"]]}
        for framework in passport["frameworks"] for skill in framework["skills"]]}

    selective = next(o.id for o in outcomes if o.title and "données" in o.title.lower())
    challenge = os.urandom(8).hex()
    request = flow.ShareRequest([selective], REVEALED, False, challenge, EMPLOYER_DOMAIN, None, False)
    shared = flow.share(session, request, now=now, choose=lambda listing: None,
                        confirm=lambda question: True,
                        deliver=lambda vp, suffix, qr: _write_json(base / "presentation.json", vp))
    presentation = shared["presentation"]
    yield "5. An employer asks; the learner shares only the course name and its skills", {
        "challenge": challenge, "domain": EMPLOYER_DOMAIN, "revealed": REVEALED,
        "hidden": ["the grade", "the credits", "the description"]}

    report = flow.verify_presentation_file(base, json.dumps(presentation).encode(), challenge=challenge,
                                           domain=EMPLOYER_DOMAIN, allow_unbound=False,
                                           require_trusted=False, now=now)
    yield "6. The employer verifies it, without calling the college", _report_detail(report)

    forged = json.loads(json.dumps(presentation))
    forged["verifiableCredential"][0]["credentialSubject"]["achievement"]["name"] = "Maîtrise en science des données"
    tampered = flow.verify_presentation_file(base, json.dumps(forged).encode(), challenge=challenge,
                                             domain=EMPLOYER_DOMAIN, allow_unbound=False,
                                             require_trusted=False, now=now)
    yield "7. Someone inflates the course name after signing: refused", _report_detail(tampered)


def _report_detail(report: dict[str, Any]) -> dict[str, Any]:
    failed = [f"{c['name']}: {c['detail']}" for c in report["checks"] if c["status"] == "failed"]
    disclosed = [d for c in report["credentials"] for d in c["disclosed"]]
    return {"outcome": report["outcome"], "failed": failed, "disclosed": disclosed}


def _issue_credentials(base: Path, holder: str, now: datetime) -> list[Path]:
    """The fictional college's two credentials, signed with fresh keys, written as files."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    from skillpass import suites
    from skillpass.keys.multikey import encode_public_key
    from skillpass.suites.ecdsa_sd_2023 import create_base_proof

    p256 = ec.generate_private_key(ec.SECP256R1())
    p256_did = "did:key:" + encode_public_key(p256.public_key())
    analysis = create_base_proof(
        _badge(p256_did, holder, now, "Analyse de données appliquée", "Applied Data Analysis", "DA-201", "87 %"),
        private_key=p256, verification_method=f"{p256_did}#{p256_did[8:]}", mandatory_pointers=["/issuer"])
    ed = ed25519.Ed25519PrivateKey.generate()
    ed_did = "did:key:" + encode_public_key(ed.public_key())
    safety = suites.sign(_badge(ed_did, holder, now, "Sécurité en atelier", "Workshop Safety", "WS-101", "Réussi"),
                         suite="eddsa-rdfc-2022", private_key=ed, verification_method=f"{ed_did}#{ed_did[8:]}")
    paths = []
    for name, credential in (("analyse-de-donnees.json", analysis), ("securite-atelier.json", safety)):
        path = base / name
        path.write_text(json.dumps(credential, indent=2, ensure_ascii=False))
        paths.append(path)
    return paths


def _badge(issuer: str, holder: str, now: datetime, name_fr: str, name_en: str, code: str,
           grade: str) -> dict[str, Any]:
    issued = now.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": f"urn:uuid:{os.urandom(16).hex()[:8]}-0000-4000-8000-{os.urandom(6).hex()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name_fr,
        "issuer": {"id": issuer, "type": ["Profile"], "name": COLLEGE},
        "validFrom": issued,
        "credentialSubject": {
            "id": holder, "type": ["AchievementSubject"],
            "achievement": {
                "id": f"https://grands-lacs.example.ca/microcredits/{code}", "type": ["Achievement"],
                "name": name_fr, "description": f"{name_en}: 45 heures, évaluation finale comprise.",
                "criteria": {"narrative": "Réussir l'évaluation finale (70 % ou plus)."},
                "alignment": [{"type": ["Alignment"], "targetName": name_en, "targetCode": code,
                               "targetFramework": "Cadre des compétences de l'Ontario (démo)",
                               "targetUrl": f"https://grands-lacs.example.ca/competences/{code}"}],
            },
            "result": [{"type": ["Result"], "value": grade}],
            "creditsEarned": 1.5,
        },
    }


def _write_json(path: Path, document: dict[str, Any]) -> str:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False))
    return str(path)


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)

