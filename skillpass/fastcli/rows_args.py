"""`skillpass list` and `skillpass passport`'s command lines, parsed without click: exactly the
forms their typer commands (skillpass/commands/credentials.py, passport.py) document, or None so
that typer answers. tests/test_list_fast.py keeps the tables equal to the typer parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from skillpass.fastcli.args import parse_options

# the filters both commands take, and the options every wallet command takes
_FILTERS: dict[str, tuple[str, str]] = {
    "--skill": ("skill", "value"), "--issuer": ("issuer", "value"), "--framework": ("framework", "value"),
    "--since": ("since", "value"), "--status": ("status", "value"),
}
_WALLET: dict[str, tuple[str, str]] = {
    "--home": ("home", "value"), "--passphrase-file": ("passphrase_file", "value"),
    "--json": ("json_output", "flag"),
}
LIST_OPTIONS: dict[str, tuple[str, str]] = {
    **_FILTERS, "--search": ("search", "value"), "--sort": ("sort", "value"), **_WALLET,
}
PASSPORT_OPTIONS: dict[str, tuple[str, str]] = {
    **_FILTERS, "--lang": ("lang", "value"), "--html": ("html", "value"), "--pdf": ("pdf", "value"),
    "--signed": ("signed", "flag"), "--force": ("force", "flag"), **_WALLET,
}
_PATHS = ("home", "passphrase_file", "html", "pdf")


@dataclass(frozen=True)
class ListArgs:
    """What `skillpass list` was asked, whichever parser read it."""

    skill: str | None = None
    issuer: str | None = None
    framework: str | None = None
    since: str | None = None
    status: str | None = None
    search: str | None = None
    sort: str = "issued"
    home: Path | None = None
    passphrase_file: Path | None = None
    json_output: bool = False


@dataclass(frozen=True)
class PassportArgs:
    """What `skillpass passport` was asked, whichever parser read it."""

    skill: str | None = None
    issuer: str | None = None
    framework: str | None = None
    since: str | None = None
    status: str | None = None
    lang: str | None = None
    html: Path | None = None
    pdf: Path | None = None
    signed: bool = False
    force: bool = False
    home: Path | None = None
    passphrase_file: Path | None = None
    json_output: bool = False


def parse_list(args: list[str]) -> ListArgs | None:
    """The arguments after `list`, or None when anything in them is not an ordinary form."""
    parsed = parse_options(args, LIST_OPTIONS)
    if parsed is None or parsed.positional:
        return None  # click's "Got unexpected extra argument"
    return ListArgs(**parsed.as_paths(_PATHS).values)


def parse_passport(args: list[str]) -> PassportArgs | None:
    """The arguments after `passport`, or None when anything in them is not an ordinary form."""
    parsed = parse_options(args, PASSPORT_OPTIONS)
    if parsed is None or parsed.positional:
        return None
    return PassportArgs(**parsed.as_paths(_PATHS).values)
