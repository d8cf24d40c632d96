"""The message catalogs: `extract` writes skillpass/locale/skillpass.pot from the sources, `compile`
merges every .po of skillpass/locale/fr/LC_MESSAGES/ into skillpass.mo (read at run time with
gettext.GNUTranslations).

    python scripts/messages.py extract     # after changing a message: then translate the new msgids
    python scripts/messages.py compile     # after changing a .po file (tests/test_catalogs.py checks)
    python scripts/messages.py missing     # the extracted msgids no .po translates
    python scripts/messages.py unused      # the translated msgids the sources no longer have

What is extracted: the literals of `_()`, `t()` and `render.t()`; each help text of the click
command tree; click's own strings; and the templates of dynamic messages: the first and second
positional arguments and `hint=` of calls to names ending in `Error`, the texts given to a
function that makes an error of them (`wrappers_of`: `bad(message)`, `_malformed(reason)`), the description and hint of each `Format(...)`
of formats/detect.py, and the argument of
`note()` / `render.note()`, and of `warnings.append()` (a warning printed later). A template is the f-string with each replacement field written `{0}`,
`{1}`, … in order of appearance (skillpass.i18n.translate_message matches them at run time).
Also the verifier's check names and details (and the reason of `unanswerable()`, the detail of a `StatusResult`): `checks.add(name, STATUS, detail)`,
`checks.run(name, ...)`, and the detail of each `(STATUS, detail)` tuple a check returns.
And the labels of the common fields (skillpass/present/labels.py COMMON_PATHS), each number a `{0}`.
"""

from __future__ import annotations

import ast
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "skillpass"
LOCALE = PACKAGE / "locale"
POT = LOCALE / "skillpass.pot"
FRENCH = LOCALE / "fr" / "LC_MESSAGES"
MO = FRENCH / "skillpass.mo"
HEADER = ("Project-Id-Version: skillpass\nLanguage: fr\nMIME-Version: 1.0\n"
          "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n"
          "Plural-Forms: nplurals=2; plural=(n > 1);\n")
# Strings typer's click prints that are not in the command tree: typer.core calls
# gettext.gettext for the section titles; the usage prefix and the help option's help are
# translated by skillpass.cli; the rest are usage errors as skillpass.cli.run prints them
# (first letter lowered, final period dropped), translated by render.error_line.
CLICK_STRINGS = (
    "Usage: ", "Options", "Arguments", "Commands", "Show this message and exit.", "default: {default}",
    "required", "env var: {var}", "(dynamic)", "Aborted!",
    "see 'skillpass --help'", "missing command", "no such option: {0}",
    "no such command {0}", "missing argument {0}", "missing option {0}", "missing parameter {0}",
    "got unexpected extra argument(s) ({0})", "invalid value for {0}: {1}", "invalid value: {0}",
    "option {0} requires an argument", "option {0} requires {1} arguments",
    "option {0} does not take a value", "{0} is not a valid int", "{0} is not a valid float",
    "{0} is not a valid boolean. Recognized values: {1}", "{0} is not a valid UUID",
    "{0} does not match the formats {1}", "{0} is not in the range {1}",
    "{0} values are required, but {1} given",
    "internal error ({0}: {1})", "run again with --debug and report it", "--lang needs a value",
    # the operating system's words, which errors carry as a value (`{exc.strerror}`)
    "No such file or directory", "Permission denied", "Is a directory", "Not a directory", "File exists",
    "No space left on device", "Read-only file system", "Directory not empty", "Too many levels of symbolic links",
    # the verifier's check names, built as f"{prefix} proof" (skillpass/verifier/checks.py)
    "presentation format", "holder proof", "credential {0} proof", "credential {0} disclosure",
    "credential {0} validity", "credential {0} status", "credential {0} holder binding",
    "credential {0} issuer trust",
)


@dataclass
class Entry:
    msgid: str
    kind: str  # ui, help, click, note, check (a verifier check's name and detail), error, label
    places: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    plural: str | None = None


# --- extract --------------------------------------------------------------------------------

def template_of(node: ast.AST) -> str | None:
    """The msgid of a message expression: a literal is itself, an f-string has `{N}` fields."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts, n = [], 0
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            else:
                parts.append(f"{{{n}}}")
                n += 1
        return "".join(parts)
    if isinstance(node, ast.IfExp):  # "a" if x else "b": both are messages; the first is returned
        return template_of(node.body)
    return None


def _messages_of(node: ast.AST) -> list[str]:
    if isinstance(node, ast.IfExp):
        return _messages_of(node.body) + _messages_of(node.orelse)
    if isinstance(node, ast.BoolOp):  # `hint or "the default hint"`
        return [text for value in node.values for text in _messages_of(value)]
    found = template_of(node)
    return [found] if found else []


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _parsed(path: Path) -> ast.AST | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8"), str(path))
    except SyntaxError as exc:  # a file being edited: its messages are extracted once it parses
        print(f"skipped {path}: {exc}", file=sys.stderr)
        return None


def _is_error_call(call: ast.Call, wrappers: dict[str, set[int]]) -> bool:
    name = _callee(call)
    return (name.endswith("Error") and name[:1].isupper()) or name in wrappers


def wrappers_of(trees: list[ast.AST]) -> dict[str, set[int]]:
    """The functions that make an error of a text they are given: name -> the positions of the
    parameters that reach the error's message or hint, alone or inside an f-string
    (`def bad(message): return BadInputError(message, ...)`, `def _malformed(reason): return
    BadInputError(f"unusable: {reason}")`), and the functions that pass them on to one of those."""
    functions = [node for tree in trees for node in ast.walk(tree)
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    wrappers: dict[str, set[int]] = {}
    for _ in range(3):  # a wrapper of a wrapper of an error
        for function in functions:
            params = [a.arg for a in function.args.posonlyargs + function.args.args]
            reached = set()
            for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
                if not _is_error_call(call, wrappers):
                    continue
                indices = wrappers.get(_callee(call), {0, 1})
                args = [a for i, a in enumerate(call.args) if i in indices] + [
                    k.value for k in call.keywords if k.arg in ("message", "hint", "reason")]
                reached |= {params.index(name) for arg in args for name in _names_in(arg) if name in params}
            if reached and function.name not in ("_", "t", "note"):
                wrappers.setdefault(function.name, set()).update(reached)
    return wrappers


def _names_in(arg: ast.AST) -> list[str]:
    """The variables a message argument is, or holds in its f-string fields."""
    if isinstance(arg, ast.Name):
        return [arg.id]
    if isinstance(arg, ast.JoinedStr):
        return [v.value.id for v in arg.values if isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Name)]
    return []


def source_messages(path: Path, wrappers: dict[str, set[int]] | None = None,
                    tree: ast.AST | None = None) -> list[tuple[str, str, int]]:
    """(msgid, kind, line) of one source file (`tree`: already parsed); `wrappers` (wrappers_of)
    are the functions that make an error of a text, whose texts are extracted as an error's."""
    found: list[tuple[str, str, int]] = []
    tree = tree or _parsed(path)
    if tree is None:
        return found
    wrappers = wrappers or {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _callee(node)
        if name in ("_", "t") and node.args:
            found += [(text, "ui", node.lineno) for text in _messages_of(node.args[0])
                      if isinstance(node.args[0], ast.Constant)]
        elif name in ("note", "warning_note") and node.args:
            found += [(text, "note", node.lineno) for text in _messages_of(node.args[0])]
        elif name == "append" and node.args and _is_warnings(node.func):  # a warning printed later
            found += [(text, "note", node.lineno) for text in _messages_of(node.args[0])]
        elif name == "StatusResult" and len(node.args) >= 3:  # skillpass/status: a status entry's detail
            found += [(text, "check", node.lineno) for text in _messages_of(node.args[2])]
        elif name == "unanswerable" and len(node.args) >= 4:  # skillpass/verifier/checks.py: the reason
            found += [(text, "check", node.lineno) for text in _messages_of(node.args[3])]
        elif name == "Format" and len(node.args) >= 3:  # formats/detect.py: a description, a hint
            found += [(text, "error", node.lineno) for arg in node.args[1:3] for text in _messages_of(arg)]
        elif name.endswith("Error") and name[:1].isupper():
            args = list(node.args[:2]) + [k.value for k in node.keywords if k.arg == "hint"]
            found += [(text, "error", node.lineno) for arg in args for text in _messages_of(arg)]
        elif name in ("add", "run") and node.args and _is_check_call(node):
            found += [(text, "check", node.lineno) for text in _messages_of(node.args[0])]
            if name == "add" and len(node.args) >= 3:
                found += [(text, "check", node.lineno) for text in _messages_of(node.args[2])]
        elif name == "refuse" and len(node.args) >= 2:  # encoding/xml_text.py: a reason its caller words
            found += [(text, "error", node.lineno) for text in _messages_of(node.args[1])]
        elif name in wrappers:
            found += [(text, "error", node.lineno) for i, arg in enumerate(node.args) if i in wrappers[name]
                      for text in _messages_of(arg) if " " in text.strip()]
    status_package = path.parent.name == "status"
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and len(node.elts) >= 2 and _is_status(node.elts[0]):
            found += [(text, "check", node.lineno) for text in _messages_of(node.elts[1])
                      if not (text.startswith("E_") and text.isupper())]  # (REVOKED, "E_REVOKED"): a code
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
              and node.targets[0].id in _MESSAGE_NAMES):  # reason = f"...": the message of an error made later
            found += [(text, "error", node.lineno) for text in _messages_of(node.value) if " " in text.strip()]
        elif status_package and isinstance(node, ast.Return) and node.value is not None:
            # skillpass/status: a detail made by a helper (_refusal, _where) and returned whole
            found += [(text, "check", node.lineno) for text in _messages_of(node.value) if " " in text]
    return found


_MESSAGE_NAMES = ("reason", "hint", "message", "why")  # a variable that holds an error's words
# skillpass.verifier.report's check statuses, and skillpass.status's states of a credential
_STATUSES = ("PASSED", "FAILED", "WARNING", "NOT_APPLICABLE", "NOT_CHECKED", "VALID", "REVOKED", "SUSPENDED",
             "STALE")


def _is_warnings(func: ast.AST) -> bool:
    """`warnings.append`, `self.warnings.append`: a list whose texts render.warning_note prints."""
    target = func.value if isinstance(func, ast.Attribute) else None
    name = target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else ""
    return name.endswith("warnings")


def _is_status(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id in _STATUSES) or \
        (isinstance(node, ast.Attribute) and node.attr in _STATUSES)


def _is_check_call(call: ast.Call) -> bool:
    """`checks.add(name, STATUS, detail)` and `checks.run(name, ...)`: a verifier check's name and detail."""
    func = call.func
    owner = func.value if isinstance(func, ast.Attribute) else None
    named_checks = isinstance(owner, ast.Name) and owner.id == "checks"
    return named_checks and (func.attr == "run" or (len(call.args) >= 2 and _is_status(call.args[1])))


def _lookup_texts() -> list[str]:
    """Words the renderers pass through `_` by value (statuses, outcomes, reasons)."""
    from skillpass import render
    from skillpass.render import fields

    texts = list(render.STATUS_STYLE) + list(render.IMPORT_STYLE) + list(render.CHECK_STYLE)
    texts += list(render.OUTCOME_TEXT.values()) + [w for w in fields._WHY.values() if w]
    return texts


def _label_texts() -> list[str]:
    """The labels of the common fields (present/labels.py), made from their paths as `show
    --fields` makes them: looked up whole, numbers as fields, so even "Result {0}" is used."""
    from skillpass.present.labels import common_labels

    return common_labels()


def help_texts() -> list[str]:
    """Every help and short help of the command tree, and each parameter's help, as click holds them."""
    import typer

    from skillpass.cli import app

    texts: list[str] = []

    def walk(command: object) -> None:
        texts.extend(t for t in (getattr(command, "help", None), getattr(command, "short_help", None)) if t)
        texts.extend(p.help for p in getattr(command, "params", []) if getattr(p, "help", None))
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(typer.main.get_command(app))
    return texts


def extract() -> dict[tuple[str | None, str], Entry]:
    entries: dict[tuple[str | None, str], Entry] = {}

    def add(msgid: str, kind: str, place: str) -> None:
        if not msgid.strip():
            return
        entry = entries.setdefault((None, msgid), Entry(msgid, kind))
        entry.places.add(place)
        if entry.kind == "error" and kind != "error":  # errors-*.po translate only what is an error alone
            entry.kind = kind

    trees = {path: tree for path in sorted(PACKAGE.rglob("*.py")) if (tree := _parsed(path)) is not None}
    wrappers = wrappers_of(list(trees.values()))
    for path, tree in trees.items():
        relative = path.relative_to(REPO).as_posix()
        for msgid, kind, line in source_messages(path, wrappers, tree):
            add(msgid, kind, f"{relative}:{line}")
    for text in _lookup_texts():
        add(text, "ui", "skillpass/render/__init__.py")
    from skillpass.present.labels import LABEL_CONTEXT

    for text in _label_texts():  # under their own context: never a template for a message
        entries.setdefault((LABEL_CONTEXT, text), Entry(text, "label", msgctxt=LABEL_CONTEXT)).places.add(
            "skillpass/present/labels.py (COMMON_PATHS)")
    for text in help_texts():
        add(text, "help", "skillpass/cli.py (command tree)")
    for text in CLICK_STRINGS:
        add(text, "click", "typer/_click")
    return entries


def usable(msgid: str) -> bool:
    """A template with too little literal text is never matched (i18n.MIN_TEMPLATE_TEXT): no entry."""
    import re

    from skillpass.i18n import MIN_TEMPLATE_TEXT

    if not re.search(r"\{\d+\}", msgid):
        return True
    return len(re.sub(r"\{\d+\}", "", msgid).strip()) >= MIN_TEMPLATE_TEXT


def _used(entry: Entry) -> bool:
    """A field label is looked up whole (labels.for_reader), never matched as a template."""
    return entry.kind == "label" or usable(entry.msgid)


def _quoted(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
               .replace("\b", "\\b"))
    lines = escaped.split("\n")
    if len(lines) == 1:
        return f'"{escaped}"'
    chunks = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return '""\n' + "\n".join(f'"{chunk}"' for chunk in chunks)


def write_pot(entries: dict[tuple[str | None, str], Entry]) -> None:
    out = ['msgid ""', f"msgstr {_quoted(HEADER)}", ""]
    for entry in sorted(entries.values(), key=lambda e: (e.kind, e.msgid)):
        if not _used(entry):
            continue
        out.append(f"#. {entry.kind}")
        out += [f"#: {place}" for place in sorted(entry.places)[:3]]
        out += [f"msgctxt {_quoted(entry.msgctxt)}"] if entry.msgctxt is not None else []
        out += [f"msgid {_quoted(entry.msgid)}", 'msgstr ""', ""]
    POT.parent.mkdir(parents=True, exist_ok=True)
    POT.write_text("\n".join(out), encoding="utf-8")


# --- .po and .mo ----------------------------------------------------------------------------

@dataclass
class Message:
    msgid: str
    msgstr: list[str]
    msgctxt: str | None = None
    plural: str | None = None
    where: str = ""

    @property
    def key(self) -> str:
        """The .mo key: context EOT msgid [NUL plural]."""
        key = self.msgid if self.plural is None else f"{self.msgid}\x00{self.plural}"
        return key if self.msgctxt is None else f"{self.msgctxt}\x04{key}"


def _unquote(text: str) -> str:
    return ast.literal_eval(text.strip())


def read_po(path: Path) -> list[Message]:
    """The translated messages of a .po file (an empty msgstr is untranslated, left out)."""
    messages: list[Message] = []
    current: dict[str, str] = {}
    last = ""
    start = 0

    def flush() -> None:
        if "msgid" in current:
            strs = [current[k] for k in sorted((k for k in current if k.startswith("msgstr")),
                                               key=lambda k: (len(k), k))]
            if any(strs) and current["msgid"]:
                messages.append(Message(current["msgid"], strs, current.get("msgctxt"),
                                        current.get("msgid_plural"), f"{path.name}:{start}"))
        current.clear()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            current[last] += _unquote(line)
            continue
        keyword, _space, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and "msgid" in current:
            flush()
        if keyword in ("msgctxt", "msgid") and not current:
            start = number
        current[keyword] = _unquote(rest)
        last = keyword
    flush()
    return messages


def merged() -> list[Message]:
    """Every message of every .po in skillpass/locale/fr/LC_MESSAGES; a msgid twice is an error."""
    seen: dict[str, Message] = {}
    twice = []
    for path in sorted(FRENCH.glob("*.po")):
        for message in read_po(path):
            if message.key in seen:
                twice.append(f"{message.msgid!r} is defined in {seen[message.key].where} and in {message.where}")
            seen[message.key] = message
    if twice:
        raise SystemExit("\n".join(["a msgid is translated once:", *twice]))
    return list(seen.values())


def mo_bytes(messages: list[Message]) -> bytes:
    """The GNU .mo file: magic, revision, count, the offsets of two tables of (length, offset)
    for the sorted msgids and their msgstrs, no hash table, then the NUL-terminated strings."""
    pairs = {"": HEADER} | {m.key: "\x00".join(m.msgstr) for m in messages}
    keys = sorted(pairs, key=lambda k: k.encode("utf-8"))
    ids = [k.encode("utf-8") for k in keys]
    strs = [pairs[k].encode("utf-8") for k in keys]
    count = len(keys)
    id_table, str_table = 28, 28 + 8 * count
    data_start = 28 + 16 * count
    blob = b""
    id_entries, str_entries = [], []
    for raw in ids:
        id_entries.append((len(raw), data_start + len(blob)))
        blob += raw + b"\x00"
    for raw in strs:
        str_entries.append((len(raw), data_start + len(blob)))
        blob += raw + b"\x00"
    head = struct.pack("<7I", 0x950412DE, 0, count, id_table, str_table, 0, data_start)
    tables = b"".join(struct.pack("<2I", *e) for e in id_entries + str_entries)
    return head + tables + blob


def compile_catalog() -> bytes:
    return mo_bytes(merged())


def missing(entries: dict[tuple[str | None, str], Entry] | None = None) -> list[Entry]:
    """The extracted msgids that no .po translates."""
    translated = {(m.msgctxt, m.msgid) for m in merged()}
    return [e for e in (entries or extract()).values() if (e.msgctxt, e.msgid) not in translated and _used(e)]


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(REPO))
    command = argv[0] if argv else ""
    if command == "extract":
        entries = extract()
        write_pot(entries)
        print(f"wrote {POT.relative_to(REPO)}: {sum(map(_used, entries.values()))} msgids")
    elif command == "compile":
        MO.write_bytes(compile_catalog())
        print(f"wrote {MO.relative_to(REPO)}")
    elif command == "missing":
        for entry in missing():
            print(f"{entry.kind}\t{sorted(entry.places)[0]}\t{entry.msgid!r}")
    elif command == "unused":  # translated msgids the sources no longer have
        from skillpass.present.labels import LABEL_CONTEXT

        wanted = {(e.msgctxt, e.msgid) for e in extract().values()}
        for message in merged():
            if message.msgctxt in (None, LABEL_CONTEXT) and (message.msgctxt, message.msgid) not in wanted:
                print(f"{message.where}\t{message.msgid!r}")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
