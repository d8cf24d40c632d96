"""The skills passport and the profile it is headed with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from skillpass.flow.listing import trusted_names, with_sound_rows

if TYPE_CHECKING:
    from skillpass.flow.session import Session
    from skillpass.passport.build import Filters, Passport

PROFILE, PROFILE_ID = "profile", "0"
MAX_NAME = 200


def passport(session: Session, now: datetime, filters: Filters, langs: tuple[str, ...] = ()) -> Passport:
    from skillpass.passport.build import build

    with session.open() as wallet:
        dids = tuple(key.did for key in wallet.holder_keys())
        name = _profile(wallet).get("name")
        # Built as the rows are read: one credential's row at a time becomes what the passport keeps.
        names = trusted_names(session)
        return with_sound_rows(wallet, lambda rows: build(rows, now=now, holder_name=name, holder_dids=dids,
                                                          filters=filters, langs=langs, issuer_names=names))


def profile(session: Session, name: str | None = None, clear: bool = False) -> dict[str, Any]:
    """The learner's profile (a display name for the passport), kept encrypted; set or cleared."""
    from skillpass.encoding.plain_text import unsafe_character
    from skillpass.errors import UsageError

    with session.open() as wallet:
        current = _profile(wallet)
        if clear:
            current.pop("name", None)
        elif name is not None:
            cleaned = " ".join(name.split())
            if not cleaned or len(cleaned) > MAX_NAME or unsafe_character(cleaned) is not None:
                raise UsageError(f"a name is one line of 1 to {MAX_NAME} characters", "e.g. --name \"Ana Roy\"")
            current["name"] = cleaned
        if clear or name is not None:
            wallet.put_json(PROFILE, PROFILE_ID, current, replace=True)
        return {"name": current.get("name"), "dids": [key.did for key in wallet.holder_keys()]}


def _profile(wallet: Any) -> dict[str, Any]:
    found = dict(wallet.items_json(PROFILE)).get(PROFILE_ID)
    return dict(found) if isinstance(found, dict) else {}


SIGNABLE = ("valid", "status not checked")  # an expired credential would make the whole page fail


@dataclass(frozen=True)
class SignedPage:
    presentation: dict[str, Any]
    signed: tuple[str, ...]  # the wallet ids of the credentials it carries
    holder: str | None
    not_about_holder: tuple[str, ...] = ()  # those left out: their subject is not the holder


def signed_page(session: Session, built: Passport, now: datetime,
                deliver: Callable[[SignedPage], None]) -> SignedPage:
    """A presentation, signed by the holder, of the page's JSON-LD credentials that are valid now
    (passport/disclose.py says what it reveals of each), handed to `deliver` (which writes the
    page) and then recorded in the share history. A presentation has one holder, and a verifier
    accepts in it only credentials about that holder: with credentials bound to two of the
    wallet's DIDs, it carries those of the DID most of them are bound to; one about someone
    else, or about no one, is shown on the page but not signed. UsageError E_NOTHING_TO_SIGN
    when the page has none to sign, E_TOO_MANY_TO_SIGN past what a verifier checks in one
    presentation."""
    import json

    from skillpass.errors import UsageError
    from skillpass.flow.credentials import stored_credential, summary_of
    from skillpass.flow.material import wallet_material
    from skillpass.flow.sharing import record_share
    from skillpass.formats import by_tag
    from skillpass.formats.base import Chosen, ShareOptions
    from skillpass.passport.disclose import page_selection
    from skillpass.verifier.checks import MAX_CREDENTIALS  # a verifier checks no more in one presentation

    ldp_vc = by_tag("ldp_vc")
    signable = [held for held in built.credentials if held.format == ldp_vc.tag and held.status in SIGNABLE]
    if len(signable) > MAX_CREDENTIALS:  # counted before anything is decrypted
        raise UsageError(f"this page has {len(signable)} credentials to sign; a verifier checks at most "
                         f"{MAX_CREDENTIALS} in one presentation", "narrow the page with --skill, --issuer, "
                         "--framework or --since", code="E_TOO_MANY_TO_SIGN")
    if not signable:
        raise UsageError("no credential on this page can be signed: --signed carries valid W3C "
                         "(JSON-LD) credentials", "leave out --signed, or widen the filters",
                         code="E_NOTHING_TO_SIGN")
    options = ShareOptions(None, None, None, False)
    with session.open() as wallet:
        keys = wallet.holder_keys()
        chosen = []
        for held in signable:
            stored = stored_credential(wallet, held.id)
            credential = json.loads(stored.raw)
            fields = ldp_vc.fields(stored.raw, summary_of(stored.entry))
            chosen.append(Chosen(stored.id, stored.raw, fields, page_selection(fields, credential, built.filters)))
        chosen, left_out = _about_one_holder(chosen, keys)
        signer = ldp_vc.signer(chosen, keys, options)
        result = ldp_vc.present(chosen, signer, options, wallet_material(wallet, session.home), now)
        holder = signer.key.did if signer.key is not None else None
        page = SignedPage(result.body, tuple(c.ref for c in chosen), holder,  # type: ignore[arg-type]
                          tuple(c.ref for c in left_out))
        deliver(page)
        record_share(wallet, chosen, result, options, ldp_vc.tag, holder, now, via="passport page")
    return page


def _about_one_holder(chosen: list[Any], keys: list[Any]) -> tuple[list[Any], list[Any]]:
    """(the credentials bound to the wallet DID most of them name, the others): a verifier checks
    that each credential of a presentation is about its holder (verifier/checks.py
    subject_binding), so one about another DID, or naming no subject, would make the page fail."""
    import json
    from collections import Counter

    from skillpass.errors import UsageError
    from skillpass.present.holder import bound_dids, subject_ids

    bound = {c.ref: bound_dids(subject_ids(json.loads(c.raw)), keys) for c in chosen}
    counts = Counter(did for dids in bound.values() for did in dids)
    if not counts:
        raise UsageError("no credential on this page is issued to one of your DIDs, and a verifier accepts a "
                         "signed page only of credentials about its holder", "leave out --signed",
                         code="E_NOTHING_TO_SIGN")
    holder = max(sorted(counts), key=lambda did: counts[did])
    return ([c for c in chosen if holder in bound[c.ref]], [c for c in chosen if holder not in bound[c.ref]])
