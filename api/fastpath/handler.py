"""The fast path: hot read operations answered with one hand-written SQL statement, on PostgreSQL.

It answers a request only when it would answer exactly as the general path does (tests compare
the two over the documents of docs/examples/ and the test suite): an allowed caller, a document
with a plan (see plan.py), variables that coerce, a cost within the limit, ids that are well
formed, a household in the caller's scope. Anything else returns None before counting or
returning anything (a household's scope is known once its row is read), and the general path
answers, errors included. Field checks use the same policy decision as the
general path, cached per (subject, document); the audit record is written the same way.
"""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
from graphql import GraphQLError, GraphQLSchema
from graphql.execution.values import get_argument_values, get_variable_values
from starlette.requests import Request
from starlette.responses import Response
from tortoise.connection import get_connection

from api.errors import RegistryError
from api.fastpath import queries, render
from api.fastpath.plan import Plan, make_plan
from api.http import jsonbody
from api.http.requestbody import accepted_media_type, json_body
from api.policies.enforcer import subjects_of
from api.principal import Principal
from api.programs import rules
from api.programs.catalogue import purpose_refused
from api.programs.facts import MemberSituation, Situation
from api.schema.access import FieldAccess
from api.schema.document import MAX_COST, Bounded, check_variables, operation_cost
from api.services import clock, eligibility, lookups, scope
from api.services.households import parse_household_id

log = logging.getLogger("sijill.fastpath")

BODY_KEYS = frozenset({"query", "documentId", "variables", "operationName", "extensions"})


class Answered:
    """What the fast path hands back: the response, and what the audit record needs."""

    __slots__ = ("response", "query", "operation_name", "selected_fields", "operation")

    def __init__(self, response: Response, query: str, operation_name: str | None,
                 selected_fields: list[str], operation: str | None) -> None:
        self.response = response
        self.query = query
        self.operation_name = operation_name
        self.selected_fields = selected_fields
        self.operation = operation  # the name of the operation run, as the document names it


class FastPath:
    def __init__(self, schema: GraphQLSchema, caps: dict[str, int] | None = None) -> None:
        self.schema = schema
        self.plans = Bounded(1024)  # plans by (query text, operation name); None kept too
        self.caps = caps  # the programs' daily caps (lookups.parse_caps); None: no cap
        self._decisions: dict[tuple, bool] = {}
        self.answered = 0  # requests answered here (the rest went the general way)

    async def answer(self, request: Request, principal: Principal | None, subjects: set[str],
                     document: str | None = None) -> Answered | None:
        """`document`: the text a trusted `documentId` resolved to (api/http/trusted_documents.py)."""
        if principal is None or request.method != "POST":
            return None
        if purpose_refused(principal) is not None:  # the general path refuses it, and says why
            return None
        if not accepted_media_type(request.headers.get("content-type")):
            return None
        data = await json_body(request)
        if type(data) is not dict or not data.keys() <= BODY_KEYS \
                or data.get("extensions", None) not in (None, {}):
            return None
        query, name, variables = data.get("query"), data.get("operationName"), data.get("variables")
        if "documentId" in data:
            if document is None:
                return None
            query = document
        if type(query) is not str or (name is not None and type(name) is not str) \
                or (variables is not None and type(variables) is not dict):
            return None
        plan = self.plans.get_or((query, name), lambda: make_plan(self.schema, query, name))
        if plan is None or not self._allowed(principal, plan):
            return None
        if plan.static_args is not None:
            args = plan.static_args
        elif plan.binding is not None and (args := plan.binding.bind(variables)) is not None:
            pass  # strings only: nothing to coerce; their number is bounded by the cost below
        else:
            try:
                check_variables(variables)
            except GraphQLError:
                return None
            coerced = get_variable_values(self.schema, plan.operation.variable_definitions or (),
                                          variables or {}, max_errors=50)
            if isinstance(coerced, list):  # variable errors: the general path reports them
                return None
            try:
                args = get_argument_values(self.schema.query_type.fields[plan.kind],
                                           plan.field_node, coerced)
            except GraphQLError:  # e.g. null for a non-null argument's defaulted variable
                return None
        if args.get("asOf") is not None:  # a past day: the general path reads the history
            return None
        cost = plan.static_cost
        if cost is None:
            cost = operation_cost(self.schema, plan.document, plan.operation, variables)
        if cost > MAX_COST:
            return None
        try:
            if plan.kind == "household":
                value = await self._household(principal, plan, args, subjects)
            else:
                value = await self._eligibility(principal, plan, args, subjects)
        except _Decline:
            subjects.clear()
            return None
        except Exception:  # a fault here must not cost the caller the answer: the general
            # path, with its own error handling and audit, answers instead
            log.exception("fast path failed; the general path answers")
            subjects.clear()
            return None
        body = jsonbody.encode({"data": {plan.root.key: value}})
        self.answered += 1
        return Answered(Response(body, media_type="application/json"), query, name,
                        plan.selected_fields, plan.operation_name)

    def _allowed(self, principal: Principal, plan: Plan) -> bool:
        policy = FieldAccess.policy  # the one in force (it can be reloaded or replaced)
        key = (id(policy), policy.version, principal.roles, principal.program,
               plan.needs.permissions)
        allowed = self._decisions.get(key)
        if allowed is None:
            allowed = not policy.denied(subjects_of(principal), plan.needs.permissions)
            if len(self._decisions) > 4096:
                self._decisions.clear()
            self._decisions[key] = allowed
        return allowed

    async def _eligibility(self, principal: Principal, plan: Plan, args: dict[str, Any],
                           subjects: set[str]):
        program = _program(args["program"])
        asked = [args["idcs"]] if plan.kind == "eligibility" else list(args["idcs"])
        try:
            valid = eligibility.checked_ids(principal, program, asked)
        except RegistryError as exc:
            raise _Decline from exc
        now, today = clock.now(), clock.today()
        cap = None
        if self.caps is not None and not principal.is_admin and principal.has("program_agency"):
            cap = (program, today, lookups.cap_of(self.caps, program))
        rows = {}
        if valid:
            async with get_connection("default").acquire_connection() as conn:
                try:
                    rows = await queries.persons_with_households(
                        conn, valid, cap, full_members=plan.shows_members)
                except asyncpg.PostgresError as exc:
                    if getattr(exc, "sqlstate", None) != lookups.OVER_CAP:
                        raise
                    raise _Decline from None  # nothing was counted: the general path refuses
        out = []
        situations: dict[str, tuple[MemberSituation, ...]] = {}  # per household, built once
        relationship, birth, schooling, disability, sex = (
            queries.DECISION_FULL if plan.shows_members else queries.DECISION_SHORT)
        decide_one = rules.decider(program, today)
        for idcs in asked:
            row = rows.get(idcs)
            household = row if row is not None and row["household_id"] is not None else None
            if row is None:
                situation = Situation(False, idcs=idcs)
            elif household is None:
                situation = Situation(True, bool(row["death_date"]),
                                      bool(row["has_other_health_coverage"]), False, None, None,
                                      (), idcs, row["birth_date"], row["sex"], row["nationality"])
            else:
                members = situations.get(household["household_id"])
                if members is None:
                    members = situations[household["household_id"]] = tuple([
                        MemberSituation(m[relationship], m[birth], m[schooling], m[disability],
                                        m[sex])
                        for m in household["members"] or ()])
                situation = Situation(
                    True, bool(row["death_date"]), bool(row["has_other_health_coverage"]), True,
                    household["status"], household["index_value"], members, idcs,
                    row["birth_date"], row["sex"], row["nationality"], household["milieu"],
                    household["region_id"], household["province_id"])
            result = eligibility.answer(
                idcs, program, situation, household,
                household["index_formula_version"] if household is not None else None, today, now,
                decide_one)
            out.append(render.eligibility(plan.root, result, today, subjects))
        return out[0] if plan.kind == "eligibility" else out

    async def _household(self, principal: Principal, plan: Plan, args: dict[str, Any],
                         subjects: set[str]):
        # Citizens reach their own household through another lookup: the general path.
        if not (principal.is_admin or principal.has("registrar")):
            raise _Decline
        try:
            household_id = parse_household_id(args["id"], "id")
        except RegistryError as exc:
            raise _Decline from exc
        async with get_connection("default").acquire_connection() as conn:
            row = await queries.household(conn, household_id)
        if row is None or not scope.can_read_household(principal, row["province_id"],
                                                       household_id, None):
            raise _Decline  # NOT_FOUND, as the general path says it
        return render.household(plan.root, row, clock.today(), subjects)


class _Decline(Exception):
    """The general path answers this request."""


def _program(value) -> str:
    return getattr(value, "value", value)
