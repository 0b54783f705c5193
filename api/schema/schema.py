"""The schema: each domain's root fields (api/schema/registry.py, programs.py, auditing.py)
assembled into `Query` and `Mutation`, with the caller's own fields, the schema extensions and
the access policy derived from the schema."""

from __future__ import annotations

from pathlib import Path

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import Info

from api.policies.enforcer import AccessPolicy, subjects_of
from api.programs.catalogue import catalogue as program_catalogue
from api.programs.catalogue import check_fields
from api.schema import cost
from api.schema.access import DocumentPermissions, FieldAccess, schema_permissions
from api.schema.auditing import AuditingQuery
from api.schema.document import CostLimit, DocumentLimits
from api.schema.errors import TypedErrors
from api.schema.feed import FeedQuery, WebhooksMutation, WebhooksQuery
from api.schema.programs import ProgramsMutation, ProgramsQuery
from api.schema.registry import RegistryMutation, RegistryQuery, TerritoryQuery
from api.schema.simulation import SimulationQuery
from api.schema.types import Viewer

SDL_PATH = Path(__file__).with_name("schema.graphql")


@strawberry.type(description="One permission in force: a subject may read a field or call a mutation.")
class FieldGrant:
    subject: str
    field: str
    action: str


@strawberry.type
class ViewerQuery:
    @strawberry.field(description="The authenticated caller.")
    def me(self, info: Info) -> Viewer:
        p = info.context.require_principal()
        allowed = access_policy().allowed(subjects_of(p))
        return Viewer(
            subject=p.subject, roles=sorted(p.roles), program=p.program,
            provinces=sorted(p.provinces),
            allowed_fields=sorted(obj for obj, act in allowed if act == "read"),
        )

    @strawberry.field(description="Every (subject, field, action) grant in force.",
                      metadata=cost.at_most(2000))
    def access_policy(self, info: Info) -> list[FieldGrant]:
        info.context.require_principal()
        return [FieldGrant(subject=g.subject, field=g.field, action=g.action)
                for g in access_policy().matrix()]


# Field order is the order of these types, then of the fields within each.
Query = merge_types("Query", (ViewerQuery, RegistryQuery, ProgramsQuery, SimulationQuery,
                              FeedQuery, WebhooksQuery, AuditingQuery, TerritoryQuery))
Mutation = merge_types("Mutation", (RegistryMutation, ProgramsMutation, WebhooksMutation))


class SijillSchema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        """Errors are logged by TypedErrors, without their messages (personal data)."""


def build_schema() -> strawberry.Schema:
    return SijillSchema(
        query=Query,
        mutation=Mutation,
        config=StrawberryConfig(auto_camel_case=True),
        # Factories, not instances: an extension keeps per-request state (its execution
        # context), so a shared instance mixes up concurrent requests.
        extensions=[
            # Parse, operation, limits and validation (bounded caches) before anything runs,
            # whatever the document's shape; the cost once variables are known, after the
            # field check.
            DocumentLimits,
            FieldAccess,
            CostLimit,
            TypedErrors,
        ],
    )


schema = build_schema()
# A program may be granted only fields the schema has: checked here, before anything serves.
check_fields(program_catalogue(), {obj for obj, _ in schema_permissions(schema._schema)})
_policy = AccessPolicy(schema_permissions(schema._schema))
FieldAccess.policy = _policy
FieldAccess.permissions = DocumentPermissions(maxsize=2048)


def access_policy() -> AccessPolicy:
    return _policy


def export_sdl() -> str:
    return schema.as_str() + "\n"
