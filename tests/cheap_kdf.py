"""Run the real `skillpass` command with a cheap Argon2id cost: the test seam of skillpass.wallet.vault.

Usage: python tests/cheap_kdf.py ARGS...  Nothing in the CLI can lower the cost; only code that
imports the module, like this launcher, can.
"""

from __future__ import annotations

import sys

from skillpass.wallet import vault

vault.DEFAULT_KDF = vault.KdfParams(memory_kib=256, iterations=1, lanes=1)
vault.KDF_LIMITS = vault.KdfLimits(min_memory_kib=8, min_iterations=1)

if __name__ == "__main__":
    from skillpass.__main__ import main

    sys.exit(main())
