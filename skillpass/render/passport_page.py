"""The skills passport as one self-contained web page, for a learner to hand over or print.

Everything is in the one file: inline CSS (a print stylesheet paginates it), two inline SVG
pictures (render/charts.py), no script and no fetch: a Content-Security-Policy forbids any, and
images could only be `data:` URIs. Headings are semantic (h1 the passport, h2 its parts, h3 a
framework or a credential); each skill links to the credentials that prove it
(`#credential-ID`), each credential back to its skills; statuses are as of `generated`.

With `presentation` (`--signed`), the holder-signed presentation is embedded as a data block,
`<script type="application/vp+json" id="skillpass-presentation">`, which no browser runs and
`skillpass verify PAGE` reads (verifier/page.py). Every value from outside is HTML-escaped and
its control and bidi characters made visible (render/text.visible).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any

from skillpass.i18n import _, counted, format_date, format_number, language
from skillpass.render import charts
from skillpass.render.text import visible

PRESENTATION_ID = "skillpass-presentation"
PRESENTATION_TYPE = "application/vp+json"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
FORMAT_NAMES = {"ldp_vc": "W3C Verifiable Credential", "dc+sd-jwt": "SD-JWT VC", "jwt_vc_json": "VC-JWT"}
_COUNTS = (("credentials", "credential", "credentials"), ("issuers", "issuer", "issuers"),
           ("skills", "skill", "skills"), ("valid", "valid", "valid"), ("expired", "expired", "expired"),
           ("expiringSoon", "expiring within 90 days", "expiring within 90 days"),
           ("notYetValid", "not yet valid", "not yet valid"), ("revoked", "revoked", "revoked"), ("suspended", "suspended", "suspended"),
           ("notVerifiable", "not verifiable", "not verifiable"),
           ("statusNotChecked", "status not checked", "status not checked"),
           ("unverified", "unverified", "unverified"), ("unknown", "unknown", "unknown"))
_ANCHOR = re.compile(r"[^A-Za-z0-9_-]")
STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1b1b1b; background: #fff; }
header, main, footer { max-width: 56rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 1.5rem; border-bottom: 3px solid #1d4f7a; }
h1 { font-size: 2rem; margin: 0 0 .25rem; color: #12324f; }
h2 { font-size: 1.4rem; margin: 2rem 0 .75rem; color: #12324f; border-bottom: 1px solid #c9d3dc; }
h3 { font-size: 1.1rem; margin: 1.25rem 0 .5rem; }
.holder { font-size: 1.25rem; margin: 0; }
.did, code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85rem;
  overflow-wrap: anywhere; color: #333; }
.generated, .muted { color: #4a4a4a; }
ul.counts { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; }
ul.counts strong { font-size: 1.2rem; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
a { color: #0b4f8a; }
a:focus { outline: 3px solid #f2a900; outline-offset: 2px; }
figure { margin: 1rem 0; }
figure svg { width: 100%; height: auto; max-width: 40rem; }
figcaption { color: #4a4a4a; font-size: .9rem; }
ul.skills { list-style: none; padding: 0; margin: 0; }
ul.skills > li { padding: .5rem 0; border-bottom: 1px solid #e3e8ed; }
.skill-name { font-weight: 600; }
ul.proofs { margin: .25rem 0 0; padding-left: 1.25rem; }
.status { display: inline-block; padding: 0 .45rem; border-radius: .6rem; font-size: .85rem;
  font-weight: 600; border: 1px solid currentColor; }
.status-valid { color: #0b5d27; background: #e8f5ec; }
.status-expired, .status-revoked, .status-suspended { color: #8a1c1c; background: #fbeaea; }
.status-other { color: #5a4500; background: #fff4d6; }
article.credential { border: 1px solid #c9d3dc; border-radius: .4rem; padding: .25rem 1rem .75rem;
  margin: 0 0 1rem; }
article.credential:target { outline: 3px solid #f2a900; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
dt { color: #4a4a4a; }
dd { margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e3e8ed; vertical-align: top; }
th { color: #12324f; }
td.number, th.number { text-align: right; }
footer { margin-top: 2rem; padding-top: 1rem; padding-bottom: 2rem; border-top: 1px solid #c9d3dc;
  color: #4a4a4a; font-size: .9rem; }
@media print {
  @page { size: A4; margin: 16mm 14mm; }
  body { font-size: 10.5pt; }
  header, main, footer { max-width: none; padding: 0; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  article.credential, ul.skills > li, figure, tr { break-inside: avoid; page-break-inside: avoid; }
  .status { background: none; }
}
"""


def page(document: dict[str, Any], *, presentation: dict[str, Any] | None = None,
         signed_ids: Iterable[str] = ()) -> str:
    """The page of a passport document (Passport.to_dict, values picked in the language)."""
    skills_of = _skills_by_credential(document)
    signed = set(signed_ids)
    title = _("Skills passport") + (f" — {document['holder']['name']}" if document["holder"].get("name") else "")
    head = (f'<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f'<meta name="generator" content="skillpass"><title>{_e(title)}</title><style>{STYLE}</style>')
    if presentation is not None:
        head += (f'<script type="{PRESENTATION_TYPE}" id="{PRESENTATION_ID}">{_data_block(presentation)}'
                 "</script>")
    body = [_header(document), "<main>", _skills_section(document), _timeline_section(document),
            _credentials_section(document, skills_of, signed, presentation is not None),
            _issuers_section(document), _totals_section(document), "</main>", _footer(presentation is not None)]
    return (f'<!DOCTYPE html>\n<html lang="{language()}"><head>{head}</head><body>'
            + "\n".join(part for part in body if part) + "</body></html>\n")


def _header(document: dict[str, Any]) -> str:
    holder, counts = document["holder"], document["counts"]
    parts = ["<header>", f"<h1>{_e(_('Skills passport'))}</h1>"]
    if holder.get("name"):
        parts.append(f'<p class="holder">{_e(holder["name"])}</p>')
    parts += [f'<p><span class="muted">{_e(_("Holder"))}:</span> <span class="did">{_e(did)}</span></p>'
              for did in holder["dids"]]
    parts.append(f'<p class="generated">{_e(_("Made on"))} {_e(_when(document["generated"]))}; '
                 f'{_e(_("each status is as of that time."))}</p>')
    shown = [f"<li><strong>{_e(format_number(counts[key]))}</strong> {_e(counted(counts[key], one, many))}</li>"
             for key, one, many in _COUNTS if counts[key] or key in ("credentials", "issuers", "skills")]
    parts.append(f'<ul class="counts" aria-label="{_e(_("Counts"))}">{"".join(shown)}</ul>')
    parts.append(f'<nav aria-label="{_e(_("Contents"))}"><ul>'
                 + "".join(f'<li><a href="#{key}">{_e(_(label))}</a></li>' for key, label in (
                     ("skills", "Skills"), ("achievements", "Achievements"), ("credentials", "Credentials"),
                     ("issuers", "Issuers")))
                 + "</ul></nav></header>")
    return "".join(parts)


def _skills_section(document: dict[str, Any]) -> str:
    parts = ['<section aria-labelledby="skills"><h2 id="skills">' + _e(_("Skills")) + "</h2>"]
    frameworks = document["frameworks"]
    if not frameworks:
        parts.append(f'<p>{_e(_("No credential on this page shows a skill."))}</p></section>')
        return "".join(parts)
    bars = [charts.Bar(_(f["name"]), len(f["skills"]), f"#framework-{_anchor(f['id'])}") for f in frameworks]
    parts.append("<figure>" + charts.bar_chart(
        bars, title=_("Skills per framework"), description=_("How many distinct skills each framework has."),
        escape=_e, number=format_number) + f"<figcaption>{_e(_('Skills per framework'))}</figcaption></figure>")
    for framework in frameworks:
        parts.append(f'<section aria-labelledby="framework-{_anchor(framework["id"])}">'
                     f'<h3 id="framework-{_anchor(framework["id"])}">{_e(_(framework["name"]))}</h3>'
                     '<ul class="skills">')
        for n, skill in enumerate(framework["skills"]):
            parts.append(_skill_item(framework, skill, n))
        parts.append("</ul></section>")
    parts.append("</section>")
    return "".join(parts)


def _skill_item(framework: dict[str, Any], skill: dict[str, Any], n: int) -> str:
    named = f'<span class="skill-name">{_e(skill["name"])}</span>'
    if skill.get("frameworkName") and framework["id"] == "issuer":
        named += f' <span class="muted">({_e(skill["frameworkName"])})</span>'
    if skill.get("code"):
        named += f" <code>{_e(skill['code'])}</code>"
    if skill.get("url"):
        named += f' <span class="muted did">{_e(skill["url"])}</span>'
    proofs = skill["credentials"]
    count = f"{format_number(len(proofs))} {_('credential') if len(proofs) == 1 else _('credentials')}"
    items = "".join(
        f'<li><a href="#credential-{_anchor(p["id"])}">{_e(p["title"])}</a> — {_e(p["issuer"])} — '
        f'{_e(format_date(p["issued"]))} {_status(p["status"])}</li>' for p in proofs)
    return (f'<li id="{_skill_anchor(framework["id"], n)}">{named} <span class="muted">— {_e(_("proved by"))} '
            f'{_e(count)}</span><ul class="proofs">{items}</ul></li>')


def _timeline_section(document: dict[str, Any]) -> str:
    timeline = document["timeline"]
    parts = [f'<section aria-labelledby="achievements"><h2 id="achievements">{_e(_("Achievements"))}</h2>']
    picture = charts.timeline_chart(
        [charts.Dot(e["date"] or "", f"{e['title']} — {format_date(e['date'])}", f"#credential-{_anchor(e['id'])}")
         for e in timeline], title=_("Achievements over time"),
        description=_("Each dot is a credential, at the month it was awarded or became valid."),
        escape=_e, number=format_number)
    if picture:
        parts.append(f"<figure>{picture}<figcaption>{_e(_('Achievements over time'))}</figcaption></figure>")
    rows = "".join(f'<tr><td>{_e(format_date(e["date"]))}</td><td><a href="#credential-{_anchor(e["id"])}">'
                   f'{_e(e["title"])}</a></td><td>{_e(e["issuer"])}</td><td>{_status(e["status"])}</td></tr>'
                   for e in timeline)
    parts.append(f'<table><thead><tr><th scope="col">{_e(_("Date"))}</th><th scope="col">{_e(_("Title"))}</th>'
                 f'<th scope="col">{_e(_("Issuer"))}</th><th scope="col">{_e(_("Status"))}</th></tr></thead>'
                 f"<tbody>{rows}</tbody></table></section>")
    return "".join(parts)


def _credentials_section(document: dict[str, Any], skills_of: dict[str, list[tuple[str, str]]],
                         signed: set[str], page_signed: bool) -> str:
    parts = [f'<section aria-labelledby="credentials"><h2 id="credentials">{_e(_("Credentials"))}</h2>']
    for held in document["credentials"]:
        rows = [(_("Issuer"), _e(held["issuer"])), (_("Issued"), _e(format_date(held["issued"]))),
                (_("Expires"), _e(format_date(held["expires"])) if held.get("expires") else _e(_("never"))),
                (_("Status"), _status(held["status"]) + (f' <span class="muted">({_e(_("expiring within 90 days"))})'
                                                         "</span>" if held["expiringSoon"] else "")),
                (_("Format"), _e(_(FORMAT_NAMES.get(held["format"], held["format"]))))]
        if held.get("issuerId"):
            rows.insert(1, (_("Issuer ID"), f'<span class="did">{_e(held["issuerId"])}</span>'))
        links = skills_of.get(held["id"], [])
        if links:
            rows.append((_("Skills"), ", ".join(f'<a href="#{anchor}">{_e(name)}</a>' for anchor, name in links)))
        if page_signed:
            rows.append((_("On this page"), _e(_("in the signed presentation") if held["id"] in signed
                                               else _("not in the signed presentation"))))
        cells = "".join(f"<dt>{_e(label)}</dt><dd>{value}</dd>" for label, value in rows)
        parts.append(f'<article class="credential" id="credential-{_anchor(held["id"])}">'
                     f'<h3>{_e(held["title"])}</h3><dl>{cells}</dl></article>')
    parts.append("</section>")
    return "".join(parts)


def _issuers_section(document: dict[str, Any]) -> str:
    rows = "".join(f'<tr><td>{_e(i["name"] or i["id"])}'
                   + (f'<br><span class="did">{_e(i["id"])}</span>' if i["id"] and i["name"] != i["id"] else "")
                   + f'</td><td class="number">{_e(format_number(i["credentials"]))}</td></tr>'
                   for i in document["issuers"])
    return (f'<section aria-labelledby="issuers"><h2 id="issuers">{_e(_("Issuers"))}</h2><table><thead><tr>'
            f'<th scope="col">{_e(_("Issuer"))}</th><th scope="col" class="number">{_e(_("Credentials"))}</th>'
            f"</tr></thead><tbody>{rows}</tbody></table></section>")


def _totals_section(document: dict[str, Any]) -> str:
    totals = [(_(name.capitalize()), format_number(value)) for name, value in document["totals"].items()
              if value is not None]
    if not totals:
        return ""
    cells = "".join(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>" for label, value in totals)
    return f'<section aria-labelledby="totals"><h2 id="totals">{_e(_("Totals"))}</h2><dl>{cells}</dl></section>'


def _footer(signed: bool) -> str:
    text = (_("This page carries a presentation signed by its holder: check it with 'skillpass verify "
              "FILE' (the page itself is not what is verified).") if signed else
            _("This page is not signed: to check these credentials, ask the holder to share them with "
              "'skillpass share', or for a passport made with --signed."))
    return f"<footer><p>{_e(text)}</p><p>{_e(_('Made with skillpass.'))}</p></footer>"


def _skills_by_credential(document: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for framework in document["frameworks"]:
        for n, skill in enumerate(framework["skills"]):
            for proof in skill["credentials"]:
                found.setdefault(proof["id"], []).append((_skill_anchor(framework["id"], n), skill["name"]))
    return found


def _status(status: str) -> str:
    kind = status if status in ("valid", "expired", "revoked", "suspended") else "other"
    return f'<span class="status status-{kind}">{_e(_(status))}</span>'


def _when(generated: str) -> str:
    return f"{format_date(generated)}, {generated[11:16]} UTC" if len(generated) >= 16 else format_date(generated)


def _data_block(presentation: dict[str, Any]) -> str:
    """The presentation as JSON that cannot end the script element early (HTML §4.12.1.3):
    `<`, `>` and `&` as JSON escapes, so the text parses back to the same value."""
    text = json.dumps(presentation, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _skill_anchor(framework: str, n: int) -> str:
    return f"skill-{_anchor(framework)}-{n}"


def _anchor(value: str) -> str:
    return _ANCHOR.sub("_", value)


def _e(value: Any) -> str:
    return html.escape(visible(value), quote=True)
