"""The API process opens one kind of sealed value: the links of the mails it sends. It does so
with keys derived for mail links alone, so the two tiers hold: nothing it can open is a tool
secret, and nothing sealed for a mail opens with the keys that seal tool secrets."""

from __future__ import annotations

import uuid

import pytest

from core.email.link_sealing import LinkSealError, mail_link_keys, open_links, seal_links
from core.security.sealing import SealContext, seal
from core.security.unsealing import UnsealError, unseal
from core.settings import parse_encryption_keys
from tests.tools_framework.helpers import random_key

KEYS = parse_encryption_keys(f"k1:{random_key()},k0:{random_key()}")
MAIL_ID = uuid.UUID("00000000-0000-4000-8000-0000000000e1")
LINKS = {"link": "https://dashboard.test/reset-password?token=vaot_PLANTED"}
# The context a mail's sealed links are bound to.
MAIL_CONTEXT = SealContext(
    table="email_outbox", row_id=MAIL_ID, organization_id=uuid.UUID(int=0), column="sealed_values"
)


def test_links_round_trip_under_the_mail_keys_and_rotate_by_key_id():
    # given
    sealed = seal_links(LINKS, mail_id=MAIL_ID, keys=mail_link_keys(KEYS))
    retired_first = dict(reversed(KEYS.items()))

    # then
    assert sealed.startswith("v1.k1.")
    assert "PLANTED" not in sealed
    assert open_links(sealed, mail_id=MAIL_ID, keys=mail_link_keys(KEYS)) == LINKS
    assert open_links(sealed, mail_id=MAIL_ID, keys=mail_link_keys(retired_first)) == LINKS


def test_the_mail_keys_cannot_open_a_value_sealed_with_the_tool_secret_keys():
    # given: a tool secret sealed the way tool secrets are, even under the mail's own context
    tool_secret = seal({"link": "sk_live_TOOL_SECRET"}, context=MAIL_CONTEXT, keys=KEYS)

    # when / then
    with pytest.raises(LinkSealError):
        open_links(tool_secret, mail_id=MAIL_ID, keys=mail_link_keys(KEYS))


def test_the_tool_secret_keys_cannot_open_a_mail_link():
    # given
    sealed = seal_links(LINKS, mail_id=MAIL_ID, keys=mail_link_keys(KEYS))

    # when / then
    with pytest.raises(UnsealError):
        unseal(sealed, context=MAIL_CONTEXT, keys=KEYS)


def test_a_link_is_bound_to_its_mail():
    # given
    sealed = seal_links(LINKS, mail_id=MAIL_ID, keys=mail_link_keys(KEYS))

    # when / then
    with pytest.raises(LinkSealError):
        open_links(sealed, mail_id=uuid.uuid4(), keys=mail_link_keys(KEYS))
