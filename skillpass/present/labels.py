"""A field's human label ("Achievement name", "Alignment 1: target name"), made from the keys on
its path, and the same label in the reader's language.

The label `show --fields --json`, a pipe and a verifier's report carry is English, whatever the
language: it is made from the credential's own keys. A person at a terminal reads it in French
when the catalog has the French of that label: the common Open Badges 3.0, VC and SD-JWT VC
fields have theirs (COMMON_PATHS; scripts/messages.py extracts their labels), a key the issuer
chose keeps its words. The path itself, what `--reveal` takes, never changes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

# The catalog keeps labels under their own msgctxt: a label ("Evidence {0}", "Email") must never
# be taken for the template of a message (i18n.translate_message), nor a message for a label.
LABEL_CONTEXT = "label"
_LANGUAGE_TAG = re.compile(r"[a-z]{2}(-[A-Za-z0-9]{2,8})*")
# Keys that say little alone: shown with their parent ("Achievement name", "Issuer name").
_GENERIC = frozenset({"name", "description", "narrative", "url", "image", "value", "caption",
                      "email", "identifier", "version", "code", "status", "level", "id", "type"})
_WORDS = {"credentialSubject": "subject", "cti": "credential id", "validFrom": "valid from", "validUntil": "valid until",
          "issuanceDate": "issued on", "expirationDate": "expires on", "awardedDate": "awarded on",
          "credentialStatus": "status", "evidence": "evidence",
          # JWT registered claims (RFC 7519 §4.1, SD-JWT VC §3.2.2)
          "iss": "issuer", "vct": "credential type", "iat": "issued at", "nbf": "valid from",
          "exp": "expires at", "cnf": "holder key", "sub": "subject", "jti": "credential id"}
_NUMBER = re.compile(r"\d+")
_FIELD = re.compile(r"\{(\d+)\}")
_LANGUAGE_SUFFIX = re.compile(r"(.+) \(([a-z]{2}(?:-[A-Za-z0-9]{2,8})*)\)")
_STEP = re.compile(r"\.?([A-Za-z_$@][A-Za-z0-9_$@-]*)|\[([0-9]+)\]")

# Fields most credentials have: VC 2.0 / 1.1, Open Badges 3.0 (its AchievementSubject,
# Achievement, Alignment, Result, Profile), SD-JWT VC's registered claims and OpenID Connect's
# standard claims (OIDC Core §5.1), which SD-JWT VCs about a person use. Their labels have French.
COMMON_PATHS = (
    "id", "name", "description", "type", "image", "issuer", "issuer.id", "issuer.type", "issuer.name",
    "issuer.description", "issuer.url", "issuer.email", "issuer.image", "validFrom", "validUntil",
    "issuanceDate", "expirationDate", "awardedDate", "credentialStatus.id", "credentialStatus.type",
    "credentialStatus.statusPurpose", "credentialStatus.statusListIndex",
    "credentialStatus.statusListCredential", "evidence[0]", "evidence[0].narrative", "evidence[0].name",
    "evidence[0].description", "credentialSubject", "credentialSubject.id", "credentialSubject.type",
    "credentialSubject.name", "credentialSubject.creditsEarned", "credentialSubject.activityStartDate",
    "credentialSubject.activityEndDate", "credentialSubject.licenseNumber", "credentialSubject.role",
    "credentialSubject.term", "credentialSubject.result[0]", "credentialSubject.result[0].type",
    "credentialSubject.result[0].value", "credentialSubject.result[0].status",
    "credentialSubject.result[0].achievedLevel", "credentialSubject.result[0].resultDescription",
    "credentialSubject.achievement", "credentialSubject.achievement.id", "credentialSubject.achievement.type",
    "credentialSubject.achievement.name", "credentialSubject.achievement.description",
    # a text given in several languages as an array of value objects (VC 2.0 §11.1): one field each
    "description[0]", "credentialSubject.achievement.name[0]", "credentialSubject.achievement.description[0]",
    "credentialSubject.achievement.image", "credentialSubject.achievement.achievementType",
    "credentialSubject.achievement.creditsAvailable", "credentialSubject.achievement.criteria",
    "credentialSubject.achievement.criteria.narrative", "credentialSubject.achievement.criteria.id",
    "credentialSubject.achievement.fieldOfStudy", "credentialSubject.achievement.humanCode",
    "credentialSubject.achievement.specialization", "credentialSubject.achievement.inLanguage",
    "credentialSubject.achievement.version", "credentialSubject.achievement.tag[0]",
    "credentialSubject.achievement.creator.id", "credentialSubject.achievement.creator.name",
    "credentialSubject.achievement.alignment[0]", "credentialSubject.achievement.alignment[0].type",
    "credentialSubject.achievement.alignment[0].targetName", "credentialSubject.achievement.alignment[0].targetUrl",
    "credentialSubject.achievement.alignment[0].targetFramework",
    "credentialSubject.achievement.alignment[0].targetCode",
    "credentialSubject.achievement.alignment[0].targetDescription",
    "credentialSubject.achievement.alignment[0].targetType",
    # SD-JWT VC and OpenID Connect claims
    "iss", "vct", "iat", "nbf", "exp", "sub", "jti", "cnf", "status", "given_name", "family_name",
    "middle_name", "birthdate", "email", "phone_number", "nationalities[0]", "address", "address.street_address",
    "address.locality", "address.region", "address.postal_code", "address.country",
)


def label(segments: Sequence[tuple[str, bool]], value: Any) -> str:
    """A human label from the last key or two of the (token, is_array_index) `segments`
    ("Achievement name", "Alignment 1: target name"); `value` is the field's."""
    parts: list[tuple[str, int | None]] = []  # (key, array index) with indexes folded in
    for token, is_index in segments:
        if is_index and parts:
            parts[-1] = (parts[-1][0], int(token))
        else:
            parts.append((token, None))
    key, index = parts[-1]
    base, _hash, tag = key.rpartition("#")
    if base and index is None and _LANGUAGE_TAG.fullmatch(tag) and not segments[-1][1]:
        # `name#fr`: the claim `name` in French (OpenID Connect Core 1.0 §5.2), as a language map's entry
        return f"{label([*segments[:-1], (base, False)], value)} ({tag})"
    if len(parts) == 1 and key in ("name", "id"):
        return f"Credential {key}"
    text = _words(key) + ("" if index is None else f" {index + 1}")
    if len(parts) > 1:
        parent, parent_index = parts[-2]
        if parent_index is not None:
            text = f"{_words(parent)} {parent_index + 1}: {text}"
        elif key in _GENERIC:
            text = f"{_words(parent)} {text}"
        elif _LANGUAGE_TAG.fullmatch(key) and index is None and isinstance(value, str):
            return f"{label(segments[:-1], None)} ({key})"  # a JSON-LD language map entry
    return text[:1].upper() + text[1:]


def for_reader(english: str) -> str:
    """`english`, a field's label, in the user's language: the catalog's French of the label with
    its numbers ("Alignment {0}: target name"), a language map's tag kept; else as it is."""
    from skillpass.i18n import language, translations

    if language() != "fr" or not english:
        return english
    suffixed = _LANGUAGE_SUFFIX.fullmatch(english)
    if suffixed is not None:
        return f"{for_reader(suffixed.group(1))} ({suffixed.group(2)})"
    msgid = template(english)
    french = translations().pgettext(LABEL_CONTEXT, msgid)
    if french == msgid:  # none (or the same word in French)
        return english
    numbers = _NUMBER.findall(english)
    return _FIELD.sub(lambda field: numbers[int(field.group(1))] if int(field.group(1)) < len(numbers)
                      else field.group(0), french)


def template(english: str) -> str:
    """The catalog's msgid of a label: each number a field, `{0}`, `{1}`, … in order."""
    counter = iter(range(len(_NUMBER.findall(english))))
    return _NUMBER.sub(lambda _match: f"{{{next(counter)}}}", english)


def common_labels() -> list[str]:
    """The msgids of the labels of COMMON_PATHS (what scripts/messages.py extracts)."""
    return list(dict.fromkeys(template(label(_segments(path), None)) for path in COMMON_PATHS))


def _segments(path: str) -> list[tuple[str, bool]]:
    """The (token, is_array_index) steps of a plain dotted path (`a.b[0].c`)."""
    return [(key or index, not key) for key, index in _STEP.findall(path)]


def _words(key: str) -> str:
    """camelCase / snake_case key -> lowercase words ('targetName' -> 'target name')."""
    if key in _WORDS:
        return _WORDS[key]
    key = key.rsplit("#", 1)[-1].rsplit("/", 1)[-1]  # a full IRI as key: its last part
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key.lstrip("@")).replace("_", " ")
    return spaced.lower().strip() or key
