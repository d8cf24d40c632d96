"""The key once per session: unlock, lock."""

from typing import Annotated, Any

import typer

from skillpass import render
from skillpass.commands.common import Home, Json, PassphraseFile, now, output, session


def unlock(
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    timeout: Annotated[str, typer.Option(
        "--timeout", metavar="DURATION",
        help="How long the wallet stays unlocked: 30s, 15m, 2h (at most 24h).")] = "15m",
    status: Annotated[bool, typer.Option(
        "--status", help="Only say whether the wallet is unlocked, and until when.")] = False,
    json_output: Json = False,
) -> None:
    """Unlock the wallet once: later commands need no passphrase until the timeout or 'skillpass lock'.

    The passphrase is asked once (or read from --passphrase-file, $SKILLPASS_PASSPHRASE or the
    OS keyring); the wallet's key then stays in the memory of a small agent process of yours,
    never on disk. A passphrase given to a command is still used by that command. Running
    unlock again asks for the passphrase again and starts a new timeout.

    \b
    Example:
      skillpass unlock
      skillpass unlock --timeout 2h
      skillpass unlock --status
    """
    from skillpass.flow import agent

    if status:
        output(agent.unlock_status(session(home, None)), json_output, _status)
        return
    seconds = agent.parse_timeout(timeout)
    output(agent.unlock(session(home, passphrase_file), seconds, now()), json_output, _unlocked)


def _unlocked(result: dict[str, Any]) -> None:
    render.note(f"the wallet in {result['home']} stays unlocked until {result['until']} "
                "('skillpass lock' locks it sooner)")


def _status(result: dict[str, Any]) -> None:
    from skillpass.flow import agent

    state = result["state"]
    if state == "unlocked":
        render.note(f"the wallet in {result['home']} is unlocked until {result['until']}")
    elif state == "not_answering" and agent.lock_ends(result["pid"]):
        render.note(f"the wallet in {result['home']} has an unlock agent (pid {result['pid']}) that does not "
                    "answer: 'skillpass lock' ends it")
    elif state == "not_answering":  # what lock says of it too
        render.note(f"the wallet in {result['home']} is locked: a process (pid {result['pid']}) that is not "
                    f"skillpass's unlock agent listens on its socket and does not answer; end it with "
                    f"'kill -9 {result['pid']}' if it is yours to end")
    elif state == "other_wallet":
        render.note(f"the wallet in {result['home']} is locked: its unlock agent holds the key of another "
                    "wallet (restored since?); run 'skillpass unlock' again")
    else:
        render.note(f"the wallet in {result['home']} is locked: no unlock agent holds its key "
                    f"(looked in {result['runtime_dir']})")


def lock(home: Home = None, json_output: Json = False) -> None:
    """Lock the wallet again: the unlock agent forgets the key and exits.

    Without an agent running, says so (and where it looked) and exits 0. An agent that
    does not answer is ended when it is yours; otherwise lock fails naming its pid.

    \b
    Example:
      skillpass lock
    """
    from skillpass.flow import agent

    output(agent.lock(session(home, None)), json_output, _locked)


def _locked(result: dict[str, Any]) -> None:
    if result["how"] == "asked":
        render.note(f"locked the wallet in {result['home']}: the unlock agent forgot its key")
    elif result["how"] == "killed":
        render.note(f"locked the wallet in {result['home']}: its unlock agent (pid {result['pid']}) did not "
                    "answer and was ended")
    else:
        render.note(f"no unlock agent was running for the wallet in {result['home']} "
                    f"(looked in {result['runtime_dir']})")
