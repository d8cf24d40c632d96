"""The command line: the app built from the command groups in skillpass/commands/, and `run`,
which maps every outcome to an exit status and one stderr line. Nothing else.

Heavy libraries (cryptography, pyld, qrcode, keyring, sqlite) are imported by the flow a command
runs, never here, so `skillpass --help` stays fast.
"""


import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from skillpass import __version__
from skillpass.commands import agent, credentials, demo, issue, material, passport, receive, sharing, status, verifying, wallet
from skillpass.errors import ExitStatus, SkillpassError
from skillpass.outcome import fail, guarded

try:  # typer >= 0.26 vendors click; its usage errors derive from typer.TyperException
    from typer import Abort, Exit
    from typer import TyperException as ClickException
except ImportError:  # pragma: no cover - older typer with click as a dependency
    from click.exceptions import Abort, ClickException, Exit  # type: ignore[no-redef]

app = typer.Typer(
    name="skillpass",
    add_completion=True,  # --install-completion, --show-completion (bash, zsh, fish)
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"skillpass {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Your digital skills passport: keep verifiable credentials encrypted on this machine,
    see them, and share exactly what you choose.

    \b
    Every command takes --home DIR (or $SKILLPASS_HOME) and, where it prints, --json.
    Add --debug anywhere to see a traceback when something fails.

    \b
    Example:
      skillpass demo
      skillpass init
      skillpass import badge.json
      skillpass share ID --reveal credentialSubject.achievement.name --challenge NONCE
    """


# In the order `skillpass --help` lists them (skillpass/help.txt): the learner's path, the
# verifier's, the demo; then the groups.
_COMMANDS = (("init", wallet.init), ("did", wallet.did), ("profile", passport.profile),
             ("list", credentials.list_), ("passport", passport.passport),
             ("show", credentials.show), ("remove", credentials.remove), ("backup", wallet.backup),
             ("restore", wallet.restore), ("passphrase", wallet.passphrase),
             ("unlock", agent.unlock), ("lock", agent.lock),
             ("import", credentials.import_), ("receive", receive.receive), ("share", sharing.share),
             ("history", sharing.history), ("verify", verifying.verify), ("demo", demo.demo), ("issue", issue.issue))
for name, command in _COMMANDS:
    app.command(name)(command)
app.add_typer(material.contexts_app, name="contexts")
app.add_typer(material.dids_app, name="dids")
app.add_typer(verifying.trust_app, name="trust")
app.add_typer(status.status_app, name="status")


# typer turns a KeyboardInterrupt inside a command into exit code 130 (returned, not raised);
# skillpass's own codes stop at 13
_TYPER_CTRL_C = 130


def run(args: list[str], debug: bool = False,
        errors: Callable[[SkillpassError], None] | None = None) -> int:
    """Run the CLI and map every outcome to a documented exit status and one stderr line;
    `errors` (tests) also hears the error itself, for its code."""
    def command() -> int:
        tree = typer.main.get_command(app)
        _speak_click(tree)
        try:
            result = tree.main(args or ["--help"], prog_name="skillpass", standalone_mode=False)
        except Exit as exc:
            return exc.exit_code
        except ClickException as exc:
            if _is_bare_group(exc):
                sys.stdout.write(exc.format_message() + "\n")  # the group's help: its subcommands
                return ExitStatus.USAGE
            message = exc.format_message().rstrip(".")
            return fail(message[:1].lower() + message[1:], "see 'skillpass --help'", ExitStatus.USAGE, debug)
        except Abort:
            raise KeyboardInterrupt from None
        if result == _TYPER_CTRL_C:
            raise KeyboardInterrupt
        return result if isinstance(result, int) else ExitStatus.OK

    return guarded(command, debug, errors)


def _speak_click(command: Any) -> None:
    """In French, the help of the command tree from the catalog (msgid: the English exactly as
    click holds it), and click's own strings: typer.core asks gettext.gettext for its section
    titles, so the catalog is made the gettext domain; the usage prefix and the help option's
    help are literals in typer's click, set here."""
    import gettext
    import os

    from skillpass import i18n

    if i18n.language() != "fr":
        if gettext.textdomain() == i18n.DOMAIN:  # an earlier French run in this process
            gettext.textdomain("messages")
            _french_formatter(None)
        return
    gettext.bindtextdomain(i18n.DOMAIN, str(i18n.LOCALEDIR))
    gettext.textdomain(i18n.DOMAIN)
    os.environ["LANGUAGE"] = "fr"  # what gettext.gettext reads to pick the catalog's language
    _translate_tree(command, i18n._)
    _french_formatter(i18n._("Usage: "))


def _translate_tree(command: Any, translate: Callable[[str], str]) -> None:
    """Each help, short help and parameter help of `command` and its subcommands, translated."""
    from typer._click.core import Context

    for attribute in ("help", "short_help"):
        if getattr(command, attribute, None):
            setattr(command, attribute, translate(getattr(command, attribute)))
    help_option = command.get_help_option(Context(command, help_option_names=["-h", "--help"]))
    for param in [*command.params, *([help_option] if help_option is not None else [])]:
        if getattr(param, "help", None):
            param.help = translate(param.help)
    for sub in getattr(command, "commands", {}).values():
        _translate_tree(sub, translate)


def _french_formatter(usage_prefix: str | None) -> None:
    """Click's usage prefix and section headings ('Options:') are literals: in French, the
    prefix from the catalog and a space before the colon; None puts click's own back."""
    from typer._click.formatting import HelpFormatter

    original = _ORIGINAL_FORMATTER.setdefault("methods", (HelpFormatter.write_usage, HelpFormatter.write_heading))
    if usage_prefix is None:
        HelpFormatter.write_usage, HelpFormatter.write_heading = original  # type: ignore[method-assign]
        return
    write_usage = original[0]

    def french_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, usage_prefix if prefix is None else prefix)

    def french_heading(self: Any, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading} :\n")

    HelpFormatter.write_usage, HelpFormatter.write_heading = french_usage, french_heading  # type: ignore[method-assign]


_ORIGINAL_FORMATTER: dict[str, Any] = {}


def _is_bare_group(exc: Exception) -> bool:
    """`skillpass trust` with no subcommand (click's NoArgsIsHelpError)."""
    return type(exc).__name__ == "NoArgsIsHelpError"
