"""`skillpass verify` without typer: its parser keeps the typer command's options, its answers
are the typer command's (stdout, stderr, exit status), and it loads neither typer nor rich."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, TESTS
from issuing import new_issuer, ob3, sign
from terminal import read_until_closed

from skillpass.fastcli.verify_args import OPTIONS, VerifyArgs, parse

CHALLENGE, DOMAIN = "nonce-fast-1", "hiring.example"
# the typer path, exactly as __main__ reaches it when the fast parser hands over
TYPER = "import sys; from skillpass.cli import run; sys.exit(run(sys.argv[1:]))"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from skillpass.formats.ldp_vc.presentation import present
    from skillpass.present.select import REVEAL_ALL
    from skillpass.wallet.keys import generate_holder_key

    folder = tmp_path_factory.mktemp("verify-fast")
    key = generate_holder_key("Ed25519", "2026-11-01T00:00:00Z")
    issuer = new_issuer("Ed25519")
    credential = sign(ob3("Data Analysis Fundamentals", issuer=issuer, subject=key.did), issuer, "eddsa-rdfc-2022")
    presentation = present([(credential, REVEAL_ALL)], key=key, suite="eddsa-rdfc-2022",
                           challenge=CHALLENGE, domain=DOMAIN).presentation
    tampered = json.loads(json.dumps(presentation))
    tampered["verifiableCredential"][0]["name"] = "Tampered \x1b[31m"
    out = {"vp": presentation, "tampered": tampered, "credential": credential}
    paths = {name: folder / f"{name}.json" for name in out}
    for name, document in out.items():
        paths[name].write_text(json.dumps(document), encoding="utf-8")
    paths["junk"] = folder / "junk.txt"
    paths["junk"].write_text("not a presentation\n")
    paths["home"] = folder / "home"
    return paths


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SKILLPASS_", "PYTHON_KEYRING"))}
    env.update(SKILLPASS_HOME=str(home), PYTHONPATH=os.pathsep.join([str(REPO), str(TESTS)]),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", COLUMNS="200", SKILLPASS_LANG="en")
    env.pop("NO_COLOR", None)
    return env


def run(prefix: list[str], args: list[str], home: Path, stdin: bytes = b"") -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, *prefix, *args], input=stdin, capture_output=True,
                          env=_env(home), cwd=REPO, timeout=120)
    return proc.returncode, _steady(proc.stdout.decode()), proc.stderr.decode()


def _steady(stdout: str) -> str:
    """The report's `checked` time is the clock's: the one thing two runs may differ in."""
    import re

    return re.sub(r'"checked": "[^"]*"', '"checked": "T"', stdout)


# -- the parser keeps the typer command's options -------------------------------------------------


def _typer_verify() -> Any:
    import typer

    from skillpass.cli import app

    return typer.main.get_command(app).commands["verify"]


def test_the_fast_options_are_the_typer_commands() -> None:
    command = _typer_verify()
    options = {}
    for param in command.params:
        if param.param_type_name == "argument":
            assert (param.name, param.multiple or param.nargs == -1, param.required) == ("files", True, True)
            continue
        (flag,) = [o for o in param.opts if o.startswith("--")]
        kind = ("flag" if param.is_flag else "many" if param.multiple
                else "int" if type(param.type).__name__ == "IntParamType" else "value")
        options[flag] = (param.name, kind)
        assert not param.secondary_opts and [o for o in param.opts if not o.startswith("--")] == []
    assert options == OPTIONS
    fields = set(VerifyArgs.__dataclass_fields__)
    assert fields == {name for name, _ in OPTIONS.values()} | {"files"}
    defaults = {p.name: p.default for p in command.params if p.param_type_name == "option"}
    parsed = parse(["f.json"])
    assert parsed is not None
    assert parsed.max_age == defaults["max_age"] == 300


def test_the_parser_reads_every_documented_form() -> None:
    parsed = parse(["--challenge", "c1", "a.json", "--domain=d.example", "--json", "--allow-unbound",
                    "--require-trusted", "--context", "https://x.example/c=ctx.json", "--did", "d.json",
                    "--did=e.json", "--status-list", "s.json", "--max-age", "600", "--qr", "--home", "H",
                    "--passphrase-file", "P", "--", "--odd-name.json"])
    assert parsed == VerifyArgs(["a.json", "--odd-name.json"], challenge="c1", domain="d.example",
                                allow_unbound=True, require_trusted=True,
                                context=["https://x.example/c=ctx.json"], did_file=[Path("d.json"), Path("e.json")],
                                status_list=[Path("s.json")], max_age=600, qr=True, home=Path("H"),
                                passphrase_file=Path("P"), json_output=True)
    assert parse(["-"]) == VerifyArgs(["-"])


@pytest.mark.parametrize("args", [[], ["--help"], ["-h"], ["a.json", "--help"], ["a.json", "--bogus"],
                                  ["a.json", "--chal", "x"], ["a.json", "--challenge"],
                                  ["a.json", "--challenge", "--json"], ["a.json", "--json=yes"],
                                  ["a.json", "--max-age", "ten"], ["a.json", "--max-age", "-5"],
                                  ["a.json", "-j"]])
def test_anything_unusual_is_left_to_typer(args: list[str]) -> None:
    assert parse(args) is None


# -- the same answers by both paths ---------------------------------------------------------------

CASES = {
    "verified": (["{vp}", "--challenge", CHALLENGE, "--domain", DOMAIN], None),
    "verified json": (["{vp}", "--challenge", CHALLENGE, "--domain", DOMAIN, "--json"], None),
    "wrong challenge": (["{vp}", "--challenge", "other"], None),
    "tampered": (["--challenge", CHALLENGE, "{tampered}", "--domain", DOMAIN], None),
    "a credential": (["{credential}", "--json"], None),
    "stdin": (["-", "--challenge", CHALLENGE, "--domain", DOMAIN], "vp"),
    "not a presentation": (["{junk}"], None),
    "missing file": (["{home}/none.json"], None),
    "bad max age": (["{vp}", "--max-age", "0"], None),
    "bad context": (["{vp}", "--context", "nothing-here"], None),
    "unknown DID file": (["{vp}", "--did", "{home}/none.json"], None),
    "many files": (["{vp}", "{tampered}", "{junk}", "{credential}", "--challenge", CHALLENGE], None),
    "many files json": (["{vp}", "{junk}", "--challenge", CHALLENGE, "--domain", DOMAIN, "--json"], None),
    "help": (["--help"], None),  # handed to typer: the same answer by construction, kept as a hand-off check
    "unknown option": (["{vp}", "--bogus"], None),  # the same
    # read by the fast parser itself (test_these_cases_are_read_by_the_fast_parser): could differ
    "empty challenge": (["{vp}", "--challenge=", "--domain", DOMAIN], None),
    "repeated challenge": (["{vp}", "--challenge", "other", "--domain", DOMAIN, "--challenge", CHALLENGE], None),
    "dash file after --": (["--challenge", CHALLENGE, "--", "-file"], None),
    "a file named --json": (["--challenge", CHALLENGE, "--", "--json"], None),
    "max age 0": (["{vp}", "--max-age", "0", "--challenge", CHALLENGE], None),
    "max age =0": (["{vp}", "--max-age=0", "--challenge", CHALLENGE], None),
    "max age at most": (["{vp}", "--max-age", "999999999", "--challenge", CHALLENGE, "--domain", DOMAIN], None),
    # handed to typer (not a plain whole number of at most 9 digits): its answer must be the same
    "max age +5": (["{vp}", "--max-age=+5", "--challenge", CHALLENGE, "--domain", DOMAIN], None),
    "max age too large": (["{vp}", "--max-age", "1000000001", "--challenge", CHALLENGE], None),
    "max age overflow": (["{vp}", "--max-age", "100000000000000000000", "--challenge", CHALLENGE], None),
}
FAST = {"empty challenge", "repeated challenge", "dash file after --", "a file named --json", "max age 0",
        "max age =0", "max age at most"}
HANDED = {"help", "unknown option", "max age +5", "max age too large", "max age overflow"}
TOO_LARGE = "skillpass: error: --max-age takes at most 1000000000 seconds (about 31 years); e.g. --max-age 600\n"


def test_these_cases_are_read_by_the_fast_parser() -> None:
    def parsed(case: str) -> VerifyArgs | None:
        return parse([a.replace("{vp}", "vp.json") for a in CASES[case][0]])

    assert all(parsed(case) is not None for case in FAST)
    assert all(parsed(case) is None for case in HANDED)
    assert parse(["vp.json", "--challenge", "a", "--challenge", "b"]).challenge == "b"  # type: ignore[union-attr]
    assert parse(["--", "--json"]) == VerifyArgs(["--json"])
    assert parse(["vp.json", "--challenge="]) == VerifyArgs(["vp.json"], challenge="")


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_fast_path_answers_as_typer_does(files: dict[str, Path], case: str) -> None:
    template, stdin_name = CASES[case]
    args = ["verify", *(a.format(**{k: str(v) for k, v in files.items()}) for a in template)]
    stdin = files[stdin_name].read_bytes() if stdin_name else b""
    fast = run(["-m", "skillpass"], args, files["home"], stdin)
    typed = run(["-c", TYPER], args, files["home"], stdin)
    assert fast == typed
    assert fast[0] in (0, 2, 8, 9, 10, 13), fast
    if case.startswith("max age") and case not in ("max age at most", "max age +5"):
        assert fast[0] == 2 and fast[1] == "", fast  # a usage error, one line, never an internal one
    if case in ("max age too large", "max age overflow"):
        assert fast[2] == TOO_LARGE
    if case in ("empty challenge", "repeated challenge", "max age at most", "max age +5"):
        assert fast[0] == (2 if case == "empty challenge" else 0), fast
    if case == "empty challenge":  # a blank challenge would bind the presentation to nothing
        assert fast[2] == "skillpass: error: --challenge is empty; give --challenge a value, or leave it out\n"


def test_the_terminal_report_is_the_same_by_both_paths(files: dict[str, Path]) -> None:
    args = ["verify", str(files["tampered"]), "--challenge", CHALLENGE, "--domain", DOMAIN]
    fast = on_terminal(["-m", "skillpass", *args], files["home"])
    typed = on_terminal(["-c", TYPER, *args], files["home"])
    assert fast == typed
    assert b"\x1b[31m" in fast and b"\\x1b[31m" in fast  # coloured verdict; the outside text escaped


def on_terminal(argv: list[str], home: Path) -> bytes:
    primary, secondary = pty.openpty()
    env = dict(_env(home), TERM="xterm-256color", COLUMNS="160", LINES="50")
    proc = subprocess.Popen([sys.executable, *argv], stdin=secondary, stdout=secondary, stderr=secondary,
                            env=env, cwd=REPO)
    os.close(secondary)
    seen = read_until_closed(primary)
    proc.wait(timeout=30)
    return seen


# -- what the fast path loads ----------------------------------------------------------------------

LOADED = ("import sys; from skillpass.__main__ import main; status = main(sys.argv[1:]); "
          "open(sys.argv[-1] + '.modules', 'w').write('\\n'.join(sorted(sys.modules))); sys.exit(status)")


def _modules(files: dict[str, Path], *extra: str) -> set[str]:
    args = ["verify", str(files["vp"]), "--challenge", CHALLENGE, "--domain", DOMAIN, *extra]
    out = files["home"].parent / "loaded"
    proc = subprocess.run([sys.executable, "-c", LOADED.replace("sys.argv[-1]", repr(str(out))), *args],
                          capture_output=True, env=_env(files["home"]), cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return set(Path(str(out) + ".modules").read_text().split())


@pytest.mark.parametrize("extra", [(), ("--json",)])
def test_verify_loads_neither_typer_nor_click_nor_rich(files: dict[str, Path], extra: tuple[str, ...]) -> None:
    loaded = _modules(files, *extra)
    assert "skillpass.verifier" in loaded  # it did verify
    assert {m.split(".")[0] for m in loaded} & {"typer", "click", "rich", "shellingham"} == set()
    assert "skillpass.cli" not in loaded and "skillpass.commands" not in loaded


def test_verify_loads_no_network_document_loader(files: dict[str, Path]) -> None:
    loaded = _modules(files)
    assert {m.split(".")[0] for m in loaded} & {"aiohttp", "requests", "asyncio"} == set()


# What an eddsa-rdfc-2022 presentation of one JSON-LD credential has no use for: the other
# suites and formats, cryptography's PEM/SSH serialization and OpenSSL cipher backend, lxml
# (pyld's HTML documents), the zip reader behind importlib.resources.
NOT_NEEDED = ("skillpass.suites.ecdsa_sd_2023", "skillpass.suites.sd_primitives", "skillpass.suites.sd_cbor",
              "skillpass.suites.ecdsa_rdfc_2019", "skillpass.suites.ecdsa_jcs_2019", "skillpass.suites.eddsa_jcs_2022",
              "skillpass.suites.ed25519_signature_2020", "skillpass.suites.ed25519_signature_2018", "cbor2",
              "skillpass.formats.sd_jwt_vc", "skillpass.formats.jose", "skillpass.formats.mattr_cwt",
              "skillpass.formats.mycreds", "skillpass.formats.baked", "skillpass.qr",
              "cryptography.hazmat.primitives.serialization", "cryptography.hazmat.primitives.serialization.ssh",
              "cryptography.hazmat.backends.openssl", "lxml.html", "lxml.etree", "zipfile")


def test_an_eddsa_presentation_loads_only_what_it_needs(files: dict[str, Path]) -> None:
    loaded = _modules(files)
    assert {"skillpass.suites.eddsa_rdfc_2022", "pyld.jsonld", "skillpass.summary"} <= loaded  # it did verify
    assert sorted(set(NOT_NEEDED) & loaded) == []


def test_what_verify_leaves_out_still_works_when_asked_for() -> None:
    # lxml.html is a stand-in while pyld imports: pyld's own use of it imports the real module.
    code = ("import sys; from skillpass.jsonld.pyld_offline import jsonld; j = jsonld(); "
            "assert 'lxml.etree' not in sys.modules and 'lxml.html' not in sys.modules; "
            "print(j.lxml.html.fromstring('<p>x</p>').text); import lxml.html; "
            "print(lxml.html is j.lxml.html, lxml.html.__spec__ is not None)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["x", "True", "True"]
