"""The two dashboard reads the benchmarks send, as a client sends them."""

from __future__ import annotations

DASHBOARD = """query Dashboard($id: ID!, $first: Int!) {
  organization(id: $id) {
    agents(first: $first) {
      edges { node { id name phoneNumber tools { tool { name } isEnabled } } }
    }
  }
  calls(organizationId: $id, first: $first) {
    edges { node { id status durationSeconds agent { name } } }
  }
}"""

ME = """query Me {
  me { id email memberships { role { key } organization { id name } } }
}"""


def dashboard_body(organization_global_id: str, first: int = 20) -> dict[str, object]:
    return {"query": DASHBOARD, "variables": {"id": organization_global_id, "first": first}}


def me_body() -> dict[str, object]:
    return {"query": ME, "variables": {}}
