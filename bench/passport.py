"""Wallets of 100, 1,000 and 10,000 credentials for `python bench/bench.py`, which times
`list --json` and `passport --json` on them (bench/commands.py), and the phases of one
`passport --json` in-process.

1. Each wallet is built once in a temporary directory with the production Argon2id cost
   (vault.DEFAULT_KDF) and reused by every run. Each credential goes in through the library call
   `import` uses (Wallet.add_credential with its summary and views.row_record row, as
   tests/conftest.py store_credential). The credentials are Open Badges 3.0, unsigned (the
   passport reads rows only, never the proof): 2-4 alignments each from a pool of about 300
   skills (ESCO, O*NET, NOC 2021, Skills for Success, six issuers' own frameworks), drawn with a
   Zipf-like skew so that skills repeat across credentials as they do in a real wallet; one in
   twelve has tags only, about one in seven has expired, a few expire within 90 days; 20 issuers.
2. `in_process`: one `passport --json` of a wallet, its phases timed by wrapping the functions
   of each (little overhead).
Not a test: nothing here asserts.
"""

from __future__ import annotations

import io
import json
import os
import random
import statistics
import subprocess
import time
import uuid
from contextlib import redirect_stdout
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

from common import PASSPHRASE, command_env, skillpass_command

SIZES = (100, 1_000, 10_000)

ESCO = ["analyse data", "use spreadsheets software", "manage budgets", "communicate with customers",
        "perform risk analysis", "apply health and safety standards", "write technical reports",
        "use databases", "develop software prototype", "debug software", "manage a team",
        "coach employees", "plan work activities", "provide first aid", "maintain electrical equipment",
        "read engineering drawings", "weld metal parts", "operate forklift", "ensure food safety",
        "prepare food", "handle cash", "negotiate with suppliers", "write reports in English",
        "present reports", "adapt to change", "think critically", "solve problems",
        "work in teams", "manage time", "show empathy", "use microsoft office", "perform data cleansing",
        "create data models", "apply statistical analysis techniques", "program in Python",
        "use SQL", "design user interfaces", "test software", "manage projects", "write grant proposals",
        "keep records of work progress", "instruct others", "assist patients", "administer medications",
        "monitor patient health", "observe infection control", "use medical terminology",
        "install plumbing systems", "install electrical wiring", "troubleshoot equipment",
        "inspect construction supplies", "use hand tools", "use power tools", "operate heavy machinery",
        "read blueprints", "estimate costs", "maintain customer service", "sell products",
        "manage inventory", "process payments", "perform bookkeeping", "prepare financial statements",
        "comply with legal regulations", "protect personal data", "apply ICT security policies",
        "configure networks", "administer ICT system", "provide technical support", "use CAD software",
        "draft technical documentation", "translate texts", "speak French", "speak English",
        "teach children", "plan lessons", "assess students", "support people with disabilities",
        "counsel clients", "drive vehicles", "plan routes", "load cargo", "maintain vehicles",
        "repair engines", "diagnose vehicle faults", "calibrate instruments", "perform laboratory tests",
        "handle chemicals safely", "manage waste", "apply environmental regulations",
        "operate greenhouse equipment", "cultivate plants", "care for animals", "cut hair",
        "apply make-up", "take photographs", "edit video", "write content for the web",
        "manage social media", "conduct market research", "develop marketing campaigns",
        "organise events", "receive guests", "book travel", "clean facilities", "perform maintenance",
        "supervise staff", "recruit employees", "resolve conflicts", "lead meetings", "mentor individuals",
        "apply lean manufacturing", "conduct quality audits"]
ONET = [("2.A.1.a", "Reading Comprehension"), ("2.A.1.b", "Active Listening"), ("2.A.1.c", "Writing"),
        ("2.A.1.d", "Speaking"), ("2.A.1.e", "Mathematics"), ("2.A.1.f", "Science"),
        ("2.A.2.a", "Critical Thinking"), ("2.A.2.b", "Active Learning"), ("2.A.2.c", "Learning Strategies"),
        ("2.A.2.d", "Monitoring"), ("2.B.1.a", "Social Perceptiveness"), ("2.B.1.b", "Coordination"),
        ("2.B.1.c", "Persuasion"), ("2.B.1.d", "Negotiation"), ("2.B.1.e", "Instructing"),
        ("2.B.1.f", "Service Orientation"), ("2.B.2.i", "Complex Problem Solving"),
        ("2.B.3.a", "Operations Analysis"), ("2.B.3.b", "Technology Design"), ("2.B.3.c", "Equipment Selection"),
        ("2.B.3.d", "Installation"), ("2.B.3.e", "Programming"), ("2.B.3.g", "Operations Monitoring"),
        ("2.B.3.h", "Operation and Control"), ("2.B.3.j", "Equipment Maintenance"), ("2.B.3.k", "Troubleshooting"),
        ("2.B.3.l", "Repairing"), ("2.B.3.m", "Quality Control Analysis"), ("2.B.4.e", "Judgment and Decision Making"),
        ("2.B.4.g", "Systems Analysis"), ("2.B.4.h", "Systems Evaluation"), ("2.B.5.a", "Time Management"),
        ("2.B.5.b", "Management of Financial Resources"), ("2.B.5.c", "Management of Material Resources"),
        ("2.B.5.d", "Management of Personnel Resources"), ("2.C.1.a", "Administration and Management"),
        ("2.C.1.b", "Administrative"), ("2.C.1.c", "Economics and Accounting"), ("2.C.1.d", "Sales and Marketing"),
        ("2.C.1.e", "Customer and Personal Service"), ("2.C.1.f", "Personnel and Human Resources"),
        ("2.C.2.a", "Production and Processing"), ("2.C.2.b", "Food Production"),
        ("2.C.3.a", "Computers and Electronics"), ("2.C.3.b", "Engineering and Technology"), ("2.C.3.c", "Design"),
        ("2.C.3.d", "Building and Construction"), ("2.C.3.e", "Mechanical"), ("2.C.4.b", "Physics"),
        ("2.C.4.c", "Chemistry"), ("2.C.4.d", "Biology"), ("2.C.4.e", "Psychology"),
        ("2.C.4.f", "Sociology and Anthropology"), ("2.C.4.g", "Geography"), ("2.C.5.a", "Medicine and Dentistry"),
        ("2.C.5.b", "Therapy and Counseling"), ("2.C.6", "Education and Training"), ("2.C.7.a", "English Language"),
        ("2.C.8.a", "Public Safety and Security"), ("2.C.9.a", "Telecommunications"), ("2.C.10", "Transportation")]
NOC = [("21211", "Data scientists"), ("21231", "Software engineers and designers"),
       ("21232", "Software developers and programmers"), ("21233", "Web designers"),
       ("21234", "Web developers and programmers"), ("21222", "Information systems specialists"),
       ("21223", "Database analysts and data administrators"), ("22220", "Computer network and web technicians"),
       ("22221", "User support technicians"), ("31301", "Registered nurses and registered psychiatric nurses"),
       ("32101", "Licensed practical nurses"), ("33102", "Nurse aides, orderlies and patient service associates"),
       ("72106", "Welders and related machine operators"), ("72200", "Electricians"),
       ("72201", "Industrial electricians"), ("72300", "Plumbers"), ("72310", "Carpenters"),
       ("72400", "Construction millwrights and industrial mechanics"), ("72410", "Automotive service technicians"),
       ("73300", "Transport truck drivers"), ("63200", "Cooks"), ("62200", "Chefs"),
       ("64100", "Retail salespersons and visual merchandisers"), ("14100", "General office support workers"),
       ("12200", "Accounting technicians and bookkeepers"), ("11100", "Financial auditors and accountants"),
       ("13110", "Administrative assistants"), ("41220", "Secondary school teachers"),
       ("42202", "Early childhood educators and assistants"), ("42201", "Social and community service workers"),
       ("44101", "Home support workers, caregivers and related occupations"),
       ("75110", "Construction trades helpers and labourers"), ("22310", "Electrical and electronics engineering technologists"),
       ("22300", "Civil engineering technologists and technicians"), ("10022", "Advertising, marketing and public relations managers")]
SFS = ["Adaptability", "Collaboration", "Communication", "Creativity and innovation", "Digital",
       "Numeracy", "Problem solving", "Reading", "Writing"]
SFS_URL = "https://www.canada.ca/en/services/jobs/training/initiatives/skills-success/understanding-individuals.html"
OWN = ["Workplace safety", "Project scheduling", "Client intake", "Technical drawing", "Shop math",
       "Professional ethics", "Indigenous perspectives", "Lab practice", "Field placement", "Portfolio review",
       "Equipment setup", "Inventory control", "Digital literacy", "Report writing", "Oral presentation"]
ISSUERS = ["Collège Boréal", "Cambrian College", "Université Laurentienne", "George Brown College",
           "Humber Polytechnic", "Seneca Polytechnic", "Red River College Polytechnic", "BCIT", "NAIT", "SAIT",
           "Algonquin College", "Sheridan College", "Conestoga College", "Durham College", "Canadian Red Cross",
           "Skills Ontario", "Collège La Cité", "Cégep de Jonquière", "Northern College", "Confederation College"]
OWN_FRAMEWORKS = ISSUERS[:6]  # these issuers align to a framework of their own
TAGS = ["teamwork", "leadership", "safety", "Excel", "customer service", "bilingual", "volunteering",
        "first aid", "coding", "public speaking"]


def skill_pool() -> list[dict[str, Any]]:
    """About 300 alignments, as issuers write them for each framework."""
    def esco(name: str) -> dict[str, Any]:
        return {"targetName": name, "targetFramework": "ESCO",
                "targetUrl": f"http://data.europa.eu/esco/skill/{uuid.uuid5(uuid.NAMESPACE_URL, name)}"}
    pool = [esco(name) for name in ESCO]
    pool += [{"targetName": name, "targetFramework": "O*NET", "targetCode": code,
              "targetUrl": f"https://www.onetonline.org/find/descriptor/result/{code}"} for code, name in ONET]
    pool += [{"targetName": name, "targetFramework": "NOC 2021", "targetCode": code,
              "targetUrl": f"https://noc.esdc.gc.ca/Structure/NocProfile?objectid={code}"} for code, name in NOC]
    pool += [{"targetName": name, "targetFramework": "Skills for Success", "targetUrl": SFS_URL} for name in SFS]
    for n, issuer in enumerate(OWN_FRAMEWORKS):
        slug = f"college{n}"
        pool += [{"targetName": name, "targetFramework": f"{issuer} Competency Framework",
                  "targetCode": f"{slug.upper()}-{i:02d}", "targetUrl": f"https://{slug}.example/competencies/{i}"}
                 for i, name in enumerate(OWN)]
    return [{"type": ["Alignment"], **alignment} for alignment in pool]


def credentials(count: int, issuers: list[Any], now: datetime) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(issuer, credential) pairs, the same for a given count on every run."""
    from issuing import ob3

    rng = random.Random(count)
    pool = skill_pool()
    rng.shuffle(pool)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(pool))]  # a few skills are everywhere
    for n in range(count):
        which = rng.randrange(len(issuers))
        issuer = issuers[which]
        start = datetime(2018, 1, 1, tzinfo=timezone.utc) + timedelta(days=rng.randrange(3000))
        title = f"{rng.choice(['Intro to', 'Applied', 'Advanced', 'Certificate in'])} {rng.choice(ESCO)}"
        credential = ob3(title, issuer=issuer, n=n, validFrom=start.strftime("%Y-%m-%dT%H:%M:%SZ"))
        credential["issuer"]["name"] = ISSUERS[which]
        achievement = credential["credentialSubject"]["achievement"]
        achievement["id"] = f"https://issuer{which}.example/achievements/{n % 400}"
        roll = rng.random()
        if roll < 0.14:
            credential["validUntil"] = (start + timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ")
        elif roll < 0.17:
            credential["validUntil"] = (now + timedelta(days=rng.randrange(5, 85))).strftime("%Y-%m-%dT%H:%M:%SZ")
        if rng.random() < 1 / 12:
            del achievement["alignment"]
            achievement["tag"] = rng.sample(TAGS, rng.randint(1, 3))
        else:
            chosen: dict[str, dict[str, Any]] = {}
            wanted = rng.randint(2, 4)
            while len(chosen) < wanted:
                alignment = rng.choices(pool, weights)[0]
                chosen[alignment["targetUrl"] + alignment.get("targetCode", "") + alignment["targetName"]] = alignment
            achievement["alignment"] = list(chosen.values())
        if rng.random() < 0.3:
            achievement["creditsAvailable"] = rng.choice(["0.5", "1", "1.5", "3"])
        yield issuer, credential


def build_wallet(home: Path, count: int) -> float:
    """A wallet of `count` credentials in `home`, with the production KDF; seconds it took."""
    from issuing import new_issuer
    from skillpass.summary import summarize
    from skillpass.views import row_record
    from skillpass.wallet.unlock import Passphrase
    from skillpass.wallet.wallet import create_wallet

    started = time.perf_counter()
    issuers = [new_issuer("Ed25519") for _ in ISSUERS]
    now = datetime.now(timezone.utc)
    with create_wallet(home, passphrase=Passphrase(PASSPHRASE.encode()), use_keyring=False) as wallet:
        for issuer, credential in credentials(count, issuers, now):
            entry = {"summary": summarize(credential).to_dict(), "format": "ldp_vc",
                     "added": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                     "verification": {"issuer": issuer.did, "proofs": [], "checked": "2026-11-29T00:00:00Z"}}
            wallet.add_credential(json.dumps(credential, indent=2).encode(), entry, row_record(entry))
    return time.perf_counter() - started


def kdf_seconds(runs: int) -> float:
    from skillpass.wallet import vault

    salt = os.urandom(vault.SALT_SIZE)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        vault.derive_passphrase_kek(PASSPHRASE.encode(), salt, vault.DEFAULT_KDF)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def passport_shape(home: Path) -> str:
    out = subprocess.run(skillpass_command() + ["passport", "--json"], capture_output=True, env=command_env(home),
                         check=True)
    counts = json.loads(out.stdout)["counts"]
    return (f"{counts['credentials']:,} credentials, {counts['skills']} skills, {counts['issuers']} issuers, "
            f"{counts['expired']:,} expired, {counts['expiringSoon']} expiring soon; {len(out.stdout) / 1e6:.1f} MB")


def in_process(home: Path, profile: bool) -> list[tuple[str, float]]:
    """The phases of one `passport --json`, one after another (the command streams them: rows are
    built into the passport as they are read, and the document's text is written in pieces by
    passport/document_text.py)."""
    import cProfile
    import pstats

    from skillpass import flow, render
    from skillpass.flow.listing import iter_current_rows
    from skillpass.passport.build import Filters, build
    from skillpass.passport.document_text import document_chunks
    from skillpass.wallet import vault
    from skillpass.wallet.unlock import SecretSources

    session = flow.Session(home, SecretSources(environ={"SKILLPASS_PASSPHRASE": PASSPHRASE}))
    now = datetime.now(timezone.utc)

    def whole() -> None:
        built = flow.passport(session, now, Filters())
        with redirect_stdout(io.StringIO()):
            render.emit_json_text(document_chunks(built))

    def phases() -> dict[str, float]:
        totals: dict[str, float] = {}

        def step(label: str, start: float) -> float:
            totals[label] = time.perf_counter() - start
            return time.perf_counter()

        start = first = time.perf_counter()
        salt = b"0123456789abcdef"
        vault.derive_passphrase_kek(PASSPHRASE.encode(), salt, vault.DEFAULT_KDF)
        start = step("unlock: Argon2id alone (the agent skips it)", start)
        with session.open() as wallet:
            start = step("open the wallet (Argon2id included)", start)
            rows = list(iter_current_rows(wallet))
            start = step("read rows: decrypt + json.loads (+ staleness)", start)
        built = build(rows, now=now, holder_name=None, holder_dids=(), filters=Filters())
        start = step("build the passport", start)
        with redirect_stdout(io.StringIO()):
            render.emit_json_text(document_chunks(built))
        step("write the document (JSON text from the passport)", start)
        totals["all of the above"] = time.perf_counter() - first
        return totals

    whole()  # warm: imports
    totals = phases()
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(whole)
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)
    return list(totals.items())
