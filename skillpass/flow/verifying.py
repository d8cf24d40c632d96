"""The verifier's side, which needs no wallet: verify, and the issuers it trusts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillpass.errors import NoPassphraseError
from skillpass.flow.material import read_did_document, read_small_file, trusted_material_of

if TYPE_CHECKING:
    from skillpass.flow.session import Session


@dataclass(frozen=True)
class VerifierMaterial:
    """What a verification may use beside the bundle: contexts and DID documents given for this
    check (`--context`, `--did`) and those kept in the home's wallet (`contexts add`, `dids add`)."""

    contexts: dict[str, Path]
    dids: list[Path]
    session: Session | None  # the home's wallet, opened only when it keeps something


def verify_presentation_file(home: Path, source: bytes, *, challenge: str | None, domain: str | None,
                             allow_unbound: bool, require_trusted: bool, now: datetime,
                             material: VerifierMaterial | None = None,
                             notice: Callable[[str], None] = lambda text: None) -> dict[str, Any]:
    """The verifier's check of a presentation or credential; `notice` hears what was not used."""
    from skillpass.jsonld.loader import ContextStore, parse_context
    from skillpass.trust import TrustList
    from skillpass.verifier import read_presentation, verify_presentation

    material = material or VerifierMaterial({}, [], None)
    extra, did_cache = _kept_material(material.session, notice)
    given = {url: read_small_file(file) for url, file in material.contexts.items()}
    for url, data in given.items():
        parse_context(url, data)
    extra.update(given)
    did_cache.update(read_did_document(file) for file in material.dids)
    store = ContextStore.bundled().with_extra(extra) if extra else ContextStore.bundled()
    report = verify_presentation(read_presentation(source), store=store, did_cache=did_cache,
                                 trust=TrustList.load(home), challenge=challenge, domain=domain,
                                 allow_unbound=allow_unbound, require_trusted=require_trusted, now=now)
    return report.to_dict()


def _kept_material(session: Session | None, notice: Callable[[str], None]) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The contexts and DID documents kept in the home's wallet, when it keeps any and can be
    unlocked without a prompt nobody can answer."""
    from skillpass.wallet.wallet import kept_counts

    counts = kept_counts(session.home, ("context", "did")) if session is not None else {}
    if session is None or not any(counts.values()):
        return {}, {}
    try:
        with session.open() as wallet:
            return trusted_material_of(wallet)
    except NoPassphraseError:
        notice(f"the wallet in {session.home} keeps {counts['did']} DID document(s) and "
               f"{counts['context']} context(s) this check could use; give its passphrase "
               "(--passphrase-file FILE or SKILLPASS_PASSPHRASE) to use them")
        return {}, {}


def trust_add(home: Path, did: str, name: str) -> dict[str, Any]:
    from skillpass.trust import TrustList

    trust = TrustList.load(home)
    trust.add(did, name)
    trust.save()
    return {"did": did, "name": name}


def trust_remove(home: Path, did: str) -> dict[str, Any]:
    from skillpass.trust import TrustList

    trust = TrustList.load(home)
    trust.remove(did)
    trust.save()
    return {"removed": did}


def trust_list(home: Path) -> list[dict[str, Any]]:
    from skillpass.trust import TrustList

    return [entry.to_dict() for entry in TrustList.load(home).entries()]
