"""`list`'s rows, and the stream of current rows `list` and `passport` read: only what reading
the wallet's rows needs, so that neither loads the import machinery of flow.credentials."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from skillpass.bulk import collector_paused
from skillpass.views import list_row, proof_checked, test_labelled, text_of

if TYPE_CHECKING:
    from skillpass.flow.session import Session

T = TypeVar("T")


@dataclass(frozen=True)
class ListOptions:
    """`list`'s filters (the passport's, plus --search) and order."""

    filters: Any = None  # passport.build.Filters
    search: str | None = None
    sort: str = "issued"  # issued | issuer | title | added


SORTS = ("issued", "issuer", "title", "added")


def list_credentials(session: Session, now: datetime, langs: tuple[str, ...] = (),
                     options: ListOptions = ListOptions()) -> list[dict[str, Any]]:
    """Every credential's list row, filtered and sorted; `langs` picks among multilingual titles
    (default: as issued)."""
    with session.open() as wallet:
        return with_sound_rows(wallet, lambda rows: _listed(rows, now, langs, options, lambda: trusted_names(session)))


def trusted_names(session: Session) -> dict[str, str]:
    """The names the trust list gives issuers, first of the names of an issuer that names itself
    nowhere in its credentials (an https issuer of SD-JWT VCs), in list, show and the passport.
    A damaged list names nobody: what names from it is still shown."""
    from skillpass.errors import SkillpassError
    from skillpass.trust import TrustList

    try:
        return {entry.did: entry.name for entry in TrustList.load(session.home).entries()}
    except SkillpassError:
        return {}


@collector_paused
def _listed(stored_rows: Iterable[tuple[str, dict[str, Any]]], now: datetime, langs: tuple[str, ...],
            options: ListOptions, trusted: Callable[[], Mapping[str, str]] = dict) -> list[dict[str, Any]]:
    """The rows as `list` shows them, each made as its stored row comes (only the filters need
    every stored row at once)."""
    # issuer id -> the name it signed into a verified credential, as the passport names them
    # (passport/build.py named_by_their_issuer): from every row, also those a filter leaves out
    names: dict[str, str] = {}
    if options.filters is not None or options.search:
        every = list(stored_rows)
        for _, row in every:
            _learn_issuer_name(names, row, langs)
        stored_rows = _filtered(every, now, options)
    added: dict[str, str] = {}
    rows = []
    by_id: list[tuple[dict[str, Any], str]] = []  # rows of credentials naming their issuer by its id alone
    for cid, row in stored_rows:
        listed = list_row(cid, row, now, langs)
        rows.append(listed)
        if row.get("issuer_id") and row["issuer"] == row["issuer_id"]:
            by_id.append((listed, row["issuer_id"]))
        else:
            _learn_issuer_name(names, row, langs)
        if options.sort == "added":
            added[cid] = row.get("added") or ""
    trusted_name = trusted() if by_id else {}  # read only when a row needs it: then as the passport does
    for listed, issuer_id in by_id:
        name = trusted_name.get(issuer_id) or names.get(issuer_id)
        if name is not None:
            listed["issuer"] = test_labelled(name) if listed.get("testIssuer") else name
    if options.sort == "added":
        rows.sort(key=lambda row: (added[row["id"]], row["id"]), reverse=True)
    elif options.sort in ("issuer", "title"):
        rows.sort(key=lambda row: (_folded(row[options.sort]), row["id"]))
    else:
        rows.sort(key=lambda row: (row["issued"] or "", row["id"]), reverse=True)
    return rows


def _learn_issuer_name(names: dict[str, str], row: dict[str, Any], langs: tuple[str, ...]) -> None:
    """The name a verified credential's issuer signed into it, kept under the issuer's id (called
    for every row: what it needs is imported once, above)."""
    issuer_id = row.get("issuer_id")
    if (issuer_id and type(issuer_id) is str and issuer_id not in names and proof_checked(row)
            and row["issuer"] != issuer_id):
        text = row["issuer"]
        if type(text) is not str:
            text = text_of(text).pick(langs)
        names[issuer_id] = text


def current_rows(wallet: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every credential's list row, those written by an older skillpass derived again first,
    each of the shape row_record gives it (views.sound_row)."""
    from skillpass.views import sound_row

    rows = list(iter_current_rows(wallet))
    if all(sound_row(row) for _, row in rows):
        return rows
    rederive_unsound_rows(wallet)
    return list(iter_current_rows(wallet))


# What reading a row of another shape than row_record's raises (a str where a number is, a
# list where a text is): the row is checked, and derived again, only then.
_BROKEN_ROW = (TypeError, KeyError, ValueError, AttributeError, IndexError)


def with_sound_rows(wallet: Any, use: Callable[[Iterator[tuple[str, dict[str, Any]]]], T]) -> T:
    """`use(iter_current_rows(wallet))`, whose rows `list` and `passport` read without checking
    each (that would be a twentieth of their time): when a row breaks it, every row not of
    row_record's shape is derived again from its entry, and `use` is given the rows once more.
    When no row was unsound, the error is skillpass's own and goes on."""
    from skillpass.errors import SkillpassError

    try:
        return use(iter_current_rows(wallet))
    except SkillpassError:
        raise
    except _BROKEN_ROW:
        if not rederive_unsound_rows(wallet):
            raise
    return use(iter_current_rows(wallet))


def rederive_unsound_rows(wallet: Any) -> list[str]:
    """Each credential whose row is not of row_record's shape gets its row derived again from
    its entry (derived data, rebuilt, never lost); their ids."""
    from skillpass.flow.credentials import kept_documents_of, stored_credential
    from skillpass.views import sound_row

    unsound = [cid for cid, row in wallet.iter_rows() if not sound_row(row)]
    kept = kept_documents_of(wallet)
    for cid in unsound:
        stored_credential(wallet, cid, rebuild_row=True, kept=kept)
    return unsound


def iter_current_rows(wallet: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """`current_rows` as a stream, read in batches: the current rows as they are stored, then
    those an older skillpass wrote (or never wrote), derived again, in the order rewriting them
    puts them in the wallet (after the others, as a second read would give them)."""
    from skillpass.views import ROW_VERSION, at_current_revision
    from skillpass.wallet.wallet import ROW

    stale = wallet.credentials_without_row()
    for cid, row in wallet.iter_rows():
        if row.get("v") == ROW_VERSION and at_current_revision(row):
            yield cid, row
        else:
            stale.append(cid)
    if stale:
        from skillpass.flow.credentials import kept_documents_of, stored_credential

        kept = kept_documents_of(wallet)
    for cid in stale:  # derived data, written by an older skillpass: rebuilt, never lost
        stored_credential(wallet, cid, rebuild_row=True, kept=kept)
        rebuilt = wallet.get_json(ROW, cid)
        if rebuilt is not None:
            yield cid, rebuilt


def _filtered(stored_rows: list[tuple[str, dict[str, Any]]], now: datetime,
              options: ListOptions) -> list[tuple[str, dict[str, Any]]]:
    from skillpass.passport.build import Filters, build, matches_search

    filters = options.filters or Filters()
    kept = {held.id for held in build(stored_rows, now=now, holder_name=None, holder_dids=(),
                                      filters=filters).credentials}
    if options.search:
        from skillpass.passport.build import held_of

        kept = {cid for cid, row in stored_rows if cid in kept and matches_search(held_of(cid, row, now),
                                                                               options.search)}
    return [(cid, row) for cid, row in stored_rows if cid in kept]


def _folded(text: str) -> str:
    from skillpass.passport.skills import match_name

    return match_name(text)
