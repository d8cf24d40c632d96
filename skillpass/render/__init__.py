"""What a person reads: tables, reports and notes, or exactly one JSON document for programs.

Every value from outside passes `text.visible` (terminal) or `text.tsv_cell` (pipes) on the way
out; `table` lays records out; rich draws only the panels of `show` and `demo` and the progress
bar, and is imported only there.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from skillpass.i18n import _, preferences
from skillpass.render.table import Column, write
from skillpass.render.text import visible

t = _  # the CLI's name for a translated message

STATUS_STYLE = {"valid": "green", "expired": "red", "not yet valid": "yellow",
                "unverified": "yellow", "revoked": "red", "suspended": "red", "status not checked": "yellow",
                "unknown": "yellow", "not verifiable": "yellow", "not verified (hosted badge)": "yellow"}
IMPORT_STYLE = {"imported": "green", "duplicate": "yellow", "rejected": "red"}
CHECK_STYLE = {"passed": "green", "failed": "red", "warning": "yellow", "not applicable": "dim"}
OUTCOME_STYLE = {"verified": "green", "invalid": "red", "unverifiable": "yellow"}
OUTCOME_TEXT = {"verified": "verified", "invalid": "invalid",
                "unverifiable": "could not be verified here"}


def emit_json(data: Any) -> None:
    from skillpass.encoding.json_text import indented_chunks

    # json.dumps(data, indent=2, ensure_ascii=False), in any encoding stdout has
    sys.stdout.writelines(map(_json_out(), indented_chunks(data)))
    sys.stdout.write("\n")


def _json_out() -> Any:
    """What makes each piece of JSON text fit for stdout: well-formed, and on a terminal with
    the C1 controls (U+0080-U+009F, which JSON leaves as they are, and a terminal may obey:
    U+009B is a CSI) and the bidi controls, line separators and BOM text.visible escapes (they
    reorder what a reader sees: Trojan Source) written as \\u escapes, which mean the same
    characters to a JSON reader."""
    if not sys.stdout.isatty():
        return json_well_formed
    from skillpass.render.text import JSON_UNSAFE

    return lambda chunk: JSON_UNSAFE.sub(_c1_escape, json_well_formed(chunk))


def json_text_out(text: str) -> str:
    """JSON text made elsewhere (a presentation, an issued credential), fit for stdout as
    emit_json's pieces are: on a terminal, no control or bidi character from outside is raw."""
    return _json_out()(text)


def _c1_escape(match: Any) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_well_formed(chunk: str) -> str:
    """JSON text that any stdout can carry: a file name that is not UTF-8 (its bytes handed to
    Python as lone surrogates) reads \\xff in the value, as render.text.well_formed shows it."""
    if chunk.isascii():
        return chunk
    try:  # strict UTF-8 refuses exactly the surrogates: four times faster than searching for them
        chunk.encode("utf-8")
        return chunk
    except UnicodeEncodeError:
        pass
    from skillpass.render.text import _SURROGATE

    return _SURROGATE.sub(_json_escape, chunk)


def _json_escape(match: Any) -> str:
    code = ord(match.group())
    return f"\\\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def emit_json_text(chunks: Any) -> None:
    """One JSON document already made as text, in pieces (passport/document_text.py: the
    passport of ten thousand credentials is 14 MB of text), each written as it comes, with the
    collector paused (what makes the pieces makes no cycle), and a newline; each piece made
    well-formed as emit_json's are."""
    from skillpass.bulk import collector_paused

    collector_paused(sys.stdout.writelines)(map(_json_out(), chunks))
    sys.stdout.write("\n")


def note(text: str) -> None:
    """A human remark on stderr (progress, where a file went); never data. Translated here, from
    its template in the catalog (skillpass.i18n.translate_message)."""
    from skillpass.i18n import language, translate_message

    prefix = "skillpass : " if language() == "fr" else "skillpass: "
    sys.stderr.write(f"{prefix}{visible(translate_message(text))}\n")


def warning_note(text: str) -> None:
    """`skillpass: warning: TEXT` on stderr, TEXT translated from its template (French typography)."""
    from skillpass.i18n import colon, translate_message

    note(f"{_('warning')}{colon()}{translate_message(text)}")


def error_line(message: str, hint: str | None) -> str:
    """`skillpass: error: MESSAGE; HINT`, in the user's language (French typography)."""
    from skillpass.i18n import language, translate_message

    french = language() == "fr"
    line = f"{'skillpass : erreur : ' if french else 'skillpass: error: '}{visible(translate_message(message))}"
    return f"{line}{' ; ' if french else '; '}{visible(translate_message(hint))}" if hint else line


def _esc(value: Any) -> str:
    """Outside text for rich: visible, and never rich markup."""
    from rich.markup import escape

    return escape(visible(value))


def _console(stderr: bool = False) -> Any:
    import os

    from rich.console import Console

    # rich drops colours under NO_COLOR but keeps bold and dim; no-color.org asks for no escapes
    plain = {"color_system": None} if os.environ.get("NO_COLOR") else {}
    return Console(stderr=stderr, highlight=False, soft_wrap=False, emoji=False, **plain)


def _styled(style: str | None, text: str, out: TextIO) -> str:
    """`text` in colour on a terminal without NO_COLOR, else as it is."""
    import os

    codes = {"green": "32", "red": "31", "yellow": "33", "dim": "2", "bold": "1"}
    if style not in codes or "NO_COLOR" in os.environ or not out.isatty():
        return text
    return f"\x1b[{codes[style]}m{text}\x1b[0m"


# -- list, import, DIDs --------------------------------------------------------------------------


def status_text(row: dict[str, Any]) -> str:
    """A credential's status for people: 'status not checked since DATE' once a list it names
    was obtained but is out of date."""
    if row["status"] == "status not checked" and row.get("statusChecked"):
        return _("status not checked since {date}").format(date=row["statusChecked"][:10])
    return _(row["status"])


def credentials_table(rows: list[dict[str, Any]], *, filtered: bool = False) -> None:
    if not rows and filtered:
        note(_("no credential matches what you asked for; 'skillpass list' alone lists every one"))
        return
    if not rows:
        note(_("the wallet holds no credential yet; add one with 'skillpass import FILE'"))
        return
    terminal = sys.stdout.isatty()
    columns = [Column("id", _("ID"), atomic=True), Column("title", _("Title")),
               Column("issuer", _("Issuer")), Column("format", _("Format"), atomic=True),
               Column("issued", _("Issued"), atomic=True),
               Column("status", _("Status"), atomic=True, styled=True)]
    cells = [[r["id"][:10] if terminal else r["id"], r["title"], issuer_text(r) if terminal else r["issuer"],
              r["format"], r["issued"][:10] if terminal else r["issued"],
              status_text(r) if terminal else r["status"]] for r in rows]
    write(columns, cells, [STATUS_STYLE.get(r["status"]) for r in rows])


def issuer_text(row: dict[str, Any]) -> str:
    """A listed credential's issuer for people: a test issuer's label in the user's language."""
    if row.get("testIssuer") and preferences()[0] == "fr":
        from skillpass.views import test_labelled_in_french

        return test_labelled_in_french(row["issuer"])
    return row["issuer"]


def import_table(outcomes: list[dict[str, Any]]) -> None:
    from skillpass.i18n import colon, counted, semicolon, translate_message

    terminal = sys.stdout.isatty()
    said = translate_message if terminal else str  # pipes stay in English, for scripts
    joined = semicolon() if terminal else "; "
    cells = []
    for o in outcomes:
        if o["status"] == "imported":
            detail = o.get("title") or ""
        else:
            detail = joined.join(said(x) for x in (o.get("reason"), o.get("hint")) if x)
        if o.get("warning"):
            warning = joined.join(said(w) for w in o["warning"].split("; "))
            detail = f"{detail} ({_('note') if terminal else 'note'}{colon() if terminal else ': '}{warning})" \
                if detail else warning
        cells.append([_(o["status"]) if terminal else o["status"],
                      (o.get("id") or "")[:10] if terminal else o.get("id") or "", o["source"], detail])
    write([Column("result", _("Result"), atomic=True, styled=True), Column("id", _("ID"), atomic=True),
           Column("source", _("Source"), atomic=True), Column("detail", _("Title / reason"))],
          cells, [IMPORT_STYLE[o["status"]] for o in outcomes])
    counts = {s: sum(1 for o in outcomes if o["status"] == s) for s in IMPORT_STYLE}
    note(", ".join(f"{n} {counted(n, s, s)}" for s, n in counts.items()))


def dids_table(keys: list[dict[str, Any]]) -> None:
    write([Column("keyType", _("Key type"), atomic=True), Column("did", "DID", atomic=True),
           Column("verificationMethod", _("Verification method"), atomic=True)],
          [[k["keyType"], k["did"], k["verificationMethod"]] for k in keys])


def rows_table(rows: list[dict[str, Any]], columns: tuple[tuple[str, str, bool], ...]) -> None:
    """Generic records: each column is (key, header, atomic)."""
    write([Column(key, _(header), atomic=atomic) for key, header, atomic in columns],
          [[row.get(key, "") for key, _h, _a in columns] for row in rows])


def progress(total: int) -> Any:
    """A progress bar on a terminal for long imports; a no-op otherwise. Returns `advance()`."""
    if total < 5 or not sys.stderr.isatty():
        return lambda: None
    from rich.progress import Progress

    bar = Progress(console=_console(stderr=True), transient=True)
    task = bar.add_task(_("verifying"), total=total)
    bar.start()
    done = [0]

    def advance() -> None:
        bar.advance(task)
        done[0] += 1
        if done[0] >= total:
            bar.stop()

    return advance


# -- show ------------------------------------------------------------------------------------------


def credential_detail(detail: dict[str, Any]) -> None:
    """One credential: a panel on a terminal; on a pipe, as `list` is, tab-separated `field` and
    `value` lines under a header, English labels and values as issued, whatever the language."""
    terminal = sys.stdout.isatty()
    lines = _detail_lines(detail, _ if terminal else str, preferences() if terminal else ())
    if not terminal:
        write([Column("field", "field"), Column("value", "value")],
              [(label.strip(), value) for label, value in lines])
        return
    from rich.panel import Panel
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in lines:
        grid.add_row(_esc(label), _esc(value))
    _console().print(Panel(grid, title=_esc(detail.get("title") or detail["id"]), expand=False))


def _detail_lines(detail: dict[str, Any], _: Any, langs: tuple[str, ...]) -> list[tuple[str, str]]:
    """The label and value of each line `show` prints. `_` translates the labels: i18n's on a
    terminal, `str` on a pipe (English, for scripts); named `_`, its texts are in the catalogs."""
    lines: list[tuple[str, str]] = []
    issuer_id = (detail.get("verification") or {}).get("issuer")
    for label, key in (("ID", "id"), ("Title", "title"), ("Issuer", "issuer"), ("Format", "format"),
                       ("Issued", "issued"), ("Expires", "expires"), ("Status", "status")):
        if detail.get(key):
            shown = detail[key]
            if _ is not str:  # for people: the status's words, a test issuer's label in their language
                shown = status_text(detail) if key == "status" else issuer_text(detail) if key == "issuer" else shown
            lines.append((_(label), str(shown)))
        if key == "issuer" and issuer_id and issuer_id != detail.get("issuer"):
            lines.append((_("Issuer ID"), issuer_id))
    results = detail.get("statusResults") or []
    for number, entry in enumerate(detail.get("statusEntries") or []):
        result = results[number] if number < len(results) else None
        lines.append((_("Status list"), status_entry_text(entry, result, _)))
    lines += _summary_lines(detail.get("summary") or {}, _, langs)
    verification = detail.get("verification") or {}
    for proof in verification.get("proofs", []):
        lines.append((_("Proof"), f"{proof.get('suite')} {_('by')} {proof.get('verificationMethod')}"))
    if verification.get("checked"):
        lines.append((_("Checked"), verification["checked"]))
    if detail.get("unverified") and verification.get("reason"):  # kept unsigned: why
        lines.append((_("Not verified"), verification["reason"]))
    return lines


def status_entry_text(entry: dict[str, Any], result: dict[str, Any] | None = None, _: Any = _) -> str:
    parts = [entry.get("type"), entry.get("purpose"), entry.get("list"), entry.get("index")]
    state = _(result["state"]) if result else _("not checked")
    if result and result.get("checked"):
        state += ", " + _("list obtained {date}").format(date=result["checked"][:10])
    return " ".join(str(p) for p in parts if p) + f" ({state})"


def _summary_lines(summary: dict[str, Any], _: Any, langs: tuple[str, ...]) -> list[tuple[str, str]]:
    def text(value: Any) -> str:
        return _text(value, langs)

    lines: list[tuple[str, str]] = []
    if summary.get("description"):
        lines.append((_("Description"), text(summary["description"])))
    if summary.get("subject_name") or summary.get("subject_id"):
        lines.append((_("Subject"), text(summary.get("subject_name") or summary.get("subject_id"))))
    for achievement in summary.get("achievements") or []:
        lines.append((_("Achievement"), text(achievement.get("name"))))
        lines += _fields(achievement, skip=("name", "id"), indent="  ", _=_, langs=langs)
    for result in summary.get("results") or []:
        lines.append((_("Result"), text({k: v for k, v in result.items() if v})))
    if summary.get("credits_earned"):
        lines.append((_("Credits earned"), text(summary["credits_earned"])))
    for nested in summary.get("credentials") or []:
        lines.append((_("Contains"), text(nested.get("title"))))
    for claim in summary.get("claims") or []:
        if isinstance(claim, dict):
            lines.append((str(claim.get("path", "")), text(claim.get("value"))))
    return lines


def _fields(record: dict[str, Any], skip: tuple[str, ...], indent: str, _: Any,
            langs: tuple[str, ...]) -> list[tuple[str, str]]:
    lines = []
    for key, value in record.items():
        if key in skip or value in (None, "", [], {}):
            continue
        label = f"{indent}{key.replace('_', ' ')}"
        if key == "alignments":
            lines += [(f"{indent}{_('skill')}", _alignment(item, langs)) for item in value]
        elif isinstance(value, list) and value and isinstance(value[0], dict) and "default" not in value[0]:
            lines += [(label, _text({k: v for k, v in item.items() if v}, langs)) for item in value]
        else:
            lines.append((label, _text(value, langs)))
    return lines


def _alignment(alignment: dict[str, Any], langs: tuple[str, ...]) -> str:
    """'Data analysis (Ontario Skills Framework DA-1) https://...' from an OB3 Alignment."""
    name = _text(alignment.get("target_name"), langs)
    where = " ".join(_text(alignment.get(k), langs) for k in ("target_framework", "target_code") if alignment.get(k))
    url = _text(alignment.get("target_url"), langs)
    return " ".join(part for part in (name, f"({where})" if where else "", url) if part)


def _text(value: Any, langs: tuple[str, ...]) -> str:
    """Multilingual values are stored as {'default': ..., 'langs': {tag: text}}: shown in the
    first of `langs` that has one (the user's language first), the others after it."""
    if isinstance(value, dict):
        if "default" in value:
            from skillpass.langtext import LangText

            shown = LangText.from_json(value).pick(langs)
            others = value.get("langs") or {}
            extra = " / ".join(f"{v} [{k}]" for k, v in others.items() if v != shown)
            return shown + (f"  ({extra})" if extra else "")
        return ", ".join(f"{k}: {_text(v, langs)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_text(v, langs) for v in value)
    return "" if value is None else str(value)


# -- fields, the picker, the preview, the share: render/fields.py ----------------------------------


def fields_table(listing: dict[str, Any], *, out: TextIO | None = None) -> None:
    from skillpass.render.fields import fields_table as table

    table(listing, out=out)


def pick_fields(listing: dict[str, Any]) -> list[str] | None:
    from skillpass.render.fields import pick_fields as pick

    return pick(listing)


def preview(question: dict[str, Any]) -> None:
    from skillpass.render.fields import preview as show

    show(question)


def share_summary(result: dict[str, Any], stdout: str | None = "presentation") -> None:
    from skillpass.render.fields import share_summary as summary

    summary(result, stdout)


def input_line(prompt: str) -> str:
    from skillpass.i18n import language

    try:  # the prompt inside: a Ctrl-C between its writing and the reading is the same Ctrl-C
        sys.stderr.write(f"{'skillpass : ' if language() == 'fr' else 'skillpass: '}{prompt}")
        sys.stderr.flush()
        line = sys.stdin.readline()
    except KeyboardInterrupt:  # the prompt's line is left open (no Enter was typed): end it first
        sys.stderr.write("\n")
        raise
    if not line.endswith("\n"):  # Ctrl-D: the same
        sys.stderr.write("\n")
    return line.strip()


def ask_yes_no(question: str) -> bool:
    """A yes/no question on the terminal (translated from its template), no by default: y/yes,
    and o/oui in French, are a yes."""
    from skillpass.i18n import language, translate_message

    choices = "[o/N]" if language() == "fr" else "[y/N]"
    return input_line(f"{visible(translate_message(question))} {choices} ").lower() in ("y", "yes", "o", "oui")



# -- history -------------------------------------------------------------------------------------


def history_table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        note(_("no share yet; share a credential with 'skillpass share ID'"))
        return
    said = _ if sys.stdout.isatty() else str  # pipes stay in English, for scripts
    cells = []
    for row in rows:
        for item in row["credentials"]:
            fields = said("whole") if item.get("all") else ", ".join(item["fields"])
            cells.append([row["when"], item["id"], fields, row.get("challenge") or "",
                          row.get("domain") or "", row.get("suite") or said("unsigned"), row.get("holder") or "",
                          said(row.get("via") or "")])
    write([Column("when", _("When"), atomic=True), Column("credential", _("Credential"), atomic=True),
           Column("fields", _("Fields")), Column("challenge", _("Challenge"), atomic=True),
           Column("domain", _("Domain"), atomic=True), Column("suite", _("Signed with"), atomic=True),
           Column("holder", _("Holder"), atomic=True), Column("via", _("Via"), atomic=True)], cells)


# -- verify: render/verification.py ---------------------------------------------------------------


def verification_report(report: dict[str, Any]) -> None:
    from skillpass.render.verification import verification_report as report_view

    report_view(report)


# -- demo ----------------------------------------------------------------------------------------


def demo_step(step: Any) -> None:
    from skillpass.render.demo import demo_step as show

    show(step)
