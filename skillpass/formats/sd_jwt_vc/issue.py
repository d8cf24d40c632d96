"""Issuing an SD-JWT VC (RFC 9901 §4.2, SD-JWT VC §3): for the tests, the demo and test issuers,
never a college's real credentials.

`disclosable` lists claim paths (a tuple of keys and array indexes) that become disclosures;
a path inside a disclosable object makes a nested disclosure (its digest sits in the disclosed
value). Salts are 128 random bits (§9.3); digests are SHA-256; the header's `typ` is dc+sd-jwt.
"""

from __future__ import annotations

import copy
import json
import os
from typing import Any

from skillpass.formats import jose
from skillpass.formats.sd_jwt_vc.sd_jwt import Path, b64url


def issue(claims: dict[str, Any], disclosable: list[Path], private_key: Any, *, kid: str | None = None,
          holder_jwk: dict[str, Any] | None = None, typ: str = "dc+sd-jwt",
          salt: Any = None) -> str:
    """The compact SD-JWT VC (issuer JWT and every disclosure, no KB-JWT)."""
    salts = salt or (lambda: b64url(os.urandom(16)))
    payload = copy.deepcopy(claims)
    disclosures: list[str] = []
    for path in sorted(disclosable, key=len, reverse=True):  # the innermost first
        _conceal(payload, path, disclosures, salts)
    payload["_sd_alg"] = "sha-256"
    if holder_jwk is not None:
        payload["cnf"] = {"jwk": holder_jwk}
    header: dict[str, Any] = {"typ": typ, **({"kid": kid} if kid else {})}
    token = jose.sign(header, json.dumps(payload, ensure_ascii=False).encode("utf-8"), private_key)
    return token + "~" + "".join(d + "~" for d in disclosures)


def _conceal(payload: dict[str, Any], path: Path, disclosures: list[str], salts: Any) -> None:
    import hashlib

    parent: Any = payload
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if isinstance(parent, list):
        assert isinstance(last, int)
        text = b64url(json.dumps([salts(), parent[last]], ensure_ascii=False).encode("utf-8"))
        parent[last] = {"...": b64url(hashlib.sha256(text.encode("ascii")).digest())}
    else:
        text = b64url(json.dumps([salts(), last, parent.pop(last)], ensure_ascii=False).encode("utf-8"))
        parent.setdefault("_sd", []).append(b64url(hashlib.sha256(text.encode("ascii")).digest()))
    disclosures.append(text)
