"""The webhook mutations; each module declares its resolver and its permission."""

import strawberry

from graphql_api.webhooks.mutations import (
    webhook_delivery_retry,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_rotate_secret,
    webhook_endpoint_test,
    webhook_endpoint_update,
)


@strawberry.type
class WebhookMutations:
    webhook_endpoint_create = webhook_endpoint_create.field
    webhook_endpoint_update = webhook_endpoint_update.field
    webhook_endpoint_delete = webhook_endpoint_delete.field
    webhook_endpoint_rotate_secret = webhook_endpoint_rotate_secret.field
    webhook_endpoint_test = webhook_endpoint_test.field
    webhook_delivery_retry = webhook_delivery_retry.field
