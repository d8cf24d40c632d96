"""Which DID signs a share: the one the credentials are issued to, or a clear refusal."""

from __future__ import annotations

import pytest

from skillpass.errors import UsageError
from skillpass.present.holder import Shared, bound_dids, choose_signer, subject_ids
from skillpass.wallet.keys import generate_holder_key

ED = generate_holder_key("Ed25519", "2026-11-01T00:00:00Z")
P256 = generate_holder_key("P-256", "2026-11-01T00:00:00Z")
KEYS = [ED, P256]


def shared(ref: str, *subjects: str) -> Shared:
    return Shared(ref, subjects)


def test_subject_ids_of_one_or_several_subjects() -> None:
    assert subject_ids({"credentialSubject": {"id": "did:a"}}) == ("did:a",)
    assert subject_ids({"credentialSubject": [{"id": "did:a"}, {"name": "x"}, {"id": "did:b"}]}) == (
        "did:a", "did:b")
    assert subject_ids({"credentialSubject": {"name": "x"}}) == ()
    assert subject_ids("not a credential") == ()


def test_a_did_url_binds_to_its_did() -> None:
    assert bound_dids([f"{P256.did}#{P256.did[8:]}", "did:example:other"], KEYS) == [P256.did]


@pytest.mark.parametrize(("key", "suite"), [(ED, "eddsa-rdfc-2022"), (P256, "ecdsa-rdfc-2019")])
def test_the_bound_did_signs_with_its_own_suite(key, suite: str) -> None:
    signer = choose_signer([shared("3f2a", key.did), shared("91bc", key.did)], KEYS, None)

    assert (signer.key.did, signer.suite) == (key.did, suite)


def test_unbound_credentials_do_not_decide() -> None:
    signer = choose_signer([shared("3f2a", P256.did), shared("91bc", "did:example:else"),
                            shared("77aa")], KEYS, None)
    assert signer.key is P256

    nobody = choose_signer([shared("91bc", "did:example:else")], KEYS, None)
    assert (nobody.key, nobody.suite) == (ED, "eddsa-rdfc-2022")
    assert choose_signer([shared("91bc")], KEYS, "ecdsa-rdfc-2019").key is P256


def test_a_chosen_suite_the_bound_key_signs_with_is_kept() -> None:
    assert choose_signer([shared("3f2a", ED.did)], KEYS, "Ed25519Signature2018").suite == (
        "Ed25519Signature2018")


def test_credentials_bound_to_two_dids_are_refused_naming_each() -> None:
    with pytest.raises(UsageError) as refused:
        choose_signer([shared("3f2a", ED.did), shared("91bc", P256.did)], KEYS, None)

    assert refused.value.code == "E_HOLDER_MIXED"
    assert f"3f2a to your Ed25519 DID {ED.did}" in refused.value.message
    assert f"91bc to your P-256 DID {P256.did}" in refused.value.message
    assert "separate presentations" in str(refused.value.hint)


def test_a_suite_the_bound_key_cannot_sign_with_is_refused() -> None:
    with pytest.raises(UsageError) as refused:
        choose_signer([shared("3f2a", P256.did)], KEYS, "eddsa-rdfc-2022")

    assert refused.value.code == "E_HOLDER_MISMATCH"
    assert P256.did in refused.value.message and "credential 3f2a is" in refused.value.message
    assert "--proof-suite ecdsa-rdfc-2019" in str(refused.value.hint)


def test_a_credential_naming_both_dids_goes_with_either() -> None:
    signer = choose_signer([shared("3f2a", ED.did, P256.did), shared("91bc", P256.did)], KEYS, None)
    assert signer.key is P256
