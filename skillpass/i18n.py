"""English and French for what skillpass shows a person (tables, labels, statuses, notes).

The language comes from `SKILLPASS_LANG`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`):
French when it starts with `fr`. It also decides which language of a multilingual credential
value is shown. `--json` output never changes with the language: it is for scripts.
"""

from __future__ import annotations

import functools
import os

FR = {
    # list / import / history / fields tables
    "ID": "ID", "Title": "Titre", "Issuer": "Émetteur", "Format": "Format", "Issued": "Émis",
    "Status": "État", "Result": "Résultat", "Source": "Source", "Title / reason": "Titre / raison",
    "Field": "Champ", "Label": "Libellé", "Value": "Valeur", "mandatory": "obligatoire",
    "When": "Quand", "Credentials": "Attestations", "Fields": "Champs", "Challenge": "Défi",
    "Domain": "Domaine", "Signed with": "Signée avec", "Check": "Vérification", "Detail": "Détail",
    "Disclosed": "Divulgué", "whole": "en entier", "unsigned": "non signée",
    "Always": "Toujours", "Credential": "Attestation", "Holder": "Titulaire",
    "Key type": "Type de clé", "Verification method": "Méthode de vérification",
    "Status list": "Liste d'état", "URL": "URL", "SHA-256": "SHA-256", "DID": "DID",
    "Keys": "Clés", "Added": "Ajouté", "Name": "Nom",
    "issuer": "émetteur", "holder binding": "liaison au titulaire", "required": "exigé",
    "a credential": "une attestation", "a presentation by": "une présentation de",
    "credentials": "attestations", "fields": "champs", "not checked": "non vérifié",
    "note": "remarque", "signed by": "signée par", "unknown issuer": "émetteur inconnu",
    "verifying": "vérification", "warnings": "avertissements",
    "share exactly this?": "partager exactement ceci?",
    "merged into": "fusionnées dans", "restored to": "restaurées dans", "not restored": "non restaurée",
    "holder keys of the other wallet not merged (pass --merge-keys)":
        "clés de titulaire de l'autre portefeuille non fusionnées (ajoutez --merge-keys)",
    "holder keys added": "clés de titulaire ajoutées",
    # statuses
    "status not checked": "état non vérifié", "revoked": "révoquée",
    "valid": "valide", "expired": "expirée", "not yet valid": "pas encore valide",
    "unverified": "non vérifiée", "unknown": "inconnue", "imported": "importée",
    "duplicate": "en double", "rejected": "refusée", "passed": "réussie", "failed": "échouée",
    "warning": "avertissement", "not applicable": "sans objet", "verified": "vérifiée",
    "invalid": "invalide", "could not be verified here": "impossible à vérifier ici",
    # show
    "Expires": "Expire", "Issuer ID": "ID de l'émetteur", "Description": "Description",
    "Subject": "Titulaire", "Achievement": "Réalisation", "Credits earned": "Crédits obtenus",
    "Contains": "Contient", "Proof": "Preuve", "Checked": "Vérifiée le", "skill": "compétence",
    "by": "par",
    # notes
    "the wallet holds no credential yet; add one with 'skillpass import FILE'":
        "le portefeuille ne contient encore aucune attestation; ajoutez-en une avec 'skillpass import FICHIER'",
    "no share yet; share a credential with 'skillpass share ID'":
        "aucun partage pour l'instant; partagez une attestation avec 'skillpass share ID'",
    "you choose what to reveal; mandatory fields are always revealed.":
        "vous choisissez ce que vous révélez; les champs obligatoires le sont toujours.",
    "trusted": "de confiance", "not in your trust list": "absent de votre liste de confiance",
    "credential": "attestation", "wrote the presentation to": "présentation écrite dans",
    "shared": "partagé", "field(s)": "champ(s)",
    "fields to reveal (numbers like 1,3-5, 'all', or empty to cancel): ":
        "champs à révéler (numéros comme 1,3-5, 'tout', ou vide pour annuler) : ",
    "share this credential whole? [y/N] ": "partager cette attestation en entier? [o/N] ",
    "type field numbers from the table, such as 2,4-6": "tapez des numéros du tableau, comme 2,4-6",
    "the verifier will see": "le vérificateur verra",
    # demo
    "1. A learner creates an encrypted wallet and a did:key identity":
        "1. Une apprenante crée un portefeuille chiffré et une identité did:key",
    "2. Collège des Grands-Lacs (démo) issues two Open Badges 3.0 micro-credentials":
        "2. Le Collège des Grands-Lacs (démo) émet deux microcertifications Open Badges 3.0",
    "3. The learner imports them: each proof is verified offline":
        "3. Elle les importe : chaque preuve est vérifiée hors ligne",
    "4. The skills passport": "4. Le passeport de compétences",
    "5. An employer asks; the learner shares only the course name and its skills":
        "5. Un employeur demande; elle ne partage que le nom du cours et ses compétences",
    "6. The employer verifies it, without calling the college":
        "6. L'employeur vérifie, sans appeler le collège",
    "7. Someone inflates the course name after signing: refused":
        "7. Quelqu'un gonfle le nom du cours après la signature : refusé",
    "holder DID": "DID de la titulaire", "signed credential": "attestation signée",
    "challenge": "défi", "domain": "domaine", "revealed": "révélé", "kept private": "gardé privé",
    "the grade": "la note", "the credits": "les crédits", "the description": "la description",
    # passport
    "Skills passport": "Passeport de compétences", "issuers": "émetteurs", "skills": "compétences",
    "expiring within 90 days": "expirant d'ici 90 jours", "Achievements": "Réalisations",
    "Date": "Date", "Issuers": "Émetteurs", "Totals": "Totaux", "credits": "crédits", "hours": "heures",
    "no credential matches; see every one with 'skillpass passport'":
        "aucune attestation ne correspond; voyez-les toutes avec 'skillpass passport'",
    "National Occupational Classification (NOC)": "Classification nationale des professions (CNP)",
    "Skills for Success": "Compétences pour réussir", "Issuer-defined": "Définies par l'émetteur",
    "Other skills": "Autres compétences", "ESCO": "ESCO", "O*NET": "O*NET",
    "profile": "profil", "wrote the passport to": "passeport écrit dans", "no name set; set one with 'skillpass profile --name NAME'":
        "aucun nom; choisissez-en un avec 'skillpass profile --name NOM'",
    # passport page
    "Made on": "Produit le", "each status is as of that time.": "chaque état est celui de ce moment.",
    "Counts": "Décomptes", "Contents": "Sommaire", "Skills": "Compétences",
    "No credential on this page shows a skill.": "Aucune attestation de cette page ne montre de compétence.",
    "Skills per framework": "Compétences par référentiel",
    "How many distinct skills each framework has.": "Nombre de compétences distinctes de chaque référentiel.",
    "proved by": "prouvée par", "Achievements over time": "Réalisations dans le temps",
    "Each dot is a credential, at the month it was awarded or became valid.":
        "Chaque point est une attestation, au mois où elle a été décernée ou est devenue valide.",
    "never": "jamais", "On this page": "Sur cette page",
    "in the signed presentation": "dans la présentation signée",
    "not in the signed presentation": "hors de la présentation signée",
    "Credits": "Crédits", "Hours": "Heures", "Made with skillpass.": "Produit avec skillpass.",
    "W3C Verifiable Credential": "Attestation vérifiable W3C", "SD-JWT VC": "SD-JWT VC", "VC-JWT": "VC-JWT",
    "This page carries a presentation signed by its holder: check it with 'skillpass verify FILE' "
    "(the page itself is not what is verified).":
        "Cette page porte une présentation signée par sa titulaire ou son titulaire : vérifiez-la avec "
        "'skillpass verify FICHIER' (c'est la présentation qui est vérifiée, pas le texte de la page).",
    "This page is not signed: to check these credentials, ask the holder to share them with "
    "'skillpass share', or for a passport made with --signed.":
        "Cette page n'est pas signée : pour vérifier ces attestations, demandez à la personne de les "
        "partager avec 'skillpass share', ou un passeport produit avec --signed.",
    "check the page with": "vérifiez la page avec",
    # receive
    "offers": "offre", "keep these credentials if they verify?": "garder ces attestations si elles sont vérifiées?",
    "from": "de",
    # share --request
    "(not named)": "(sans nom)", "verifier": "vérificateur", "authenticated by": "authentifié par",
    "purpose": "but", "the answer goes to": "la réponse va à",
    "the verifier asks you to prove that you control": "le vérificateur vous demande de prouver que vous contrôlez",
    "cannot hide fields: it goes out whole, more than was asked for":
        "ne peut cacher aucun champ : elle part en entier, plus que ce qui est demandé",
    "answers": "répond à", "so would": "comme le ferait", "give an ID to choose it": "donnez un ID pour la choisir",
    "answered": "réponse envoyée à", "the verifier asks you to continue at": "le vérificateur vous invite à continuer sur",
    "wrote the answer to": "réponse écrite dans",
    # QR codes
    "QR code": "Code QR", "version": "version", "error correction": "correction d'erreur",
    "bytes": "octets", "characters": "caractères", "wrote the QR code to": "code QR écrit dans", "passport page": "page de passeport", "Via": "Par",
    # status lists
    "suspended": "suspendue", "not verifiable": "non vérifiable", "Not verified": "Non vérifiée",
    "not verified (hosted badge)": "non vérifiée (badge hébergé)",
    "status not checked since {date}": "état non vérifié depuis le {date}",
    "list obtained {date}": "liste obtenue le {date}", "State": "État", "Obtained": "Obtenue le",
    "Current until": "À jour jusqu'au", "kept": "conservée", "not obtained": "non obtenue",
    "out of date": "périmée", "current": "à jour", "{n} credential(s)": "{n} attestation(s)",
    "kept the status list {url} from {issuer}: {n} credential(s) checked, {revoked} revoked, {suspended} suspended":
        "liste d'état {url} de {issuer} conservée : {n} attestation(s) vérifiée(s), {revoked} révoquée(s), "
        "{suspended} suspendue(s)",
    "no credential in the wallet names a status list": "aucune attestation du portefeuille ne nomme de liste d'état",
}
# French plurals where the English word does not change ("2 valid" / "2 valides"); French takes
# the singular for 0 and 1.
FR_MANY = {"valid": "valides", "expired": "expirées", "revoked": "révoquées", "unverified": "non vérifiées",
           "unknown": "inconnues", "not yet valid": "pas encore valides", "status not checked": "état non vérifié",
           "suspended": "suspendues", "not verifiable": "non vérifiables"}
_MONTHS = {"en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"),
           "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                  "octobre", "novembre", "décembre")}
_chosen: str | None = None


def use_language(lang: str | None) -> None:
    """Use `lang` ('en' or 'fr') whatever the environment says (a command's --lang)."""
    global _chosen
    _chosen = lang
    language.cache_clear()


@functools.cache
def language() -> str:
    if _chosen is not None:
        return _chosen
    for variable in ("SKILLPASS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def preferences() -> tuple[str, ...]:
    """Language preferences for multilingual credential values (LangText.pick)."""
    return ("fr", "en") if language() == "fr" else ("en", "fr")


def _(text: str) -> str:
    """`text` in the user's language (English is the source)."""
    return FR.get(text, text) if language() == "fr" else text


def counted(count: int, one: str, many: str) -> str:
    """The word for `count` things: `one` or `many` (English), in the user's language."""
    if language() != "fr":
        return one if count == 1 else many
    return FR.get(one, one) if count <= 1 else FR_MANY.get(many, FR.get(many, many))


def format_date(value: str | None) -> str:
    """A date as a person reads it in the language: '1 December 2026' / '1 décembre 2026' (the
    day only; a value that is not a date is shown as written)."""
    import re

    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return value or ""
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    lang = language()
    if lang == "fr":
        return f"{'1er' if day == 1 else day} {_MONTHS['fr'][month - 1]} {year}"
    return f"{day} {_MONTHS['en'][month - 1]} {year}"


def format_number(value: float | int | None) -> str:
    """12,345.5 in English, 12 345,5 in French (a narrow no-break space between thousands)."""
    if value is None:
        return ""
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    if language() == "fr":
        return text.replace(",", "\u202f").replace(".", ",")
    return text
