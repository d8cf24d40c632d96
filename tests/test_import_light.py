"""The verify path imports pyld without its network document loaders (skillpass.jsonld.pyld_offline).

Each check runs in a fresh interpreter, since this test process has long imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from issuing import signed_ob3
from skillpass.suites.ecdsa_sd_2023 import derive_proof

NETWORK = ("aiohttp", "requests", "asyncio")


def _run(code: str, tmp_path: Path) -> list[str]:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                            text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_verifying_credentials_loads_no_network_module(tmp_path: Path) -> None:
    rdfc, _ = signed_ob3("eddsa-rdfc-2022")
    base, _ = signed_ob3("ecdsa-sd-2023")
    derived = derive_proof(base, selective_pointers=["/credentialSubject/achievement/name"])
    (tmp_path / "rdfc.json").write_text(json.dumps(rdfc))
    (tmp_path / "derived.json").write_text(json.dumps(derived))

    loaded = _run(f"""
        import json, sys
        from datetime import datetime, timezone
        import skillpass.jsonld.canon
        from skillpass.jsonld.loader import ContextStore
        from skillpass.formats.ldp_vc.verify import verify_credential

        for name in ("rdfc.json", "derived.json"):
            result = verify_credential(json.load(open(name)), store=ContextStore.bundled(),
                                       did_cache={{}}, now=datetime.now(timezone.utc))
            assert result.proofs, name
        assert "pyld.jsonld" in sys.modules
        print(*[m for m in {NETWORK!r} if m in sys.modules], "checked")
        """, tmp_path)

    assert loaded == ["checked"]


def test_pyld_still_offers_every_name_and_its_default_loader_is_offline(tmp_path: Path) -> None:
    out = _run("""
        import sys
        from skillpass.jsonld import pyld_offline
        jsonld = pyld_offline.jsonld()
        import pyld
        try:
            jsonld._default_document_loader("https://example.org/context", {})
        except jsonld.JsonLdError:
            print("refused")
        print("asyncio-before" if "asyncio" in sys.modules else "none-before")
        from pyld import AioHttpDocumentLoader, ContextResolver, FrozenDocumentLoader
        assert pyld.jsonld is jsonld and ContextResolver.__module__ == "pyld.context_resolver"
        assert len(pyld.__all__) == 12 and FrozenDocumentLoader.__module__.startswith("pyld.")
        print("asyncio-after" if "asyncio" in sys.modules else "none-after")
        """, tmp_path)

    # The loader classes import on first use, so asking for the aiohttp one brings asyncio in.
    assert out == ["refused", "none-before", "asyncio-after"]


def test_the_installed_pyld_is_the_pinned_one_and_another_is_imported_the_ordinary_way(
        tmp_path: Path) -> None:
    from importlib.util import find_spec

    from skillpass.jsonld import pyld_offline

    assert pyld_offline._is_pinned(find_spec("pyld").origin)
    changed = tmp_path / "__init__.py"
    changed.write_text("from . import jsonld\n")

    assert not pyld_offline._is_pinned(str(changed))
    assert not pyld_offline._is_pinned(str(tmp_path / "missing.py"))
