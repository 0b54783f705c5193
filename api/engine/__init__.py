"""The read engine: every query document planned once and executed without graphql-core's
per-field machinery, answering exactly what strawberry's execution answers.

The schema strawberry builds stays the definition of every field, the introspection source and
the validator; strawberry still runs mutations, introspection and whatever the engine declines.
The engine answers a query when every check before execution would let it through — a plan
(plan.py), an allowed caller and fields, variables that coerce, a cost within the limit — and
otherwise returns None before anything runs, so that strawberry answers, errors included. The
resolvers, DataLoaders and error handling are the schema's own (execute.py), so the answers
are the same by construction; tests/api/test_read_engine.py compares the two over generated
documents, byte for byte, with their audit records.
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError, GraphQLNonNull, GraphQLSchema
from graphql.execution.values import get_variable_values
from strawberry.types.execution import ExecutionResult

from api.engine.execute import Run
from api.engine.kinds import RESOLVER
from api.engine.plan import Plan, make_plan
from api.observability import tracing
from api.policies.enforcer import subjects_of
from api.programs.catalogue import purpose_refused
from api.schema.access import FieldAccess
from api.schema.document import MAX_COST, Bounded, check_variables
from api.schema.errors import client_errors
from api.services import audit

log = logging.getLogger("sijill.engine")


class Engine:
    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        # Plans by (query text, operation name), bounded; "no plan" (None) is kept too.
        self.plans = Bounded(1024)
        self.answered = 0  # requests the engine answered (the rest strawberry did)
        self._decisions: dict[tuple, bool] = {}

    async def execute(self, context: Any, query: Any, variables: Any,
                      operation_name: Any) -> ExecutionResult | None:
        principal = getattr(context, "principal", None)
        if tracing.enabled():
            return None  # traced: strawberry's execution, with a span for every resolver
        if principal is None or type(query) is not str \
                or (operation_name is not None and type(operation_name) is not str) \
                or (variables is not None and type(variables) is not dict):
            return None
        plan = self.plans.get_or((query, operation_name),
                                 lambda: make_plan(self.schema, query, operation_name))
        if plan is None or _several_roots_that_may_fail(plan):
            return None
        enforce = getattr(context, "enforce_field_access", True)
        needs = FieldAccess.permissions.get(self.schema, query, plan.document, operation_name)
        if needs.introspects:
            return None
        if enforce and (purpose_refused(principal) is not None
                        or not self._allowed(principal, needs.permissions)):
            return None  # strawberry refuses it, and says why
        try:
            check_variables(variables)
            coerced = plan.plain.coerce(variables) if plan.plain is not None else None
            if coerced is None:
                coerced = get_variable_values(self.schema,
                                              plan.operation.variable_definitions or (),
                                              variables or {}, max_errors=50)
                if isinstance(coerced, list):
                    return None  # strawberry reports the variables' errors
            if plan.cost(variables) > MAX_COST:
                return None  # strawberry refuses it, and says by how much
        except GraphQLError:
            return None
        if enforce:
            context.selected_fields = sorted(obj for obj, _ in needs.permissions)
        subjects = set(audit.collected())
        try:
            data, errors = await Run(self.schema, plan, context, coerced).execute()
        except Exception:
            # A fault of the engine itself (never a resolver's error, which is an answer): the
            # caller still gets strawberry's answer, and the record only what it read.
            log.exception("read engine failed; strawberry answers")
            audit.restore(subjects)
            return None
        self.answered += 1
        return ExecutionResult(data=data,
                               errors=client_errors(errors, plan.document, context) or None)

    def _allowed(self, principal, permissions) -> bool:
        policy = FieldAccess.policy  # the one in force (it can be reloaded or replaced)
        key = (id(policy), policy.version, principal.roles, principal.program, permissions)
        allowed = self._decisions.get(key)
        if allowed is None:
            allowed = not policy.denied(subjects_of(principal), permissions)
            if len(self._decisions) > 4096:
                self._decisions.clear()
            self._decisions[key] = allowed
        return allowed


def _several_roots_that_may_fail(plan: Plan) -> bool:
    """Several root fields, one of them non-null and resolved by code that may fail: its error
    nulls the whole answer and cancels its siblings midway under graphql-core, at a point that
    depends on scheduling. Strawberry runs such a document."""
    fields = [f for f in plan.roots if f.definition is not None]
    return len(fields) > 1 and any(
        f.kind == RESOLVER and isinstance(f.definition.type, GraphQLNonNull) for f in fields)
