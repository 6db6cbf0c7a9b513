"""The suite's GraphQL-over-HTTP client and what tests read out of its answers."""

from __future__ import annotations

from typing import Any

import httpx


class GraphQLClient:
    """POSTs operations to /graphql; `token` is an access token or an API key."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def raw(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        client_address: str | None = None,
    ) -> httpx.Response:
        headers = {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if client_address:
            headers["X-Forwarded-For"] = client_address
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    async def execute(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> dict:
        """The whole answer, errors included; the transport itself must say 200."""
        response = await self.raw(query, variables, **kw)
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> dict:
        """`data` of an answer that must have no top-level error."""
        body = await self.execute(query, variables, **kw)
        assert "errors" not in body, body
        return body["data"]

    async def payload(
        self, query: str, variables: dict[str, Any] | None = None, **kw: Any
    ) -> dict[str, Any]:
        """The one mutation payload of the answer (its `errors` list included)."""
        (payload,) = (await self.data(query, variables, **kw)).values()
        return payload

    async def ok(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> dict:
        """The one mutation payload of an answer that must have no payload error either."""
        payload = await self.payload(query, variables, **kw)
        assert payload["errors"] == [], payload
        return payload


def error_codes(body: dict[str, Any]) -> list[str | None]:
    """The `extensions.code` of every top-level error."""
    return [error.get("extensions", {}).get("code") for error in body.get("errors") or []]


def payload_codes(payload: dict[str, Any]) -> list[str]:
    """The codes of a mutation payload's `errors`."""
    return [error["code"] for error in payload["errors"]]
