"""Where the wallet is and how to unlock it: what every flow function is handed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skillpass.wallet.unlock import SecretSources


@dataclass(frozen=True)
class Session:
    """Where the wallet is and how to unlock it, as the CLI resolved them."""

    home: Path
    sources: SecretSources

    def open(self, *, use_agent: bool = True) -> Any:
        """The wallet, opened; `use_agent=False` when the command needs the passphrase itself."""
        from skillpass.wallet.wallet import open_wallet

        return open_wallet(self.home, self.sources, use_agent=use_agent)
