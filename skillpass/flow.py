"""One function per command: the whole pipeline, readable in one file.

Each function takes plain values (paths, secret sources, ids, the time) and returns plain data
for the renderer. No printing, no option parsing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillpass.errors import BusyError, CancelledError, NoPassphraseError, WalletLockedError

if TYPE_CHECKING:
    from skillpass.wallet.unlock import Passphrase, SecretSources


@dataclass(frozen=True)
class Session:
    """Where the wallet is and how to unlock it, as the CLI resolved them."""

    home: Path
    sources: SecretSources

    def open(self) -> Any:
        from skillpass.wallet.wallet import open_wallet

        return open_wallet(self.home, self.sources)


def init_wallet(session: Session, *, use_keyring: bool) -> dict[str, Any]:
    from skillpass.wallet.wallet import create_wallet

    passphrase = session.sources.given_passphrase()
    if passphrase is None and not use_keyring:
        passphrase = session.sources.prompt("new passphrase", confirm=True)
    with create_wallet(session.home, passphrase=passphrase, use_keyring=use_keyring) as wallet:
        return {"home": str(session.home), "wallet_id": wallet.wallet_id,
                "unlock": [slot["type"] for slot in wallet.header["slots"]],
                "dids": [key.describe() for key in wallet.holder_keys()]}


def holder_dids(session: Session) -> list[dict[str, Any]]:
    with session.open() as wallet:
        return [key.describe() for key in wallet.holder_keys()]


def list_credentials(session: Session, now: datetime, langs: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Every credential's list row; `langs` picks among multilingual titles (default: as issued)."""
    from skillpass.views import ROW_VERSION, list_row

    with session.open() as wallet:
        stored_rows = wallet.rows()
        stale = wallet.credentials_without_row() + [
            cid for cid, row in stored_rows if row.get("v") != ROW_VERSION]
        for cid in stale:  # derived data, written by an older skillpass: rebuilt, never lost
            _credential(wallet, cid, rebuild_row=True)
        if stale:
            stored_rows = wallet.rows()
        rows = [list_row(cid, row, now, langs) for cid, row in stored_rows]
    rows.sort(key=lambda row: (row["issued"] or "", row["id"]), reverse=True)
    return rows


def _credential(wallet: Any, prefix: str, *, rebuild_row: bool = False) -> Any:
    """The stored credential `prefix` names, its summary derived again if it is outdated."""
    from skillpass.views import refreshed_entry, row_record
    from skillpass.wallet.wallet import StoredCredential

    stored = wallet.credential(prefix)
    entry = refreshed_entry(stored.entry, stored.raw)
    if entry is None and not rebuild_row:
        return stored
    entry = entry or stored.entry
    wallet.replace_derived(stored.id, entry, row_record(entry))
    return StoredCredential(stored.id, stored.raw, entry)


def show_credential(session: Session, prefix: str, now: datetime, langs: tuple[str, ...] = ()) -> dict[str, Any]:
    from skillpass.views import detail

    with session.open() as wallet:
        stored = _credential(wallet, prefix)
    return detail(stored.id, stored.entry, stored.raw, now, langs)


def raw_credential(session: Session, prefix: str) -> bytes:
    with session.open() as wallet:
        return _credential(wallet, prefix).raw


def remove_credential(session: Session, prefix: str, confirm: Callable[[str], bool]) -> dict[str, Any]:
    with session.open() as wallet:
        stored = _credential(wallet, prefix)
        from skillpass.summary import Summary

        title = str(Summary.from_dict(stored.entry["summary"]).title) or stored.id
        if not confirm(f"remove {stored.id} ({title})?"):
            raise CancelledError("nothing removed", "pass --yes to remove without asking")
        wallet.remove(stored.id)
    return {"removed": stored.id, "title": title}


def backup_wallet(session: Session, target: Path, backup_passphrase_file: Path | None,
                  *, overwrite: bool, created: str) -> dict[str, Any]:
    from skillpass.wallet.backup import write_backup

    with session.open() as wallet:
        passphrase = _backup_passphrase(session, wallet.passphrase, backup_passphrase_file)
        count = write_backup(target, wallet.wallet_id, wallet.export_records(), passphrase,
                             created, overwrite=overwrite)
    return {"file": str(target), "records": count}


def _backup_passphrase(session: Session, wallet_passphrase: Passphrase | None,
                       file: Path | None) -> Passphrase:
    from skillpass.wallet.unlock import read_passphrase_file

    if file is not None:
        return read_passphrase_file(file)
    if wallet_passphrase is not None:
        return wallet_passphrase
    if not session.sources.interactive:
        raise NoPassphraseError("this wallet opens with the OS keyring, so the backup needs its own passphrase",
                                "pass --backup-passphrase-file FILE")
    return session.sources.prompt("backup passphrase", confirm=True)


def restore_wallet(session: Session, source: Path, backup_passphrase_file: Path | None, *,
                   now: datetime, merge_keys: bool = False) -> dict[str, Any]:
    """Restore a backup into an empty home, or merge it into the wallet there; every credential
    is verified again first (skillpass/restore.py) and what was refused is reported."""
    from skillpass.restore import check_records
    from skillpass.wallet import home as homes
    from skillpass.wallet.backup import read_backup
    from skillpass.wallet.unlock import read_passphrase_file
    from skillpass.wallet.wallet import create_wallet

    if backup_passphrase_file is not None:
        passphrase = read_passphrase_file(backup_passphrase_file)
    else:
        passphrase = session.sources.given_passphrase() or session.sources.prompt(
            "backup passphrase", hint="give it with --backup-passphrase-file FILE")
    try:
        wallet_id, records = read_backup(source, passphrase)
    except WalletLockedError:
        raise WalletLockedError("backup", "the backup opens with the passphrase it was made with "
                                "(the wallet's, or backup --backup-passphrase-file's): give it "
                                "with --backup-passphrase-file FILE") from None
    added: dict[str, int] = {}
    path = homes.db_path(session.home)
    if path.exists() and not homes.is_incomplete(path):
        with session.open() as wallet:
            checked = check_records(records, now=now, take_keys=merge_keys or wallet.wallet_id == wallet_id)
            added = wallet.import_records(checked.records)
        merged = True
    else:
        checked = check_records(records, now=now, take_keys=True)
        def populate(wallet: Any) -> None:
            wallet.adopt_id_key(records)  # the same wallet again: the same ids
            added.update(wallet.import_records(checked.records))

        create_wallet(session.home, passphrase=passphrase, use_keyring=False, wallet_id=wallet_id,
                      with_keys=False, populate=populate).close()
        merged = False
    return {"home": str(session.home), "merged": merged, "added": added, "refused": checked.refused,
            "keysNotMerged": checked.keys_held_back}


def change_passphrase(session: Session, new_passphrase_file: Path | None) -> dict[str, Any]:
    from skillpass.wallet.unlock import read_passphrase_file

    with session.open() as wallet:
        if new_passphrase_file is not None:
            new = read_passphrase_file(new_passphrase_file)
        else:
            new = session.sources.prompt("new passphrase", confirm=True,
                                         hint="give it with --new-passphrase-file FILE")
        wallet.change_passphrase(new)
    return {"changed": True, "home": str(session.home)}


# -- import: detect -> parse -> verify -> store ------------------------------------------------


@dataclass(frozen=True)
class ImportOutcome:
    source: str
    status: str  # 'imported' | 'duplicate' | 'rejected'
    id: str | None = None
    title: str | None = None
    reason: str | None = None
    hint: str | None = None
    code: str | None = None
    warning: str | None = None  # imported, but not issued to one of the wallet's DIDs
    exit_status: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None and k != "exit_status"}


def import_credentials(session: Session, arguments: list[str], stdin: Any, *, now: datetime,
                       allow_expired: bool, progress: Callable[[int], Callable[[], None]]) -> list[ImportOutcome]:
    """Import every credential found in the arguments, each in its own transaction."""
    from skillpass.ingest import read_sources

    with session.open() as wallet:
        store, did_cache = _trusted_material(wallet)
        context = _ImportContext(store, did_cache, now, allow_expired,
                                 tuple(key.did for key in wallet.holder_keys()))
        sources = list(read_sources(arguments, stdin))
        advance = progress(len(sources))
        outcomes: list[ImportOutcome] = []
        for source in sources:
            outcomes += _import_source(wallet, source, context)
            advance()
    return outcomes


@dataclass(frozen=True)
class _ImportContext:
    store: Any
    did_cache: dict[str, Any]
    now: datetime
    allow_expired: bool
    holder_dids: tuple[str, ...]


def _import_source(wallet: Any, source: Any, context: _ImportContext) -> list[ImportOutcome]:
    from skillpass.errors import SkillpassError
    from skillpass.ingest import candidates

    try:
        found = candidates(source)
    except SkillpassError as exc:
        return [_rejected(source.origin, exc)]
    outcomes = []
    for candidate in found:
        try:
            outcomes.append(_import_one(wallet, candidate, context))
        except SkillpassError as exc:
            if isinstance(exc, (WalletLockedError, BusyError)):
                raise  # the wallet itself failed: stop, do not report it against the credential
            outcomes.append(_rejected(candidate.origin, exc))
    return outcomes


def _import_one(wallet: Any, candidate: Any, context: _ImportContext) -> ImportOutcome:
    from skillpass.verify import verify_credential
    from skillpass.views import new_entry, row_record
    from skillpass.wallet.wallet import utc_now

    existing = wallet.has_credential(candidate.raw)
    if existing:
        return ImportOutcome(candidate.origin, "duplicate", existing, reason="already in the wallet")
    verification = verify_credential(candidate.unverified_credential, store=context.store,
                                     did_cache=context.did_cache, now=context.now,
                                     allow_expired=context.allow_expired)
    entry = new_entry(candidate.unverified_credential, verification, utc_now())
    result = wallet.add_credential(candidate.raw, entry, row_record(entry), alias=entry["alias"])
    title = _summary_of(entry).title.default
    if not result.added:
        return ImportOutcome(candidate.origin, "duplicate", result.id, title,
                             reason="a credential with the same id from the same issuer is already in the wallet")
    return ImportOutcome(candidate.origin, "imported", result.id, title,
                         warning=_binding_warning(candidate.unverified_credential, context.holder_dids))


def _binding_warning(credential: dict[str, Any], holder_dids: tuple[str, ...]) -> str | None:
    """Why a verifier that checks holder binding will refuse this credential when shared."""
    from skillpass.present.holder import subject_ids

    subjects = subject_ids(credential)
    if not subjects:
        return ("it names no subject (no credentialSubject.id): verifiers that check holder "
                "binding will refuse it")
    if any(s.split("#", 1)[0] in holder_dids for s in subjects):
        return None
    return (f"it is issued to {', '.join(subjects)}, none of your DIDs: verifiers that check "
            "holder binding will refuse it when you share it")


def _rejected(origin: str, exc: Any) -> ImportOutcome:
    return ImportOutcome(origin, "rejected", reason=exc.message, hint=exc.hint, code=exc.code,
                         exit_status=int(exc.exit_status))


def _trusted_material(wallet: Any) -> tuple[Any, dict[str, Any]]:
    """The context store (bundled plus user-trusted) and the local DID document cache."""
    from skillpass.jsonld.loader import ContextStore

    extra, did_cache = _trusted_material_of(wallet)
    return ContextStore.bundled().with_extra(extra), did_cache


def _trusted_material_of(wallet: Any) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The wallet's trusted contexts (URL -> bytes) and DID documents (id -> document)."""
    extra = {value["url"]: value["data"].encode() for _, value in wallet.items_json("context")}
    did_cache = {value["id"]: value["document"] for _, value in wallet.items_json("did")}
    return extra, did_cache


# -- trusted material: extra JSON-LD contexts and DID documents --------------------------------


def add_context(session: Session, file: Path, url: str) -> dict[str, Any]:
    """Trust a JSON-LD context the bundle lacks, pinned by the SHA-256 of the file's bytes."""
    import hashlib

    from skillpass.errors import UsageError
    from skillpass.jsonld.loader import ContextStore, parse_context
    from skillpass.wallet.wallet import utc_now

    if not url.startswith("https://"):
        raise UsageError(f"a context URL must start with https://: {url}", "give the URL credentials use")
    if url in ContextStore.bundled():
        raise UsageError(f"{url} is bundled with skillpass already", "nothing to add")
    data = _read_small_file(file)
    parse_context(url, data)  # refuses anything that is not a JSON-LD context document
    digest = hashlib.sha256(data).hexdigest()
    record = {"url": url, "sha256": digest, "added": utc_now(), "data": data.decode("utf-8")}
    with session.open() as wallet:
        wallet.put_json("context", wallet.record_id("context", url), record, replace=True)
    return {"url": url, "sha256": digest, "source": "added"}


def list_contexts(session: Session) -> list[dict[str, Any]]:
    from skillpass.jsonld.loader import bundled_manifest
    from skillpass.wallet import home as homes

    rows = [{"url": e["url"], "sha256": e["sha256"], "source": f"bundled ({e['package']})"}
            for e in bundled_manifest()]
    if homes.db_path(session.home).exists():
        with session.open() as wallet:
            rows += [{"url": v["url"], "sha256": v["sha256"], "source": f"added {v['added']}"}
                     for _, v in wallet.items_json("context")]
    return rows


def add_did_document(session: Session, file: Path) -> dict[str, Any]:
    """Keep a DID document (an issuer's did:web) or an https issuer's controller document, so
    its keys resolve offline."""

    from skillpass.wallet.wallet import utc_now

    did, document = read_did_document(file)
    with session.open() as wallet:
        wallet.put_json("did", wallet.record_id("did", did),
                        {"id": did, "document": document, "added": utc_now()}, replace=True)
    return {"id": did, "verificationMethods": len(document["verificationMethod"])}


def read_did_document(file: Path) -> tuple[str, dict[str, Any]]:
    """(DID, document) from a DID document or https controller document file."""
    from skillpass.errors import BadInputError
    from skillpass.ingest import parse_json

    try:
        document = parse_json(_read_small_file(file))
    except BadInputError as exc:
        raise BadInputError(exc.message, "give the issuer's DID document (did.json)", code=exc.code) from None
    did = document.get("id") if isinstance(document, dict) else None
    if not isinstance(did, str) or not did.startswith(("did:", "https://")):
        raise BadInputError("not a DID or controller document: no 'id' starting with did: or https://",
                            "give the issuer's DID document (did.json)", code="E_DID_DOCUMENT")
    if not isinstance(document.get("verificationMethod"), list):
        raise BadInputError("the DID document lists no verificationMethod",
                            "give the issuer's complete DID document", code="E_DID_DOCUMENT")
    return did, document


def list_did_documents(session: Session) -> list[dict[str, Any]]:
    with session.open() as wallet:
        return [{"id": v["id"], "added": v["added"],
                 "verificationMethods": len(v["document"].get("verificationMethod", []))}
                for _, v in wallet.items_json("did")]


def _read_small_file(file: Path, limit: int = 1024 * 1024) -> bytes:
    from skillpass.files import read_limited

    return read_limited(file, limit, "a context or DID document")


# -- share: select -> disclose -> present -> encode --------------------------------------------


def credential_fields(session: Session, prefix: str) -> dict[str, Any]:
    from skillpass.ingest import parse_json
    from skillpass.present.fields import disclosable_fields

    with session.open() as wallet:
        stored = _credential(wallet, prefix)
    fields = disclosable_fields(parse_json(stored.raw), _summary_of(stored.entry))
    return {"id": stored.id, **fields.to_dict()}


def _summary_of(entry: dict[str, Any]) -> Any:
    from skillpass.summary import Summary

    return Summary.from_dict(entry["summary"])


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
    from skillpass.present.fields import disclosable_fields
    from skillpass.present.holder import Shared, choose_signer, subject_ids
    from skillpass.present.presentation import present
    from skillpass.present.select import resolve_selection, revealed_fields
    from skillpass.wallet.ids import random_id

    with session.open() as wallet:
        store, _ = _trusted_material(wallet)
        items, refs, preview, picked_interactively = [], [], [], False
        for prefix in request.ids:
            stored = _credential(wallet, prefix)
            credential = parse_json(stored.raw)
            fields = disclosable_fields(credential, _summary_of(stored.entry))
            reveal = request.reveal
            if not reveal and not request.reveal_all:
                picked = choose({"id": stored.id, **fields.to_dict()})
                if picked is None:
                    raise CancelledError("nothing shared", "pass --reveal FIELD or --reveal-all")
                reveal, picked_interactively = picked, True
            selection = resolve_selection(fields, reveal, request.reveal_all, credential_ref=stored.id)
            items.append((credential, selection))
            refs.append(Shared(stored.id, subject_ids(credential)))
            preview.append({"id": stored.id, "title": _summary_of(stored.entry).title.default,
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


# -- verify: the verifier's side; needs no wallet ------------------------------------------------


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
    from skillpass.verifier import read_presentation, verify_presentation
    from skillpass.trust import TrustList

    material = material or VerifierMaterial({}, [], None)
    extra, did_cache = _kept_material(material.session, notice)
    given = {url: _read_small_file(file) for url, file in material.contexts.items()}
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
            return _trusted_material_of(wallet)
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
