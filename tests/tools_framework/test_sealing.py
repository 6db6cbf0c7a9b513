"""Sealing: AES-GCM bound to the row; rotation by key id; unreadable values fail closed."""

from __future__ import annotations

import base64
import uuid

import pytest

from core.security.sealing import SealContext, key_id_of, seal
from core.security.unsealing import UnsealError, unseal
from core.settings import parse_encryption_keys
from tests.tools_framework.helpers import random_key

VALUE = {"api_key": "sk_live_PLANTED_SECRET_123", "nested": {"n": 1}}
K1, K2 = random_key(), random_key()
KEYS_K1 = parse_encryption_keys(f"k1:{K1}")
KEYS_K2_K1 = parse_encryption_keys(f"k2:{K2},k1:{K1}")


def context(**changes: object) -> SealContext:
    base = {
        "table": "agent_tools",
        "row_id": uuid.UUID("00000000-0000-4000-8000-000000000001"),
        "organization_id": uuid.UUID("00000000-0000-4000-8000-0000000000aa"),
        "column": "sensitive_config",
    }
    return SealContext(**{**base, **changes})  # type: ignore[arg-type]


def flip(sealed: str, index: int) -> str:
    version, key_id, body = sealed.split(".")
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[index] ^= 0x01
    return f"{version}.{key_id}.{base64.urlsafe_b64encode(bytes(raw)).decode().rstrip('=')}"


def test_round_trip():
    # when
    sealed = seal(VALUE, context=context(), keys=KEYS_K1)
    # then
    assert sealed.startswith("v1.k1.")
    assert key_id_of(sealed) == "k1"
    assert "PLANTED" not in sealed and "api_key" not in sealed
    assert unseal(sealed, context=context(), keys=KEYS_K1) == VALUE


def test_the_same_value_seals_differently_each_time():
    # when
    first, second = (seal(VALUE, context=context(), keys=KEYS_K1) for _ in range(2))
    # then
    assert first != second


@pytest.mark.parametrize(
    "moved",
    [
        {"row_id": uuid.UUID("00000000-0000-4000-8000-000000000002")},
        {"organization_id": uuid.UUID("00000000-0000-4000-8000-0000000000bb")},
        {"column": "sealed_secret_headers"},
        {"table": "custom_functions"},
    ],
    ids=["other-row", "other-organization", "other-column", "other-table"],
)
def test_a_ciphertext_moved_elsewhere_does_not_decrypt(moved):
    # given
    sealed = seal(VALUE, context=context(), keys=KEYS_K1)
    # when
    with pytest.raises(UnsealError) as failure:
        unseal(sealed, context=context(**moved), keys=KEYS_K1)
    # then
    assert str(failure.value) == "the sealed value does not decrypt for this row"
    assert "PLANTED" not in repr(failure.value)


@pytest.mark.parametrize("index", [0, 11, 12, -1], ids=["nonce", "nonce-end", "body", "tag"])
def test_tampered_bytes_fail(index):
    # given
    sealed = seal(VALUE, context=context(), keys=KEYS_K1)
    # when / then
    with pytest.raises(UnsealError):
        unseal(flip(sealed, index), context=context(), keys=KEYS_K1)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: s[:-6],
        lambda s: s.replace("v1.", "v2.", 1),
        lambda s: s + ".extra",
        lambda s: "v1.k1.!!!not-base64!!!",
        lambda s: "v1.k1.",
        lambda s: "plain text",
    ],
    ids=["truncated", "other-version", "extra-part", "bad-base64", "empty-body", "not-sealed"],
)
def test_malformed_values_fail_as_unseal_errors(mangle):
    # given
    sealed = seal(VALUE, context=context(), keys=KEYS_K1)
    # when / then
    with pytest.raises(UnsealError):
        unseal(mangle(sealed), context=context(), keys=KEYS_K1)


def test_an_unknown_key_id_fails():
    # given
    sealed = seal(VALUE, context=context(), keys=KEYS_K1)
    # when
    with pytest.raises(UnsealError) as failure:
        unseal(sealed, context=context(), keys=parse_encryption_keys(f"k2:{K2}"))
    # then
    assert str(failure.value) == "key 'k1' is not in ENCRYPTION_KEYS"


def test_the_same_key_id_with_another_key_fails():
    # given
    sealed = seal(VALUE, context=context(), keys=KEYS_K1)
    # when / then
    with pytest.raises(UnsealError):
        unseal(sealed, context=context(), keys=parse_encryption_keys(f"k1:{K2}"))


def test_after_rotation_old_values_unseal_and_new_ones_use_the_first_key():
    # given
    old = seal(VALUE, context=context(), keys=KEYS_K1)
    # when
    new = seal(VALUE, context=context(), keys=KEYS_K2_K1)
    # then
    assert unseal(old, context=context(), keys=KEYS_K2_K1) == VALUE
    assert key_id_of(new) == "k2"
    assert unseal(new, context=context(), keys=KEYS_K2_K1) == VALUE
    with pytest.raises(UnsealError):
        unseal(new, context=context(), keys=KEYS_K1)
