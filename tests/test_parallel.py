"""Many files on every core: the same results as one at a time, in input order, the wallet
written by the parent alone; a progress bar on a terminal only; workers stopped on Ctrl-C."""

from __future__ import annotations

import concurrent.futures
import io
import json
import os
import pty
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, TESTS, sources
from issuing import new_issuer, ob3, sign
from terminal import read_until_closed

from skillpass import flow, parallel
from skillpass.progress import Bar, progress

CHALLENGE, DOMAIN = "nonce-many", "hiring.example"
NOW = datetime(2026, 11, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Presentations and credentials of every kind a verifier meets: valid, tampered, expired,
    not a credential at all, missing; each several times, more than the threshold."""
    from skillpass.formats.ldp_vc.presentation import present
    from skillpass.present.select import REVEAL_ALL
    from skillpass.wallet.keys import generate_holder_key

    folder = tmp_path_factory.mktemp("many")
    key = generate_holder_key("Ed25519", "2026-11-01T00:00:00Z")
    issuer = new_issuer("Ed25519")
    credentials = [sign(ob3(f"Skill {n}", issuer=issuer, subject=key.did, n=n), issuer, "eddsa-rdfc-2022")
                   for n in range(1, 7)]
    expired = sign(ob3("Expired skill", issuer=issuer, subject=key.did, n=50,
                       validUntil="2026-03-01T00:00:00Z"), issuer, "eddsa-rdfc-2022")
    tampered = json.loads(json.dumps(credentials[0]))
    tampered["id"], tampered["name"] = "urn:uuid:tampered", "Tampered"

    def write(name: str, document: Any) -> str:
        path = folder / name
        path.write_text(document if isinstance(document, str) else json.dumps(document))
        return str(path)

    def vp(credential: dict[str, Any]) -> dict[str, Any]:
        return present([(credential, REVEAL_ALL)], key=key, suite="eddsa-rdfc-2022",
                       challenge=CHALLENGE, domain=DOMAIN).presentation

    good = [write(f"vp{n}.json", vp(c)) for n, c in enumerate(credentials)]
    bad_vp = vp(credentials[1])
    bad_vp["verifiableCredential"][0]["name"] = "Tampered"
    presentations = [good[0], write("vp-tampered.json", bad_vp), write("vp-expired.json", vp(expired)),
                     write("junk.txt", "not a presentation"), str(folder / "missing.json"), *good[1:],
                     write("credential.json", credentials[0]), good[0]]
    creds = [write(f"c{n}.json", c) for n, c in enumerate(credentials)]
    imports = [creds[0], write("c-tampered.json", tampered), write("c-expired.json", expired),
               write("c-junk.json", "{\"not\": \"a credential\"}"), *creds[1:], creds[0],
               write("c-array.json", credentials[2:4])]
    return {"verify": presentations, "import": imports}


def _serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 10**9)


def _parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 2)
    monkeypatch.setattr(parallel, "worker_count", lambda inputs: 2)  # two workers on any machine


# -- the pool itself --------------------------------------------------------------------------------


def _where(context: int, item: int) -> tuple[int, int, int]:
    return item, item * context, os.getpid()


def test_results_come_in_input_order_from_the_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    _parallel(monkeypatch)
    items: list[Any] = [*range(40), parallel.Done((-1, -1, os.getpid())), *range(40, 60)]
    results = list(parallel.ordered_map(_where, 3, iter(items), count=len(items)))
    assert [r[:2] for r in results] == [(i, i * 3) for i in range(40)] + [(-1, -1)] + [(i, i * 3) for i in range(40, 60)]
    workers = {pid for *_, pid in results} - {os.getpid()}
    assert len(workers) == 2  # the checks ran in two other processes


def test_a_few_inputs_are_checked_here(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parallel.worker_count(parallel.MIN_PARALLEL - 1) == 1
    assert {pid for *_, pid in parallel.ordered_map(_where, 1, range(3), count=3)} == {os.getpid()}


def test_an_interrupted_run_leaves_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    _parallel(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        for index, _ in enumerate(parallel.ordered_map(_where, 1, range(10_000), count=10_000)):
            if index == 5:
                raise KeyboardInterrupt  # as Ctrl-C in the parent, while workers are busy
    assert multiprocessing.active_children() == []
    assert parallel._SHARED == {}



def _stuck_from_2(context: int, item: int) -> int:
    if item >= 2:
        import time

        time.sleep(30)  # a check that does not end, as a worker left waiting for good
    return item


def test_an_interrupt_kills_the_workers_rather_than_wait_for_them(monkeypatch: pytest.MonkeyPatch) -> None:
    import signal

    _parallel(monkeypatch)
    killed: list[Any] = []
    kill = parallel._kill_workers
    monkeypatch.setattr(parallel, "_kill_workers", lambda pool: (killed.extend(pool._processes.values()), kill(pool)))
    with pytest.raises(KeyboardInterrupt):
        for index, _ in enumerate(parallel.ordered_map(_stuck_from_2, 1, range(100), count=100)):
            if index == 1:  # item 1 came back from a worker; both are busy with items 2 and 3
                raise KeyboardInterrupt
    assert len(killed) == 2 and [p.exitcode for p in killed] == [-signal.SIGKILL] * 2

# -- verify FILE FILE... ------------------------------------------------------------------------------


def _verify(mixed: dict[str, list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path,
            *extra: str, steady: bool = True) -> tuple[int, str]:
    from skillpass.fastcli import guarded
    from skillpass.fastcli.verify import verify_command
    from skillpass.fastcli.verify_args import parse

    args = parse([*mixed["verify"], "--challenge", CHALLENGE, "--domain", DOMAIN, "--home", str(tmp_path), *extra])
    assert args is not None
    status = guarded(lambda: verify_command(args), False)
    out, _ = capsys.readouterr()
    return status, re.sub(r'"checked": "[^"]*"', '"checked": "T"', out) if steady else out  # the clock's


@pytest.mark.parametrize("extra", [(), ("--json",)])
def test_verify_of_many_files_in_parallel_is_as_serial(mixed: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                       extra: tuple[str, ...]) -> None:
    _serial(monkeypatch)
    serial = _verify(mixed, capsys, tmp_path, *extra)
    _parallel(monkeypatch)
    assert _verify(mixed, capsys, tmp_path, *extra) == serial
    assert serial[0] == 9  # something was invalid
    if extra:
        results = json.loads(serial[1])
        assert [r["file"] for r in results] == mixed["verify"]
        outcomes = [r["report"]["outcome"] if "report" in r else r["error"]["code"] for r in results]
        assert outcomes == ["verified", "invalid", "invalid", "E_JSON", "E_IO", *["verified"] * 5,
                            "invalid", "verified"]


def test_the_many_files_document_has_its_schema(mixed: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import jsonschema

    _parallel(monkeypatch)
    _, out = _verify(mixed, capsys, tmp_path, "--json", steady=False)
    schemas = REPO / "skillpass" / "schemas"
    files = json.loads((schemas / "verify-files.schema.json").read_text())
    jsonschema.Draft202012Validator(files, format_checker=jsonschema.FormatChecker()).validate(json.loads(out))
    report = json.loads((schemas / "verify.schema.json").read_text())  # each report: verify's own schema
    assert files["$defs"] == {"report": {k: v for k, v in report.items()
                                         if k not in ("$schema", "$id", "title", "description", "$defs")},
                              **report["$defs"]}


# -- import of many credentials ----------------------------------------------------------------------


def _import(mixed: dict[str, list[str]], home: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    session = flow.Session(home, sources())
    flow.init_wallet(session, use_keyring=False)
    outcomes = flow.import_credentials(session, mixed["import"], io.BytesIO(), now=NOW, allow_expired=False,
                                       progress=lambda total: lambda: None)
    ids = {o.id: f"#{n}" for n, o in enumerate(outcomes) if o.id}
    listed = sorted(({k: ids.get(v, v) for k, v in row.items() if k != "added"}
                     for row in flow.list_credentials(session, NOW)), key=lambda row: row["title"])
    return [dict(o.to_dict(), id=ids.get(o.id)) for o in outcomes], listed


def test_import_of_many_files_in_parallel_is_as_serial(mixed: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    _serial(monkeypatch)
    serial = _import(mixed, tmp_path / "serial")
    _parallel(monkeypatch)
    assert _import(mixed, tmp_path / "parallel") == serial
    outcomes, listed = serial
    assert [o["status"] for o in outcomes] == ["imported", "rejected", "rejected", "rejected", *["imported"] * 5,
                                               "duplicate", "duplicate", "duplicate"]
    assert len(listed) == 6  # nothing of a rejected file kept, every good one kept once


# -- the progress bar ----------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_is_drawn_at_most_ten_times_a_second_and_cleared() -> None:
    clock = iter([0.0] + [n * 0.01 for n in range(1, 201)])
    stream = _Terminal()
    bar = Bar(200, "verifying", stream, clock=lambda: next(clock))
    for _ in range(200):
        bar()
    drawn = stream.getvalue()
    assert drawn.count("\r") == 2 * 1 + 20 - 1  # one line each 0.1 s of the 2 s, then the clearing
    assert "verifying [" in drawn and "/200" in drawn and "\x1b" not in drawn
    assert drawn.endswith("\r" + " " * bar_width(drawn) + "\r")


def bar_width(drawn: str) -> int:
    return len(drawn.split("\r")[-3])


def test_the_rate_has_a_decimal_comma_in_french() -> None:
    from skillpass import i18n

    i18n.use_language("fr")
    try:
        clock = iter([0.0, 0.4])
        stream = _Terminal()
        bar = Bar(10, "vérification", stream, clock=lambda: next(clock))
        bar()
    finally:
        i18n.use_language(None)
    assert stream.getvalue().rstrip().endswith("1/10  2,5/s"), stream.getvalue()


def test_no_bar_off_a_terminal_or_for_a_few_files() -> None:
    quiet = io.StringIO()
    progress(100, stream=quiet)()
    progress(3, stream=_Terminal())()
    assert quiet.getvalue() == ""
    assert isinstance(progress(100, stream=_Terminal()), Bar)


def _on_pty_stderr(args: list[str], home: Path) -> tuple[bytes, bytes, int]:
    """The command's stderr on a terminal, its stdout on a pipe."""
    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLPASS_")}
    env.update(PYTHONPATH=os.pathsep.join([str(REPO), str(TESTS)]), SKILLPASS_LANG="en", SKILLPASS_HOME=str(home))
    proc = subprocess.Popen([sys.executable, "-m", "skillpass", *args], stdout=subprocess.PIPE,
                            stderr=secondary, stdin=subprocess.DEVNULL, env=env, cwd=REPO)
    os.close(secondary)
    # stdout is read beside the terminal: a --json document larger than a pipe holds would
    # otherwise keep the command writing, the terminal open, and the read waiting its timeout
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        out = pool.submit(proc.stdout.read) if proc.stdout else None
        seen = read_until_closed(primary)
        return seen, out.result() if out else b"", proc.wait(timeout=60)


@pytest.mark.parametrize("json_output", [False, True])
def test_the_bar_only_on_a_terminal_and_never_under_json(mixed: dict[str, list[str]], tmp_path: Path,
                                                         json_output: bool) -> None:
    args = ["verify", *mixed["verify"], "--challenge", CHALLENGE, "--domain", DOMAIN, *(["--json"] if json_output else [])]
    stderr, stdout, status = _on_pty_stderr(args, tmp_path)
    assert status == 9 and stdout
    if json_output:
        assert stderr == b""
    else:
        assert b"verifying [" in stderr and b"/12" in stderr
        # the bar cleared, then how many files came out each way
        assert stderr.endswith(b"\rskillpass: 7 verified, 3 invalid, 0 unverifiable, 2 not read\r\n")
    piped = subprocess.run([sys.executable, "-m", "skillpass", *args], capture_output=True, cwd=REPO,
                           env=dict(os.environ, PYTHONPATH=str(REPO), SKILLPASS_HOME=str(tmp_path)))
    assert piped.stderr == b"" and piped.returncode == 9


ORPHAN = """
import multiprocessing, sys, time
from skillpass import parallel
parallel.MIN_PARALLEL = 2

def slow(context, item):
    time.sleep(0.05)
    return item

for index, _ in enumerate(parallel.ordered_map(slow, None, range(100_000), count=100_000)):
    if index == 1:
        print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_worker_never_outlives_a_killed_parent() -> None:
    import signal
    import time

    proc = subprocess.Popen([sys.executable, "-c", ORPHAN], stdout=subprocess.PIPE, cwd=REPO,
                            env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert proc.stdout is not None
    workers = [int(pid) for pid in proc.stdout.readline().split()]
    assert len(workers) == 2 and all(_alive(pid) for pid in workers)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 30  # a bound on the wait, not a timing assertion
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)
    assert proc.stdout.read() == b""  # nothing left holding the command's stdout open


# -- one input that kills its worker or raises a bug: that input alone is lost ---------------------

PARENT = os.getpid()


def _dies_on_13_fails_on_7(context: int, item: int) -> int:
    if item == 13 and os.getpid() != PARENT:
        os._exit(1)  # as kill -KILL or the OOM killer: the pool breaks
    if item == 7:
        raise ValueError("a bug")
    return item * context


def _lost(item: Any, exc: BaseException) -> tuple[str, Any, str]:
    return ("lost", item, type(exc).__name__)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_dead_worker_or_a_bug_loses_only_its_own_input(monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    if workers == 2:
        _parallel(monkeypatch)
    else:
        _serial(monkeypatch)
    items: list[Any] = [*range(30), parallel.Done("done"), *range(30, 40)]
    results = list(parallel.ordered_map(_dies_on_13_fails_on_7, 3, iter(items), count=len(items), failed=_lost))
    expected: list[Any] = [i * 3 for i in range(30)] + ["done"] + [i * 3 for i in range(30, 40)]
    expected[7] = ("lost", 7, "ValueError")
    if workers == 2:  # in this process, 13 is checked as any other
        expected[13] = ("lost", 13, "BrokenProcessPool")
    assert results == expected
    assert parallel._SHARED == {}


def test_without_a_failed_result_the_error_propagates(monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures.process import BrokenProcessPool

    _parallel(monkeypatch)
    with pytest.raises(BrokenProcessPool):
        list(parallel.ordered_map(_dies_on_13_fails_on_7, 1, (i for i in range(20) if i != 7), count=19))
    with pytest.raises(ValueError):
        list(parallel.ordered_map(_dies_on_13_fails_on_7, 1, range(5, 20), count=15))


def _killing(work: Any, marker: bytes) -> Any:
    def patched(context: Any, item: Any) -> Any:
        raw = item if isinstance(item, bytes) else item.candidate.raw
        if marker in raw and os.getpid() != PARENT:
            os._exit(1)
        return work(context, item)
    return patched


def test_verify_of_many_files_survives_a_killed_worker(mixed: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from skillpass.fastcli import verify_many

    _parallel(monkeypatch)
    monkeypatch.setattr(verify_many, "verify_raw", _killing(verify_many.verify_raw, b"not a presentation"))
    status, out = _verify(mixed, capsys, tmp_path, "--json")
    results = json.loads(out)
    assert status == 9  # the batch's verdict is kept
    assert [r["file"] for r in results] == mixed["verify"]
    outcomes = [r["report"]["outcome"] if "report" in r else r["error"]["code"] for r in results]
    assert outcomes == ["verified", "invalid", "invalid", "E_INTERNAL", "E_IO", *["verified"] * 5,
                        "invalid", "verified"]
    lost = results[3]["error"]
    assert "BrokenProcessPool" in lost["message"] and lost["hint"] == "run again with --debug and report it"
    assert lost["exit_status"] == 1


def test_verify_of_many_files_reports_a_bug_against_its_file(mixed: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from skillpass.fastcli import verify_many

    def buggy(context: Any, raw: bytes) -> Any:
        if b"not a presentation" in raw:
            raise KeyError("a bug")
        return work(context, raw)

    work = verify_many.verify_raw
    _parallel(monkeypatch)
    monkeypatch.setattr(verify_many, "verify_raw", buggy)
    status, out = _verify(mixed, capsys, tmp_path)
    header, *lines = out.splitlines()
    assert status == 9 and header == "file\toutcome\tdetail\tcode" and len(lines) == len(mixed["verify"])
    assert lines[3].split("\t")[1:] == ["error", "internal error (KeyError: 'a bug'); run again with --debug and report it",
                                        "E_INTERNAL"]


def test_import_of_many_files_survives_a_killed_worker(mixed: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    from skillpass.flow import credentials

    _parallel(monkeypatch)
    killer = Path(mixed["import"][4]).read_bytes()  # c1.json, a good credential
    monkeypatch.setattr(credentials, "_prepared_or_rejected",
                        _killing(credentials._prepared_or_rejected, killer[-40:]))
    outcomes, listed = _import(mixed, tmp_path / "killed")
    assert [o["status"] for o in outcomes] == ["imported", "rejected", "rejected", "rejected", "rejected",
                                               *["imported"] * 4, "duplicate", "duplicate", "duplicate"]
    assert outcomes[4]["code"] == "E_INTERNAL" and "BrokenProcessPool" in outcomes[4]["reason"]
    assert outcomes[4]["source"] == mixed["import"][4]
    assert len(listed) == 5  # every other good one kept
