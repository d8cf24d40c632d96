"""The French catalog: the committed skillpass.mo is what the .po files make, every message the
sources and the command tree hold has its French, and the French keeps each placeholder."""

from __future__ import annotations

import re
import sys

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import messages  # noqa: E402  (scripts/messages.py)

KINDS = ("ui", "note", "help", "click", "error", "check", "label")
SCHEME = re.compile(r"^(did|data|https?|openid4vp|[A-Z]+[0-9]*)$")  # 'did:', 'SKP1:': a prefix, not a phrase


@pytest.fixture(scope="module")
def extracted() -> dict:
    return messages.extract()


def test_the_committed_mo_is_what_compile_makes_of_the_po_files() -> None:
    assert messages.MO.read_bytes() == messages.compile_catalog(), "run: python scripts/messages.py compile"


def test_the_mo_reads_back_with_the_standard_library() -> None:
    import gettext

    with messages.MO.open("rb") as mo:
        french = gettext.GNUTranslations(mo)
    assert french.gettext("Title") == "Titre"
    assert french.npgettext("count", "valid", "valid", 1) == "valide"
    assert french.npgettext("count", "valid", "valid", 2) == "valides"
    assert french.npgettext("count", "valid", "valid", 0) == "valide"  # French: the singular for 0


def test_a_msgid_defined_twice_is_an_error(tmp_path, monkeypatch) -> None:
    for name in ("a.po", "b.po"):
        (tmp_path / name).write_text('msgid "Title"\nmsgstr "Titre"\n', encoding="utf-8")
    monkeypatch.setattr(messages, "FRENCH", tmp_path)
    with pytest.raises(SystemExit, match="'Title' is defined in a.po:1 and in b.po:1"):
        messages.merged()


def test_templates_of_dynamic_messages(tmp_path) -> None:
    source = tmp_path / "example.py"
    source.write_text(
        'raise ExpiredError(f"the credential expired on {end}", hint=f"ask {issuer} for a new one")\n'
        'render.note("the wallet " "is empty")\n'
        'note(f"{a}: {b.message}")\n'
        'x = _("Title")\n', encoding="utf-8")
    found = {(msgid, kind) for msgid, kind, _line in messages.source_messages(source)}
    assert found == {("the credential expired on {0}", "error"), ("ask {0} for a new one", "error"),
                     ("the wallet is empty", "note"), ("{0}: {1}", "note"), ("Title", "ui")}
    assert not messages.usable("{0}: {1}")  # too little literal text to match anything safely


def test_a_warning_kept_for_later_is_extracted(tmp_path) -> None:
    source = tmp_path / "example.py"
    source.write_text(
        'warnings.append(f"credential {n} names no subject")\n'
        'self.warnings.append("no --challenge: it could be replayed")\n'
        'names.append("not a message")\n', encoding="utf-8")
    found = {(msgid, kind) for msgid, kind, _line in messages.source_messages(source)}
    assert found == {("credential {0} names no subject", "note"), ("no --challenge: it could be replayed", "note")}


def test_a_text_given_to_a_function_that_makes_an_error_of_it_is_extracted(tmp_path) -> None:
    source = tmp_path / "example.py"
    source.write_text(
        'def bad(message, code="E_X"):\n    return BadInputError(message, "ask again", code=code)\n'
        'def _malformed(what, reason):\n    return bad(f"malformed {what}: {reason}")\n'
        'def cut(data, limit):\n    return data[:limit]\n'
        'raise bad("the request is not an object")\n'
        'raise _malformed("the token", f"it has {n} parts")\n'
        'cut("not a message", 5)\n', encoding="utf-8")
    tree = messages._parsed(source)
    wrappers = messages.wrappers_of([tree])
    assert wrappers == {"bad": {0}, "_malformed": {0, 1}}
    found = {msgid for msgid, kind, _line in messages.source_messages(source, wrappers) if kind == "error"}
    assert found == {"ask again", "malformed {0}: {1}", "the request is not an object", "the token", "it has {0} parts"}


@pytest.mark.parametrize("kind", KINDS)
def test_every_extracted_message_has_its_french(extracted: dict, kind: str) -> None:
    """ui, note, help, click, check (a verifier check): skillpass.po; error: errors-a.po and errors-b.po."""
    missing = [e.msgid for e in messages.missing(extracted) if e.kind == kind]
    assert not missing, f"{len(missing)} {kind} msgid(s) without French:\n" + "\n".join(map(repr, missing))


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{[A-Za-z0-9_]*\}", text))


def test_the_french_keeps_every_placeholder() -> None:
    """Named fields ({date}, filled by str.format) are all kept; template fields ({0}) may be
    reordered, repeated or dropped (an English plural 's'), never invented."""
    wrong = []
    for message in messages.merged():
        for index, msgstr in enumerate(message.msgstr):
            source = _placeholders(message.plural if message.plural and index else message.msgid)
            french = _placeholders(msgstr)
            named = {p for p in source if not p[1:-1].isdigit()}
            if not french <= source or not named <= french:
                wrong.append((message.where, message.msgid, msgstr))
    assert not wrong, wrong


def test_french_typography_in_the_catalog() -> None:
    """A space before ; ? ! and before a colon that ends a phrase (not in 'did:', 'x509_hash:', quotes)."""
    def bad(text: str) -> list[str]:
        text = re.sub(r"'[^'\n]*'|\"[^\"\n]*\"|\S+://\S*", "", text)
        return [m.group(0) for m in re.finditer(r"(\S+)[;:?!](?=\s|$)", text)
                if "_" not in m.group(1) and not SCHEME.match(m.group(1))]

    found = [(m.where, m.msgid[:60], bad(s)) for m in messages.merged() for s in m.msgstr if bad(s)]
    assert not found, "\n".join(map(str, found))
