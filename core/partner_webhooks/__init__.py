"""Partner webhooks: signed, durable pushes of call events to endpoints organizations register
(docs/webhooks.md)."""
