"""Credential formats, each one package behind the seam in `base`: W3C VCs with Data Integrity
proofs (`ldp_vc`), SD-JWT VC (`sd_jwt_vc`), VC-JWT (`vc_jwt`), MATTR compact credentials
(`mattr_cwt`), Open Badges 2.0 assertions (`ob2`) and the MyCreds XML record (`mycreds`, kept
unsigned and never verifiable); `baked` takes the credential out of a badge image. `detect` recognises what a
learner or a verifier hands over; `by_tag` finds the format a stored credential was kept as.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skillpass.formats.base import CredentialFormat

LDP_VC, SD_JWT_VC, JWT_VC = "ldp_vc", "dc+sd-jwt", "jwt_vc_json"
MATTR_CWT, OB2, MYCREDS = "mattr-cwt", "ob2", "mycreds-xml"
_MODULES = {LDP_VC: "skillpass.formats.ldp_vc.format", SD_JWT_VC: "skillpass.formats.sd_jwt_vc.format",
            JWT_VC: "skillpass.formats.vc_jwt.format", MATTR_CWT: "skillpass.formats.mattr_cwt.format",
            OB2: "skillpass.formats.ob2.format", MYCREDS: "skillpass.formats.mycreds.format"}


def by_tag(tag: str) -> CredentialFormat:
    """The format kept under `tag` (entries written before formats were tagged are JSON-LD)."""
    module = _MODULES.get(tag or LDP_VC)
    if module is None:
        from skillpass.errors import UnverifiableError

        raise UnverifiableError(f"this credential is kept in a format this skillpass does not know "
                                f"({tag[:40]!r})", "update skillpass", code="E_FORMAT_UNSUPPORTED")
    return import_module(module).FORMAT  # type: ignore[no-any-return]


def of_entry(entry: dict[str, Any]) -> CredentialFormat:
    return by_tag(str(entry.get("format") or LDP_VC))
