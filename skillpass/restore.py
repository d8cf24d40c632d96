"""What comes back from a backup must be what went in: its records are checked, not trusted.

A backup is sealed with the passphrase, so its records are as trustworthy as whoever knew it. A
restore therefore treats every credential as `import` does: parsed strictly and its proof
verified (offline, with the contexts and DID documents the backup itself carries); the entry and
row beside it are derived again from the credential rather than taken from the file. A
credential that fails is not restored and is reported. Holder keys are private keys: merged from
another wallet's backup only when the learner asks (`--merge-keys`), and always counted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from skillpass.errors import SkillpassError

Record = tuple[str, str, bytes]


@dataclass
class Checked:
    """The records to restore, the credentials refused, the holder keys held back."""

    records: list[Record] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    keys_held_back: int = 0


def check_records(records: list[Record], *, now: datetime, take_keys: bool) -> Checked:
    """`records` (kind, id, plaintext) as read from a backup, checked: see the module docstring."""
    from skillpass.flow.status import STATUS, entry_status, with_status
    from skillpass.views import row_record

    checked = Checked()
    material = _material(records)
    entries = {rid: plain for kind, rid, plain in records if kind == "entry"}
    lists = _status_lists(records, material, now, checked)
    for kind, rid, plaintext in records:
        if kind in ("entry", "row", "alias", "idkey", STATUS):
            continue  # derived again below from the credential; the id key is the wallet's
        if kind == "key" and not take_keys:
            checked.keys_held_back += 1
            continue
        if kind != "credential":
            checked.records.append((kind, rid, plaintext))
            continue
        kept = _entry(entries.get(rid))
        try:
            entry = _rebuilt_entry(plaintext, kept, material, now)
        except SkillpassError as exc:
            checked.refused.append({"id": rid, "code": exc.code, "reason": exc.message, "hint": exc.hint})
            continue
        entry = with_status(entry, entry_status(entry, *lists, now))
        checked.records += [(kind, rid, plaintext), ("entry", rid, _json(entry)),
                            ("row", rid, _json(row_record(entry)))]
    return checked


def _status_lists(records: list[Record], material: Any, now: datetime, checked: Checked
                  ) -> tuple[dict[str, Any], dict[str, str]]:
    """The status lists the backup keeps, each verified again from the bytes it was read from
    (the credentials' statuses are derived again from them); one that fails is not restored."""
    import base64

    from skillpass.encoding.dates import parse
    from skillpass.errors import UnverifiableError
    from skillpass.flow.status import STATUS
    from skillpass.status.read import read_status_list

    lists: dict[str, Any] = {}
    obtained: dict[str, str] = {}
    for kind, rid, plaintext in records:
        if kind != STATUS:
            continue
        try:
            record = json.loads(plaintext)
            url = str(record["list"]["url"])
            # As of when it was obtained: its ttl counts from then, not from the restore.
            obtained_at = parse(record.get("obtained")) or now
            status_list = read_status_list(base64.b64decode(record["raw"]), url, material, obtained_at)
            if not status_list.signed:  # nothing in a backup vouches for what an unsigned list says
                raise UnverifiableError(f"the unsigned status list {url} is not restored",
                                        "fetch it again with 'skillpass status refresh'", code="E_STATUS_UNSIGNED")
        except (ValueError, KeyError, TypeError) as exc:
            checked.refused.append({"id": rid, "code": "E_STATUS_RECORD", "reason": f"a damaged status list ({exc})",
                                    "hint": "fetch it again with 'skillpass status refresh'"})
            continue
        except SkillpassError as exc:
            checked.refused.append({"id": rid, "code": exc.code, "reason": exc.message, "hint": exc.hint})
            continue
        record["list"] = status_list.to_json()
        checked.records.append((kind, rid, _json(record)))
        lists[status_list.url], obtained[status_list.url] = status_list, str(record.get("obtained") or "")
    return lists, obtained


def _rebuilt_entry(raw: bytes, kept: dict[str, Any], material: Any, now: datetime) -> dict[str, Any]:
    """The entry derived again from the credential, through its format: verified again when the
    wallet had verified it (a hosted badge kept unverified is kept so again, by its format), and
    kept unverified (shown so) when it was stored without a verified proof."""
    from skillpass.errors import UnverifiableError
    from skillpass.formats import of_entry
    from skillpass.views import new_entry, with_revision

    credential_format = of_entry(kept)
    added = kept.get("added") if isinstance(kept.get("added"), str) else now.isoformat()
    if not kept.get("verification") and not kept.get("unverified"):
        summary = credential_format.summarize(raw, material.trusted.did_cache)
        return with_revision({"summary": summary.to_dict(), "format": credential_format.tag,
                              "added": added, "verification": None, "alias": None})
    try:
        checked = credential_format.check(raw, material, now, True)  # kept with --allow-expired, shown so
    except UnverifiableError as exc:
        # A hosted badge was kept unverified by the learner's choice (import --allow-unverified):
        # its format keeps it so again, labelled; nothing of the backup's entry is taken.
        keep_unverified = getattr(credential_format, "keep_unverified", None)
        if exc.code != "E_HOSTED_BADGE" or keep_unverified is None or not kept.get("unverified"):
            raise
        checked = keep_unverified(raw, material, now, True)
    return new_entry(checked, credential_format.tag, added)


def _material(records: list[Record]) -> Any:
    """The contexts, DID documents and issuer metadata the backup carries, as the wallet
    trusted them."""
    from skillpass.formats.base import Material
    from skillpass.formats.issuer_keys import Trusted, parse_metadata
    from skillpass.jsonld.loader import ContextStore, parse_context

    extra: dict[str, bytes] = {}
    did_cache: dict[str, Any] = {}
    issuers: dict[str, Any] = {}
    for kind, _, plaintext in records:
        try:
            value = json.loads(plaintext) if kind in ("context", "did", "issuer") else None
            if kind == "context":
                data = str(value["data"]).encode("utf-8")
                parse_context(str(value["url"]), data)
                extra[str(value["url"])] = data
            elif kind == "did":
                did_cache[str(value["id"])] = value["document"]
            elif kind == "issuer":
                metadata = parse_metadata(value["metadata"])
                issuers[metadata.issuer] = metadata
        except (ValueError, KeyError, TypeError, SkillpassError):
            continue  # a damaged record of trusted material vouches for nothing
    return Material(ContextStore.bundled().with_extra(extra), Trusted(did_cache, issuers))


def _entry(plaintext: bytes | None) -> dict[str, Any]:
    """The backup's entry for a credential, for what the learner decided (when it was added,
    whether its proof was verified); {} when missing or damaged: then it must verify."""
    try:
        entry = json.loads(plaintext) if plaintext is not None else None
    except ValueError:
        return {"verification": True}
    return entry if isinstance(entry, dict) else {"verification": True}


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
