"""The skills passport (passport) and the name it is headed with (profile); the filters `list`
shares with it."""

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from skillpass import flow
from skillpass.commands.common import Home, Json, PassphraseFile, now, output, session

Skill = Annotated[Optional[str], typer.Option(
    "--skill", metavar="TEXT", help="Only skills (and their credentials) whose name or code has TEXT.")]
Issuer = Annotated[Optional[str], typer.Option(
    "--issuer", metavar="TEXT", help="Only credentials whose issuer's name or id has TEXT.")]
Framework = Annotated[Optional[str], typer.Option(
    "--framework", metavar="NAME",
    help="Only skills of this framework: esco, onet, noc, skills-for-success, issuer, other, or a name.")]
Since = Annotated[Optional[str], typer.Option(
    "--since", metavar="DATE", help="Only credentials valid from DATE (YYYY-MM-DD) or later.")]
Status = Annotated[Optional[str], typer.Option(
    "--status", metavar="STATUS",
    help="Only credentials with this status: valid, expired, expiring (within 90 days), not yet valid, "
         "status not checked, unverified, unknown.")]
Lang = Annotated[Optional[str], typer.Option(
    "--lang", metavar="en|fr", help="The language of the passport [default: $SKILLPASS_LANG, else the locale].")]


def filters_of(skill: str | None, issuer: str | None, framework: str | None, since: str | None,
               status: str | None) -> Any:
    """The passport.build.Filters the options name; UsageError for a value that is none."""
    from skillpass.encoding.dates import validity_bounds
    from skillpass.errors import UsageError
    from skillpass.passport.build import STATUSES, Filters

    if status is not None and status not in (*STATUSES, "expiring"):
        raise UsageError(f"unknown --status {status!r}", "choose one of: " + ", ".join((*STATUSES, "expiring")))
    start = None
    if since is not None:
        try:
            start, _ = validity_bounds(since, None)
        except ValueError:
            start = None
        if start is None:
            raise UsageError(f"--since takes a date, not {since!r}", "e.g. --since 2025-09-01")
    return Filters(skill, issuer, framework, start, status)


def passport(
    skill: Skill = None, issuer: Issuer = None, framework: Framework = None, since: Since = None,
    status: Status = None, lang: Lang = None,
    html: Annotated[Optional[Path], typer.Option(
        "--html", metavar="FILE", help="Write the passport as one self-contained web page ('-' for stdout).")] = None,
    pdf: Annotated[Optional[Path], typer.Option(
        "--pdf", metavar="FILE", help="Print that page to PDF (needs Chromium: Debian package chromium).")] = None,
    signed: Annotated[bool, typer.Option(
        "--signed", help="Embed a presentation signed by you in the page, for 'skillpass verify PAGE'.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    json_output: Json = False,
) -> None:
    """Your skills passport: every skill your credentials show, grouped by framework, each with
    the credentials that prove it; then your achievements in time order, your issuers and totals.

    The same skill from several credentials is one line (same URL or code, or the same name in
    a framework, case and accents aside). Filters narrow what is shown; --json prints one
    document (its schema: skillpass/passport/passport.schema.json).

    --html writes one self-contained page (nothing fetched, printable); --pdf prints it with
    Chromium; --signed embeds a presentation signed by you of the page's valid W3C
    credentials, revealing only what the page shows where the proof allows, which an employer
    checks with 'skillpass verify PAGE'.

    \b
    Example:
      skillpass passport
      skillpass passport --framework esco --status valid
      skillpass passport --lang fr --html passeport.html
      skillpass passport --signed --html passport.html --pdf passport.pdf
      skillpass passport --json > passport.json
    """
    from skillpass import i18n
    from skillpass.errors import UsageError
    from skillpass.render.passport import passport_view

    if json_output and html is not None and str(html) == "-":
        raise UsageError("--html - and --json would both write to stdout", "e.g. --html passport.html")
    if lang not in (None, "en", "fr"):
        raise UsageError(f"unknown --lang {lang}", "choose en or fr")
    if force and html is None and pdf is None:
        raise UsageError("--force goes with --html FILE or --pdf FILE", "add --html passport.html")
    if signed and html is None:
        raise UsageError("--signed embeds a presentation in the web page, and a PDF cannot carry it",
                         "add --html passport.html (and share that file)")
    if lang is not None:
        i18n.use_language(lang)
    chosen = filters_of(skill, issuer, framework, since, status)
    wallet_session = session(home, passphrase_file)
    built = flow.passport(wallet_session, now(), chosen, i18n.preferences() if not json_output else ())
    if html is not None or pdf is not None:
        output(_write_pages(wallet_session, built, html, pdf, signed, force), json_output, _written)
        return
    if json_output:  # as output() would print built.to_dict(), one member at a time
        from skillpass import render

        render.emit_json_members(built.json_parts(shared=True))
        return
    passport_view(dict(built.json_parts(shared=True)))  # read, never kept: no copies


def _write_pages(wallet_session: Any, built: Any, html: Path | None, pdf: Path | None, signed: bool,
                 force: bool) -> dict[str, Any]:
    """Write the page (and its PDF); with --signed, the page carries the holder's presentation
    and the share is recorded once the files are written."""
    import sys

    from skillpass.errors import UsageError
    from skillpass.files import check_targets, write_new_file
    from skillpass.render.passport_page import page
    from skillpass.render.pdf import print_to_pdf

    to_stdout = html is not None and str(html) == "-"
    if to_stdout and sys.stdout.isatty() and pdf is not None:
        raise UsageError("--html - and --pdf: give the page a FILE name", "e.g. --html passport.html")
    check_targets([p for p in (html, pdf) if p is not None and str(p) != "-"], overwrite=force)
    document = built.to_dict()
    written: dict[str, Any] = {"html": None, "pdf": None, "signed": [], "holder": None}

    def deliver(signed_page: Any = None) -> None:
        text = page(document, presentation=signed_page.presentation if signed_page else None,
                    signed_ids=signed_page.signed if signed_page else ())
        printed = print_to_pdf(text) if pdf is not None else None  # before any file: a failure writes none
        if to_stdout:
            sys.stdout.write(text)
            sys.stdout.flush()
        elif html is not None:
            write_new_file(html, text.encode("utf-8"), overwrite=force)
            written["html"] = str(html)
        if pdf is not None and printed is not None:
            write_new_file(pdf, printed, overwrite=force)
            written["pdf"] = str(pdf)

    if signed:
        result = flow.signed_page(wallet_session, built, now(), deliver)
        written.update(signed=list(result.signed), holder=result.holder)
    else:
        deliver()
    return written


def _written(result: dict[str, Any]) -> None:
    from skillpass import render

    for kind in ("html", "pdf"):
        if result.get(kind):
            render.note(f"{render.t('wrote the passport to')} {result[kind]}")
    if result["signed"]:
        count = len(result["signed"])
        render.note(f"{render.t('signed by')} {result['holder']}: {count} "
                    f"{render.t('credential') if count == 1 else render.t('credentials')}; "
                    f"{render.t('check the page with')} 'skillpass verify FILE'")


def profile(
    name: Annotated[Optional[str], typer.Option("--name", metavar="NAME", help="The name your passport shows.")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the name.")] = False,
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    json_output: Json = False,
) -> None:
    """Your profile: the name your skills passport is headed with, kept encrypted in the wallet.

    \b
    Example:
      skillpass profile --name "Ana Roy"
      skillpass profile
    """
    from skillpass import render

    result = flow.profile(session(home, passphrase_file), name, clear)
    output(result, json_output, lambda r: render.note(
        f"{render.t('Name')}: {r['name']}" if r["name"] else
        render.t("no name set; set one with 'skillpass profile --name NAME'")))
