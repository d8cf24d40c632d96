"""The credential to put in a presentation: a derived disclosure, or the credential whole.

For an ecdsa-sd-2023 base proof the holder derives a disclosure proof over the mandatory fields
plus the chosen ones (vc-di-ecdsa 3.6.6 "Add Derived Proof"); the base proof itself never leaves
the wallet (it carries the HMAC key that would let a verifier test guesses of hidden values, and
verifiers do not accept it). Any other proof covers the credential whole.

A disclosure always carries `fields.required_pointers` beside the learner's choice (the subject's
id for holder binding, the issuer's id, VC 1.1's issuanceDate): without them every verifier
refuses it, whatever was chosen.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from skillpass.errors import BadInputError
from skillpass.formats.ldp_vc.fields import required_pointers
from skillpass.present.fields import covers
from skillpass.present.select import Selection

if TYPE_CHECKING:
    from skillpass.jsonld.loader import ContextStore

_NOT_SELECTABLE = ("@context", "id", "type", "proof")


def disclose(credential: dict[str, Any], selection: Selection, *,
             store: ContextStore | None = None) -> dict[str, Any]:
    """The derived credential (ecdsa-sd-2023 base proof) or an unchanged copy (other proofs).

    Raises BadInputError E_CANNOT_HIDE when a whole-only credential would lose fields.
    """
    from skillpass.suites import ecdsa_sd_2023 as sd

    base = _single_base_proof(credential)
    if base is None:
        if not selection.reveal_all:
            raise BadInputError("this credential cannot hide fields",
                                hint="this credential can only be shared whole: use --reveal-all",
                                code="E_CANNOT_HIDE")
        return copy.deepcopy(credential)
    mandatory = sd.mandatory_pointers(base)
    document = {k: v for k, v in credential.items() if k != "proof"}
    chosen = (_everything(credential) if selection.reveal_all
              else [*required_pointers(document), *selection.pointers])
    _require_subject(chosen + mandatory)
    # The issuer's mandatory pointers are in the base proof already; repeating them (or what
    # lies under them) would only duplicate statements.
    selective = [p for p in dict.fromkeys(chosen) if not covers(mandatory, p)]
    return sd.derive_proof(credential, selective_pointers=selective, store=store)


def _require_subject(pointers: list[str]) -> None:
    """A credential without credentialSubject is refused by every verifier (VC DM 2.0 §4.8)."""
    if not any(p == "/credentialSubject" or p.startswith("/credentialSubject/") for p in pointers):
        raise BadInputError("a verifier needs the credential's subject, and its subject has no id "
                            "or type to reveal",
                            hint="reveal at least one credentialSubject field "
                                 "(see 'skillpass show ID --fields')",
                            code="E_SUBJECT_REQUIRED")


def _single_base_proof(credential: dict[str, Any]) -> dict[str, Any] | None:
    from skillpass.suites import ecdsa_sd_2023 as sd

    if not isinstance(credential, dict):
        raise BadInputError("the credential is not a JSON object", code="E_BAD_INPUT")
    raw = credential.get("proof")
    proofs = raw if isinstance(raw, list) else [raw]
    return proofs[0] if len(proofs) == 1 and sd.is_base_proof(proofs[0]) else None


def _everything(credential: dict[str, Any]) -> list[str]:
    """Pointers to every top-level member: revealing them reveals the whole credential."""
    from skillpass.encoding.pointer import child_pointer

    return [child_pointer("", key) for key, value in credential.items()
            if key not in _NOT_SELECTABLE and value is not None]
