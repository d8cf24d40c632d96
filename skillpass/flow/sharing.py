"""Answering a verifier: share (select -> disclose -> present -> encode) and its history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from skillpass.errors import CancelledError
from skillpass.flow.credentials import stored_credential, summary_of
from skillpass.flow.material import wallet_material

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
    qr: bool = False  # also encode it for a QR code (qr/payload.py)
    qr_parts: bool = False  # as a sequence of codes when one cannot hold it


def share(session: Session, request: ShareRequest, *, now: datetime,
          choose: Callable[[dict[str, Any]], list[str] | None],
          confirm: Callable[[dict[str, Any]], bool],
          deliver: Callable[[dict[str, Any] | str, str, Any], str | None]) -> dict[str, Any]:
    """Build the presentation the learner asked for, hand it to `deliver`, and record the share.

    `choose` is the interactive picker, called with a credential's fields when no selection was
    given; it returns the fields to reveal (None cancels). When it was used, `confirm` is shown
    every field that will go out before anything is signed. `deliver` writes the presentation
    (JSON, or the compact text of an SD-JWT or JWT presentation) with the file suffix its format
    uses, and with `request.qr` the QR payload of it (qr/payload.QrPayload, else None), returning
    where, or None for stdout; a share is recorded only once it was delivered.
    Every credential of one share has one format (formats.base: select -> present -> encode)."""
    from skillpass.formats.base import ShareOptions

    options = ShareOptions(request.challenge, request.domain, request.suite, request.unsigned)
    with session.open() as wallet:
        wallet.require_writable()  # before any picker: the share must go into the history
        material = wallet_material(wallet, session.home)
        credential_format, chosen, titles, picked = _choose(wallet, request, choose)
        preview = [preview_item(credential_format, c, title) for c, title in zip(chosen, titles)]
        signer = credential_format.signer(chosen, wallet.holder_keys(), options)
        holder = signer.key.did if signer.key is not None else None
        question = {"holder": holder, "challenge": request.challenge, "domain": request.domain,
                    "credentials": preview}
        if picked and not confirm(question):
            raise CancelledError("nothing shared", "run the command again to choose other fields")
        result = credential_format.present(chosen, signer, options, material, now)
        qr = _qr_payload(result, material.store, request) if request.qr else None
        target = deliver(result.body, result.suffix, qr)
        record_share(wallet, chosen, result, options, credential_format.tag, holder, now)
    warnings = [*result.warnings, *_revealed_beyond(chosen, preview)]
    if request.challenge is None and signer.key is not None and not request.unsigned:
        warnings.append("no --challenge: a verifier cannot tell this presentation from a replay of it")
    return {"file": target, "holder": holder, "format": credential_format.tag, "suite": result.suite,
            "challenge": request.challenge, "domain": request.domain, "credentials": preview,
            "warnings": warnings, "presentation": result.body}


def preview_item(credential_format: Any, chosen: Any, title: str) -> dict[str, Any]:
    """One credential of the preview: every field a verifier will see, and what goes out beside
    them that is no field (`alwaysSent`: types, @context, the issuer's proof, SD-JWT digests)."""
    revealed = credential_format.revealed(chosen.raw, chosen.fields, chosen.selection)
    always_sent = getattr(credential_format, "always_sent", None)  # formats shared whole list every claim
    return {"id": chosen.ref, "title": title, "fields": [f.to_dict() for f in revealed],
            "alwaysSent": always_sent(chosen.raw, revealed, chosen.selection) if always_sent else []}


def _revealed_beyond(chosen: list[Any], preview: list[dict[str, Any]]) -> list[str]:
    """A warning for each credential that reveals fields the learner did not choose: an SD-JWT
    issuer may make several claims one disclosure (a whole `skills` array), and presenting it
    reveals them all (RFC 9901 §4.2)."""
    from skillpass.present.fields import covers

    warnings = []
    for c, item in zip(chosen, preview):
        beyond = [f["path"] for f in item["fields"] if not (f["mandatory"] or c.selection.reveal_all
                                                            or covers(c.selection.pointers, f["pointer"]))]
        if len(beyond) == 1:
            warnings.append(f"{c.ref[:10]}: {beyond[0]} also goes out: the issuer made it disclosable "
                            "only together with the fields you chose")
        elif beyond:
            warnings.append(f"{c.ref[:10]}: {', '.join(beyond)} also go out: the issuer made them disclosable "
                            "only together with the fields you chose")
    return warnings


def _qr_payload(result: Any, store: Any, request: ShareRequest) -> Any:
    from skillpass.qr.payload import outgoing

    return outgoing(result.body, store, parts=request.qr_parts, fields=sum(len(d) for d in result.disclosed))


def record_share(wallet: Any, chosen: list[Any], result: Any, options: Any, format_tag: str,
                 holder: str | None, now: datetime, via: str | None = None) -> None:
    """Keep in the history what went out: each credential's fields, to whom (challenge,
    domain), how it was signed; `via` names where it went when not to a verifier directly."""
    from skillpass.encoding.dates import format_utc
    from skillpass.wallet.ids import random_id

    shared = [{"id": c.ref, "fields": [f.pointer for f in fields], "all": c.selection.reveal_all}
              for c, fields in zip(chosen, result.disclosed)]
    record = {"when": format_utc(now), "credentials": shared, "challenge": options.challenge,
              "domain": options.domain, "format": format_tag, "suite": result.suite, "holder": holder}
    if via is not None:
        record["via"] = via
    wallet.put_json("share", random_id(), record)


def _choose(wallet: Any, request: ShareRequest,
            choose: Callable[[dict[str, Any]], list[str] | None]) -> tuple[Any, list[Any], list[str], bool]:
    """(the format, each credential with the learner's selection, their titles, whether the
    picker was used)."""
    from skillpass.errors import UsageError
    from skillpass.formats import of_entry
    from skillpass.formats.base import Chosen
    from skillpass.present.select import resolve_selection

    credential_format, chosen, titles, picked = None, [], [], False
    for prefix in request.ids:
        stored = stored_credential(wallet, prefix)
        if any(c.ref == stored.id for c in chosen):  # named twice (or by two prefixes): it goes out once
            continue
        this = of_entry(stored.entry)
        if credential_format is not None and this.tag != credential_format.tag:
            raise UsageError(f"{stored.id} is a {this.name} and {chosen[0].ref} a {credential_format.name}: "
                             "one presentation carries one format", "share them in separate presentations",
                             code="E_FORMAT_MIXED")
        credential_format = this
        refuse_share = getattr(this, "refuse_share", None)
        if refuse_share is not None:  # a format never shared (a MyCreds record): before any picker
            refuse_share()
        fields = this.fields(stored.raw, summary_of(stored.entry))
        reveal = request.reveal
        if not reveal and not request.reveal_all:
            answer = choose({"id": stored.id, **fields.to_dict()})
            if answer is None:
                raise CancelledError("nothing shared", "pass --reveal FIELD or --reveal-all")
            reveal, picked = answer, True
        selection = resolve_selection(fields, reveal, request.reveal_all, credential_ref=stored.id)
        chosen.append(Chosen(stored.id, stored.raw, fields, selection))
        titles.append(summary_of(stored.entry).title.default)
    return credential_format, chosen, titles, picked


def share_history(session: Session) -> list[dict[str, Any]]:
    with session.open() as wallet:
        shares = [{"id": rid, **record} for rid, record in wallet.items_json("share")]
    return sorted(shares, key=lambda share: (str(share.get("when")), share["id"]), reverse=True)
