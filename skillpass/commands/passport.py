"""The skills passport (passport) and the name it is headed with (profile); the filters `list`
shares with it."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from skillpass import flow
from skillpass.commands.common import Home, Json, PassphraseFile, output, session

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
    the credentials that prove it; then your achievements in time order, your issuers and totals
    (of credits and hours, leaving out revoked or suspended credentials).

    The same skill from several credentials is one line (same URL or code, or the same name in
    a framework, case and accents aside). Filters narrow what is shown; --json prints one
    document (its schema: skillpass/passport/passport.schema.json).

    --html writes one self-contained page (nothing fetched, printable); --pdf prints it with
    Chromium; --signed embeds a presentation signed by you of the page's valid W3C
    credentials about you, revealing only what the page shows where the proof allows, which an
    employer checks with 'skillpass verify PAGE'.

    \b
    Example:
      skillpass passport
      skillpass passport --framework esco --status valid
      skillpass passport --lang fr --html passeport.html
      skillpass passport --signed --html passport.html --pdf passport.pdf
      skillpass passport --json > passport.json
    """
    from skillpass.fastcli.rows import PassportArgs, passport_command

    status_code = passport_command(PassportArgs(skill, issuer, framework, since, status, lang, html, pdf, signed, force,
                                                home, passphrase_file, json_output))
    if status_code:
        raise typer.Exit(status_code)


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
    from skillpass.i18n import colon

    result = flow.profile(session(home, passphrase_file), name, clear)
    output(result, json_output, lambda r: render.note(
        f"{render.t('Name')}{colon()}{r['name']}" if r["name"] else
        render.t("no name set; set one with 'skillpass profile --name NAME'")))
