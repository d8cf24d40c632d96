"""The wallet itself: init, did, passphrase, backup, restore."""

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from skillpass import flow, render
from skillpass.commands.common import Home, Json, PassphraseFile, now, output, session
from skillpass.errors import ExitStatus


def init(
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    keyring: Annotated[bool, typer.Option(
        "--keyring", help="Keep a random key in the OS keyring, so no passphrase is asked.")] = False,
    json_output: Json = False,
) -> None:
    """Create a new encrypted wallet and the holder's identity (Ed25519 and P-256 did:key).

    Refuses to touch a wallet that already exists.

    \b
    Example:
      skillpass init
      skillpass init --home /tmp/test-wallet --passphrase-file pass.txt
    """
    output(flow.init_wallet(session(home, passphrase_file), use_keyring=keyring), json_output, _created)


def _created(result: dict[str, Any]) -> None:
    render.note(f"created a wallet in {result['home']}")
    render.dids_table(result["dids"])


def did(home: Home = None, passphrase_file: PassphraseFile = None, json_output: Json = False) -> None:
    """Show the holder's DIDs: the identities credentials are issued to and presentations signed by.

    \b
    Example:
      skillpass did
      skillpass did --json
    """
    output(flow.holder_dids(session(home, passphrase_file)), json_output, render.dids_table)


def backup(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the encrypted backup ('-' for stdout).")],
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    backup_passphrase_file: Annotated[Optional[Path], typer.Option(
        "--backup-passphrase-file", metavar="FILE",
        help="Protect the backup with this passphrase instead of the wallet's.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
    json_output: Json = False,
) -> None:
    """Write the whole wallet to one encrypted file, restorable on another machine.

    The backup is protected by the wallet's passphrase unless --backup-passphrase-file
    gives another one.

    \b
    Example:
      skillpass backup ~/skillpass-backup.json
      skillpass backup - | ssh laptop skillpass restore - --backup-passphrase-file pass.txt
    """
    from skillpass.wallet.wallet import utc_now

    if json_output and str(file) == "-":
        from skillpass.errors import UsageError

        raise UsageError("--json and a backup to - would both write to stdout", "give the backup a file name")
    result = flow.backup_wallet(session(home, passphrase_file), file, backup_passphrase_file,
                                overwrite=force, created=utc_now())
    output(result, json_output, lambda r: render.note(f"wrote {r['records']} records to {r['file']}"))


def restore(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A file written by 'skillpass backup' ('-' for stdin).")],
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    backup_passphrase_file: Annotated[Optional[Path], typer.Option(
        "--backup-passphrase-file", metavar="FILE",
        help="The backup's passphrase, when it differs from the wallet's.")] = None,
    merge_keys: Annotated[bool, typer.Option(
        "--merge-keys", help="Also add the holder keys of another wallet's backup (private keys).")] = False,
    json_output: Json = False,
) -> None:
    """Restore a backup: into an empty home (the wallet keeps the backup's passphrase),
    or merged into the existing wallet without duplicates. Every credential is verified
    again; one that fails is not restored, and the command exits 9. Holder keys of
    another wallet are merged only with --merge-keys.

    \b
    Example:
      skillpass restore ~/skillpass-backup.json --home ~/new-wallet
    """
    result = flow.restore_wallet(session(home, passphrase_file), file, backup_passphrase_file,
                                 now=now(), merge_keys=merge_keys)
    output(result, json_output, _restored)
    if result["refused"]:
        raise typer.Exit(ExitStatus.INVALID)


def _restored(result: dict[str, Any]) -> None:
    """What a restore did, each count with its own word ('1 credential restored', French
    '1 attestation restaurée'), each refusal with its reason in the learner's language."""
    from skillpass.i18n import colon, counted, translate_message

    count = result["added"].get("credential", 0)
    if result["merged"]:
        done = counted(count, "credential merged into", "credentials merged into")
    else:
        done = counted(count, "credential restored to", "credentials restored to")
    render.note(f"{count} {done} {result['home']}")
    for refused in result["refused"]:
        render.note(f"{counted(1, 'not restored', 'not restored')} {refused['id']}{colon()}"
                    f"{translate_message(refused['reason'])}")
    held_back = result["keysNotMerged"]
    if held_back:
        words = counted(held_back, "holder key of the other wallet not merged (pass --merge-keys)",
                        "holder keys of the other wallet not merged (pass --merge-keys)")
        render.note(f"{held_back} {words}")
    added_keys = result["added"].get("key", 0)
    if added_keys:
        render.note(f"{added_keys} {counted(added_keys, 'holder key added', 'holder keys added')}")


def passphrase(
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    new_passphrase_file: Annotated[Optional[Path], typer.Option(
        "--new-passphrase-file", metavar="FILE", help="Read the new passphrase from FILE.")] = None,
    json_output: Json = False,
) -> None:
    """Change the wallet's passphrase (only the data key is rewrapped, atomically).

    \b
    Example:
      skillpass passphrase
      skillpass passphrase --passphrase-file old.txt --new-passphrase-file new.txt
    """
    result = flow.change_passphrase(session(home, passphrase_file), new_passphrase_file)
    output(result, json_output, lambda r: render.note("passphrase changed"))
