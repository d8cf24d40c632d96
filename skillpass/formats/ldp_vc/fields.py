"""Every field a learner could reveal from a JSON-LD credential (`skillpass show ID --fields`).

Only an ecdsa-sd-2023 *base* proof lets the holder choose (vc-di-ecdsa 3.6: the holder derives a
disclosure). Every other proof signs the credential as one whole: hiding anything would break
it, so its fields are listed all mandatory, for the learner to see what sharing it gives away.

The fields are the leaves and array elements of ecdsa_sd_2023.selectable_pointers: `id` and
`type` are not fields of their own, they travel with any field of the object they name. The
exceptions are what every disclosure must carry for a verifier to bind and accept it
(`required_pointers`): the subject's `id` (holder binding), the issuer's `id`, and for VC 1.1
`issuanceDate`; those are listed, always revealed. What a share reveals (`with_carried_ids`)
also names the other ids that go out with the chosen fields, such as the credential's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from skillpass.present.fields import (
    BY_ISSUER,
    HOLDER_BINDING,
    IDENTIFIER,
    REQUIRED,
    WHOLE,
    Field,
    FieldList,
    covers,
    field_at,
    summary_values,
)

if TYPE_CHECKING:
    from skillpass.summary import Summary

SD_SUITE = "ecdsa-sd-2023"
VC_V1 = "https://www.w3.org/2018/credentials/v1"


def disclosable_fields(credential: dict[str, Any], summary: Summary | None = None) -> FieldList:
    """The fields of `credential` and whether the learner may choose among them.

    `summary` (optional) supplies language-aware display values for the subject's claims.
    """
    from skillpass.errors import BadInputError
    from skillpass.suites import ecdsa_sd_2023 as sd

    if not isinstance(credential, dict):
        raise BadInputError("the credential is not a JSON object", code="E_BAD_INPUT")
    suite, reason, mandatory = _proof_situation(credential)
    document = {k: v for k, v in credential.items() if k != "proof"}
    shown = summary_values(summary)
    required = required_pointers(document)
    pointers = _with_required(sd.selectable_pointers(document), required)
    fields = tuple(field_at(document, pointer, shown, _why(pointer, mandatory, required))
                   for pointer in pointers)
    return FieldList(reason is None, suite, reason, fields)


def required_pointers(document: dict[str, Any]) -> list[str]:
    """What a disclosure always carries so that a verifier can accept and bind it: the issuer's
    id (VC DM 2.0 §4.7), each subject's id (holder binding) or, for a subject without one, its
    type (a credential must have a credentialSubject, §4.8), and for VC 1.1 the issuanceDate
    (VC DM 1.1 §4.6). digitalbazaar's verifier refuses a disclosure without them."""
    required: list[str] = []
    issuer = document.get("issuer")
    if isinstance(issuer, str):
        required.append("/issuer")
    elif isinstance(issuer, dict) and isinstance(issuer.get("id"), str):
        required.append("/issuer/id")
    subject = document.get("credentialSubject")
    subjects = ([(f"/credentialSubject/{i}", s) for i, s in enumerate(subject)]
                if isinstance(subject, list) else [("/credentialSubject", subject)])
    for pointer, value in subjects:
        if isinstance(value, dict):
            key = "id" if isinstance(value.get("id"), str) else "type" if value.get("type") else None
            if key is not None:
                required.append(f"{pointer}/{key}")
    context = document.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    if first == VC_V1 and document.get("issuanceDate") is not None:
        required.append("/issuanceDate")
    return required


def with_carried_ids(document: dict[str, Any], revealed: tuple[Field, ...]) -> tuple[Field, ...]:
    """`revealed` and the `id` of each object a revealed field is in (the credential's own, an
    achievement's), each before the first field of its object: a disclosure carries them whatever
    was chosen (vc-di-ecdsa 3.4.11 createInitialSelection copies the id of every object on a
    selected path, unless it is a blank node), and a credential shared whole has them anyway.
    They are the same in every share of the credential, so the learner is shown them."""
    pointers = [f.pointer for f in revealed]
    carried = [p for p in dict.fromkeys(_ids_above(document, pointers)) if not covers(pointers, p)]
    if not carried:
        return revealed
    kept = {f.pointer: f for f in revealed}
    return tuple(kept.get(p) or field_at(document, p, {}, IDENTIFIER) for p in _with_required(pointers, carried))


def always_sent(credential: dict[str, Any], revealed: tuple[Field, ...], reveal_all: bool) -> list[dict[str, Any]]:
    """What a share carries beside its fields, which `show --fields` does not list: the
    `@context`, the `type` of the credential and of each object on a revealed field's path
    (vc-di-ecdsa 3.4.11 createInitialSelection copies them; a whole credential has them all),
    and the issuer's proof: its suite and `created`, a date near the issuance even when
    validFrom is hidden (a derived proof keeps the base proof's options, vc-di-ecdsa 3.6.6)."""
    from skillpass.suites.sd_primitives import select_json_ld

    document = {k: v for k, v in credential.items() if k != "proof"}
    selected = document if reveal_all else select_json_ld(document, [f.pointer for f in revealed]) or {}
    types = list(dict.fromkeys(_types(selected, 0)))
    raw = credential.get("proof")
    proofs = [p for p in (raw if isinstance(raw, list) else [raw]) if isinstance(p, dict)]
    sent: list[dict[str, Any]] = [{"name": "@context", "value": None}] if "@context" in document else []
    if types:
        sent.append({"name": "type", "value": ", ".join(types)})
    for proof in proofs:
        created = proof.get("created")
        sent.append({"name": "proof", "value": _suite(proof) + (f", {created}" if isinstance(created, str) else "")})
    return sent


def _suite(proof: dict[str, Any]) -> str:
    """The proof's suite, or '?' for one without a type (kept unverified: it still goes out)."""
    from skillpass.errors import SkillpassError
    from skillpass.suites.proof import suite_name

    try:
        return suite_name(proof)
    except SkillpassError:
        return "?"


def _types(node: Any, depth: int) -> list[str]:
    """Every `type` value in `node`, in document order (a literal's own `type` too: it goes out)."""
    if depth > 64:  # ecdsa_sd_2023's bound on nesting; deeper credentials were refused at import
        return []
    if isinstance(node, list):
        return [t for item in node for t in _types(item, depth + 1)]
    if not isinstance(node, dict):
        return []
    own = node.get("type")
    found = [own] if isinstance(own, str) else [t for t in own if isinstance(t, str)] if isinstance(own, list) else []
    return found + [t for key, value in node.items() if key not in ("type", "@context")
                    for t in _types(value, depth + 1)]


def _ids_above(document: dict[str, Any], pointers: list[str]) -> list[str]:
    """The pointer to the `id` of each object (not a blank node) that holds one of `pointers`."""
    from skillpass.encoding.pointer import child_pointer, parse_pointer

    found = []
    for pointer in pointers:
        node: Any = document
        at = ""
        for token in ["", *parse_pointer(pointer)[:-1]]:
            if token:
                node = node[int(token)] if isinstance(node, list) else node.get(token)
                at = child_pointer(at, token)
            if isinstance(node, dict) and isinstance(node.get("id"), str) and not node["id"].startswith("_:"):
                found.append(f"{at}/id")
    return found


def _with_required(pointers: list[str], required: list[str]) -> list[str]:
    """`pointers` with the required ones added, each before the first field of its object."""
    out = list(pointers)
    for pointer in required:
        if covers(out, pointer):  # already a field, or inside one (an object of only id and type)
            continue
        parent = pointer.rsplit("/", 1)[0] + "/"
        at = next((i for i, p in enumerate(out) if p.startswith(parent)), len(out))
        out.insert(at, pointer)
    return out


def _why(pointer: str, mandatory: list[str] | None, required: list[str]) -> str | None:
    if mandatory is None:
        return WHOLE
    if covers(mandatory, pointer):
        return BY_ISSUER
    needed = [r for r in required if covers([pointer], r)]
    if not needed:
        return None
    binding = any(r.startswith("/credentialSubject") and r.endswith("/id") for r in needed)
    return HOLDER_BINDING if binding else REQUIRED


def _proof_situation(credential: dict[str, Any]) -> tuple[str, str | None, list[str] | None]:
    """(suite, reason it is whole-only or None, mandatory pointers or None for whole-only)."""
    from skillpass.suites import ecdsa_sd_2023 as sd
    from skillpass.suites.proof import suite_name

    raw = credential.get("proof")
    proofs = raw if isinstance(raw, list) else [] if raw is None else [raw]
    if not proofs:
        return "", "not signed: can only be shared whole", None
    names = [suite_name(p) if isinstance(p, dict) else "?" for p in proofs]
    suite = ", ".join(names)
    if len(proofs) > 1:
        return suite, f"signed with several proofs ({suite}): can only be shared whole", None
    if sd.is_base_proof(proofs[0]):
        return suite, None, sd.mandatory_pointers(proofs[0])
    if names[0] == SD_SUITE:
        return suite, ("already a selective disclosure (ecdsa-sd-2023 derived proof): "
                       "can only be shared as it is"), None
    return suite, f"signed with {suite}: can only be shared whole", None
