"""Receiving from an issuer: receive (OpenID4VCI 1.0)."""

import sys
from typing import Annotated, Any

import typer

from skillpass import render
from skillpass.commands.common import Home, Json, PassphraseFile, now, output, session


def receive(
    offer: Annotated[str, typer.Argument(
        metavar="OFFER", help="An openid-credential-offer:// link, the https address of an offer, or - for stdin.")],
    tx_code: Annotated[str | None, typer.Option(
        "--tx-code", metavar="CODE", show_default=False,
        help="The transaction code the issuer sent you apart from the offer (else a hidden prompt).")] = None,
    did: Annotated[str | None, typer.Option(
        "--did", metavar="DID", show_default=False,
        help="Your DID the credentials are issued to [default: your P-256 DID].")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Receive without asking for confirmation.")] = False,
    no_browser: Annotated[bool, typer.Option(
        "--no-browser", help="For an offer that needs a sign-in: only print the address to open, do not open "
                             "a browser.")] = False,
    timeout: Annotated[int, typer.Option(
        "--timeout", metavar="SECONDS", min=1, max=3600,
        help="How long to wait for the sign-in in the browser.")] = 300,
    allow_http: Annotated[bool, typer.Option(
        "--allow-http", help="Allow plain http to loopback addresses (for tests); never to other hosts.")] = False,
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    json_output: Json = False,
) -> None:
    """Receive credentials from an issuer's offer (OpenID4VCI 1.0: a code, or a sign-in).

    Fetches the issuer's metadata, shows who the issuer is and which credentials it offers, and
    asks before going on (--yes in scripts). With a transaction code (tx_code) the issuer sent
    you by email or text, give it with --tx-code or type it at the hidden prompt. Your wallet
    proves it holds your key (your P-256 DID, or --did), and every credential then goes through
    the same verification as 'skillpass import': nothing is kept unless it verifies, and the
    issuer's keys are kept so it verifies offline later. Connects only to the issuer the offer
    names, over https. An offer works once.

    When the offer asks you to sign in at the issuer (the authorization code flow), skillpass
    opens your browser at the issuer's sign-in page and prints its address too (--no-browser:
    only prints it); the browser comes back to skillpass on a one-time address on this computer
    (http://127.0.0.1:PORT/callback), and skillpass waits up to --timeout seconds for it.

    \b
    Example:
      skillpass receive 'openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fcollege.example%2Foffers%2F42'
      skillpass receive https://college.example/offers/42 --tx-code 493536
      pbpaste | skillpass receive - --yes --json
      skillpass receive 'openid-credential-offer://?credential_offer_uri=...' --no-browser
    """
    from skillpass.flow.receiving import ReceiveOptions
    from skillpass.flow.receiving import receive as receive_flow
    from skillpass.i18n import preferences
    from skillpass.net.http import NetPolicy

    text = offer
    if offer == "-":
        text = sys.stdin.read(64 * 1024 + 1)
    options = ReceiveOptions(text, tx_code, did, NetPolicy(allow_http=allow_http),
                             tuple(p.split("-")[0] for p in preferences()) + ("en",), timeout)
    result = receive_flow(session(home, passphrase_file), options, now=now(),
                          confirm=lambda question: yes or _confirm(question),
                          ask_tx_code=_ask_tx_code,
                          show_authorization=lambda url: _show_authorization(url, not no_browser, timeout))
    output(result, json_output, _received_text)


def _confirm(question: dict[str, Any]) -> bool:
    from skillpass.commands.common import confirm
    from skillpass.errors import CancelledError

    if not sys.stdin.isatty():  # one line, before the preview: nothing to answer it with
        raise CancelledError("refusing to receive without confirmation", "pass --yes")
    _offer_preview(question)
    return confirm(render.t("keep these credentials if they verify?"))


def _offer_preview(question: dict[str, Any]) -> None:
    from skillpass.render.text import visible

    out = sys.stderr
    issuer = question["issuer"]
    out.write(f"\n{visible(issuer['name'])} ({visible(issuer['id'])}) {render.t('offers')}:\n")
    for credential in question["credentials"]:
        line = f"  - {visible(credential['name'])} ({visible(credential['format'])})"
        if credential.get("description"):
            line += f": {visible(credential['description'])}"
        out.write(line + "\n")
    out.write("\n")


def _show_authorization(url: str, open_browser: bool, timeout: int) -> None:
    """RFC 8252 §6: the learner's own browser; the address printed too, to open by hand."""
    from skillpass.render.text import visible

    sys.stderr.write(f"skillpass: sign in at the issuer: open this address in your browser:\n  {visible(url)}\n"
                     f"skillpass: waiting up to {timeout:g} s for the sign-in...\n")
    sys.stderr.flush()
    if open_browser:
        import webbrowser

        try:
            webbrowser.open(url, new=1)
        except webbrowser.Error:
            pass  # the printed address is enough


def _ask_tx_code(question: dict[str, Any]) -> str:
    import getpass

    from skillpass.errors import UsageError
    from skillpass.render.text import visible

    tx = question["txCode"] or {}
    if not sys.stdin.isatty():
        raise UsageError("this offer needs the transaction code the issuer sent you",
                         "give it with --tx-code CODE")
    what = visible(tx.get("description") or "transaction code")
    if tx.get("length"):
        what += f" ({tx['length']} {'digits' if tx.get('inputMode') == 'numeric' else 'characters'})"
    code = getpass.getpass(f"skillpass: {what}: ", stream=sys.stderr).strip()
    if not code:
        raise UsageError("no transaction code given", "give it with --tx-code CODE")
    return code


def _received_text(result: dict[str, Any]) -> None:
    from skillpass.render.text import tsv_cell

    keys = ("status", "id", "title", "format")
    if not sys.stdout.isatty():
        sys.stdout.write("\t".join(keys) + "\n")
    for row in result["received"]:
        if sys.stdout.isatty():
            render.note(f"{render.t(row['status'])} {row.get('id', '')} {row.get('title') or ''} ({row['format']})"
                        f" {render.t('from')} {result['issuer']['name']}")
        else:
            sys.stdout.write("\t".join(tsv_cell(row.get(k) or "") for k in keys) + "\n")
