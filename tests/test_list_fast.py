"""`skillpass list` and `skillpass passport` without typer: their parsers keep the typer commands'
options, their answers are the typer commands' (stdout, stderr, exit status, files written), and
they load neither typer, click nor rich."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, TESTS
from terminal import read_until_closed

from skillpass.fastcli.rows_args import (
    LIST_OPTIONS,
    PASSPORT_OPTIONS,
    ListArgs,
    PassportArgs,
    parse_list,
    parse_passport,
)

FIXED = TESTS / "data" / "rows" / "home"  # 30 credentials (tests/data/rows/make_wallet.py)
PASSPHRASE = "fixed wallet passphrase"
FAST = "import sys, cheap_kdf; from skillpass.__main__ import main; sys.exit(main(sys.argv[1:]))"
# the typer path, exactly as __main__ reaches it when the fast parser hands over
TYPER = "import sys, cheap_kdf; from skillpass.cli import run; sys.exit(run(sys.argv[1:]))"
# the passport's `generated` time in JSON, in piped records, and on the page to the minute
# ("Made on 2 December 2026, 15:33 UTC", "Produit le ..."): two runs may straddle a minute
GENERATED = re.compile(r'"generated": "[^"]*"|generated [0-9T:Z-]+|"generated":"[^"]*"'
                       r'|(Made on|Produit le) [^;<]* UTC')


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("list-fast")
    home = folder / "home"
    shutil.copytree(FIXED, home)
    os.chmod(home, 0o700)
    passphrase = folder / "passphrase.txt"
    passphrase.write_text(PASSPHRASE + "\n")
    wrong = folder / "wrong.txt"
    wrong.write_text("not the passphrase\n")
    return {"home": home, "passphrase": passphrase, "wrong": wrong, "out": folder / "out", "none": folder / "none"}


def _env(home: Path, passphrase: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SKILLPASS_", "PYTHON_KEYRING"))}
    env.update(SKILLPASS_HOME=str(home), PYTHONPATH=os.pathsep.join([str(REPO), str(TESTS)]),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", COLUMNS="200", SKILLPASS_LANG="en")
    if passphrase:
        env["SKILLPASS_PASSPHRASE"] = PASSPHRASE
    env.pop("NO_COLOR", None)
    return env


def run(code: str, args: list[str], home: Path, passphrase: bool = True) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-c", code, *args], input=b"", capture_output=True,
                          env=_env(home, passphrase), cwd=REPO, timeout=120)
    return proc.returncode, _steady(proc.stdout.decode()), proc.stderr.decode()


def _steady(text: str) -> str:
    """The passport's `generated` time is the clock's: the one thing two runs may differ in."""
    return GENERATED.sub("generated", text)


# -- the parsers keep the typer commands' options -------------------------------------------------


def _typer_command(name: str) -> Any:
    import typer

    from skillpass.cli import app

    return typer.main.get_command(app).commands[name]


@pytest.mark.parametrize(("name", "table", "args_type"), [("list", LIST_OPTIONS, ListArgs),
                                                          ("passport", PASSPORT_OPTIONS, PassportArgs)])
def test_the_fast_options_are_the_typer_commands(name: str, table: dict[str, Any], args_type: Any) -> None:
    command = _typer_command(name)
    options = {}
    for param in command.params:
        assert param.param_type_name == "option", param.name  # neither command takes an argument
        (flag,) = [o for o in param.opts if o.startswith("--")]
        kind = ("flag" if param.is_flag else "many" if param.multiple
                else "int" if type(param.type).__name__ == "IntParamType" else "value")
        options[flag] = (param.name, kind)
        assert not param.secondary_opts and [o for o in param.opts if not o.startswith("--")] == []
    assert options == table
    assert set(args_type.__dataclass_fields__) == {field for field, _ in table.values()}
    defaults = {p.name: p.default for p in command.params}
    assert {f: getattr(args_type(), f) for f in defaults} == defaults


def test_the_parsers_read_every_documented_form() -> None:
    assert parse_list([]) == ListArgs()
    assert parse_list(["--skill", "data", "--issuer=Boréal", "--framework", "esco", "--since", "2025-01-01",
                       "--status", "valid", "--search", "", "--sort", "title", "--sort=issuer", "--home", "H",
                       "--passphrase-file", "P", "--json"]) == ListArgs(
        "data", "Boréal", "esco", "2025-01-01", "valid", "", "issuer", Path("H"), Path("P"), True)
    assert parse_passport(["--html", "-", "--pdf=p.pdf", "--signed", "--force", "--lang", "fr",
                           "--status", "expired"]) == PassportArgs(
        status="expired", lang="fr", html=Path("-"), pdf=Path("p.pdf"), signed=True, force=True)


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["extra"], ["--", "x"], ["--json=yes"], ["--sort"],
                                  ["--skill", "--json"], ["--bogus"], ["--jso"], ["-j"], ["--html", "x"]])
def test_anything_unusual_is_left_to_typer(args: list[str]) -> None:
    assert parse_list(args) is None
    if args != ["--html", "x"]:
        assert parse_passport(args) is None


# -- the same answers by both paths ---------------------------------------------------------------

CASES: dict[str, tuple[list[str], bool]] = {  # arguments, and whether the passphrase is given
    "list json": (["list", "--json"], True),
    "list piped": (["list"], True),
    "list filtered": (["list", "--issuer", "a", "--status", "valid", "--sort", "title", "--json"], True),
    "list since": (["list", "--since", "2030-01-01", "--sort=added"], True),
    "list search": (["list", "--search", "safety", "--json"], True),
    "list skill": (["list", "--skill", "data", "--framework", "esco"], True),
    "list matches none": (["list", "--search", "no such thing anywhere"], True),
    "list bad sort": (["list", "--sort", "size"], True),
    "list bad status": (["list", "--status", "lost"], True),
    "list bad since": (["list", "--since", "yesterday"], True),
    "list passphrase file": (["list", "--passphrase-file", "{passphrase}", "--json"], False),
    "list wrong passphrase": (["list", "--passphrase-file", "{wrong}"], False),
    "list locked": (["list", "--json"], False),
    "list no wallet": (["list", "--home", "{none}"], True),
    "list bad option": (["list", "--bogus"], True),
    "list extra argument": (["list", "extra"], True),
    "list help": (["list", "--help"], True),
    "passport json": (["passport", "--json"], True),
    "passport piped": (["passport"], True),
    "passport filtered": (["passport", "--framework", "esco", "--status", "valid", "--json"], True),
    "passport skill": (["passport", "--skill", "data"], True),
    "passport since": (["passport", "--since", "2020-01-01", "--issuer", "o", "--json"], True),
    "passport page to stdout": (["passport", "--html", "-"], True),
    "passport page in French": (["passport", "--lang", "fr", "--html", "-"], True),
    "passport page file": (["passport", "--html", "{out}.html", "--json"], True),
    "passport page file exists": (["passport", "--html", "{passphrase}"], True),
    "passport page and json": (["passport", "--html", "-", "--json"], True),
    "passport force alone": (["passport", "--force"], True),
    "passport signed alone": (["passport", "--signed"], True),
    "passport bad lang": (["passport", "--lang", "de"], True),
    "passport bad status": (["passport", "--status", "lost"], True),
    "passport locked": (["passport"], False),
    "passport no wallet": (["passport", "--json", "--home", "{none}"], True),
    "passport bad option": (["passport", "--bogus"], True),
    "passport help": (["passport", "--help"], True),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_fast_path_answers_as_typer_does(homes: dict[str, Path], case: str) -> None:
    template, passphrase = CASES[case]
    args = [a.format(**{k: str(v) for k, v in homes.items()}) for a in template]
    written = Path(str(homes["out"]) + ".html")
    answers, pages = [], []
    for code in (FAST, TYPER):
        written.unlink(missing_ok=True)
        answers.append(run(code, args, homes["home"], passphrase))
        pages.append(_steady(written.read_text()) if written.exists() else None)
    assert answers[0] == answers[1]
    assert pages[0] == pages[1]
    status, stdout, stderr = answers[0]
    assert status in (0, 2, 3, 4, 5, 6, 7, 13), answers[0]
    if status == 0 and "help" not in case:
        assert stdout or stderr  # it printed something: data, or the note of no match / a file written
    if status not in (0, 2):
        assert stderr.startswith("skillpass: error: ") and stderr.count("\n") == 1, stderr
    if case == "passport page file":
        assert pages[0] is not None and pages[0].startswith("<!DOCTYPE html>")


def test_the_cases_cover_the_outcomes(homes: dict[str, Path]) -> None:
    """The cases above are not all one answer: data, usage errors, a locked wallet, typer's help."""
    seen = {case: run(FAST, [a.format(**{k: str(v) for k, v in homes.items()}) for a in args], homes["home"],
                      passphrase)[0] for case, (args, passphrase) in CASES.items()
            if case in ("list json", "list bad sort", "list locked", "list help", "list no wallet")}
    assert seen["list json"] == 0 and seen["list help"] == 0
    assert seen["list bad sort"] == 2
    assert len({seen["list locked"], seen["list no wallet"]} - {0, 2}) >= 1


@pytest.mark.parametrize("args", [["list"], ["passport"], ["list", "--status", "expired"]])
def test_the_terminal_view_is_the_same_by_both_paths(homes: dict[str, Path], args: list[str]) -> None:
    fast = on_terminal(FAST, args, homes["home"])
    typed = on_terminal(TYPER, args, homes["home"])
    assert fast == typed
    assert b"\x1b[" in fast  # coloured statuses (no NO_COLOR)
    assert b"\t" not in fast  # laid out for a person, not TSV


def test_no_color_is_kept_on_the_fast_path(homes: dict[str, Path]) -> None:
    plain = on_terminal(FAST, ["list"], homes["home"], NO_COLOR="1")
    assert plain and b"\x1b[3" not in plain


def on_terminal(code: str, args: list[str], home: Path, **extra: str) -> bytes:
    primary, secondary = pty.openpty()
    env = dict(_env(home, True), TERM="xterm-256color", COLUMNS="160", LINES="50", **extra)
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdin=secondary, stdout=secondary,
                            stderr=secondary, env=env, cwd=REPO)
    os.close(secondary)
    seen = read_until_closed(primary)
    proc.wait(timeout=30)
    return _steady(seen.decode("utf-8", "replace")).encode()


# -- what the fast path loads ----------------------------------------------------------------------

LOADED = ("import sys, cheap_kdf; from skillpass.__main__ import main; status = main(sys.argv[1:]); "
          "open(OUT, 'w').write('\\n'.join(sorted(sys.modules))); sys.exit(status)")


@pytest.mark.parametrize("args", [["list"], ["list", "--json", "--search", "a"], ["passport"],
                                  ["passport", "--json"], ["passport", "--html", "{out}.page.html"]])
def test_list_and_passport_load_neither_typer_nor_click_nor_rich(homes: dict[str, Path], args: list[str]) -> None:
    out = homes["out"].parent / "loaded.txt"
    args = [a.format(out=homes["out"]) for a in args]
    proc = subprocess.run([sys.executable, "-c", LOADED.replace("OUT", repr(str(out))), *args],
                          capture_output=True, env=_env(homes["home"], True), cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr
    loaded = set(out.read_text().split())
    assert "skillpass.flow.listing" in loaded and "skillpass.wallet.wallet" in loaded  # it read the wallet
    assert {m.split(".")[0] for m in loaded} & {"typer", "click", "rich", "shellingham"} == set()
    assert "skillpass.cli" not in loaded and "skillpass.commands" not in loaded
