"""README.txt of a kept demo (`--keep-in DIR`): what is there and commands to try next, in the
demo's language."""

from __future__ import annotations

import shlex
from pathlib import Path

from skillpass.i18n import _



def _files(passphrase_file: bool) -> tuple[tuple[str, str], ...]:
    return (
        ("wallet/", _("the demo wallet (six credentials)")),
        *((("passphrase.txt", _("its passphrase")),) if passphrase_file else ()),
        ("credentials/", _("the six credentials as the issuers signed them")),
        ("universite-du-nord-did.json", _("the university's did:web document")),
        ("status-list.json", _("the college's status list (one credential revoked)")),
        ("challenge.txt", _("the employer's challenge and domain")),
        ("presentation.json", _("what the learner shared (three fields)")),
        ("presentation-qr.png", _("the same presentation as a QR code")),
        ("presentation-altered.json", _("the altered presentation, refused")),
    )


def _commands() -> tuple[tuple[str, str], ...]:
    verify = "--challenge {challenge} --domain recrutement.example.ca"
    return (
        (_("List the credentials and their status:"), "list"),
        (_("Show one (its first characters are enough):"), "show ID"),
        (_("The skills passport:"), "passport"),
        (_("Verify the presentation as the employer:"), "verify {dir}/presentation.json " + verify),
        (_("The altered one is refused:"), "verify {dir}/presentation-altered.json " + verify),
        (_("Read the QR code back:"), "verify --qr {dir}/presentation-qr.png " + verify),
        (_("Share other fields:"), "share ID --reveal credentialSubject.achievement.name --challenge 1234 "
                                   "--out vp.json"),
        (_("What was shared, and with whom:"), "history"),
        (_("Issue another test credential:"), "issue --name \"First Aid\" --name-fr \"Secourisme\" "
                                              "--subject me --out first-aid.json"),
    )


def readme(home: Path, passphrase_file: str | None, base: Path) -> str:
    challenge = (base / "challenge.txt").read_text(encoding="utf-8").split()[1]
    options = f" --home {shlex.quote(str(home))}"
    if passphrase_file:
        options += f" --passphrase-file {shlex.quote(passphrase_file)}"
    lines = [_("skillpass demo: what it left here"), ""]
    lines += [f"  {name:<28} {what}" for name, what in _files(passphrase_file is not None)]
    lines += ["", _("The issuers are fictional: every credential says it comes from a test issuer."), "",
              _("Commands to try next:"), ""]
    for what, command in _commands():
        text = command.format(dir=shlex.quote(str(base)), challenge=challenge)
        needs_wallet = not text.startswith("verify")
        lines += [f"  {what}", f"    skillpass {text}{options if needs_wallet else ''}", ""]
    return "\n".join(lines)
