"""What a command wrote to a pseudo-terminal, read until it closes (the tests that need a real
terminal: progress lines, colours, escapes)."""

from __future__ import annotations

import os
import select


def read_until_closed(primary: int, timeout: float = 60) -> bytes:
    """Everything written to the terminal whose primary side is `primary`, until the command
    closes it (or `timeout` seconds pass with nothing written); `primary` is closed after."""
    seen = b""
    try:
        while select.select([primary], [], [], timeout)[0]:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # EIO: the command's side is closed
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(primary)
    return seen
