"""The credentials in the wallet: import (detect -> parse -> verify -> store), show, remove; list
(flow.listing)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from skillpass.errors import BusyError, CancelledError, WalletLockedError

# list's rows are read by flow.listing (re-exported here); flow.material and flow.status (status
# lists, DID material) are imported where an import uses them: `list` and `passport` read rows
# only, and loading this module's dataclasses and those was a tenth of their start-up.
from skillpass.flow.listing import SORTS, ListOptions, current_rows, iter_current_rows, list_credentials  # noqa: F401

if TYPE_CHECKING:
    from skillpass.flow.session import Session


def stored_credential(wallet: Any, prefix: str, *, rebuild_row: bool = False,
                      kept: Callable[[], Mapping[str, Any]] | None = None) -> Any:
    """The stored credential `prefix` names, its summary derived again if it is outdated, with
    the documents the wallet keeps (`kept`, when a caller deriving many has read them once)."""
    from skillpass.views import refreshed_entry, row_record
    from skillpass.wallet.wallet import StoredCredential

    stored = wallet.credential(prefix)
    entry = refreshed_entry(stored.entry, stored.raw, kept or kept_documents_of(wallet))
    if entry is None and not rebuild_row:
        return stored
    entry = entry or stored.entry
    wallet.replace_derived(stored.id, entry, row_record(entry))
    return StoredCredential(stored.id, stored.raw, entry)


def kept_documents_of(wallet: Any) -> Callable[[], Mapping[str, Any]]:
    """flow.material.kept_documents(wallet), read when first asked for, then kept."""
    from functools import cache

    from skillpass.flow.material import kept_documents

    return cache(lambda: kept_documents(wallet))


def show_credential(session: Session, prefix: str, now: datetime, langs: tuple[str, ...] = ()) -> dict[str, Any]:
    from skillpass.flow.listing import trusted_names
    from skillpass.views import detail

    with session.open() as wallet:
        stored = stored_credential(wallet, prefix)
        return detail(stored.id, stored.entry, stored.raw, now, langs, wallet.iter_rows,
                      lambda: trusted_names(session))


def raw_credential(session: Session, prefix: str) -> bytes:
    with session.open() as wallet:
        return stored_credential(wallet, prefix).raw


def remove_credential(session: Session, prefix: str, confirm: Callable[[str], bool]) -> dict[str, Any]:
    with session.open() as wallet:
        stored = stored_credential(wallet, prefix)
        from skillpass.summary import Summary

        title = str(Summary.from_dict(stored.entry["summary"]).title) or stored.id
        if not confirm(f"remove {stored.id} ({title})?"):
            raise CancelledError("nothing removed", "pass --yes to remove without asking")
        wallet.remove(stored.id)
    return {"removed": stored.id, "title": title}


def credential_fields(session: Session, prefix: str) -> dict[str, Any]:
    from skillpass.formats import of_entry

    with session.open() as wallet:
        stored = stored_credential(wallet, prefix)
    fields = of_entry(stored.entry).fields(stored.raw, summary_of(stored.entry))
    return {"id": stored.id, **fields.to_dict()}


def summary_of(entry: dict[str, Any]) -> Any:
    from skillpass.summary import Summary

    return Summary.from_dict(entry["summary"])


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
        """The outcome as plain data; a source name that is not UTF-8 (and a reason naming it)
        with its bytes shown as \\xff, so that --json and the table can carry it."""
        from skillpass.render.text import well_formed

        return {k: well_formed(v) if isinstance(v, str) else v for k, v in self.__dict__.items()
                if v is not None and k != "exit_status"}


def import_credentials(session: Session, arguments: list[str], stdin: Any, *, now: datetime,
                       allow_expired: bool, progress: Callable[[int], Callable[[], None]],
                       qr: bool = False, allow_unverified: bool = False) -> list[ImportOutcome]:
    """Import every credential found in the arguments (with `qr`, the images of one QR code or
    of the parts of one sequence), each in its own transaction; with `allow_unverified`, a
    credential that cannot be verified offline by its nature (a hosted Open Badge 2.0) is kept,
    marked as not verified. Many files are verified on every core (skillpass.parallel); this
    process alone writes the wallet, in input order, so the outcomes are those of one at a time."""
    from skillpass.flow.material import wallet_material
    from skillpass.flow.status import kept_lists
    from skillpass.ingest import planned_sources
    from skillpass.parallel import ordered_map
    from skillpass.progress import close

    with session.open() as wallet:
        context = ImportContext(wallet_material(wallet, session.home), now, allow_expired,
                                 list(wallet.holder_keys()), allow_unverified, kept_lists(wallet))
        plan = [lambda: qr_source(arguments)] if qr else planned_sources(arguments, stdin)
        advance = progress(len(plan))
        outcomes: list[ImportOutcome] = []
        try:
            for item in ordered_map(_prepared_or_rejected, context, _work(plan, context), count=len(plan),
                                    failed=_lost):
                outcome = item.outcome if isinstance(item, _Decided) else _stored(wallet, item)
                if outcome is not None:
                    outcomes.append(outcome)
                if item.last:
                    advance()
        finally:
            close(advance)
    return outcomes


@dataclass(frozen=True)
class ImportContext:
    material: Any
    now: datetime
    allow_expired: bool
    holder_keys: list[Any]
    allow_unverified: bool = False  # keep what its format can only keep unverified (hosted badges)
    status_lists: tuple[dict[str, Any], dict[str, str]] = ({}, {})  # flow.status.kept_lists


@dataclass(frozen=True)
class _Decided:
    """An outcome known before any check (the source could not be read), or None for a source
    with nothing in it; `last`: the last item of its source."""

    outcome: ImportOutcome | None
    last: bool = True


@dataclass(frozen=True)
class _Checking:
    candidate: Any
    last: bool


@dataclass(frozen=True)
class _Checked:
    """What a worker sends back: the candidate, and what storing it needs or why it was rejected."""

    candidate: Any
    last: bool
    prepared: Prepared | None = None
    rejected: ImportOutcome | None = None


def _work(plan: list[Callable[[], Any]], context: ImportContext) -> Any:
    """Each source read when its turn comes, as the candidates it holds (or its outcome)."""
    from skillpass.errors import SkillpassError
    from skillpass.ingest import candidates
    from skillpass.parallel import Done

    for read in plan:
        source = read()
        try:
            found = candidates(_from_qr_text(source, context.material.store))
        except SkillpassError as exc:
            yield Done(_Decided(_rejected(source.origin, exc)))
            continue
        if not found:
            yield Done(_Decided(None))
        for index, candidate in enumerate(found):
            yield _Checking(candidate, index == len(found) - 1)


def _prepared_or_rejected(context: ImportContext, item: _Checking) -> _Checked:
    """The check of one candidate (in a worker when there are many): never the wallet."""
    from skillpass.errors import SkillpassError

    try:
        return _Checked(item.candidate, item.last, prepared=prepare_candidate(item.candidate, context))
    except SkillpassError as exc:
        return _Checked(item.candidate, item.last, rejected=_rejected(item.candidate.origin, exc))


def _lost(item: _Checking, exc: BaseException) -> _Checked:
    """A candidate whose check failed unexpectedly (a bug, or its worker was killed): rejected
    as an internal error, and the import goes on with the others."""
    from skillpass.errors import SkillpassError

    error = SkillpassError(f"internal error ({type(exc).__name__}: {exc})", "run again with --debug and report it")
    return _Checked(item.candidate, item.last, rejected=_rejected(item.candidate.origin, error))


def _stored(wallet: Any, checked: _Checked) -> ImportOutcome:
    """As import_candidate: a copy already kept is a duplicate, whatever its check said; an
    error of the wallet itself stops the import, any other is the credential's."""
    from skillpass.errors import SkillpassError

    try:
        existing = wallet.has_credential(checked.candidate.raw)
        if existing:
            return ImportOutcome(checked.candidate.origin, "duplicate", existing, reason="already in the wallet")
        if checked.rejected is not None:
            return checked.rejected
        assert checked.prepared is not None
        return store_prepared(wallet, checked.candidate, checked.prepared)
    except SkillpassError as exc:
        if isinstance(exc, (WalletLockedError, BusyError)):
            raise  # the wallet itself failed: stop, do not report it against the credential
        return _rejected(checked.candidate.origin, exc)


def qr_source(images: list[str]) -> Any:
    """The payload the QR codes in `images` carry, as one source (or why it could not be read)."""
    from skillpass.errors import SkillpassError
    from skillpass.ingest import Source
    from skillpass.qr.payload import scanned

    origin = images[0] if len(images) == 1 else f"{len(images)} QR images"
    try:
        return Source(origin, scanned(images))
    except SkillpassError as exc:
        return Source(origin, error=exc)


def _from_qr_text(source: Any, store: Any) -> Any:
    """`source` with a QR code's text (VPQR, parts) read into the JSON it encodes."""
    from skillpass.formats.detect import QR_PARTS, VPQR, detect

    if source.error is not None or detect(source.raw) not in (VPQR, QR_PARTS):
        return source
    from skillpass.ingest import Source
    from skillpass.qr.payload import decoded

    return Source(source.origin, decoded(source.raw, store))


def import_candidate(wallet: Any, candidate: Any, context: ImportContext) -> ImportOutcome:
    """detect (done) -> parse -> verify -> store, through the candidate's format."""
    existing = wallet.has_credential(candidate.raw)
    if existing:
        return ImportOutcome(candidate.origin, "duplicate", existing, reason="already in the wallet")
    return store_prepared(wallet, candidate, prepare_candidate(candidate, context))


@dataclass(frozen=True)
class Prepared:
    """A verified candidate, as the wallet will keep it (plain data: it may come from a worker)."""

    entry: dict[str, Any]
    row: dict[str, Any]
    issuer_metadata: dict[str, Any] | None
    title: Any
    warning: str | None


def prepare_candidate(candidate: Any, context: ImportContext) -> Prepared:
    """parse -> verify -> the entry to keep: everything of an import but the wallet."""
    from skillpass.formats import by_tag
    from skillpass.issuing import is_test_issued
    from skillpass.views import new_entry, row_record
    from skillpass.wallet.wallet import utc_now

    credential_format = by_tag(candidate.format)
    checked = _checked(credential_format, candidate.raw, context)
    entry = new_entry(checked, credential_format.tag, utc_now())
    if context.status_lists[0]:  # the lists kept already say what they say of it
        from skillpass.flow.status import entry_status, with_status

        entry = with_status(entry, entry_status(entry, *context.status_lists, context.now))
    warnings = [credential_format.binding_warning(candidate.raw, context.holder_keys)]
    if is_test_issued(checked.summary):
        warnings.insert(0, "issued by a skillpass test issuer: for testing only")
    return Prepared(entry, row_record(entry), checked.issuer_metadata, checked.summary.title.default,
                    "; ".join(w for w in warnings if w) or None)


def store_prepared(wallet: Any, candidate: Any, prepared: Prepared) -> ImportOutcome:
    if prepared.issuer_metadata is not None:  # first: a credential is never kept without its key
        from skillpass.flow.material import keep_issuer

        keep_issuer(wallet, prepared.issuer_metadata)
    result = wallet.add_credential(candidate.raw, prepared.entry, prepared.row, alias=prepared.entry["alias"])
    if not result.added:
        return ImportOutcome(candidate.origin, "duplicate", result.id, prepared.title,
                             reason="a credential with the same id from the same issuer is already in the wallet")
    return ImportOutcome(candidate.origin, "imported", result.id, prepared.title, warning=prepared.warning)


def _checked(credential_format: Any, raw: bytes, context: ImportContext) -> Any:
    """The format's check; with --allow-unverified, a hosted badge (E_HOSTED_BADGE) kept through
    the format's `keep_unverified`, which marks it "not verified (hosted badge)"."""
    from skillpass.errors import UnverifiableError

    try:
        return credential_format.check(raw, context.material, context.now, context.allow_expired)
    except UnverifiableError as exc:
        if exc.code != "E_HOSTED_BADGE" or not context.allow_unverified:
            raise
        return credential_format.keep_unverified(raw, context.material, context.now, context.allow_expired)


def _rejected(origin: str, exc: Any) -> ImportOutcome:
    return ImportOutcome(origin, "rejected", reason=exc.message, hint=exc.hint, code=exc.code,
                         exit_status=int(exc.exit_status))
