"""`passport --json`: the text of `json_text.dumps_indented(passport.to_dict())`, byte for byte,
written straight from the Passport's credentials and skills.

The document of ten thousand credentials is 14 MB of text, and most of it is three lists of
records of a known shape: a credential's evidence under each skill it proves, the credential
records and the timeline. Making each record a dict and handing the dicts to an encoder cost
more than half of the command; here each record is one f-string of its values' JSON text, and
each distinct string is encoded once (twenty issuers, a few hundred titles, a few statuses),
by the same `encode_basestring` as json.dumps, so the same characters are escaped and non-ASCII
stays as it is. The layout is `indent=2`'s: an item on a line of its own, indented by its depth,
", " nowhere, ": " after each key. The small members (holder, filters, counts, issuers, totals)
go through json_text as they did.

Every value is encoded before the first chunk is given out; a value of another type than those
the records hold (str, None, bool, int) hands the whole document to json_text instead, which
gives the same text or the same error.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from skillpass.encoding.json_text import dumps_indented, encode_basestring, object_chunks
from skillpass.passport.build import SCHEMA_VERSION, Held, Passport
from skillpass.passport.skills import FRAMEWORK_NAMES, FRAMEWORKS

BATCH = 256  # records a chunk: one write per batch, not per record


class _Unhandled(Exception):
    """A value the records do not hold: the document goes to json_text."""


class _Encoded(dict[Any, str]):
    """The JSON text of each string (and None) met, encoded once."""

    def __init__(self) -> None:
        super().__init__({None: "null"})

    def __missing__(self, value: Any) -> str:
        if type(value) is not str:
            raise _Unhandled(type(value).__name__)
        text = self[value] = encode_basestring(value)
        return text


def document_chunks(passport: Passport) -> Iterator[str]:
    """The text of `dumps_indented(passport.to_dict())` in pieces (no newline at the end)."""
    try:
        texts = _Texts(passport)
    except (_Unhandled, TypeError):  # TypeError: a value that is no dict key (a list, a dict)
        yield from object_chunks(passport.json_parts(shared=True))
        return
    yield from texts.chunks()


class _Texts:
    """The JSON text of one passport's records, made before any of it is written: the
    evidence under the skills (the same for each skill a credential proves), the credential
    records and the timeline's, one f-string each."""

    def __init__(self, passport: Passport) -> None:
        self.passport, langs = passport, passport.langs
        encoded = self.encoded = _Encoded()
        # Each credential's values as JSON text: its evidence's five, then the records' others
        # (ids are each their own: encoded as they come, never kept; a text without languages is
        # its default, read here rather than through a call of LangText.pick for each)
        self.values = [(encode_basestring(held.id),
                        encoded[held.title.default if not held.title.langs else held.title.pick(langs)],
                        encoded[held.issuer.default if not held.issuer.langs else held.issuer.pick(langs)],
                        encoded[held.awarded or held.issued], encoded[held.status], encoded[held.issuer_id or None],
                        encoded[held.format], encoded[held.kind], encoded[held.expires or None],
                        _boolean(held.expiring_soon), len(held.skills), encoded[held.awarded or held.issued or None])
                       for held in passport.credentials]
        # f-strings of unpacked values, not str.format (which reads its template again each call):
        # a third of the time. Held.evidence, as a skill's credentials list holds it, six deep
        self.evidence = {
            held.id: f'\n            {{\n              "id": {cid},\n              "title": {title},\n'
                     f'              "issuer": {issuer},\n              "issued": {issued},\n'
                     f'              "status": {status}\n            }}'
            for held, (cid, title, issuer, issued, status, *_) in zip(passport.credentials, self.values)}
        self.skills = [self._skill(skill) for skill in passport.skills]

    def _records(self) -> Iterator[str]:
        """Passport.json_parts' `credentials`, one deep: each the evidence, then the rest."""
        return _batched(f'\n    {{\n      "id": {cid},\n      "title": {title},\n      "issuer": {issuer},\n'
                        f'      "issued": {issued},\n      "status": {status},\n      "issuerId": {issuer_id},\n'
                        f'      "format": {form},\n      "kind": {kind},\n      "expires": {expires},\n'
                        f'      "expiringSoon": {soon},\n      "skills": {skills}\n    }}'
                        for cid, title, issuer, issued, status, issuer_id, form, kind, expires, soon, skills, _
                        in self.values)

    def _timeline(self) -> Iterator[str]:
        """Passport.timeline(), one deep."""
        held = self.passport.credentials
        order = sorted(range(len(held)), key=[(h.awarded or h.issued or "~", h.id) for h in held].__getitem__)
        values = self.values
        return _batched(f'\n    {{\n      "date": {date},\n      "id": {cid},\n      "title": {title},\n'
                        f'      "issuer": {issuer},\n      "kind": {kind},\n      "status": {status}\n    }}'
                        for cid, title, issuer, _, status, _, _, kind, _, _, _, date in map(values.__getitem__, order))

    def _evidence(self, held: Held) -> str:
        """Held.evidence as JSON text, six deep: a credential a skill lists and the passport does not."""
        encoded, langs = self.encoded, self.passport.langs
        return (f'\n            {{\n              "id": {encode_basestring(held.id)},\n'
                f'              "title": {encoded[held.title.pick(langs)]},\n'
                f'              "issuer": {encoded[held.issuer.pick(langs)]},\n'
                f'              "issued": {encoded[held.awarded or held.issued]},\n'
                f'              "status": {encoded[held.status]}\n            }}')

    def _skill(self, skill: Any) -> tuple[str, str]:
        """Skill.to_dict() four deep, on its own line: its head, and its list of evidence."""
        encoded, langs = self.encoded, self.passport.langs
        framework_name = skill.framework_name.pick(langs) if skill.framework_name else None
        head = (f'\n        {{\n          "name": {encoded[skill.name.pick(langs)]},\n'
                f'          "framework": {encoded[skill.framework]},\n'
                f'          "frameworkName": {encoded[framework_name]},\n          "code": {encoded[skill.code]},\n'
                f'          "url": {encoded[skill.url]},\n          "credentials": ')
        for held in skill.proofs:
            if held.id not in self.evidence:
                self.evidence[held.id] = self._evidence(held)
        return head, skill.framework

    def chunks(self) -> Iterator[str]:
        passport = self.passport
        yield f'{{\n  "version": {SCHEMA_VERSION},\n  "generated": {self.encoded[passport.generated]},\n  "holder": '
        yield _small({"name": passport.holder_name, "dids": list(passport.holder_dids)})
        yield ',\n  "filters": '
        yield _small(passport.filters.to_dict())
        yield ',\n  "counts": '
        yield _small(passport.counts())
        yield ',\n  "frameworks": '
        yield from self._frameworks()
        yield ',\n  "credentials": '
        yield from self._records()
        yield ',\n  "timeline": '
        yield from self._timeline()
        self.values = []
        yield ',\n  "issuers": '
        yield _small(passport.issuers())
        yield ',\n  "totals": '
        yield _small(passport.totals())
        yield "\n}"

    def _frameworks(self) -> Iterator[str]:
        """Passport.frameworks(): each framework's skills, one chunk a skill."""
        by_framework: dict[str, list[tuple[Any, str]]] = {}
        for skill, (head, framework) in zip(self.passport.skills, self.skills):
            by_framework.setdefault(framework, []).append((skill, head))
        shown = [framework for framework in FRAMEWORKS if framework in by_framework]
        if not shown:
            yield "[]"
            return
        evidence = self.evidence
        for n, framework in enumerate(shown):
            yield (f'{"," if n else "["}\n    {{\n      "id": {self.encoded[framework]},\n'
                   f'      "name": {encode_basestring(FRAMEWORK_NAMES[framework])},\n      "skills": [')
            for m, (skill, head) in enumerate(by_framework[framework]):
                if not skill.proofs:
                    yield f"{',' if m else ''}{head}[]\n        }}"
                else:  # the skill's credentials list, five deep
                    yield (f"{',' if m else ''}{head}[{','.join([evidence[held.id] for held in skill.proofs])}"
                           "\n          ]\n        }")
            yield "\n      ]\n    }"
        yield "\n  ]"
        self.evidence = {}  # written: the credential records make their own


def _boolean(value: Any) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    raise _Unhandled(type(value).__name__)


def _batched(records: Iterator[str]) -> Iterator[str]:
    """A list one deep of the records' texts, BATCH records a chunk."""
    first = True
    while batch := list(islice(records, BATCH)):
        yield ("[" if first else ",") + ",".join(batch)
        first = False
    yield "[]" if first else "\n  ]"


def _small(value: Any) -> str:
    """A member's value as it is one deep in the document (JSON text holds no raw newline but
    the layout's)."""
    return dumps_indented(value).replace("\n", "\n  ")
