"""`voiceagents keys rotate` re-seals endpoints' signing secrets, in their own key tier."""

from __future__ import annotations

from pydantic import SecretStr

from core.partner_webhooks import signing_secrets
from core.security.sealing import key_id_of
from core.services.key_rotation import rotate
from orm.models import WebhookEndpoint
from tests.tools_framework.helpers import random_key


async def test_rotation_reseals_current_and_previous_signing_secrets(make, server):
    # given: an endpoint sealed under k1, mid-rotation (both secrets held)
    k1, k2 = random_key(), random_key()
    old = server.settings.model_copy(update={"encryption_keys": SecretStr(f"k1:{k1}")})
    tenant = await make.tenant()
    issued = await make.webhook_endpoint(tenant, settings=old)
    endpoint = await WebhookEndpoint.get(id=issued.endpoint.id)
    previous = signing_secrets.new_secret()
    endpoint.previous_signing_secret_sealed = signing_secrets.seal_secret(
        previous,
        endpoint_id=endpoint.id,
        organization_id=endpoint.organization_id,
        settings=old,
        column=signing_secrets.PREVIOUS_COLUMN,
    )
    await endpoint.save(update_fields=["previous_signing_secret_sealed"])
    new = server.settings.model_copy(update={"encryption_keys": SecretStr(f"k2:{k2},k1:{k1}")})
    # when
    report = await rotate(settings=new)
    # then: both re-sealed under k2, opening to the same secrets with k2 alone
    assert report.resealed >= 2 and report.unreadable == 0
    only_new = server.settings.model_copy(update={"encryption_keys": SecretStr(f"k2:{k2}")})
    stored = await WebhookEndpoint.get(id=endpoint.id)
    assert key_id_of(stored.signing_secret_sealed) == "k2"
    assert key_id_of(stored.previous_signing_secret_sealed or "") == "k2"
    assert (
        signing_secrets.open_secret(
            stored.signing_secret_sealed,
            endpoint_id=stored.id,
            organization_id=stored.organization_id,
            settings=only_new,
        )
        == issued.signing_secret
    )
    assert (
        signing_secrets.open_secret(
            stored.previous_signing_secret_sealed or "",
            endpoint_id=stored.id,
            organization_id=stored.organization_id,
            settings=only_new,
            column=signing_secrets.PREVIOUS_COLUMN,
        )
        == previous
    )
