"""What `skillpass verify` reports: the checks, each credential's part, and the `--json` document.

`VerificationReport.to_dict()` (the `--json` document):

    {"outcome": "verified" | "invalid" | "unverifiable",
     "kind": "presentation" | "credential" | null,       # null: not a VP or a VC at all
     "holder": "did:key:..." | null,                       # as the presentation names it
     "checked": "2026-03-01T12:00:00Z",                    # the `now` used
     "checks": [{"name": "holder proof", "status": "passed" | "failed" | "warning" |
                 "not applicable", "detail": "...",
                 "code": "E_..." | null,                   # failures and most warnings
                 "hint": "..." | null}],                   # what to do, for failures
     "credentials": [{"index": 1, "issuer": "did:..." | null,
                      "issuerName": "..." | null,          # from the trust list, when trusted
                      "trusted": true, "types": ["VerifiableCredential", ...],
                      "title": "..." | null,
                      "disclosed": [{"path": "/credentialSubject/achievement/name",
                                     "label": "Achievement name", "value": ...}],
                      "status": [{"type": "BitstringStatusListEntry", "purpose": "revocation",
                                  "list": "https://...", "index": "94567"}],  # not checked
                      "checks": [...]}],                   # this credential's entries of "checks"
     "warnings": ["credential 1 issuer trust: ..."]}       # every warning check, as one line

`disclosed` lists every leaf the credential carries (JSON pointers into the credential, the label
`skillpass show --fields` gives them, values as written), except `@context`, `proof` and `type`
at any depth (types are listed in `types`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from skillpass.encoding.pointer import child_pointer
from skillpass.errors import SkillpassError

if TYPE_CHECKING:
    from skillpass.summary import Summary

PASSED, FAILED, WARNING, NOT_APPLICABLE = "passed", "failed", "warning", "not applicable"
VERIFIED, INVALID, UNVERIFIABLE = "verified", "invalid", "unverifiable"
MAX_DISCLOSED = 2000  # rows per credential; the credential itself is not cut
MAX_DEPTH = 64  # as the JSON parser's limit
_SKIPPED_KEYS = frozenset({"@context", "type", "@type"})


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # PASSED | FAILED | WARNING | NOT_APPLICABLE
    detail: str
    code: str | None = None
    hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "detail": self.detail,
                "code": self.code, "hint": self.hint}


@dataclass(frozen=True)
class Disclosed:
    path: str  # JSON pointer into the credential
    label: str  # as `skillpass show --fields` labels it
    value: Any  # as written

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "label": self.label, "value": self.value}


@dataclass(frozen=True)
class CredentialReport:
    index: int  # from 1, as in the check names
    issuer: str | None
    issuer_name: str | None  # the trust list's name, when trusted
    trusted: bool
    types: tuple[str, ...]
    title: str | None
    disclosed: tuple[Disclosed, ...]
    checks: tuple[Check, ...]
    status: tuple[dict[str, Any], ...] = ()  # credentialStatus entries, not checked

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "issuer": self.issuer, "issuerName": self.issuer_name,
                "trusted": self.trusted, "types": list(self.types), "title": self.title,
                "disclosed": [item.to_dict() for item in self.disclosed],
                "status": list(self.status), "checks": [check.to_dict() for check in self.checks]}


@dataclass(frozen=True)
class VerificationReport:
    outcome: str  # VERIFIED | INVALID | UNVERIFIABLE
    kind: str | None  # 'presentation' | 'credential' | None (neither)
    holder: str | None
    checked: str
    checks: tuple[Check, ...]
    credentials: tuple[CredentialReport, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def verified(self) -> bool:
        return self.outcome == VERIFIED

    def check(self, name: str) -> Check:
        """The check called `name` (KeyError if there is none)."""
        for check in self.checks:
            if check.name == name:
                return check
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "kind": self.kind, "holder": self.holder,
                "checked": self.checked, "checks": [c.to_dict() for c in self.checks],
                "credentials": [c.to_dict() for c in self.credentials],
                "warnings": list(self.warnings)}


# -- what the credential shows -------------------------------------------------------------------


def credential_report(number: int, unverified_credential: Any, trusted_name: str | None,
                      own_checks: tuple[Check, ...], summary: Summary | None = None) -> CredentialReport:
    """`summary`: the credential's summary when the caller has it already (it is computed here
    otherwise, once: the title and the status entries both come from it)."""
    if not isinstance(unverified_credential, dict):
        return CredentialReport(number, None, None, False, (), None, (), own_checks)
    if summary is None:
        summary = summary_or_none(unverified_credential)
    return CredentialReport(
        index=number, issuer=_issuer_or_none(unverified_credential), issuer_name=trusted_name,
        trusted=trusted_name is not None, types=types_of(unverified_credential),
        title=(summary.title.default or None) if summary is not None else None,
        disclosed=disclosed_leaves(unverified_credential),
        checks=own_checks, status=_status_of(summary))


def summary_or_none(credential: dict[str, Any]) -> Summary | None:
    """The credential's summary, or None when it cannot be summarized."""
    from skillpass.summary import summarize

    try:
        return summarize(credential)
    except SkillpassError:
        return None


def status_entries(credential: dict[str, Any], summary: Summary | None = None) -> tuple[dict[str, Any], ...]:
    return _status_of(summary if summary is not None else summary_or_none(credential))


def _status_of(summary: Summary | None) -> tuple[dict[str, Any], ...]:
    return () if summary is None else tuple(entry.to_dict() for entry in summary.status)


def disclosed_leaves(credential: dict[str, Any]) -> tuple[Disclosed, ...]:
    """Every leaf with its label, in one walk of the credential (the label is the one
    `label_of(credential, path)` gives, from the steps the walk took to the leaf)."""
    from skillpass.present.fields import label_at

    leaves = islice(_leaves(credential, "", [], 0, top=True), MAX_DISCLOSED)
    return tuple(Disclosed(path, label_at(steps, value), value) for path, steps, value in leaves)


def _issuer_or_none(credential: dict[str, Any]) -> str | None:
    from skillpass.formats.ldp_vc.verify import issuer_id

    try:
        return issuer_id(credential)
    except SkillpassError:
        return None


def types_of(document: dict[str, Any]) -> tuple[str, ...]:
    value = document.get("type", document.get("@type"))
    values = value if isinstance(value, list) else [value]
    return tuple(v for v in values if isinstance(v, str))


def _leaves(value: Any, pointer: str, steps: list[tuple[str, bool]], depth: int,
            top: bool = False) -> Iterator[tuple[str, list[tuple[str, bool]], Any]]:
    """(JSON pointer, (token, is_array_index) steps, value) for each leaf; a value object
    ({"@value": ...}) is one leaf."""
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict) and "@value" not in value:
        for key, child in value.items():
            if key in _SKIPPED_KEYS or (top and key == "proof"):
                continue
            yield from _leaves(child, child_pointer(pointer, key), [*steps, (key, False)], depth + 1)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _leaves(child, f"{pointer}/{index}", [*steps, (str(index), True)], depth + 1)
    elif pointer:
        yield pointer, steps, value
