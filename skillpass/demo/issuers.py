"""The demo's two fictional Ontario issuers and the six bilingual micro-credentials they issue,
signed by skillpass's test issuer (skillpass.issuing), which labels every issuer a test issuer
in the signed data: nothing here could pass for a real institution's credential.

    Collège des Grands-Lacs   did:key issuer: ecdsa-sd-2023, eddsa-rdfc-2022 (with a status
                              entry, revoked later), Ed25519Signature2020
    Université du Nord        did:web issuer (its DID document kept in the wallet): an SD-JWT VC,
                              a MATTR-style compact credential, ecdsa-rdfc-2019 (expired)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

COLLEGE = "Collège des Grands-Lacs"
UNIVERSITY = "Université du Nord"
UNIVERSITY_HOST = "universite-du-nord.example"  # RFC 2606: never a real institution's
COLLEGE_SITE = "https://grands-lacs.example"
STATUS_URL = f"{COLLEGE_SITE}/statut/liste-1"
REVOKED_INDEX = 42
EES = "Ontario Essential Employability Skills"
SFS = "Skills for Success"


@dataclass(frozen=True)
class DemoCredential:
    """One micro-credential of the story: what it says in both languages and how it is signed."""

    key: str  # its file name and its handle in the story
    issuer: str  # COLLEGE | UNIVERSITY
    suite: str
    name: str
    name_fr: str
    description: str
    description_fr: str
    skills: tuple[tuple[str, str], ...]  # (skill, framework)
    hours: int
    credits: float
    grade: str
    expired: bool = False
    revoked: bool = False
    one_name: bool = False  # both languages in one plain name: a QR code (VPQR) carries no language tags

    @property
    def file(self) -> str:
        # .csc.txt, as share writes compact text: `import DIR` reads it (a plain .txt it passes over)
        return self.key + (".sd-jwt" if self.suite == "sd-jwt-vc" else ".csc.txt" if self.suite == "mattr-compact"
                           else ".json")


CREDENTIALS = (
    DemoCredential(
        "analyse-de-donnees", COLLEGE, "ecdsa-sd-2023", "Applied Data Analysis", "Analyse de données appliquée",
        "Cleaning, charting and explaining data sets with spreadsheets and Python.",
        "Nettoyer, représenter et expliquer des jeux de données avec un tableur et Python.",
        (("Data analysis", SFS), ("Problem solving", SFS), ("Critical thinking", EES)), 45, 1.5, "87 %", one_name=True),
    DemoCredential(
        "securite-atelier", COLLEGE, "eddsa-rdfc-2022", "Workshop Safety", "Sécurité en atelier",
        "Safe use of hand and power tools; WHMIS 2015 labels and safety data sheets.",
        "Utilisation sécuritaire des outils; étiquettes et fiches de données de sécurité du SIMDUT 2015.",
        (("Workplace safety", EES),), 14, 0.5, "Réussi / Pass", revoked=True),
    DemoCredential(
        "service-clientele", COLLEGE, "Ed25519Signature2020", "Bilingual Customer Service",
        "Service à la clientèle bilingue",
        "Serving clients in English and French, in person and by phone.",
        "Servir la clientèle en français et en anglais, en personne et au téléphone.",
        (("Oral communication", SFS), ("Adaptability", SFS)), 30, 1.0, "A"),
    DemoCredential(
        "programmation-python", UNIVERSITY, "sd-jwt-vc", "Introduction to Python Programming",
        "Introduction à la programmation Python",
        "Variables, functions, files and tests: a first program that solves a real problem.",
        "Variables, fonctions, fichiers et tests : un premier programme qui règle un vrai problème.",
        (("Digital", SFS), ("Problem solving", SFS)), 39, 3.0, "B+"),
    DemoCredential(
        "gestion-de-projet", UNIVERSITY, "mattr-compact", "Project Management Fundamentals",
        "Fondements de la gestion de projet",
        "Scope, schedule, risks and stakeholders of a small project.",
        "Portée, échéancier, risques et parties prenantes d'un petit projet.",
        (("Collaboration", SFS), ("Problem solving", SFS), ("Critical thinking", EES)), 24, 1.0, "A-"),
    DemoCredential(
        "redaction-scientifique", UNIVERSITY, "ecdsa-rdfc-2019", "Scientific Writing in French",
        "Rédaction scientifique en français",
        "Writing a short research report in French: structure, sources and style.",
        "Rédiger un court rapport de recherche en français : structure, sources et style.",
        (("Writing", SFS), ("Reading", SFS), ("Oral communication", SFS)), 36, 3.0, "A", expired=True),
)
SHARED = CREDENTIALS[0]
# the three fields the learner reveals to the employer (skillpass share --reveal)
REVEALED = ("credentialSubject.achievement.name", "credentialSubject.achievement.alignment[0]",
            "credentialSubject.creditsEarned")
HIDDEN = ("the grade", "the description", "the hours", "two of the three skills")  # render/demo.py says them


@dataclass(frozen=True)
class Issuers:
    college: Any  # skillpass.issuing.TestIssuerKey
    university: Any

    def of(self, credential: DemoCredential) -> Any:
        return self.college if credential.issuer == COLLEGE else self.university


def make_issuers() -> Issuers:
    from skillpass.issuing import generate

    return Issuers(generate("grands-lacs"), generate("universite-du-nord", did_web=UNIVERSITY_HOST))


def issue_all(issuers: Issuers, holder: dict[str, Any], holder_p256: dict[str, Any], now: datetime,
              out: Path) -> list[dict[str, Any]]:
    """Sign the six credentials, write each to `out`, and say what was issued."""
    issued = []
    for credential in CREDENTIALS:
        signed = issue_one(credential, issuers, holder, holder_p256, now)
        path = out / credential.file
        text = signed.credential if isinstance(signed.credential, str) else _json(signed.credential)
        path.write_text(text + "\n", encoding="utf-8")
        both = f"{credential.name_fr} / {credential.name}"
        issued.append({"key": credential.key, "name": both if credential.one_name else credential.name,
                       "nameFr": both if credential.one_name else credential.name_fr,
                       "issuer": credential.issuer, "issuerDid": signed.issuer, "suite": signed.suite,
                       "format": signed.format, "file": str(path), "hours": credential.hours,
                       "credits": credential.credits, "skills": [s for s, _ in credential.skills],
                       "expired": credential.expired, "statusEntry": credential.revoked})
    return issued


def issue_one(credential: DemoCredential, issuers: Issuers, holder: dict[str, Any],
              holder_p256: dict[str, Any], now: datetime) -> Any:
    """One credential through skillpass.issuing.issue: the SD-JWT VC bound to the learner's P-256
    key, the others issued to the learner's Ed25519 did:key."""
    from skillpass.issuing import CredentialSpec, Skill, issue

    sd_jwt = credential.suite == "sd-jwt-vc"
    start, end = (now - timedelta(days=730), now - timedelta(days=365)) if credential.expired else (
        now - timedelta(days=30), None)
    spec = CredentialSpec(
        name=f"{credential.name_fr} / {credential.name}" if credential.one_name else credential.name,
        name_fr=None if credential.one_name else credential.name_fr,
        description=credential.description, description_fr=None if sd_jwt else credential.description_fr,
        skills=tuple(Skill(name, framework) for name, framework in credential.skills),
        subject=(holder_p256 if sd_jwt else holder)["did"], valid_from=start, valid_until=end,
        status_list=STATUS_URL if credential.revoked else None,
        status_index=REVOKED_INDEX if credential.revoked else None, issuer_name=credential.issuer)
    return issue(spec, issuers.of(credential), suite=credential.suite, now=now, template=_template(credential),
                 holder_jwk=holder_p256["publicKeyJwk"] if sd_jwt else None)


def _template(credential: DemoCredential) -> dict[str, Any]:
    """What the flags cannot say: hours, credits, the grade and the French of SD-JWT and MATTR
    claims, in the terms of each format."""
    if credential.suite == "sd-jwt-vc":
        return {"vct": f"https://{UNIVERSITY_HOST}/credentials/micro-credential",
                "achievement": {"description#fr": credential.description_fr,
                                "hours": credential.hours},
                "credits": credential.credits, "grade": credential.grade}
    if credential.suite == "mattr-compact":
        return {"award_fr": credential.name_fr, "description_fr": credential.description_fr,
                "hours": credential.hours, "credits": credential.credits, "grade": credential.grade}
    from skillpass.issuing.template import OB3, VC1, VC2

    vc1 = credential.suite == "Ed25519Signature2020"
    site = COLLEGE_SITE if credential.issuer == COLLEGE else f"https://{UNIVERSITY_HOST}"
    return {
        "@context": [VC1 if vc1 else VC2, OB3], "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "credentialSubject": {
            "type": ["AchievementSubject"], "creditsEarned": credential.credits,
            "result": [{"type": ["Result"], "value": credential.grade}],
            "achievement": {
                "id": f"{site}/microcertifications/{credential.key}", "type": ["Achievement"],
                "achievementType": "MicroCredential", "creditsAvailable": credential.credits,
                "criteria": {"narrative": f"{credential.hours} h; final assessment 70 % or more. / "
                                          f"{credential.hours} h; évaluation finale de 70 % ou plus."}}}}


def _json(document: Any) -> str:
    import json

    return json.dumps(document, indent=2, ensure_ascii=False)
