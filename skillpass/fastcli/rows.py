"""The bodies of `skillpass list` and `skillpass passport`, shared by their typer commands and the
fast path: check the options, read the wallet's rows, print them, return the exit status.
Imports neither typer, click nor rich: both are read often, in scripts and loops.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from skillpass.fastcli.rows_args import ListArgs, PassportArgs


def list_command(args: ListArgs) -> int:
    """`skillpass list`: the rows, filtered and sorted, as JSON, TSV or a table."""
    from skillpass import render
    from skillpass.errors import UsageError
    from skillpass.flow.listing import SORTS, ListOptions, list_credentials

    if args.sort not in SORTS:
        raise UsageError(f"unknown --sort {args.sort!r}", "choose one of: " + ", ".join(SORTS))
    chosen = (args.skill, args.issuer, args.framework, args.since, args.status)
    filters = filters_of(*chosen) if any(v is not None for v in chosen) else None
    # Values in the reader's language on a terminal; as issued for --json and pipes (scripts)
    langs = _preferences() if sys.stdout.isatty() and not args.json_output else ()
    rows = list_credentials(wallet_session(args.home, args.passphrase_file), _now(), langs,
                            ListOptions(filters, args.search, args.sort))
    if args.json_output:
        render.emit_json(rows)
    else:
        render.credentials_table(rows, filtered=filters is not None or bool(args.search))
    return 0


def passport_command(args: PassportArgs) -> int:
    """`skillpass passport`: the passport as JSON, TSV or text, or written as a page (and PDF)."""
    from skillpass import flow, i18n, render

    _check_passport(args)
    if args.lang is not None:
        i18n.use_language(args.lang)
    chosen = filters_of(args.skill, args.issuer, args.framework, args.since, args.status)
    session = wallet_session(args.home, args.passphrase_file)
    # values in the reader's language for people (a terminal, a page); as issued for --json and a
    # pipe, which are for scripts and the same in every language
    for_people = not args.json_output and (args.html is not None or args.pdf is not None or sys.stdout.isatty())
    built = flow.passport(session, _now(), chosen, i18n.preferences() if for_people else ())
    if args.html is not None or args.pdf is not None:
        written = _write_pages(session, built, args)
        if args.json_output:
            render.emit_json(written)
        else:
            _written(written)
        return 0
    if args.json_output:  # as emit_json(built.to_dict()) would print it, without making its dicts
        from skillpass.passport.document_text import document_chunks

        render.emit_json_text(document_chunks(built))
        return 0
    from skillpass.render.passport import passport_view

    passport_view(dict(built.json_parts(shared=True, records=False)))  # read, never kept: no copies
    return 0


def _check_passport(args: PassportArgs) -> None:
    from skillpass.errors import UsageError

    if args.json_output and args.html is not None and str(args.html) == "-":
        raise UsageError("--html - and --json would both write to stdout", "e.g. --html passport.html")
    if args.lang not in (None, "en", "fr"):
        raise UsageError(f"unknown --lang {args.lang}", "choose en or fr")
    if args.force and args.html is None and args.pdf is None:
        raise UsageError("--force goes with --html FILE or --pdf FILE", "add --html passport.html")
    if args.signed and args.html is None and args.pdf is not None:
        raise UsageError("--signed embeds a presentation in the web page, and a PDF cannot carry it",
                         "add --html passport.html (and share that file)")
    if args.signed and args.html is None:
        raise UsageError("--signed embeds a presentation in a web page: it goes with --html FILE",
                         "add --html passport.html (and share that file)")


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


def wallet_session(home: Path | None, passphrase_file: Path | None) -> Any:
    """The flow.Session of --home (else $SKILLPASS_HOME, else the user data directory)."""
    import os

    from skillpass.flow.session import Session
    from skillpass.wallet.home import resolve_home
    from skillpass.wallet.unlock import SecretSources

    return Session(resolve_home(str(home) if home else None, os.environ), SecretSources.from_process(passphrase_file))


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _preferences() -> tuple[str, ...]:
    from skillpass.i18n import preferences

    return preferences()


def _write_pages(session: Any, built: Any, args: PassportArgs) -> dict[str, Any]:
    """Write the page (and its PDF); with --signed, the page carries the holder's presentation
    and the share is recorded once the files are written."""
    from skillpass import flow
    from skillpass.errors import UsageError
    from skillpass.files import check_targets, write_new_file
    from skillpass.render.passport_page import page
    from skillpass.render.pdf import print_to_pdf

    html, pdf, force = args.html, args.pdf, args.force
    to_stdout = html is not None and str(html) == "-"
    if to_stdout and sys.stdout.isatty() and pdf is not None:
        raise UsageError("--html - and --pdf: give the page a FILE name", "e.g. --html passport.html")
    check_targets([p for p in (html, pdf) if p is not None and str(p) != "-"], overwrite=force)
    document = built.to_dict()
    written: dict[str, Any] = {"html": None, "pdf": None, "signed": [], "holder": None, "notSigned": []}

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

    if args.signed:
        result = flow.signed_page(session, built, _now(), deliver)
        written.update(signed=list(result.signed), holder=result.holder, notSigned=list(result.not_about_holder))
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
    if result.get("notSigned"):
        ids, holder = ", ".join(result["notSigned"]), result["holder"]
        render.warning_note(f"{len(result['notSigned'])} of the page's credentials are not about {holder}: the page "
                            f"shows them, its signed presentation leaves them out ({ids})"
                            if len(result["notSigned"]) > 1 else
                            f"one of the page's credentials is not about {holder}: the page shows it, its signed "
                            f"presentation leaves it out ({ids})")
