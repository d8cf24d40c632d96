"""Answering a verifier: share (select -> disclose -> present -> encode) and its history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from skillpass.errors import CancelledError
from skillpass.flow.credentials import stored_credential, summary_of
from skillpass.flow.material import trusted_material

if TYPE_CHECKING:
    from skillpass.flow.session import Session


@dataclass(frozen=True)
class ShareRequest:
    ids: list[str]
    reveal: list[str]
    reveal_all: bool
    challenge: str | None
    domain: str | None
    suite: str | None  # None: the suite of the key the credentials are issued to
    unsigned: bool


def share(session: Session, request: ShareRequest, *, now: datetime,
          choose: Callable[[dict[str, Any]], list[str] | None],
          confirm: Callable[[dict[str, Any]], bool],
          deliver: Callable[[dict[str, Any]], str | None]) -> dict[str, Any]:
    """Build the presentation the learner asked for, hand it to `deliver`, and record the share.

    `choose` is the interactive picker, called with a credential's fields when no selection was
    given; it returns the fields to reveal (None cancels). When it was used, `confirm` is shown
    every field that will go out before anything is signed. `deliver` writes the presentation
    (returning where, or None for stdout); a share is recorded only once it was delivered."""
    from skillpass.encoding.dates import format_utc
    from skillpass.ingest import parse_json
    from skillpass.formats.ldp_vc.fields import disclosable_fields
    from skillpass.present.holder import Shared, choose_signer, subject_ids
    from skillpass.formats.ldp_vc.presentation import present
    from skillpass.present.select import resolve_selection, revealed_fields
    from skillpass.wallet.ids import random_id

    with session.open() as wallet:
        store, _ = trusted_material(wallet)
        items, refs, preview, picked_interactively = [], [], [], False
        for prefix in request.ids:
            stored = stored_credential(wallet, prefix)
            credential = parse_json(stored.raw)
            fields = disclosable_fields(credential, summary_of(stored.entry))
            reveal = request.reveal
            if not reveal and not request.reveal_all:
                picked = choose({"id": stored.id, **fields.to_dict()})
                if picked is None:
                    raise CancelledError("nothing shared", "pass --reveal FIELD or --reveal-all")
                reveal, picked_interactively = picked, True
            selection = resolve_selection(fields, reveal, request.reveal_all, credential_ref=stored.id)
            items.append((credential, selection))
            refs.append(Shared(stored.id, subject_ids(credential)))
            preview.append({"id": stored.id, "title": summary_of(stored.entry).title.default,
                            "fields": [f.to_dict() for f in revealed_fields(fields, selection)]})
        signer = choose_signer(refs, wallet.holder_keys(), request.suite)
        question = {"holder": signer.key.did, "challenge": request.challenge,
                    "domain": request.domain, "credentials": preview}
        if picked_interactively and not confirm(question):
            raise CancelledError("nothing shared", "run the command again to choose other fields")
        result = present(items, key=signer.key, suite=signer.suite, challenge=request.challenge,
                         domain=request.domain, unsigned=request.unsigned, store=store, now=now)
        target = deliver(result.presentation)
        shared = [{"id": ref.ref, "fields": [f.pointer for f in fields], "all": sel.reveal_all}
                  for ref, fields, (_, sel) in zip(refs, result.disclosed, items)]
        record = {"when": format_utc(now), "credentials": shared, "challenge": request.challenge,
                  "domain": request.domain, "suite": result.suite, "holder": signer.key.did}
        wallet.put_json("share", random_id(), record)
    warnings = list(result.warnings)
    if request.challenge is None and not request.unsigned:
        warnings.append("no --challenge: a verifier cannot tell this presentation from a replay of it")
    return {"file": target, "holder": signer.key.did, "suite": result.suite,
            "challenge": request.challenge, "domain": request.domain, "credentials": preview,
            "warnings": warnings, "presentation": result.presentation}


def share_history(session: Session) -> list[dict[str, Any]]:
    with session.open() as wallet:
        shares = [{"id": rid, **record} for rid, record in wallet.items_json("share")]
    return sorted(shares, key=lambda share: (str(share.get("when")), share["id"]), reverse=True)
