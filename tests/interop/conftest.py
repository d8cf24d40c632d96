"""Fixtures for interop tests against an independent Node peer (peer.mjs).

The peer is digitalbazaar's JavaScript stack pinned in package-lock.json.
`npm ci` runs here only as a fallback when node_modules is missing or older
than the lock file; the README's test command installs it up front.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

INTEROP_DIR = Path(__file__).resolve().parent
FIXTURES_DIR = INTEROP_DIR / "fixtures"
MIN_NODE_MAJOR = 18
NPM_CI_TIMEOUT_S = 600
RUN_TIMEOUT_S = 180


class PeerError(AssertionError):
    """The Node peer exited non-zero; `.output` is its JSON error."""

    def __init__(self, args: tuple[str, ...], returncode: int, output: dict[str, Any]):
        self.returncode = returncode
        self.output = output
        super().__init__(f"peer {' '.join(args)} exited {returncode}: {output}")


class NodePeer:
    """Runs peer.mjs subcommands and returns their JSON output.

    `run` goes through one long-lived `node peer.mjs serve` process (Node
    start-up costs ~0.5 s a call); `run_cli` starts a fresh process, for tests
    of the command line itself.
    """

    def __init__(self, node: str, script: Path) -> None:
        self.node = node
        self.script = script
        self._server: subprocess.Popen[str] | None = None
        self._replies: queue.Queue[str] = queue.Queue()
        self._stderr_tail: deque[str] = deque(maxlen=40)

    def run(self, subcommand: str, *args: object, input_json: Any = None) -> Any:
        """Run one subcommand; raise PeerError on a non-zero exit code.

        A verification that ran but failed is not an error: it returns
        {"verified": False, "error": ...}.
        """
        returncode, output = self.run_result(subcommand, *args, input_json=input_json)
        if returncode != 0:
            raise PeerError((subcommand, *map(str, args)), returncode, output)
        return output

    def run_result(
        self, subcommand: str, *args: object, input_json: Any = None
    ) -> tuple[int, Any]:
        """Run one subcommand in the server; return (exit code, JSON output)."""
        request = {"args": [subcommand, *map(str, args)], "input": input_json}
        server = self._ensure_server()
        assert server.stdin is not None
        server.stdin.write(json.dumps(request) + "\n")
        server.stdin.flush()
        try:
            line = self._replies.get(timeout=RUN_TIMEOUT_S)
        except queue.Empty:
            self.close()
            raise PeerError(tuple(request["args"]), -1, {"error": "peer timed out"}) from None
        if not line:
            stderr = "".join(self._stderr_tail)
            self.close()
            raise PeerError(tuple(request["args"]), -1, {"error": "peer died", "stderr": stderr})
        reply = json.loads(line)
        return int(reply["code"]), reply["output"]

    def run_cli(
        self, subcommand: str, *args: object, input_json: Any = None
    ) -> tuple[int, Any]:
        """Run `node peer.mjs SUBCOMMAND ...` as its own process (JSON on stdin)."""
        argv = [self.node, str(self.script), subcommand, *map(str, args)]
        completed = subprocess.run(
            argv,
            input="" if input_json is None else json.dumps(input_json),
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
            cwd=self.script.parent,
            check=False,
        )
        return completed.returncode, _parse_output(completed)

    def fixture(self, name: str) -> dict[str, Any]:
        """A JSON file from tests/interop/fixtures (e.g. 'ob3-unsigned.json')."""
        data = json.loads((FIXTURES_DIR / name).read_text(encoding="utf-8"))
        assert isinstance(data, dict)
        return data

    def close(self) -> None:
        """Stop the server process this object started, if any."""
        server, self._server = self._server, None
        if server is None:
            return
        if server.stdin is not None:
            server.stdin.close()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    def _ensure_server(self) -> subprocess.Popen[str]:
        if self._server is not None and self._server.poll() is None:
            return self._server
        self._replies = queue.Queue()
        self._server = subprocess.Popen(
            [self.node, str(self.script), "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=self.script.parent,
        )
        threading.Thread(target=_pump_lines, args=(self._server, self._replies), daemon=True).start()
        self._stderr_tail = deque(maxlen=40)
        threading.Thread(
            target=_drain, args=(self._server, self._stderr_tail), daemon=True
        ).start()
        return self._server


def _pump_lines(server: subprocess.Popen[str], replies: queue.Queue[str]) -> None:
    # Reads replies on a thread so a hung peer becomes a timeout, not a hang.
    assert server.stdout is not None
    for line in server.stdout:
        replies.put(line)
    replies.put("")


def _drain(server: subprocess.Popen[str], tail: deque[str]) -> None:
    # Keeps library warnings on stderr from filling the pipe and blocking Node.
    assert server.stderr is not None
    for line in server.stderr:
        tail.append(line)


def _parse_output(completed: subprocess.CompletedProcess[str]) -> Any:
    try:
        return json.loads(completed.stdout)
    except json.JSONDecodeError:
        return {
            "error": "peer printed no JSON",
            "stdout": completed.stdout[-2000:],
            "stderr": completed.stderr[-2000:],
        }


def _node_major(node: str) -> int:
    version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    try:
        return int(version.lstrip("v").split(".")[0])
    except ValueError:
        return 0


def _node_modules_stale() -> bool:
    # npm ci writes node_modules/.package-lock.json; older than the lock = stale.
    installed = INTEROP_DIR / "node_modules" / ".package-lock.json"
    if not installed.exists():
        return True
    newest_input = max(
        (INTEROP_DIR / name).stat().st_mtime for name in ("package.json", "package-lock.json")
    )
    return installed.stat().st_mtime < newest_input


def _npm_ci(npm: str) -> None:
    completed = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"],
        cwd=INTEROP_DIR,
        capture_output=True,
        text=True,
        timeout=NPM_CI_TIMEOUT_S,
        check=False,
    )
    if completed.returncode != 0:
        pytest.fail(
            "npm ci in tests/interop failed (is the npm registry reachable?):\n"
            + completed.stderr[-3000:],
            pytrace=False,
        )


@pytest.fixture(scope="session")
def peer() -> Iterator[NodePeer]:
    """The digitalbazaar Node peer, installed on first use."""
    node = shutil.which("node")
    npm = shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("interop peer needs node and npm on PATH (Node >= 18)")
    if _node_major(node) < MIN_NODE_MAJOR:
        pytest.skip(f"interop peer needs Node >= {MIN_NODE_MAJOR}")
    if _node_modules_stale():
        if os.environ.get("SKILLPASS_INTEROP_NO_INSTALL"):
            pytest.skip("tests/interop/node_modules missing and SKILLPASS_INTEROP_NO_INSTALL set")
        _npm_ci(npm)
    node_peer = NodePeer(node=node, script=INTEROP_DIR / "peer.mjs")
    yield node_peer
    node_peer.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/interop with `interop`."""
    for item in items:
        if INTEROP_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.interop)
