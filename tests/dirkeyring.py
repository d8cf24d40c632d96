"""A keyring backend for tests: one file per secret in $SKILLPASS_TEST_KEYRING_DIR.

Selected with PYTHON_KEYRING_BACKEND=dirkeyring.DirectoryKeyring, so `init --keyring` can be
tested on machines (like CI) that have no OS keyring service.
"""

from __future__ import annotations

import os
from pathlib import Path

from keyring.backend import KeyringBackend


class DirectoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def _path(self, service: str, username: str) -> Path:
        return Path(os.environ["SKILLPASS_TEST_KEYRING_DIR"]) / f"{service}--{username}"

    def get_password(self, service: str, username: str) -> str | None:
        path = self._path(service, username)
        return path.read_text() if path.exists() else None

    def set_password(self, service: str, username: str, password: str) -> None:
        self._path(service, username).write_text(password)

    def delete_password(self, service: str, username: str) -> None:
        self._path(service, username).unlink()
