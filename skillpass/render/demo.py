"""`skillpass demo` as a room reads it: each step's numbered title (never cut: it wraps), its
narration in a line or two, then what happened, compactly, in the terminal's width (80 columns
is enough). Every word through `_()`; every value from outside through `visible`."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from typing import Any

from skillpass.i18n import _, colon, language
from skillpass.render.text import visible

INDENT = 3
_DID = re.compile(r"did:key:[A-Za-z0-9]+(#[A-Za-z0-9]+)?")
_REVEALED = ("/credentialSubject/achievement/name", "/credentialSubject/achievement/alignment/0",
             "/credentialSubject/creditsEarned")
_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)
STATUS_STYLE = {"valid": "green", "revoked": "red", "expired": "red", "imported": "green", "rejected": "red"}


def demo_step(step: Any) -> None:
    """One step of `skillpass demo`, as it happens."""
    from rich.padding import Padding
    from rich.text import Text

    console = _console()
    number = step.title.split(".", 1)[0]
    with console.capture() as captured:
        console.print()
        title = Text(visible(_(step.title)), style="bold")
        console.print(title)
        console.print("─" * min(console.width, title.cell_len), style="dim")
        console.print(Padding(Text(visible(_(step.narration)), style="italic"), (0, 0, 0, INDENT)))
        lines = DETAILS.get(number, lambda detail: [])(step.detail)
        if lines:
            console.print(Padding(_grid(lines), (0, 0, 0, INDENT)))
    _write(captured.get())
    if step.qr is not None:
        _draw_qr(step.qr, step.detail["qr"])


def demo_end(result: dict[str, Any]) -> None:
    """Where the demo wallet is, or that it was removed."""
    from skillpass import render

    if result["home"] is None:
        # short enough for the 80 columns the demo promises, in French too
        render.note(_("the demo wallet was removed, nothing left; --keep-in DIR keeps it"))
        return
    render.note(_("the demo wallet is in {home}").format(home=result["home"]))
    if result.get("passphraseFile"):
        render.note(_("its passphrase is in {file}").format(file=result["passphraseFile"]))
    if result.get("readme"):
        render.note(_("commands to try next: {file}").format(file=result["readme"]))


def wait_for_enter() -> None:
    """--step: the presenter's pause between steps."""
    sys.stderr.write(visible(_("Press Enter for the next step…")) + " ")
    sys.stderr.flush()
    sys.stdin.readline()


# -- the lines of each step: (label, value, style) -------------------------------------------------

Line = tuple[str, str, str]


def _wallet(detail: dict[str, Any]) -> list[Line]:
    return [(_("learner's DID"), short(detail["holder"]), "bold"),
            (_("keys"), ", ".join(detail["keyTypes"]) + " — " + _("no keyring, no network"), "")]


def _issued(detail: dict[str, Any]) -> list[Line]:
    lines: list[Line] = []
    for issuer in detail["issuers"]:
        dids = ", ".join(short(did) for did in issuer["dids"])
        lines.append((_("issuer"), f"{issuer['name']} {_('(demo)')}{colon()}{dids}", "bold"))
        for item in (i for i in detail["issued"] if i["issuer"] == issuer["name"]):
            lines.append((_format(item), f"{name_of(item)} — {_facts(item)}", ""))
    return lines


def _imported(detail: dict[str, Any]) -> list[Line]:
    document = detail["didDocument"]
    lines: list[Line] = [(_("DID document"), _("kept: {did} ({count} keys)").format(
        did=document["id"], count=document["verificationMethods"]), "")]
    refused = {o["source"] for o in detail["refusedFirst"]}
    for outcome in detail["imported"]:
        how = _("refused, then kept with --allow-expired") if outcome["source"] in refused else _("imported")
        lines.append((_(outcome["state"]) if outcome["state"] else "", f"{name_of(outcome)} — {how}",
                      STATUS_STYLE.get(outcome["state"], "yellow")))
    lines.append(("", _("each is labelled: issued by a skillpass test issuer, for testing only"), "dim"))
    return lines


def _revoked(detail: dict[str, Any]) -> list[Line]:
    kept = detail["statusList"]
    lines: list[Line] = [(_("status list"), f"{kept['url']} ({short(kept['issuer'])})", ""),
                         (_("revoked"), str(kept["revoked"]), "red")]
    for row in detail["credentials"]:
        lines.append((_(row["status"]), name_of(row), STATUS_STYLE.get(row["status"], "yellow")))
    return lines


def _passport(detail: dict[str, Any]) -> list[Line]:
    counts = detail["counts"]
    summary = _("{credentials} credentials — valid: {valid}, revoked: {revoked}, expired: {expired}; "
                "skills: {skills}").format(**{k: number(counts[k]) for k in
                                            ("credentials", "valid", "revoked", "expired", "skills")})
    lines: list[Line] = [(_("in all"), summary, "bold")]
    for framework in detail["frameworks"]:
        named = {s["framework"] for s in framework["skills"] if s["framework"]} - {framework["name"]}
        label = named.pop() if len(named) == 1 else _(framework["name"])  # the issuer's own framework, by name
        skills = ", ".join(s["name"] + (f" ×{s['credentials']}" if s["credentials"] > 1 else "")
                           for s in framework["skills"])
        lines.append((label, skills, ""))
    return lines


def _shared(detail: dict[str, Any]) -> list[Line]:
    qr = detail["qr"]
    return [(_("challenge"), f"{detail['challenge']}, {_('domain')} {detail['domain']}", ""),
            (_("revealed"), ", ".join(_field_names()[field] for field in detail["revealed"]), "green"),
            (_("kept private"), ", ".join(_hidden_names()[hidden] for hidden in detail["hidden"]), ""),
            (_("signed by"), f"{short(detail['holder'])} ({detail['suite']})", ""),
            (_("file"), detail["file"], ""),
            (_("QR code"), _("version {version}, {characters} characters (VPQR)").format(
                version=qr["version"], characters=number(qr["characters"])), "")]


def _verified(detail: dict[str, Any]) -> list[Line]:
    from skillpass.render.verification import value_text

    style = "green" if detail["outcome"] == "verified" else "red"
    lines: list[Line] = [(_("outcome"), _(detail["outcome"]).upper(), f"bold {style}")]
    if detail["outcome"] == "verified":
        found = {d["path"]: value_text(d["value"]) for d in detail["disclosed"]}
        skill = _REVEALED[1]
        for label, value in ((_("the course name"), found.get(_REVEALED[0])),
                             (_("its main skill"), found.get(f"{skill}/targetName", "") + (
                                 f" ({found[f'{skill}/targetFramework']})" if f"{skill}/targetFramework" in found
                                 else "")),
                             (_("the credits"), found.get(_REVEALED[2]))):
            lines.append((label, number_text(value or ""), "green"))
        if "/issuer/name" in found:
            lines.append((_("always shown"), f"{_('issuer')}{colon()}{found['/issuer/name']}", "dim"))
    from skillpass.i18n import translate_message

    lines += [(_("failed"), short_dids(f"{translate_message(failure['check'])}{colon()}"
                                       f"{translate_message(failure['detail'])}"), "red")
              for failure in detail["failed"]]
    return lines


def _altered(detail: dict[str, Any]) -> list[Line]:
    return [(_("file"), detail["file"], ""), *_verified(detail)]


DETAILS: dict[str, Callable[[dict[str, Any]], list[Line]]] = {
    "1": _wallet, "2": _issued, "3": _imported, "4": _revoked, "5": _passport, "6": _shared, "7": _verified,
    "8": _altered}


def _field_names() -> dict[str, str]:
    return {"credentialSubject.achievement.name": _("the course name"),
            "credentialSubject.achievement.alignment[0]": _("its main skill"),
            "credentialSubject.creditsEarned": _("the credits")}


def _hidden_names() -> dict[str, str]:
    return {"the grade": _("the grade"), "the description": _("the description"), "the hours": _("the hours"),
            "two of the three skills": _("two of the three skills")}


# -- helpers ---------------------------------------------------------------------------------------


def name_of(item: dict[str, Any]) -> str:
    return item["nameFr"] if language() == "fr" else item["name"]


def _format(item: dict[str, Any]) -> str:
    return {"dc+sd-jwt": "SD-JWT VC", "mattr-cwt": "MATTR CWT"}.get(item["format"], item["suite"])


def _facts(item: dict[str, Any]) -> str:
    credits = item["credits"]
    one = credits < 2 if language() == "fr" else credits == 1
    facts = [f"{item['hours']} h", (_("{credits} credit") if one else _("{credits} credits")).format(
        credits=number(credits))]
    if item["expired"]:
        facts.append(_("expired"))
    if item["statusEntry"]:
        facts.append(_("revocable"))
    return ", ".join(facts)


def number_text(text: str) -> str:
    """A number the verifier reports as text ('1.5'), written the language's way."""
    return number(float(text)) if re.fullmatch(r"\d+\.\d+", text) else text


def number(value: float) -> str:
    """1.5 as '1.5' or '1,5'; 6.0 as '6'."""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text.replace(".", ",") if language() == "fr" else text


def short(did: str) -> str:
    """A did:key cut to fit a line (its start and end, as people compare them); others whole."""
    if did.startswith("did:key:") and len(did) > 24:
        return f"{did[:16]}…{did[-6:]}"
    return did


def short_dids(text: str) -> str:
    """Every did:key in `text` (with its fragment) cut as `short` cuts it."""
    return _DID.sub(lambda match: short(match.group(0).split("#")[0]), text)


def _grid(lines: list[Line]) -> Any:
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=False, max_width=24)
    grid.add_column(overflow="fold")
    for label, value, style in lines:
        grid.add_row(Text(visible(label), style="bold" if label else ""),
                     Text(visible(value), style=style))
    return grid


def _write(text: str) -> None:
    """`text` without the spaces rich pads each line with (before any closing escape code)."""
    sys.stdout.write(_TRAILING.sub(r"\1", text))
    sys.stdout.flush()


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False, emoji=False)


def _draw_qr(symbol: Any, qr: dict[str, Any]) -> None:
    """The code in the terminal when it is wide enough; else what to do to see it."""
    import os

    from skillpass.qr import code

    columns = shutil.get_terminal_size().columns
    if qr["columns"] > columns:
        from rich.padding import Padding
        from rich.text import Text

        why = _("The QR code is {width} columns wide, this terminal {columns}: widen it or zoom out to see "
                "it drawn (--keep-in DIR keeps it as a PNG image).").format(width=qr["columns"], columns=columns)
        console = _console()
        with console.capture() as captured:
            console.print(Padding(Text(visible(why), style="yellow"), (0, 0, 0, INDENT)))
        _write(captured.get())
        return
    tty = sys.stdout.isatty()
    dark = code.dark_background_from_env() if tty and not os.environ.get("NO_COLOR") else (
        code.dark_background_from_env() or False)
    sys.stdout.flush()
    sys.stdout.write(code.terminal(symbol, dark_background=dark))
    sys.stdout.flush()
