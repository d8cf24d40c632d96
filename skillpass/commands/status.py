"""Revocation and suspension: the status lists the wallet's credentials name (status add,
refresh, list)."""

import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from skillpass import flow, render
from skillpass.commands.common import Home, Json, PassphraseFile, now, output, session
from skillpass.errors import ExitStatus

# (key, header, atomic) of the text tables
_LIST_COLUMNS = (("url", "Status list", True), ("state", "State", True), ("credentials", "Credentials", True),
                 ("obtained", "Obtained", True), ("staleAfter", "Current until", True))
_REFRESH_COLUMNS = (("url", "Status list", True), ("result", "Result", True), ("detail", "Detail", False))

status_app = typer.Typer(no_args_is_help=True, help="""Whether your credentials were revoked or suspended: their issuers' status lists.

    Offline by default: 'status add' keeps a list you downloaded; 'status refresh' fetches the
    lists your credentials name (the only command here that uses the network, https only).

    \b
    Example:
      skillpass status list
      skillpass status add status-list.json
      skillpass status refresh
    """)


@status_app.command("add")
def status_add(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A status list (credential, JWT or CWT) as the issuer serves it.")],
    url: Annotated[Optional[str], typer.Option(
        "--url", metavar="URL", help="The address credentials name for it, when it is not the list's own id.")] = None,
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    json_output: Json = False,
) -> None:
    """Keep an issuer's status list and check the credentials that name it.

    The list is verified like any credential, and must come from the issuer of the credentials
    that name it. list, show, the passport and verify then say whether each is revoked or
    suspended, and until when the list is current.

    \b
    Example:
      skillpass status add status-list.json
      skillpass status add token-status-list.jwt --url https://college.example/status/3
    """
    result = flow.add_status_list(session(home, passphrase_file), file, url, now())
    output(result, json_output, _added_text)


def _added_text(result: dict[str, Any]) -> None:
    from skillpass.i18n import counted

    n, revoked, suspended = result["credentials"], result["revoked"], result["suspended"]
    render.note(render.t("kept the status list {url} from {issuer}: {checked}, {revoked}, {suspended}").format(
        url=result["url"], issuer=result["issuer"],
        checked=f"{n} {counted(n, 'credential checked', 'credentials checked')}",
        revoked=f"{revoked} {counted(revoked, 'revoked', 'revoked')}",
        suspended=f"{suspended} {counted(suspended, 'suspended', 'suspended')}"))


@status_app.command("refresh")
def status_refresh(
    allow_http: Annotated[bool, typer.Option(
        "--allow-http", help="Allow plain http to loopback addresses (for tests); never to other hosts.")] = False,
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    json_output: Json = False,
) -> None:
    """Fetch the status lists your credentials name, and check the credentials again.

    Connects to each list's address over https, and nowhere else. A list that cannot be
    fetched or does not verify is reported and the one kept before stays. Exits 14 when a list
    could not be fetched, 9 when one did not verify.

    \b
    Example:
      skillpass status refresh
      skillpass status refresh --json
    """
    from skillpass.net.http import NetPolicy

    outcomes = flow.refresh_status_lists(session(home, passphrase_file), NetPolicy(allow_http=allow_http),
                                         now(), render.progress)
    output(outcomes, json_output, _refreshed_text)
    failed = [o["exit_status"] for o in outcomes if o.get("result") == "failed"]
    if failed:  # a list unreachable first (14), else the worst of the others (9 did not verify)
        raise typer.Exit(ExitStatus.NETWORK if ExitStatus.NETWORK in failed else max(failed))


def _refreshed_text(outcomes: list[dict[str, Any]]) -> None:
    from skillpass.i18n import counted, translate_message

    said = translate_message if sys.stdout.isatty() else str  # pipes stay in English, for scripts
    rows = []
    for outcome in outcomes:
        if outcome["url"] is None:
            continue
        detail = said(outcome.get("reason") or "") if outcome["result"] == "failed" else \
            f"{outcome['credentials']} {counted(outcome['credentials'], 'credential', 'credentials')}"
        rows.append({"url": outcome["url"], "detail": detail,
                     "result": render.t(outcome["result"]) if sys.stdout.isatty() else outcome["result"]})
    if not rows:
        render.note(render.t("no credential in the wallet names a status list"))
        return
    render.rows_table(rows, _REFRESH_COLUMNS)


@status_app.command("list")
def status_list(home: Home = None, passphrase_file: PassphraseFile = None, json_output: Json = False) -> None:
    """List the status lists your credentials name: kept or not, and until when they are current.

    \b
    Example:
      skillpass status list
      skillpass status list --json
    """
    rows = flow.list_status_lists(session(home, passphrase_file), now())
    output(rows, json_output, lambda rows: render.rows_table(
        [{**row, "state": render.t(row["state"]) if sys.stdout.isatty() else row["state"]} for row in rows],
        _LIST_COLUMNS))
