"""A real Secret Service for tests: a private D-Bus session bus and gnome-keyring-daemon on it.

The bus has a configuration of its own with no service directories, so nothing is activated
behind the test's back: a killed daemon stays gone, and an unlock prompt (gcr) cannot appear,
so a locked collection stays locked. The daemon is started with `--unlock` and a password on
stdin, which creates the 'login' collection (the default alias) unlocked, as a desktop login
does. Commands under test get `env`: the bus address and the SecretService backend forced
(the other tests force keyring's fail backend, tests/conftest.py).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BACKEND = "keyring.backends.SecretService.Keyring"
LOGIN_PASSWORD = b"the login password of the test session"
STARTUP_DEADLINE = 20.0  # seconds to wait for a daemon to answer: a limit, not an assertion

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={run}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def missing_programs() -> list[str]:
    return [name for name in ("dbus-daemon", "gnome-keyring-daemon") if shutil.which(name) is None]


@dataclass
class KeyringSession:
    """A running bus and keyring daemon; `env` points a command at them."""

    root: Path
    address: str
    bus: subprocess.Popen[bytes]
    daemon: subprocess.Popen[bytes] | None = None
    daemon_env: dict[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        return {"DBUS_SESSION_BUS_ADDRESS": self.address, "PYTHON_KEYRING_BACKEND": BACKEND}

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """A secretstorage connection to this session's bus (not the caller's)."""
        from jeepney.io.blocking import open_dbus_connection
        from secretstorage.util import add_match_rules

        with closing(open_dbus_connection(self.address)) as conn:
            add_match_rules(conn)
            yield conn

    @contextmanager
    def login(self) -> Iterator[Any]:
        """The default collection (gnome-keyring's 'login'), as keyring's backend uses it."""
        import secretstorage

        with self.connection() as conn:
            yield secretstorage.get_default_collection(conn)

    def secret(self, service: str, username: str) -> bytes | None:
        """The secret stored under keyring's attributes, read without keyring."""
        with self.login() as login:
            for item in login.search_items({"service": service, "username": username}):
                return bytes(item.get_secret())
        return None

    def delete(self, service: str, username: str) -> None:
        with self.login() as login:
            for item in login.search_items({"service": service, "username": username}):
                item.delete()

    def lock(self) -> None:
        with self.login() as login:
            login.lock()
            assert login.is_locked()

    def unlock(self) -> None:
        """Unlocks 'login' with its password through gnome-keyring's control socket: the same
        `--unlock` a desktop login runs (the Secret Service's own Unlock needs a GUI prompt)."""
        self.stop_daemon()
        self.start_daemon()

    def start_daemon(self) -> None:
        env = dict(self.daemon_env, DBUS_SESSION_BUS_ADDRESS=self.address)
        self.daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        assert self.daemon.stdin is not None
        self.daemon.stdin.write(LOGIN_PASSWORD)
        self.daemon.stdin.close()
        self._wait_for(self._secrets_answer, "gnome-keyring-daemon to own org.freedesktop.secrets")

    def stop_daemon(self) -> None:
        if self.daemon is not None:
            _stop(self.daemon)
            self.daemon = None
            self._wait_for(lambda: not self._secrets_answer(), "org.freedesktop.secrets to go away")

    def _secrets_answer(self) -> bool:
        import secretstorage

        try:
            with self.connection() as conn:
                return bool(secretstorage.check_service_availability(conn))
        except (OSError, ValueError):
            return False

    def _wait_for(self, ready: Any, what: str) -> None:
        deadline = time.monotonic() + STARTUP_DEADLINE
        while not ready():
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out waiting for {what}")
            time.sleep(0.05)

    def close(self) -> None:
        self.stop_daemon()
        _stop(self.bus)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start(root: Path) -> KeyringSession:
    """A private bus and an unlocked 'login' collection under `root` (its own HOME and
    XDG_RUNTIME_DIR, so the user's real keyring is never touched)."""
    run, home = root / "run", root / "home"
    run.mkdir(mode=0o700)
    home.mkdir(mode=0o700)
    config = root / "bus.conf"
    config.write_text(BUS_CONFIG.format(run=run))
    daemon_env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "XDG_", "GNOME_"))}
    daemon_env.update(HOME=str(home), XDG_RUNTIME_DIR=str(run), XDG_DATA_HOME=str(home / "data"),
                      XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"))
    daemon_env.pop("DISPLAY", None)
    daemon_env.pop("WAYLAND_DISPLAY", None)
    bus = subprocess.Popen(["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=daemon_env)
    assert bus.stdout is not None
    address = bus.stdout.readline().decode().strip()
    if not address:
        _stop(bus)
        raise RuntimeError("dbus-daemon printed no address")
    session = KeyringSession(root, address, bus, daemon_env=daemon_env)
    try:
        session.start_daemon()
    except BaseException:
        session.close()
        raise
    return session
