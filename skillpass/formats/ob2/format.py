"""Open Badges 2.0 behind the format seam: kept as the JWS or JSON the issuer sent, shared whole.

OB 2.0 has neither selective disclosure nor a holder proof: a badge is shared as received and
anyone holding it can show it; its recipient is an (often hashed) email address, never a DID.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

from skillpass.errors import UsageError
from skillpass.formats import OB2
from skillpass.formats.base import (
    NOTHING_KEPT,
    HOSTED_BADGE,
    Checked,
    Chosen,
    Material,
    Presentation,
    ShareOptions,
    Signer,
    jws_alias,
    outside_period,
)
from skillpass.formats.ob2.assertion import read, verify_signed

if TYPE_CHECKING:
    from collections.abc import Mapping

    from skillpass.present.fields import Field, FieldList
    from skillpass.present.select import Selection
    from skillpass.summary import Summary
    from skillpass.wallet.keys import HolderKey

SUITE = "OB 2.0 signed badge (RS256)"
NO_HOLDER_PROOF = ("an Open Badge 2.0 has no selective disclosure nor holder proof: it is shared whole, "
                   "as issued, and nothing proves that you are the one sharing it")


class OpenBadge2:
    tag = OB2
    name = "Open Badge 2.0"

    def check(self, raw: bytes, material: Material, now: datetime, allow_expired: bool) -> Checked:
        from skillpass.encoding.dates import format_utc
        from skillpass.formats.ob2.summary import summary_of

        received = read(raw)
        verified = verify_signed(received, material.trusted.did_cache, now)
        _allowed(verified.validity, verified.assertion, allow_expired)
        verification = {"issuer": verified.issuer, "checked": format_utc(now), "validity": verified.validity,
                        "proofs": [{"suite": SUITE, "verificationMethod": verified.key_id,
                                    "proofPurpose": "assertionMethod",
                                    "created": _string(verified.assertion.get("issuedOn")), "keyType": "RSA"}]}
        assert received.token is not None
        alias = jws_alias(verified.issuer, verified.assertion.get("id"), received.token)
        return Checked(verified.issuer, verified.validity, verification,
                       summary_of(verified.assertion, verified.badge, verified.profile), alias)

    def keep_unverified(self, raw: bytes, material: Material, now: datetime, allow_expired: bool) -> Checked:
        """A hosted badge kept with --allow-unverified: nothing about it is verified, and every
        view says so (HOSTED_BADGE)."""
        from skillpass.encoding.dates import format_utc
        from skillpass.formats.ob2.assertion import validity_of
        from skillpass.formats.ob2.summary import kept_summary

        assertion = read(raw).unverified_assertion
        validity = validity_of(assertion, now)
        _allowed(validity, assertion, allow_expired)
        summary = kept_summary(assertion, material.trusted.did_cache)
        issuer = summary.issuer.id or "(unknown issuer)"
        verification = {"issuer": issuer, "checked": format_utc(now), "validity": validity, "proofs": [],
                        "unverified": "a hosted badge is verified only by fetching it again from its issuer, "
                                      "which skillpass never does"}
        badge_id = assertion.get("id", assertion.get("uid"))
        alias = (f"{issuer}\n{badge_id}" if isinstance(badge_id, str) and badge_id
                 else f"{issuer}\nhosted:{hashlib.sha256(raw.strip()).hexdigest()}")
        return Checked(issuer, validity, verification, summary, alias, unverified=HOSTED_BADGE)

    def summarize(self, raw: bytes, kept: Mapping[str, Any] = NOTHING_KEPT) -> Summary:
        from skillpass.formats.ob2.summary import kept_summary

        # The BadgeClass and Profile an assertion links to are among the kept documents (import
        # kept them); when they are not, the linked BadgeClass is named by its URL.
        return kept_summary(read(raw).unverified_assertion, kept)

    def binding_warning(self, raw: bytes, keys: list[HolderKey]) -> str | None:
        return None  # OB 2.0 names its recipient by an email (hash), never by a DID the wallet holds

    def fields(self, raw: bytes, summary: Summary | None) -> FieldList:
        from skillpass.present.fields import WHOLE, FieldList, field_at, summary_values
        from skillpass.suites.ecdsa_sd_2023 import selectable_pointers

        received = read(raw)
        document = received.unverified_assertion
        shown = summary_values(summary)
        fields = tuple(field_at(document, pointer, shown, WHOLE) for pointer in selectable_pointers(document))
        suite = SUITE if received.token is not None else "OB 2.0 hosted badge (not verified)"
        return FieldList(False, suite, f"{suite}: can only be shared whole", fields)

    def revealed(self, raw: bytes, fields: FieldList, selection: Selection) -> tuple[Field, ...]:
        return fields.fields

    def signer(self, chosen: list[Chosen], keys: list[HolderKey], request: ShareOptions) -> Signer:
        if request.suite is not None:
            raise UsageError("--proof-suite is for JSON-LD presentations; an Open Badge 2.0 is shared "
                             "whole, unsigned", "leave out --proof-suite")
        if len(chosen) != 1:
            raise UsageError("an Open Badge 2.0 is shared on its own, one badge at a time",
                             "share each Open Badge 2.0 separately")
        return Signer(None, None)

    def present(self, chosen: list[Chosen], signer: Signer, request: ShareOptions, material: Material,
                now: datetime) -> Presentation:
        received = read(chosen[0].raw)
        body = chosen[0].raw.decode("utf-8").strip()
        suffix = ".jws" if received.token is not None else ".json"
        warnings = [NO_HOLDER_PROOF]
        if request.challenge is not None or request.domain is not None:
            warnings.append("the verifier's challenge and domain cannot be answered by an Open Badge 2.0")
        return Presentation(body, suffix, None, tuple(c.fields.fields for c in chosen), tuple(warnings))


def _allowed(validity: str, assertion: dict[str, Any], allow_expired: bool) -> None:
    if validity == "valid" or allow_expired:
        return
    expired = validity == "expired"
    when = assertion.get("expires") if expired else assertion.get("issuedOn")
    raise outside_period(expired, str(when)[:40], badge=True)


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


FORMAT = OpenBadge2()
