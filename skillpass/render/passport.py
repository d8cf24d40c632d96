"""The skills passport for a person on a terminal, or as tab-separated records on a pipe.

Terminal: the holder and the counts, then each framework's skills, each with the credentials
that prove it (title, issuer, date, status), then the achievements in time order, the issuers
and the totals. Pipe: one record a line under a header of stable English keys:

    record    framework  skill  id  title  issuer  date  status
    holder    (name and DIDs in `skill`)
    count     (the count's name in `skill`, its value in `title`)
    skill     a skill line per credential that proves it
    credential, issuer, total
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any, TextIO

from skillpass.i18n import _, colon, counted, format_date, format_number
from skillpass.render.table import Column, write
from skillpass.render.text import visible

_COUNTS = (("credentials", "credential", "credentials"), ("issuers", "issuer", "issuers"),
           ("skills", "skill", "skills"), ("expired", "expired", "expired"),
           ("expiringSoon", "expiring within 90 days", "expiring within 90 days"),
           ("revoked", "revoked", "revoked"), ("suspended", "suspended", "suspended"),
           ("notVerifiable", "not verifiable", "not verifiable"), ("statusNotChecked", "status not checked", "status not checked"),
           ("unverified", "unverified", "unverified"))
_TSV = ("record", "framework", "skill", "id", "title", "issuer", "date", "status")


def passport_view(document: dict[str, Any]) -> None:
    out = sys.stdout
    if not out.isatty():
        _records(document, out)
        return
    _terminal(document, out)


def _terminal(document: dict[str, Any], out: TextIO) -> None:
    from skillpass.render import STATUS_STYLE, _styled

    holder = document["holder"]
    title = _("Skills passport") + (f" — {holder['name']}" if holder.get("name") else "")
    out.write(_styled("bold", visible(title), out) + "\n")
    for did in holder["dids"]:
        out.write(f"  {visible(did)}\n")
    counts = document["counts"]
    out.write("  " + " · ".join(f"{format_number(counts[key])} {counted(counts[key], one, many)}"
                                for key, one, many in _COUNTS
                                if counts[key] or key in ("credentials", "issuers", "skills")) + "\n")
    if not document["counts"]["credentials"]:
        out.write("\n" + _("no credential matches; see every one with 'skillpass passport'") + "\n")
        return
    for framework in document["frameworks"]:
        out.write("\n" + _styled("bold", visible(_(framework["name"])), out) + "\n")
        for skill in framework["skills"]:
            proofs = skill["credentials"]
            named = skill["name"] + (f" ({skill['frameworkName']})" if skill.get("frameworkName")
                                     and framework["id"] == "issuer" else "")
            count = f"{len(proofs)} {_('credential') if len(proofs) == 1 else _('credentials')}"
            out.write(f"  {visible(named)} — {count}\n")
            for proof in proofs:
                status = _styled(STATUS_STYLE.get(proof["status"]), _(proof["status"]), out)
                out.write(f"    · {visible(proof['title'])} — {visible(proof['issuer'])} — "
                          f"{format_date(proof['issued'])} — {status}\n")
    out.write("\n" + _styled("bold", _("Achievements"), out) + "\n")
    write([Column("date", _("Date"), atomic=True), Column("title", _("Title")), Column("issuer", _("Issuer")),
           Column("status", _("Status"), atomic=True, styled=True)],
          [[format_date(e["date"]), e["title"], e["issuer"], _(e["status"])] for e in document["timeline"]],
          [STATUS_STYLE.get(e["status"]) for e in document["timeline"]], out=out)
    out.write("\n" + _styled("bold", _("Issuers"), out) + "\n")
    names = Counter(i["name"] or i["id"] for i in document["issuers"])
    write([Column("issuer", _("Issuer")), Column("credentials", _("Credentials"), atomic=True)],
          [[_issuer_named(i, names), format_number(i["credentials"])] for i in document["issuers"]], out=out)
    totals = [f"{format_number(value)} {_(name)}" for name, value in document["totals"].items() if value is not None]
    if totals:
        out.write("\n" + _("Totals") + colon() + ", ".join(totals) + "\n")


def _issuer_named(issuer: dict[str, Any], names: Counter[str]) -> str:
    """An issuer's name, and its id too when another issuer of the passport has the same name (a
    name is what an issuer says of itself: two keys of one college, or someone posing as it)."""
    name = issuer["name"] or issuer["id"]
    return f"{name} {issuer['id']}" if names[name] > 1 and issuer["id"] and issuer["id"] != name else name


def _records(document: dict[str, Any], out: TextIO) -> None:
    """The records group by group (the same lines as one table of them all, without them all
    in memory at once)."""
    columns = [Column(key, key) for key in _TSV]
    holder = document["holder"]
    write(columns, [["holder", "", holder.get("name") or "", " ".join(holder["dids"]), "", "", "", ""]], out=out)
    rows: list[list[Any]] = [["count", "", key, "", value, "", "", ""] for key, value in document["counts"].items()]
    write(columns, rows, out=out, tsv_header=False)
    for framework in document["frameworks"]:
        for skill in framework["skills"]:
            write(columns, [["skill", framework["id"], skill["name"], p["id"], p["title"], p["issuer"],
                             p["issued"] or "", p["status"]] for p in skill["credentials"]], out=out, tsv_header=False)
    write(columns, [["credential", "", "", e["id"], e["title"], e["issuer"], e["date"] or "", e["status"]]
                    for e in document["timeline"]], out=out, tsv_header=False)
    rows = [["issuer", "", "", i["id"] or "", i["name"], "", i["credentials"], ""] for i in document["issuers"]]
    rows += [["total", "", name, "", value, "", "", ""] for name, value in document["totals"].items()
             if value is not None]
    write(columns, rows, out=out, tsv_header=False)
