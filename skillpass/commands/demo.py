"""The presenter's command: demo."""

import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from skillpass.commands.common import Json, PassphraseFile, now, output


def demo(
    keep_in: Annotated[Optional[Path], typer.Option(
        "--keep-in", metavar="DIR",
        help="Keep everything in DIR (a new or empty directory): the wallet and its passphrase, the "
             "credentials, the status list, the challenge, the presentation, the altered one, the QR "
             "code and a README.txt of commands to try next.")] = None,
    home: Annotated[Optional[Path], typer.Option(
        "--home", metavar="DIR", show_default=False,
        help="Make the demo wallet in DIR (a new wallet home) instead of a throwaway one.")] = None,
    step: Annotated[bool, typer.Option(
        "--step", help="Wait for Enter between steps, for a live presentation (needs a terminal).")] = False,
    passphrase_file: PassphraseFile = None,
    json_output: Json = False,
) -> None:
    """The whole story in a new wallet, offline, in a few seconds.

    A fictional Ontario college and university issue six bilingual micro-credentials in five
    formats (ecdsa-sd-2023, eddsa-rdfc-2022, Ed25519Signature2020, an SD-JWT VC, a MATTR
    compact credential; one expired, one later revoked) with skillpass's test issuer; the
    learner imports them, keeps the college's status list, sees the skills passport, shares
    three fields with an employer as a QR code and a file; the employer verifies them, and a
    presentation altered after signing is refused. Nothing is faked and nothing goes on the
    network; your own wallet is never touched. Without --keep-in or --home, everything is
    removed at the end. --lang fr tells it in French.

    \b
    Example:
      skillpass demo
      skillpass demo --lang fr --step
      skillpass demo --keep-in ~/skillpass-demo
    """
    from skillpass.demo import DemoPlace, run_demo
    from skillpass.errors import UsageError
    from skillpass.render.demo import demo_step, wait_for_enter

    if step and json_output:
        raise UsageError("--step does not go with --json", "leave out --step to get the story as data")
    if step and not sys.stdin.isatty():
        raise UsageError("--step waits for Enter, and there is no terminal to read it from",
                         "run it in a terminal, or leave out --step")
    for option, directory in (("--keep-in", keep_in), ("--home", home)):
        if directory is not None and directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
            raise UsageError(f"{option} {directory} is not a new or empty directory",
                             f"give {option} a new or empty directory")
    kept = keep_in is not None or home is not None
    if passphrase_file is not None and not kept:
        raise UsageError("--passphrase-file is for a demo wallet that is kept",
                         "add --keep-in DIR or --home DIR, or leave it out")
    if keep_in is not None:
        keep_in.mkdir(parents=True, exist_ok=True, mode=0o700)
    place = DemoPlace(keep_in, home, _given(passphrase_file) if kept else None)
    shown = [0]

    def on_step(this: Any) -> None:
        if json_output:
            return
        if step and shown[0]:
            wait_for_enter()
        demo_step(this)
        shown[0] += 1

    result = run_demo(place, now=now(), on_step=on_step)
    output(result, json_output, _ended)


def _given(passphrase_file: Optional[Path]) -> Any:
    """For a kept demo wallet: where the passphrase the user gave comes from (--passphrase-file,
    SKILLPASS_PASSPHRASE), else None (the demo makes one and writes it in passphrase.txt)."""
    from skillpass.wallet.unlock import SecretSources

    sources = SecretSources.from_process(passphrase_file)
    return sources if sources.given_passphrase() is not None else None


def _ended(result: dict[str, Any]) -> None:
    from skillpass.render.demo import demo_end

    demo_end(result)
