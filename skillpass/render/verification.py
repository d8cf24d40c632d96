"""The verifier's report for a person: the verdict in one line, every check, each credential's
disclosed claims; on a pipe, tab-separated records (outcome, check, claim)."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from skillpass.i18n import _, colon, semicolon, translate_message
from skillpass.render import CHECK_STYLE, OUTCOME_STYLE, OUTCOME_TEXT, _styled
from skillpass.render.table import Column, write
from skillpass.render.text import visible

def verification_report(report: dict[str, Any]) -> None:
    """The verdict in one line, then every check, then each credential's disclosed claims."""
    out = sys.stdout
    if not out.isatty():
        _verification_tsv(report, out)
        return
    from skillpass.present.labels import for_reader

    outcome = report["outcome"]
    out.write(_styled(OUTCOME_STYLE.get(outcome), visible(verdict_line(report)), out) + "\n\n")
    write([Column("check", _("Check"), atomic=True), Column("status", _("Result"), atomic=True, styled=True),
           Column("detail", _("Detail"))],
          [[translate_message(c["name"]), _(c["status"]),
            semicolon().join(translate_message(x) for x in (c.get("detail"), c.get("hint")) if x)]
           for c in report["checks"]], [CHECK_STYLE.get(c["status"]) for c in report["checks"]])
    for credential in report["credentials"]:
        issuer = credential.get("issuerName") or credential.get("issuer") or _("unknown issuer")
        trust = _("trusted") if credential.get("trusted") else _("not in your trust list")
        out.write("\n" + _styled("bold", visible(f"{_('Credential')} {credential['index']}{colon()}"
                                                 f"{credential.get('title') or ''}"), out)
                  + visible(f" — {issuer} ({trust})") + "\n")
        write([Column("label", _("Disclosed")), Column("value", _("Value"))],
              [[for_reader(d.get("label") or "") or d["path"], value_text(d["value"])] for d in credential["disclosed"]])


def verdict_line(report: dict[str, Any]) -> str:
    outcome = report["outcome"]
    text = _(OUTCOME_TEXT.get(outcome, outcome)).upper()
    count = len(report["credentials"])
    if outcome == "verified":
        what = (_("a presentation by") + f" {report['holder']}" if report["kind"] == "presentation"
                else _("a credential"))
        warnings = len(report["warnings"])
        tail = f", {warnings} {_('warning') if warnings == 1 else _('warnings')}" if warnings else ""
        return f"{text}{colon()}{what}, {count} {_('credential') if count == 1 else _('credentials')}{tail}"
    failed = next((c for c in report["checks"] if c["status"] == "failed"), None)
    if failed is None:
        return text
    return f"{text}{colon()}{translate_message(failed['name'])}{colon()}{translate_message(failed['detail'])}"


def value_text(value: Any) -> str:
    """A disclosed value whole: a text exactly as written (the sanitizer shows any control in
    it), anything else as a one-line display."""
    from skillpass.present.fields import display_value

    return value if isinstance(value, str) else display_value(value, limit=None)


def _verification_tsv(report: dict[str, Any], out: TextIO) -> None:
    """One record a line, its type first: the outcome, each check, each disclosed claim."""
    rows: list[list[Any]] = [["outcome", report["outcome"], report.get("holder") or "", "", "", ""]]
    rows += [["check", c["name"], c["status"], c.get("detail") or "", c.get("code") or "", c.get("hint") or ""]
             for c in report["checks"]]
    rows += [["claim", f"credential {credential['index']}", d["path"], d.get("label") or "",
              value_text(d["value"]), ""]
             for credential in report["credentials"] for d in credential["disclosed"]]
    write([Column(k, k) for k in ("record", "name", "status", "detail", "code", "hint")], rows, out=out)


def files_report(results: list[dict[str, Any]]) -> None:
    """`verify FILE FILE...`: one line a file, in the order given: its outcome and why (the
    verdict line), or the error that kept it from being checked."""
    terminal = sys.stdout.isatty()
    rows, styles = [], []
    for result in results:
        report = result.get("report")
        if report is not None:
            outcome = report["outcome"]
            failed = next((c for c in report["checks"] if c["status"] == "failed"), None)
            detail = verdict_line(report) if terminal else (failed["detail"] if failed else "")
            code = (failed or {}).get("code") or ""
        else:
            outcome, error = "error", result["error"]
            detail = (semicolon() if terminal else "; ").join(translate_message(x) if terminal else x
                                                              for x in (error["message"], error.get("hint")) if x)
            code = error["code"]
        shown = _("not read") if outcome == "error" else _(OUTCOME_TEXT[outcome])
        rows.append([result["file"], shown if terminal else outcome, detail, code])
        styles.append(OUTCOME_STYLE.get(outcome, "red"))
    columns = [Column("file", _("File"), atomic=True), Column("outcome", _("Result"), atomic=True, styled=True),
               Column("detail", _("Detail")), Column("code", "code", atomic=True)]
    if terminal:
        write(columns[:3], [row[:3] for row in rows], styles)
    else:
        write(columns, rows)
    _tally(results)


_TALLIED = ("verified", "invalid", "unverifiable", "not read")


def _tally(results: list[dict[str, Any]]) -> None:
    """One line on a terminal's stderr: how many files came out each way (a verifier with a
    thousand files reads the end first). A pipe gets none: stdout's lines say it all."""
    from collections import Counter

    if not sys.stderr.isatty():
        return

    from skillpass.i18n import counted
    from skillpass.render import note

    tally = Counter(r["report"]["outcome"] if "report" in r else "not read" for r in results)
    note(", ".join(f"{tally[word]} {counted(tally[word], word, word)}" for word in _TALLIED))
