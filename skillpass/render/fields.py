"""`show --fields`, the interactive picker, the preview before a share and the summary after it
(on stderr, but for `show --fields`): every field a verifier will see, and what goes out beside
them."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from skillpass.i18n import _
from skillpass.render import _styled, input_line, note
from skillpass.render.table import Column, write
from skillpass.render.text import visible

# Why a field always goes out, in the "Always" column: the issuer made it mandatory, it binds
# the credential to the holder, every verifier requires it, or it is the id of an object a
# revealed field is in. Whole-only credentials: all of it.
_WHY = {"issuer": "issuer", "holder binding": "holder binding", "required": "required", "whole": "",
        "identifier": "identifier"}


def fields_table(listing: dict[str, Any], *, out: TextIO | None = None) -> None:
    from skillpass.i18n import colon

    out = out or sys.stdout
    if out.isatty():
        if listing["selective"]:
            out.write(f"{visible(listing['suite'])}{colon()}"
                      f"{_('you choose what to reveal; mandatory fields are always revealed.')}\n")
        else:
            from skillpass.i18n import translate_message

            out.write(_styled("yellow", visible(translate_message(listing["reason"])), out) + "\n")
        from skillpass.present.labels import for_reader

        together = any(f.get("together") for f in listing["fields"])  # a column only when an issuer grouped some
        cells = [[str(n), f["path"], for_reader(f["label"]), f["value"], _(_WHY.get(f.get("why") or "", ""))]
                 + ([", ".join(f.get("together") or ())] if together else [])
                 for n, f in enumerate(listing["fields"], 1)]
        write([Column("n", "#", atomic=True), Column("path", _("Field"), atomic=True),
               Column("label", _("Label")), Column("value", _("Value")),
               Column("why", _("Always"), atomic=True)]
              + ([Column("together", _("Goes out with"))] if together else []), cells, out=out)
        return
    if not listing["selective"]:
        note(listing["reason"])
    write([Column(k, k) for k in ("path", "pointer", "label", "value", "mandatory", "why", "together")],
          [[f["path"], f["pointer"], f["label"], f["value"], str(f["mandatory"]).lower(),
            f.get("why") or "", ",".join(f.get("together") or ())] for f in listing["fields"]], out=out)


def pick_fields(listing: dict[str, Any]) -> list[str] | None:
    """The interactive picker: numbers (or 'all') for one credential's fields; None cancels."""
    fields_table(listing, out=sys.stderr)
    if not listing["selective"]:
        answer = input_line(_("share this credential whole? [y/N] "))
        return [f["pointer"] for f in listing["fields"]] if answer.lower() in ("y", "yes", "o", "oui") else None
    while True:
        answer = input_line(_("fields to reveal (numbers like 1,3-5, 'all', or empty to cancel): "))
        if not answer:
            return None
        if answer.lower() in ("all", "tout"):
            return [f["pointer"] for f in listing["fields"]]
        chosen = _numbers(answer, len(listing["fields"]))
        if chosen is not None:
            return [listing["fields"][n - 1]["pointer"] for n in chosen]
        note(_("type field numbers from the table, such as 2,4-6"))


def _numbers(answer: str, count: int) -> list[int] | None:
    chosen: list[int] = []
    for part in answer.replace(" ", "").split(","):
        low, _sep, high = part.partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            return None
        span = range(int(low), int(high or low) + 1)
        if not span or span.start < 1 or span.stop - 1 > count:
            return None
        chosen += [n for n in span if n not in chosen]
    return chosen


def preview(question: dict[str, Any]) -> None:
    """Every field the verifier will see, before anything is signed (on stderr)."""
    out = sys.stderr
    out.write(f"\n{_('the verifier will see')} ({_('signed by')} {visible(question['holder'])}"
              + (f", {_('challenge')} {visible(question['challenge'])}" if question.get("challenge") else "")
              + (f", {_('domain')} {visible(question['domain'])}" if question.get("domain") else "")
              + "):\n")
    _shared_fields(question["credentials"], out)


def share_summary(result: dict[str, Any], stdout: str | None = "presentation") -> None:
    """After a share: what went out, field by field, and where (on stderr). `stdout`: what the
    command wrote there ('presentation', the codes' 'text', a 'png' or 'svg', or None)."""
    out = sys.stderr
    count = len(result["credentials"])
    signed = f"{_('signed by')} {result['holder']} ({result['suite']})" if result["suite"] else _("unsigned")
    # whole templates: French agrees the participle with the count ("1 attestation partagée")
    line = (_("shared {0} credential, {1}") if count == 1 else _("shared {0} credentials, {1}")).format(count, signed)
    out.write(visible(line) + "\n")
    _shared_fields(result["credentials"], out)
    if result["file"] is not None:
        note(f"{_('wrote the presentation to')} {result['file']}")
    elif stdout == "text":
        note(_("wrote the text of the QR code to stdout"))
    elif stdout in ("png", "svg"):
        note(_("wrote the QR code to stdout"))
    elif stdout == "presentation":
        note(_("wrote the presentation to stdout"))


def _shared_fields(credentials: list[dict[str, Any]], out: TextIO) -> None:
    from skillpass.present.labels import for_reader

    for item in credentials:
        fields = item["fields"]
        out.write("\n" + _styled("bold", visible(f"{item['id'][:10]}  {item.get('title') or ''}  "
                                                 f"({len(fields)} {_('fields')})"), out) + "\n")
        write([Column("label", _("Field")), Column("value", _("Value")),
               Column("why", _("Always"), atomic=True)],
              [[for_reader(f["label"]), f["value"], _(_WHY.get(f.get("why") or "", ""))] for f in fields], out=out,
              tsv_header=False)
        if item.get("alwaysSent"):
            from skillpass.i18n import colon

            out.write(visible(f"{_('always sent')}{colon()}{_always_sent_text(item['alwaysSent'])}") + "\n")


def _always_sent_text(sent: list[dict[str, Any]]) -> str:
    """One line for what goes out beside the fields: member names as the verifier reads them,
    with their values; `_sd` in words, since its value is a count."""
    def said(entry: dict[str, Any]) -> str:
        if entry["name"] == "_sd":
            return _("{0} digests of the disclosable claims (not their values)").format(entry["value"])
        return entry["name"] + (f" ({entry['value']})" if entry.get("value") is not None else "")

    return ", ".join(said(entry) for entry in sent)
