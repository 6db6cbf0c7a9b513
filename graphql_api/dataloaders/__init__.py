"""Per-request DataLoaders: one small loader per file, results in key order."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from core.access import OrgAccess, Principal
from graphql_api.dataloaders.access import make_access_loader
from graphql_api.dataloaders.by_id import make_by_id_loader
from graphql_api.dataloaders.memberships import (
    make_memberships_by_organization_loader,
    make_memberships_by_user_loader,
)
from graphql_api.dataloaders.permissions import make_role_permissions_loader
from orm.models import ApiKey, Invitation, Membership, Organization, Role, User, VoiceAgent


@dataclass
class DataLoaders:
    principal: Principal
    access: DataLoader[uuid.UUID, OrgAccess | None] = field(init=False)
    organization: DataLoader[uuid.UUID, Organization | None] = field(init=False)
    user: DataLoader[uuid.UUID, User | None] = field(init=False)
    role: DataLoader[uuid.UUID, Role | None] = field(init=False)
    agent: DataLoader[uuid.UUID, VoiceAgent | None] = field(init=False)
    membership: DataLoader[uuid.UUID, Membership | None] = field(init=False)
    invitation: DataLoader[uuid.UUID, Invitation | None] = field(init=False)
    api_key: DataLoader[uuid.UUID, ApiKey | None] = field(init=False)
    role_permissions: DataLoader[uuid.UUID, list[str]] = field(init=False)
    memberships_by_user: DataLoader[uuid.UUID, list[Membership]] = field(init=False)
    memberships_by_organization: DataLoader[uuid.UUID, list[Membership]] = field(init=False)

    def __post_init__(self) -> None:
        self.access = make_access_loader(self.principal)
        self.organization = make_by_id_loader(Organization)
        self.user = make_by_id_loader(User)
        self.role = make_by_id_loader(Role)
        self.agent = make_by_id_loader(VoiceAgent)
        self.membership = make_by_id_loader(Membership)
        self.invitation = make_by_id_loader(Invitation)
        self.api_key = make_by_id_loader(ApiKey)
        self.role_permissions = make_role_permissions_loader()
        self.memberships_by_user = make_memberships_by_user_loader()
        self.memberships_by_organization = make_memberships_by_organization_loader()
