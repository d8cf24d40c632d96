"""Status lists in the wallet: `status add FILE` keeps one the learner obtained, `status refresh`
fetches those the wallet's credentials name (the only network use here, on request), `status
list` says which are kept and how current they are. After each change, every credential that
names the list has its status worked out again and kept beside it (its entry and its `list`
row), so `list`, `show` and the passport read it without opening a list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skillpass.flow.session import Session
    from skillpass.net.http import NetPolicy
    from skillpass.status import StatusList

from skillpass.status import MAX_LIST_BYTES  # one bound for every status list read or fetched
from skillpass.status.lookup import list_key

STATUS = "status"  # the wallet record kind: one per list URL (without its fragment)


# -- what is kept --------------------------------------------------------------------------------


def kept_lists(wallet: Any) -> tuple[dict[str, StatusList], dict[str, str]]:
    """The status lists kept in the wallet, by URL, and when each was obtained."""
    from skillpass.status import StatusList

    lists, obtained = {}, {}
    for _, record in wallet.items_json(STATUS):
        try:
            status_list = StatusList.from_json(record["list"])
        except (KeyError, TypeError, ValueError):
            continue  # written by a newer skillpass: ignored, never deleted
        lists[status_list.url] = status_list
        obtained[status_list.url] = str(record.get("obtained") or "")
    return lists, obtained


def _keep(wallet: Any, status_list: StatusList, raw: bytes, source: str, now: datetime) -> None:
    """Keep `status_list` in place of the one kept for its URL, unless that one is newer: an
    old copy of a list would bring back a credential revoked since."""
    import base64

    from skillpass.encoding.dates import format_utc, parse
    from skillpass.errors import UsageError

    kept = wallet.get_json(STATUS, wallet.record_id(STATUS, status_list.url))
    kept_issued = parse(((kept or {}).get("list") or {}).get("issued"))
    issued = parse(status_list.issued)
    if kept_issued and (issued is None or issued < kept_issued):
        raise UsageError(f"the status list kept for {status_list.url} is newer (issued {kept['list']['issued']}) "
                         f"than this one ({status_list.issued or 'no date'})",
                         "nothing to do; 'skillpass status refresh' fetches the current one", code="E_STATUS_OLDER")

    wallet.put_json(STATUS, wallet.record_id(STATUS, status_list.url),
                    {"list": status_list.to_json(), "obtained": format_utc(now), "source": source,
                     "raw": base64.b64encode(raw).decode("ascii")}, replace=True)


# -- a credential's status, from the lists at hand --------------------------------------------------


def entry_status(entry: dict[str, Any], lists: dict[str, StatusList], obtained: dict[str, str],
                 now: datetime) -> dict[str, Any] | None:
    """What the kept lists say of a credential (its entry), as kept in the entry and its row:
    the state (revoked beats suspended beats anything not checked beats valid), each entry's
    result, when the lists used were obtained and when the first of them goes out of date.
    None for a credential that names no status list."""
    from skillpass.encoding.dates import parse
    from skillpass.status import NOT_CHECKED, REVOKED, STALE, SUSPENDED, VALID
    from skillpass.status.lookup import status_of

    entries = (entry.get("summary") or {}).get("status") or []
    if not entries:
        return None
    issuer = credential_issuer(entry)
    results = [status_of(item, issuer, lists, now, obtained) for item in entries]
    states = {result.state for result in results}
    state = next((s for s in (REVOKED, SUSPENDED, NOT_CHECKED, STALE) if s in states), VALID)
    used = [lists[r.list] for r in results if r.list in lists]
    stale_after = [moment.timestamp() for moment in (parse(u.stale_after) for u in used if u.stale_after) if moment]
    checked = sorted(obtained.get(u.url, "") for u in used)
    return {"state": state, "results": [r.to_json() for r in results],
            "checked": checked[0] if checked and checked[0] else None,
            "stale_after": min(stale_after) if stale_after else None}


def credential_issuer(entry: dict[str, Any]) -> str | None:
    """The issuer import verified (or, for a record kept unsigned, the one it names)."""
    verified = (entry.get("verification") or {}).get("issuer")
    return verified or ((entry.get("summary") or {}).get("issuer") or {}).get("id")


def with_status(entry: dict[str, Any], status: dict[str, Any] | None) -> dict[str, Any]:
    """`entry` with `status` kept in it (or taken out, when there is none)."""
    updated = {k: v for k, v in entry.items() if k != "status_check"}
    if status is not None:
        updated["status_check"] = status
    return updated


def _recheck(wallet: Any, entries: list[tuple[str, dict[str, Any]]], urls: set[str], now: datetime) -> dict[str, int]:
    """Work out again the status of every credential (of `entries`, the wallet's) naming one of
    `urls`; count the states."""
    from skillpass.views import row_record

    lists, obtained = kept_lists(wallet)
    counts: dict[str, int] = {}
    for cid, entry in entries:
        named = {list_key(str(item.get("list"))) for item in (entry.get("summary") or {}).get("status") or []}
        if not named & urls:
            continue
        updated = with_status(entry, entry_status(entry, lists, obtained, now))
        state = updated["status_check"]["state"]
        counts[state] = counts.get(state, 0) + 1
        if updated != entry:
            wallet.replace_derived(cid, updated, row_record(updated))
    return counts


def _naming(entries: list[tuple[str, dict[str, Any]]]) -> dict[str, list[tuple[str, str | None]]]:
    """Every list URL the wallet's credentials name: the credentials (id, issuer) naming it."""
    named: dict[str, list[tuple[str, str | None]]] = {}
    for cid, entry in entries:
        for item in (entry.get("summary") or {}).get("status") or []:
            url = item.get("list")
            if isinstance(url, str) and url:
                named.setdefault(list_key(url), []).append((cid, credential_issuer(entry)))
    return named


# -- status add / refresh / list -------------------------------------------------------------------


def add_status_list(session: Session, file: Path, url: str | None, now: datetime) -> dict[str, Any]:
    """Keep a status list from a file, once verified and once its issuer is the issuer of the
    credentials that name it."""
    from skillpass.files import read_limited
    from skillpass.flow.material import wallet_material
    from skillpass.status.read import read_status_list

    raw = read_limited(file, MAX_LIST_BYTES, "a status list")
    with session.open() as wallet:
        status_list = read_status_list(raw, list_key(url) if url else None, wallet_material(wallet, session.home), now)
        entries = wallet.entries()  # decrypted once: who names the list, then their statuses
        _check_named(status_list, _naming(entries).get(status_list.url, []))
        _keep(wallet, status_list, raw, "file", now)
        counts = _recheck(wallet, entries, {status_list.url}, now)
    return _kept_report(status_list, counts)


def _check_named(status_list: StatusList, naming: list[tuple[str, str | None]]) -> None:
    from skillpass.errors import InvalidError, UsageError
    from skillpass.status.lookup import same_issuer

    if not naming:
        raise UsageError(f"no credential in the wallet names the status list {status_list.url}",
                         "'skillpass status list' shows the lists your credentials name; give --url "
                         "when the list's own id is not the address credentials use", code="E_STATUS_NOT_NAMED")
    issuers = {issuer for _, issuer in naming}
    if not any(same_issuer(status_list.issuer, issuer) for issuer in issuers):
        raise InvalidError(f"the status list {status_list.url} is from {status_list.issuer}, not from "
                           f"{', '.join(sorted(i or '(unknown)' for i in issuers))}, who issued the "
                           "credentials that name it", "only the issuer of a credential can revoke it: "
                           "get the list from that issuer", code="E_STATUS_ISSUER")


def _kept_report(status_list: StatusList, counts: dict[str, int]) -> dict[str, Any]:
    from skillpass.status import REVOKED, SUSPENDED

    return {"url": status_list.url, "kind": status_list.kind, "issuer": status_list.issuer,
            "signed": status_list.signed, "issued": status_list.issued, "staleAfter": status_list.stale_after,
            "credentials": sum(counts.values()), "revoked": counts.get(REVOKED, 0),
            "suspended": counts.get(SUSPENDED, 0)}


def refresh_status_lists(session: Session, policy: NetPolicy, now: datetime,
                         progress: Callable[[int], Callable[[], None]]) -> list[dict[str, Any]]:
    """Fetch every list the wallet's credentials name (https only, net/http's rules), keep those
    that verify and come from their credentials' issuer, and check the credentials again. One
    list failing is reported on its row; the others are still kept."""
    from skillpass.errors import SkillpassError
    from skillpass.flow.material import wallet_material
    from skillpass.status.read import read_status_list

    with session.open() as wallet:
        entries = wallet.entries()
        naming = _naming(entries)
        material = wallet_material(wallet, session.home)
        advance = progress(len(naming))
        outcomes, fetched = [], set()
        for url in sorted(naming):
            try:
                raw = _fetch(url, policy)
                status_list = read_status_list(raw, url, material, now)
                _check_named(status_list, naming[url])
                _keep(wallet, status_list, raw, "refresh", now)
                fetched.add(url)
                outcomes.append({"url": url, "result": "kept", "issuer": status_list.issuer,
                                 "staleAfter": status_list.stale_after})
            except SkillpassError as exc:
                outcomes.append({"url": url, "result": "failed", "reason": exc.message, "hint": exc.hint,
                                 "code": exc.code, "exit_status": int(exc.exit_status)})
            advance()
        counts = _recheck(wallet, entries, fetched, now) if fetched else {}
    for outcome in outcomes:
        outcome["credentials"] = len(naming[outcome["url"]])
    if counts:
        outcomes.append({"url": None, "result": "checked", **{k.replace(" ", "_"): v for k, v in counts.items()}})
    return outcomes


def _fetch(url: str, policy: NetPolicy) -> bytes:
    from skillpass.errors import NetworkError
    from skillpass.net.http import get, host_of

    headers = {"accept": "application/statuslist+jwt, application/vc+ld+json, application/ld+json, "
                         "application/json, application/cwt, */*;q=0.1"}
    response = get(url, policy.at_most(MAX_LIST_BYTES), headers=headers)
    if response.status != 200:  # an error page is no list: read as one, it blamed the list's format
        raise NetworkError(f"{host_of(response.url)} answered {response.status} for the status list",
                           "check again later; if it lasts, ask the issuer where its list is now",
                           code="E_NETWORK_BAD_ANSWER")
    return response.body


def list_status_lists(session: Session, now: datetime) -> list[dict[str, Any]]:
    """Every list the wallet keeps or its credentials name: kept when, current until when."""
    from skillpass.encoding.dates import parse

    with session.open() as wallet:
        naming = _naming(wallet.entries())
        lists, obtained = kept_lists(wallet)
    rows = []
    for url in sorted(set(naming) | set(lists)):
        status_list = lists.get(url)
        stale = parse(status_list.stale_after) if status_list and status_list.stale_after else None
        state = ("not obtained" if status_list is None else "out of date" if stale and now > stale else "current")
        rows.append({"url": url, "state": state, "kind": status_list.kind if status_list else None,
                     "issuer": status_list.issuer if status_list else None,
                     "obtained": obtained.get(url), "staleAfter": status_list.stale_after if status_list else None,
                     "credentials": len(naming.get(url, []))})
    return rows


# -- a verifier's lists ------------------------------------------------------------------------------


def given_lists(files: Iterable[Path], material: Any, now: datetime) -> dict[str, StatusList]:
    """`verify --status-list FILE...`: each read and verified (an error names its file)."""
    from skillpass.errors import SkillpassError
    from skillpass.files import read_limited
    from skillpass.status.read import read_status_list

    lists = {}
    for file in files:
        try:
            status_list = read_status_list(read_limited(file, MAX_LIST_BYTES, "a status list"), None, material, now)
        except SkillpassError as exc:
            exc.message = f"--status-list {file}: {exc.message}"  # a template the catalog can match
            raise
        lists[status_list.url] = status_list
    return lists
