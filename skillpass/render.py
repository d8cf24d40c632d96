"""The only module that imports rich: terminal tables and panels, or exactly one JSON document."""

from __future__ import annotations

import json
import sys
from typing import Any

from skillpass.i18n import _, preferences

STATUS_STYLE = {"valid": "green", "expired": "red", "not yet valid": "yellow",
                "unverified": "yellow", "revoked": "red"}


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False, emoji=False)


def _esc(value: Any) -> str:
    """User and issuer data never becomes rich markup."""
    from rich.markup import escape

    return escape(str(value))


def note(text: str) -> None:
    """A human remark on stderr (progress, where a file went); never data."""
    sys.stderr.write(f"skillpass: {text}\n")


def error_line(message: str, hint: str | None) -> str:
    line = f"skillpass: error: {message}"
    return f"{line}; {hint}" if hint else line


def credentials_table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        note(_("the wallet holds no credential yet; add one with 'skillpass import FILE'"))
        return
    if not sys.stdout.isatty():
        _plain_table(rows)
        return
    _terminal_table(rows)


_ANSI = {"green": "\x1b[32m", "red": "\x1b[31m", "yellow": "\x1b[33m", "white": "", "bold": "\x1b[1m"}
_RESET = "\x1b[0m"


def _terminal_table(rows: list[dict[str, Any]]) -> None:
    cells = [[r["id"][:10], _clean(r["title"]), _clean(r["issuer"]), _clean(r["format"]), r["issued"][:10],
              _(r["status"])] for r in rows]
    styles = [STATUS_STYLE.get(r["status"], "white") for r in rows]
    headers = [_(h) for h in ("ID", "Title", "Issuer", "Format", "Issued", "Status")]
    aligned(headers, cells, styles, color_col=5, flex=(1, 2))


def aligned(headers: list[str], cells: list[list[str]], styles: list[str], *, color_col: int,
            flex: tuple[int, ...]) -> None:
    """Aligned columns written directly (rich lays out ten thousand rows in seconds, this in
    milliseconds). Column `color_col` is coloured by `styles`; the `flex` columns share what the
    terminal width leaves, cut with an ellipsis."""
    import os
    import shutil

    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    spare = shutil.get_terminal_size().columns - (sum(widths) + 2 * (len(widths) - 1))
    if spare < 0:
        room = max(8 * len(flex), sum(widths[i] for i in flex) + spare)
        total = sum(widths[i] for i in flex)
        for i in flex:
            widths[i] = max(8, room * widths[i] // total)
    color = "NO_COLOR" not in os.environ
    head = "  ".join(_fit(h, w) for h, w in zip(headers, widths)).rstrip()
    lines = [_ANSI["bold"] + head + _RESET if color else head]
    for row, style in zip(cells, styles):
        fitted = [_fit(v, w) for v, w in zip(row, widths)]
        fitted[-1] = fitted[-1].rstrip()
        if color:
            fitted[color_col] = _ANSI[style] + fitted[color_col] + _RESET
        lines.append("  ".join(fitted))
    sys.stdout.write("\n".join(lines) + "\n")


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


def _clean(value: Any) -> str:
    """One line of printable text: issuer data never moves the cursor or changes colours."""
    return "".join(ch if ch.isprintable() else " " for ch in str(value))


def _plain_table(rows: list[dict[str, Any]]) -> None:
    """Tab-separated lines for pipes: fast for ten thousand rows, and easy to cut(1)."""
    out = ["id\ttitle\tissuer\tformat\tissued\tstatus"]
    for row in rows:
        out.append("\t".join(_cell(row[k]) for k in ("id", "title", "issuer", "format", "issued", "status")))
    sys.stdout.write("\n".join(out) + "\n")


def _cell(value: Any) -> str:
    return str(value).replace("\t", " ").replace("\n", " ")


def dids_table(keys: list[dict[str, Any]]) -> None:
    console = _console()
    for key in keys:
        console.print(f"[bold]{_esc(key['keyType'])}[/]  {_esc(key['did'])}", soft_wrap=True)
        console.print(f"  verification method  {_esc(key['verificationMethod'])}", soft_wrap=True)


def credential_detail(detail: dict[str, Any]) -> None:
    from rich.panel import Panel
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    issuer_id = (detail.get("verification") or {}).get("issuer")
    for label, key in (("ID", "id"), ("Title", "title"), ("Issuer", "issuer"), ("Format", "format"),
                       ("Issued", "issued"), ("Expires", "expires"), ("Status", "status")):
        if detail.get(key):
            grid.add_row(_(label), _esc(_(detail[key]) if key == "status" else detail[key]))
        if key == "issuer" and issuer_id and issuer_id != detail.get("issuer"):
            grid.add_row(_("Issuer ID"), _esc(issuer_id))
    for label, value in _summary_lines(detail.get("summary") or {}):
        grid.add_row(_esc(label), _esc(value))
    verification = detail.get("verification") or {}
    for proof in verification.get("proofs", []):
        grid.add_row(_("Proof"), _esc(f"{proof.get('suite')} {_('by')} {proof.get('verificationMethod')}"))
    if verification.get("checked"):
        grid.add_row(_("Checked"), _esc(verification["checked"]))
    _console().print(Panel(grid, title=_esc(detail.get("title") or detail["id"]), expand=False))


def _summary_lines(summary: dict[str, Any]) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    if summary.get("description"):
        lines.append((_("Description"), _text(summary["description"])))
    if summary.get("subject_name") or summary.get("subject_id"):
        lines.append((_("Subject"), _text(summary.get("subject_name") or summary.get("subject_id"))))
    for achievement in summary.get("achievements") or []:
        lines.append((_("Achievement"), _text(achievement.get("name"))))
        lines += _fields(achievement, skip=("name", "id"), indent="  ")
    for result in summary.get("results") or []:
        lines.append((_("Result"), _text({k: v for k, v in result.items() if v})))
    if summary.get("credits_earned"):
        lines.append((_("Credits earned"), _text(summary["credits_earned"])))
    for nested in summary.get("credentials") or []:
        lines.append((_("Contains"), _text(nested.get("title"))))
    for claim in summary.get("claims") or []:
        if isinstance(claim, dict):
            lines.append((str(claim.get("path", "")), _text(claim.get("value"))))
    return lines


def _fields(record: dict[str, Any], skip: tuple[str, ...], indent: str) -> list[tuple[str, str]]:
    lines = []
    for key, value in record.items():
        if key in skip or value in (None, "", [], {}):
            continue
        label = f"{indent}{key.replace('_', ' ')}"
        if key == "alignments":
            lines += [(f"{indent}{_('skill')}", _alignment(item)) for item in value]
        elif isinstance(value, list) and value and isinstance(value[0], dict) and "default" not in value[0]:
            lines += [(label, _text({k: v for k, v in item.items() if v})) for item in value]
        else:
            lines.append((label, _text(value)))
    return lines


def _alignment(alignment: dict[str, Any]) -> str:
    """'Data analysis (Ontario Skills Framework DA-1) https://...' from an OB3 Alignment."""
    name = _text(alignment.get("target_name"))
    where = " ".join(_text(alignment.get(k)) for k in ("target_framework", "target_code") if alignment.get(k))
    url = _text(alignment.get("target_url"))
    return " ".join(part for part in (name, f"({where})" if where else "", url) if part)


def _text(value: Any) -> str:
    """Multilingual values are stored as {'default': ..., 'langs': {tag: text}}: shown in the
    user's language first, the others after it."""
    if isinstance(value, dict):
        if "default" in value:
            from skillpass.langtext import LangText

            shown = LangText.from_json(value).pick(preferences())
            others = value.get("langs") or {}
            extra = " / ".join(f"{v} [{k}]" for k, v in others.items() if v != shown)
            return shown + (f"  ({extra})" if extra else "")
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return "" if value is None else str(value)


def rows_table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_esc(row.get(c, "")) for c in columns))
    _console().print(table)


IMPORT_STYLE = {"imported": "green", "duplicate": "yellow", "rejected": "red"}


def import_table(outcomes: list[dict[str, Any]]) -> None:
    cells = []
    for o in outcomes:
        detail = o.get("title") if o["status"] == "imported" else \
            "; ".join(x for x in (o.get("reason"), o.get("hint")) if x)
        cells.append([_(o["status"]), _clean(o.get("id") or "")[:10], _clean(o["source"]), _clean(detail or "")])
    if sys.stdout.isatty():
        aligned([_(h) for h in ("Result", "ID", "Source", "Title / reason")], cells,
                [IMPORT_STYLE[o["status"]] for o in outcomes], color_col=0, flex=(2,))
    else:
        sys.stdout.write("\n".join("\t".join(c) for c in [["result", "id", "source", "detail"], *cells]) + "\n")
    counts = {s: sum(1 for o in outcomes if o["status"] == s) for s in IMPORT_STYLE}
    note(", ".join(f"{n} {_(s)}" for s, n in counts.items()))


def progress(total: int) -> Any:
    """A progress bar on a terminal for long imports; a no-op otherwise. Returns `advance()`."""
    if total < 5 or not sys.stderr.isatty():
        return lambda: None
    from rich.progress import Progress

    bar = Progress(console=_console(stderr=True), transient=True)
    task = bar.add_task("verifying", total=total)
    bar.start()
    done = [0]

    def advance() -> None:
        bar.advance(task)
        done[0] += 1
        if done[0] >= total:
            bar.stop()

    return advance


def fields_table(listing: dict[str, Any]) -> None:
    from rich.table import Table

    console = _console()
    if listing["selective"]:
        console.print(f"{_esc(listing['suite'])}: "
                      f"{_('you choose what to reveal; mandatory fields are always revealed.')}", soft_wrap=True)
    else:
        console.print(f"[yellow]{_esc(listing['reason'])}[/]", soft_wrap=True)
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("#", _("Field"), _("Label"), _("Value"), ""):
        table.add_column(column, overflow="fold")
    for number, field in enumerate(listing["fields"], 1):
        table.add_row(str(number), _esc(field["path"]), _esc(field["label"]), _esc(_short(field["value"])),
                      _("mandatory") if field["mandatory"] and listing["selective"] else "")
    console.print(table)


def _short(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pick_fields(listing: dict[str, Any]) -> list[str] | None:
    """The interactive picker: numbers (or 'all') for one credential's fields; None cancels."""
    fields_table(listing)
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
        low, _, high = part.partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            return None
        span = range(int(low), int(high or low) + 1)
        if not span or span.start < 1 or span.stop - 1 > count:
            return None
        chosen += [n for n in span if n not in chosen]
    return chosen


def input_line(prompt: str) -> str:
    sys.stderr.write(f"skillpass: {prompt}")
    sys.stderr.flush()
    return sys.stdin.readline().strip()


def preview(presentation: dict[str, Any]) -> None:
    """Exactly what the verifier will see of each credential (proofs left out)."""
    from rich.panel import Panel
    from rich.syntax import Syntax

    console = _console(stderr=True)
    credentials = presentation.get("verifiableCredential") or []
    for number, credential in enumerate(credentials if isinstance(credentials, list) else [credentials], 1):
        shown = {k: v for k, v in credential.items() if k not in ("proof", "@context")}
        body = Syntax(json.dumps(shown, indent=2, ensure_ascii=False), "json", word_wrap=True)
        console.print(Panel(body, title=f"{_('the verifier will see')} ({_('credential')} {number})", expand=False))


def share_summary(result: dict[str, Any], target: str) -> None:
    console = _console()
    for item in result["shared"]:
        what = _("whole") if item["all"] else f"{len(item['fields'])} {_('field(s)')}: " + ", ".join(item["fields"])
        console.print(f"{_('shared')} {_esc(item['id'][:10])} — {_esc(what)}", soft_wrap=True)
    note(f"{_('wrote the presentation to')} {target}")


def history_table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        note(_("no share yet; share a credential with 'skillpass share ID'"))
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in (_("When"), _("Credentials"), _("Fields"), _("Challenge"), _("Domain"), _("Signed with")):
        table.add_column(column, overflow="fold")
    for row in rows:
        credentials = ", ".join(c["id"][:10] for c in row["credentials"])
        fields = "; ".join(_("whole") if c["all"] else ", ".join(c["fields"]) for c in row["credentials"])
        table.add_row(_esc(row["when"]), _esc(credentials), _esc(fields), _esc(row.get("challenge") or "—"),
                      _esc(row.get("domain") or "—"), _esc(row.get("suite") or _("unsigned")))
    _console().print(table)


CHECK_STYLE = {"passed": "green", "failed": "red", "warning": "yellow", "not applicable": "dim"}
OUTCOME_STYLE = {"verified": ("green", "verified"), "invalid": ("red", "invalid"),
                 "unverifiable": ("yellow", "could not be verified here")}


def _outcome(outcome: str) -> str:
    style, text = OUTCOME_STYLE.get(outcome, ("white", outcome))
    return f"[{style}]{_esc(_(text))}[/]"


def verification_report(report: dict[str, Any]) -> None:
    from rich.table import Table

    console = _console()
    checks = Table(box=None, header_style="bold", pad_edge=False)
    for column in (_("Check"), _("Result"), _("Detail")):
        checks.add_column(column, overflow="fold")
    for check in report["checks"]:
        detail = "; ".join(x for x in (check.get("detail"), check.get("hint")) if x)
        checks.add_row(_esc(check["name"]), f"[{CHECK_STYLE.get(check['status'], 'white')}]{_esc(_(check['status']))}[/]",
                       _esc(detail))
    console.print(checks)
    for credential in report["credentials"]:
        issuer = credential.get("issuerName") or credential.get("issuer") or "unknown issuer"
        trust = _("trusted") if credential.get("trusted") else _("not in your trust list")
        console.print(f"\n[bold]{_('credential')} {credential['index']}[/]: {_esc(credential.get('title') or '')} "
                      f"— {_esc(issuer)} ({trust})", soft_wrap=True)
        claims = Table(box=None, header_style="bold", pad_edge=False)
        claims.add_column(_("Disclosed"), overflow="fold")
        claims.add_column(_("Value"), overflow="fold")
        for item in credential["disclosed"]:
            claims.add_row(_esc(item["path"]), _esc(_short(item["value"], 80)))
        console.print(claims)
    console.print(f"\n{_outcome(report['outcome'])}")


def demo_step(step: Any) -> None:
    """One step of `skillpass demo`, as it happens."""
    from rich.panel import Panel

    detail = step.detail
    lines: list[str] = []
    if "holder" in detail:
        lines.append(f"{_('holder DID')}: {_esc(detail['holder'])}")
    for path in detail.get("files", []):
        lines.append(f"{_('signed credential')}: {_esc(path)}")
    for outcome in detail.get("imported", []):
        lines.append(f"[green]{_esc(_(outcome['status']))}[/] {_esc(outcome.get('title') or outcome.get('reason'))}")
    for row in detail.get("credentials", []):
        lines.append(f"{_esc(row['id'][:10])}  {_esc(row['title'])} — {_esc(row['issuer'])} "
                     f"[{STATUS_STYLE.get(row['status'], 'white')}]{_esc(_(row['status']))}[/]")
    if "challenge" in detail:
        lines.append(f"{_('challenge')} {_esc(detail['challenge'])}, {_('domain')} {_esc(detail['domain'])}")
        lines.append(f"{_('revealed')}: " + _esc(", ".join(detail["revealed"])))
        lines.append(f"{_('kept private')}: " + _esc(", ".join(_(h) for h in detail["hidden"])))
    if "outcome" in detail:
        lines.append(_outcome(detail["outcome"]))
        lines += [f"  {_esc(d['path'])} = {_esc(_short(d['value'], 70))}" for d in detail["disclosed"]
                  if detail["outcome"] == "verified"]
        lines += [f"  [red]{_esc(failure)}[/]" for failure in detail["failed"]]
    _console().print(Panel("\n".join(lines), title=_esc(_(step.title)), title_align="left", expand=False))
