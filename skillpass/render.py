"""The only module that imports rich: terminal tables and panels, or exactly one JSON document."""

from __future__ import annotations

import json
import sys
from typing import Any

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
        note("the wallet holds no credential yet; add one with 'skillpass import FILE'")
        return
    if not sys.stdout.isatty():
        _plain_table(rows)
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("ID", "Title", "Issuer", "Format", "Issued", "Status"):
        table.add_column(column, overflow="fold")
    for row in rows:
        status = row["status"]
        table.add_row(row["id"][:10], _esc(row["title"]), _esc(row["issuer"]), _esc(row["format"]),
                      _esc(row["issued"][:10]), f"[{STATUS_STYLE.get(status, 'white')}]{_esc(status)}[/]")
    _console().print(table)


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
            grid.add_row(label, _esc(detail[key]))
        if key == "issuer" and issuer_id and issuer_id != detail.get("issuer"):
            grid.add_row("Issuer ID", _esc(issuer_id))
    for label, value in _summary_lines(detail.get("summary") or {}):
        grid.add_row(_esc(label), _esc(value))
    verification = detail.get("verification") or {}
    for proof in verification.get("proofs", []):
        grid.add_row("Proof", _esc(f"{proof.get('suite')} by {proof.get('verificationMethod')}"))
    if verification.get("checked"):
        grid.add_row("Checked", _esc(verification["checked"]))
    _console().print(Panel(grid, title=_esc(detail.get("title") or detail["id"]), expand=False))


def _summary_lines(summary: dict[str, Any]) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    if summary.get("description"):
        lines.append(("Description", _text(summary["description"])))
    if summary.get("subject_name") or summary.get("subject_id"):
        lines.append(("Subject", _text(summary.get("subject_name") or summary.get("subject_id"))))
    for achievement in summary.get("achievements") or []:
        lines.append(("Achievement", _text(achievement.get("name"))))
        lines += _fields(achievement, skip=("name", "id"), indent="  ")
    for result in summary.get("results") or []:
        lines.append(("Result", _text({k: v for k, v in result.items() if v})))
    if summary.get("credits_earned"):
        lines.append(("Credits earned", _text(summary["credits_earned"])))
    for nested in summary.get("credentials") or []:
        lines.append(("Contains", _text(nested.get("title"))))
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
            lines += [(f"{indent}skill", _alignment(item)) for item in value]
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
    """Multilingual values are stored as {'default': ..., 'langs': {tag: text}}."""
    if isinstance(value, dict):
        if "default" in value:
            others = value.get("langs") or {}
            extra = " / ".join(f"{v} [{k}]" for k, v in others.items() if v != value["default"])
            return f"{value['default']}" + (f"  ({extra})" if extra else "")
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
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("Source", "Result", "ID", "Title / reason"):
        table.add_column(column, overflow="fold")
    for o in outcomes:
        detail = o.get("title") if o["status"] == "imported" else \
            "; ".join(x for x in (o.get("reason"), o.get("hint")) if x)
        table.add_row(_esc(o["source"]), f"[{IMPORT_STYLE[o['status']]}]{o['status']}[/]",
                      _esc((o.get("id") or "")[:10]), _esc(detail or ""))
    _console().print(table)
    counts = {s: sum(1 for o in outcomes if o["status"] == s) for s in IMPORT_STYLE}
    note(", ".join(f"{n} {s}" for s, n in counts.items()))


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
