"""The presenter's command: demo."""

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from skillpass import render
from skillpass.commands.common import Json, now, output


def demo(
    keep_in: Annotated[Optional[Path], typer.Option(
        "--keep-in", metavar="DIR",
        help="Keep the demo wallet, credentials and presentation in DIR (a new directory) to explore.")] = None,
    json_output: Json = False,
) -> None:
    """The whole story in a throwaway wallet, offline, in a few seconds.

    A fictional college issues two signed micro-credentials to a new learner; the learner
    imports them, shares only two fields with an employer, the employer verifies the
    presentation, and a presentation altered after signing is refused. Your own wallet is
    never touched.

    \b
    Example:
      skillpass demo
      skillpass demo --keep-in ~/skillpass-demo
    """
    from skillpass.demo import run_demo
    from skillpass.errors import UsageError

    if keep_in is not None and keep_in.exists() and any(keep_in.iterdir()):
        raise UsageError(f"{keep_in} is not empty", "give a new or empty directory to --keep-in")
    if keep_in is not None:
        keep_in.mkdir(parents=True, exist_ok=True, mode=0o700)
    result = run_demo(keep_in, now=now(), keep=keep_in is not None,
                      on_step=(lambda step: None) if json_output else render.demo_step)
    output(result, json_output, _kept)


def _kept(result: dict[str, Any]) -> None:
    if result["home"]:
        render.note(f"the demo wallet is in {result['home']}/wallet (passphrase in {result['home']}/passphrase.txt)")
