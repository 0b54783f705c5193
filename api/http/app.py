"""The ASGI application: routes, authentication at the edge, database lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import time

from cross_web import HTTPException
from graphql import GraphQLError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.unset import UNSET
from tortoise import Tortoise
from tortoise.contrib.starlette import RegisterTortoise
from tortoise.transactions import in_transaction

from api.db import tortoise_config
from api.engine import Engine
from api.errors import INTERNAL_MESSAGE, ErrorCode, RegistryError, Unauthenticated
from api.fastpath.handler import FastPath
from api.http import audit_export, cors, edge, graphiql, jsonbody
from api.http.audit_record import build_record, operation_of
from api.http.auth import TokenVerifier
from api.http.limits import BodySizeLimit
from api.http.ratelimit import DEFAULT_RATES, SharedRateLimiter, parse_rates
from api.http.requestbody import accepted_media_type, json_body
from api.http.trusted_documents import TrustedDocuments
from api.observability import logs, metrics, tracing
from api.principal import Principal
from api.programs.catalogue import catalogue as program_catalogue
from api.resolvers.context import RequestContext
from api.schema.access import required_permissions
from api.schema.document import check_limits, parse_document, select_operation
from api.schema.schema import access_policy, schema
from api.services import audit, deployment, extents, feed, lookups, migrations, statistics
from api.settings import Settings, get_settings

log = logging.getLogger("sijill.app")


class AsciiJSONResponse(JSONResponse):
    def render(self, content) -> bytes:
        return jsonbody.encode(content)


class SijillGraphQL(GraphQL):
    def encode_json(self, data: object) -> bytes:
        return jsonbody.encode(data)

    def __init__(self, settings: Settings) -> None:
        super().__init__(schema, graphql_ide="graphiql" if settings.graphiql_enabled else None)
        self.verifier = TokenVerifier(settings)
        # Outside production, anonymous callers may run `__typename`, `programs` and
        # introspection; in production every operation needs a token.
        self.anonymous_allowed = not settings.production
        # Hand-written SQL for hot reads: PostgreSQL only (SQLite takes the general path).
        postgres = settings.database_url.startswith(("postgres://", "postgresql://"))
        self.rate_limiter = SharedRateLimiter(
            parse_rates(settings.rate_limits or DEFAULT_RATES),
            shared=postgres and settings.rate_limit_store == "database")
        # The access policy in force across the nodes (api/services/deployment.py).
        self.freshness = deployment.Freshness(
            lambda: access_policy().version, interval=settings.policy_check_seconds,
            enabled=settings.policy_gate_enabled, node=settings.node_name)
        self.fast_path = FastPath(schema._schema,
                                  caps=lookups.parse_caps(settings.program_daily_persons),
                                  ) if settings.fast_path and postgres else None
        self.engine = Engine(schema._schema) if settings.read_engine else None
        self.trusted_documents = TrustedDocuments.configure(
            settings.trusted_documents_roles, settings.trusted_documents_manifest, schema._schema)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            request = Request(scope, receive)
            state = scope.setdefault("state", {})
            state.setdefault("received", time.perf_counter())
            if "request_id" not in state:  # api/http/edge.py sets it first
                state["request_id"] = edge.new_request_id()
            try:
                state["principal"] = await self.authenticate(request)
            except Unauthenticated as exc:
                response = await self._unauthenticated(request, exc)
                await response(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    async def record_edge(self, scope, status: int, code: str | None, *, count: int | None = None,
                          client: str | None = None, at=None) -> None:
        """The record of an answer made outside the view (api/http/edge.py): 405, 413, 431, the 307
        of `/graphql/`, the GraphiQL page, and the aggregated refusals of a client."""
        state = scope["state"] if scope is not None else {}
        principal = state.get("principal")
        if scope is not None and principal is None and code is not None:
            client = client or edge.client_of(scope)
        record = build_record(
            principal=principal, request_id=state.get("request_id") or edge.new_request_id(),
            policy_version=access_policy().version, query=None,
            operation_name="graphiql" if status == 200 else None, fields=[], subjects=set(),
            errors=[{"extensions": {"code": code}}] if code else [], denied_fields=[],
            client_request_id=state.get("client_request_id"), client_address=client,
            count=count, catalogue_version=program_catalogue().version)
        if at is not None:
            record.at = at
        await self.audit_writer.write(record)
        operation = metrics.label(record.operation, record.operation_type)
        metrics.REQUESTS.labels(operation, record.operation_type, record.outcome).inc()

    async def _unauthenticated(self, request: Request, exc: Unauthenticated) -> Response:
        """401, recorded; past the client's limit on refusals before authentication
        (api/http/edge.py), 429 and counted in the client's aggregated record instead."""
        state = request.scope["state"]
        refusals = state.get("refusals")
        wait = refusals.take(edge.limit_key(_client(request))) if refusals is not None else 0.0
        if wait:
            state["sijill_audited"] = True
            retry = edge.retry_after(wait)
            return JSONResponse(
                {"errors": [{"message": "Too many refused requests from this address: retry "
                                        "later.",
                             "extensions": {"code": ErrorCode.RATE_LIMITED.value,
                                            "retryAfter": retry}}]},
                status_code=429, headers={"Retry-After": str(retry),
                                          "x-request-id": state["request_id"]})
        errors = [{"message": exc.message, "extensions": exc.as_extensions()}]
        response = JSONResponse({"errors": errors}, status_code=401,
                                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        query, name = (None, None) if self._wants_graphiql(request) \
            else await _operation_from(request)
        return await self.audited(request, response, None, query, name,
                                  _selected_fields(query, name), set(), errors,
                                  denied_fields=[], client_address=_client(request))

    async def run(self, request, context=UNSET, root_value=UNSET):
        if not isinstance(request, Request) or self._wants_graphiql(request):
            return await super().run(request, context, root_value)
        subjects = audit.start_collecting()
        request.state.sijill_started = time.perf_counter()
        principal = request.scope["state"].get("principal")
        if self.freshness.stale:
            return self._stale(request)
        caller = principal.subject if principal else f"anonymous@{edge.limit_key(_client(request))}"
        wait = await self.rate_limiter.take(caller, principal.role if principal else None)
        if wait:
            response = self._rate_limited(request, wait)
        elif refused := await self._refused_document(request, principal):
            response = refused
        elif (fast := await self._fast(request, principal, subjects)) is not None:
            response = fast
        elif (read := await self._read(request)) is not None:
            response = read
        elif request.method == "POST" and await _is_mutation(request):
            return await self._run_mutation(request, context, root_value, subjects)
        else:
            response = await self._execute(request, context, root_value)
        return await self._finish(request, response, subjects)

    async def _fast(self, request, principal, subjects) -> Response | None:
        """A hot read answered by the fast path, exactly as the general path would; None when
        the general path answers."""
        if self.fast_path is None:
            return None
        answered = await self.fast_path.answer(
            request, principal, subjects, request.scope["state"].get("sijill_document", None))
        if answered is None:
            return None
        request.state.sijill_operation = (answered.query, answered.operation_name)
        request.state.sijill_operation_chosen = (answered.operation or "anonymous", "query")
        request.state.sijill_context = FastContext(answered.selected_fields)
        request.state.sijill_errors = []
        return answered.response

    async def _read(self, request: Request) -> Response | None:
        """A query the read engine answers (api/engine/), taken from the request as strawberry
        takes it and answered through the same result processing and response; None when
        strawberry handles the request (anything but one JSON operation, or a document the
        engine declines)."""
        if self.engine is None or request.method != "POST" \
                or not accepted_media_type(request.headers.get("content-type")) \
                or self._get_stream_transport_from_headers(request.headers) is not None:
            return None
        data = await json_body(request)
        if type(data) is not dict or data.get("extensions") not in (None, {}):
            return None
        query = request.scope["state"].get("sijill_document", None) or data.get("query")
        name = data.get("operationName")
        sub_response = await self.get_sub_response(request)
        context = await self.get_context(request, response=sub_response)
        result = await self.engine.execute(context, query, data.get("variables"), name)
        if result is None:
            return None
        request.state.sijill_operation = (query, name)
        processed = await self.process_result(request, result)
        return self.create_response(response_data=processed, sub_response=sub_response)

    async def _execute(self, request, context, root_value) -> Response:
        try:
            return await super().run(request, context, root_value)
        except HTTPException as exc:  # the request is not a GraphQL operation we can run
            return self._http_error(request, exc)

    async def _run_mutation(self, request, context, root_value, subjects) -> Response:
        """A mutation and its audit record commit in one transaction: if the record cannot be
        written, the change is rolled back too and the caller gets INTERNAL and no data. (The
        services' own transactions nest inside as savepoints.)"""
        feed.start_request()
        try:
            async with in_transaction():
                response = await self._execute(request, context, root_value)
                queued: list[int | None] = []
                response = await self._finish(request, response, subjects,
                                              write=lambda record: _enqueue_now(record, queued),
                                              raise_on_failure=True)
        except Exception as exc:
            if deployment.is_stale_error(exc):
                return self._stale(request)
            log.error("mutation rolled back: its audit record or commit failed (%s)",
                      type(exc).__name__)
            failed = JSONResponse(
                {"data": None, "errors": [{"message": INTERNAL_MESSAGE,
                                           "extensions": {"code": ErrorCode.INTERNAL.value}}]},
                status_code=500,
            )
            request.state.sijill_errors = [{"extensions": {"code": ErrorCode.INTERNAL.value}}]
            return await self._finish(request, failed, set())
        await _sequence_after_commit(queued[0] if queued else None)
        return response

    async def _finish(self, request, response, subjects, *, write=None,
                      raise_on_failure: bool = False) -> Response:
        errors = request.scope["state"].get("sijill_errors", [])
        if _wants_graphql_response(request):
            response.headers["content-type"] = GRAPHQL_RESPONSE_JSON
            if response.status_code == 200 and request.scope["state"].get("sijill_request_error"):
                # a token without its program's purpose: 403, as trusted documents' refusals
                response.status_code = 403 if any(
                    (e.get("extensions") or {}).get("code") == ErrorCode.PURPOSE_REQUIRED.value
                    for e in errors) else 400
        ctx: RequestContext | None = request.scope["state"].get("sijill_context", None)
        limited = next((e["extensions"] for e in errors
                        if (e.get("extensions") or {}).get("code") == ErrorCode.RATE_LIMITED.value),
                       None)
        if limited is not None and response.status_code == 200:
            # the daily cap, refused during execution: 429 and Retry-After, as the rate limiter
            response.status_code = 429
            response.headers["Retry-After"] = str(limited.get("retryAfter", 1))
        query, name = request.scope["state"].get("sijill_operation", (None, None))
        if query is None:
            query, name = await _operation_from(request)
        return await self.audited(
            request, response, request.scope["state"].get("principal"), query, name,
            ctx.selected_fields if ctx else [], subjects, errors,
            denied_fields=ctx.denied_fields if ctx else [], write=write,
            raise_on_failure=raise_on_failure,
            operation=request.scope["state"].get("sijill_operation_chosen", None),
        )

    async def audited(self, request, response, principal, query, name, fields, subjects, errors,
                      *, denied_fields: list[str], write=None, raise_on_failure: bool = False,
                      client_address: str | None = None,
                      operation: tuple[str, str] | None = None) -> Response:
        """Write the request's audit record; only once it is durable does the response leave."""
        request.scope["state"]["sijill_audited"] = True
        request_id = request.scope["state"]["request_id"]
        record = build_record(
            principal=principal, request_id=request_id, policy_version=access_policy().version,
            client_request_id=request.scope["state"].get("client_request_id"),
            client_address=client_address, catalogue_version=program_catalogue().version,
            query=query, operation_name=name, fields=fields, subjects=subjects, errors=errors,
            denied_fields=denied_fields, operation=operation,
            variables=await _variables_from(request),
        )
        started = time.perf_counter()
        try:
            await (write or self.audit_writer.write)(record)
            metrics.AUDIT_WRITE.observe(time.perf_counter() - started)
        except Exception as exc:  # no record, no data
            if raise_on_failure:
                raise
            if deployment.is_stale_error(exc):
                return self._stale(request)
            log.error("audit record not written (%s): answering INTERNAL", type(exc).__name__)
            response = JSONResponse(
                {"data": None, "errors": [{"message": INTERNAL_MESSAGE,
                                           "extensions": {"code": ErrorCode.INTERNAL.value}}]},
                status_code=500,
            )
        response.headers["x-request-id"] = request_id
        operation = metrics.label(record.operation, record.operation_type)
        metrics.REQUESTS.labels(operation, record.operation_type, record.outcome).inc()
        began = request.scope["state"].get("sijill_started", None)
        if began is not None:
            metrics.LATENCY.labels(operation, record.operation_type).observe(
                time.perf_counter() - began)
        if tracing.enabled():
            tracing.annotate(request_id, operation, record.outcome)
        # No actor (a citizen's is their IDCS), no query text, no variables: identifiers stay in
        # the audit log, which auditors query.
        received = request.scope["state"].get("received", began)
        logs.request_line(
            request_id=request_id, operation=metrics.safe_name(record.operation),
            operation_type=record.operation_type, outcome=record.outcome,
            error_code=record.error_code, status=response.status_code,
            duration_ms=round((time.perf_counter() - received) * 1000, 2) if received else None,
            roles=sorted(record.roles) or ["anonymous"], program=record.program,
        )
        return response

    def _stale(self, request: Request) -> Response:
        """This node's access policy is not the version in force: nothing is read or written
        (and no audit record can be: the database refuses it), the caller retries, the
        balancer's health check has taken or takes the node out."""
        request.scope["state"]["sijill_audited"] = True  # the database would refuse a record
        errors = [{"message": "This node does not serve the access policy in force: retry "
                              "(another node answers).",
                   "extensions": {"code": ErrorCode.INTERNAL.value, "retryAfter": 1}}]
        request.state.sijill_errors = errors
        log.warning("request refused: access policy %s is not the version in force %s",
                    self.freshness.own(), self.freshness.in_force)
        metrics.REQUESTS.labels("stale", "none", "ERROR").inc()
        return JSONResponse({"errors": errors}, status_code=503,
                            headers={"Retry-After": "1",
                                     "x-request-id": request.scope["state"]["request_id"]})

    def _rate_limited(self, request: Request, wait: float) -> Response:
        retry = self.rate_limiter.retry_after(wait)
        errors = [{"message": f"Too many requests: retry in {retry} s.",
                   "extensions": {"code": ErrorCode.RATE_LIMITED.value, "retryAfter": retry}}]
        request.state.sijill_errors = errors
        return JSONResponse({"errors": errors}, status_code=429, headers={"Retry-After": str(retry)})

    async def _refused_document(self, request: Request, principal) -> Response | None:
        """Trusted-documents mode (api/http/trusted_documents.py): resolve a `documentId` to its
        registered text, or refuse what the caller may not run."""
        if self.trusted_documents is None:
            return None
        body = dict(request.query_params) if request.method == "GET" else await json_body(request)
        try:
            request.state.sijill_document = self.trusted_documents.resolve(body, principal)
        except RegistryError as exc:
            errors = [{"message": exc.message, "extensions": exc.as_extensions()}]
            request.state.sijill_errors = errors
            return JSONResponse({"errors": errors}, status_code=getattr(exc, "status", 400))
        return None

    def parse_json(self, data):
        """strawberry catches only JSONDecodeError (bytes that decode as no Unicode raised
        UnicodeDecodeError, an integer of over 4300 digits ValueError), and reads fields of the
        parsed body without checking it is an object (a body of `5`, `null` or `"x"` raised
        AttributeError): all were HTTP 500."""
        try:
            parsed = super().parse_json(data)
        except (ValueError, RecursionError) as exc:  # UnicodeDecodeError, JSONDecodeError,
            # and arrays nested a thousand deep
            raise HTTPException(400, "Unable to parse request body as JSON") from exc
        if not isinstance(parsed, dict | list):
            raise HTTPException(400, "Expected a JSON object.")
        return parsed

    async def parse_http_body(self, request):
        """strawberry checks the types of `query`, `variables` and `extensions`, not of
        `operationName`: a non-string name would reach the schema and the audit record. Its
        content type check is a substring test (`application/jsonp` passed, `APPLICATION/JSON`
        failed): the media type is matched exactly here, case-insensitively."""
        if request.method == "POST":
            if not accepted_media_type(request.content_type):
                raise HTTPException(400, "Unsupported content type: send application/json.")
            request = _AsJSON(request)
        data = await super().parse_http_body(request)
        for item in data if isinstance(data, list) else [data]:
            if not isinstance(item.operation_name, str | None):
                raise HTTPException(400, "The GraphQL operation's `operationName` must be a "
                                         "string or null, if provided.")
        return data

    @staticmethod
    def _http_error(request: Request, exc: HTTPException) -> Response:
        status, headers = exc.status_code, {}
        if isinstance(exc.__cause__, InvalidOperationTypeError) and request.method == "GET":
            status, headers = 405, {"Allow": "POST"}  # GET never runs a mutation
        errors = [{"message": exc.reason, "extensions": {"code": ErrorCode.BAD_USER_INPUT.value}}]
        request.state.sijill_errors = errors
        # ASCII JSON: the reason may echo client text (an unknown operation name) holding lone
        # surrogates, which UTF-8 cannot encode.
        return AsciiJSONResponse({"errors": errors}, status_code=status, headers=headers)

    async def process_result(self, request, result):
        processed = await super().process_result(request, result)
        errors = processed.get("errors") or []
        for i, error in enumerate(errors):
            if not (error.get("extensions") or {}).get("code"):
                # An exception that escaped error masking (raised from an extension's hook):
                # never its message (contract §5), always a code.
                log.error("error without a code reached the response: masked as INTERNAL")
                errors[i] = {"message": INTERNAL_MESSAGE, "locations": error.get("locations"),
                             "path": error.get("path"),
                             "extensions": {"code": ErrorCode.INTERNAL.value}}
                errors[i] = {k: v for k, v in errors[i].items() if v is not None}
        request.state.sijill_errors = errors
        # A request error (the document did not parse, validate, or pass the field check): no
        # error has a path and nothing was executed.
        request_error = processed.get("data") is None and bool(errors) and not any(
            e.get("path") for e in errors
        )
        request.state.sijill_request_error = request_error
        if request_error and _wants_graphql_response(request):
            processed.pop("data", None)  # GraphQL over HTTP: a request error has no `data`
        return processed

    async def execute_operation(self, request, request_adapter, request_data, context, root_value,
                                sub_response):
        if not isinstance(request_data, list):
            request_data.query = request.scope["state"].get("sijill_document", None) \
                or request_data.query
            request.state.sijill_operation = (request_data.query, request_data.operation_name)
        return await super().execute_operation(request, request_adapter, request_data, context,
                                               root_value, sub_response)

    async def render_graphql_ide(self, request: Request) -> Response:
        return graphiql.page(request)  # from the package, not a CDN

    def should_render_graphql_ide(self, request) -> bool:
        return super().should_render_graphql_ide(request) and \
            request.query_params.get("documentId") is None  # a persisted document, by GET

    def _wants_graphiql(self, request: Request) -> bool:
        """A browser asking for the GraphiQL page (only when it is served): no operation runs."""
        return (
            self.graphql_ide is not None
            and request.method == "GET"
            and "text/html" in request.headers.get("accept", "")
            and "query" not in request.query_params
            and "documentId" not in request.query_params
        )

    async def authenticate(self, request: Request) -> Principal | None:
        header = request.headers.get("authorization")
        if header is None:
            if not self.anonymous_allowed and not self._wants_graphiql(request):
                raise Unauthenticated("Authentication required: send `Authorization: Bearer <token>`.")
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("Expected `Authorization: Bearer <token>`.")
        return await self.verifier.verify(token.strip())

    async def get_context(self, request, response) -> RequestContext:
        context = RequestContext(request=request, response=response,
                                 principal=request.scope.get("state", {}).get("principal"))
        request.state.sijill_context = context
        return context


class _AsJSON:
    """A request adapter whose media type was checked: strawberry reads its body as JSON."""

    content_type = "application/json"

    def __init__(self, inner) -> None:
        self._inner = inner

    def __getattr__(self, name):
        return getattr(self._inner, name)


class FastContext:
    """What `_finish` reads of a request context, for a fast-path answer."""

    def __init__(self, selected_fields: list[str]) -> None:
        self.selected_fields = selected_fields
        self.denied_fields: list[str] = []


async def _enqueue_now(record, queued: list[int | None]) -> None:
    """Write the record inside the caller's transaction (the mutation's), not through the group
    writer, and without the chain's lock (api/services/audit.py); note its place in the queue."""
    queued.append(await audit.enqueue([record]))


async def _sequence_after_commit(queued: int | None) -> None:
    """Chain the committed record (and whatever else is queued) before the answer leaves. The
    record is durable already: if sequencing fails, the next append of any request chains it."""
    try:
        if feed.wrote_changes():  # the changes of answers the mutation wrote
            await feed.sequence(own=feed.changes_written() or None)
    except Exception as exc:
        log.error("changes of answers written, not yet numbered (%s)", type(exc).__name__)
    if queued is None:  # SQLite: chained in the transaction
        return
    try:
        await audit.sequence(upto=queued)
    except Exception as exc:
        log.error("audit records queued, not yet chained (%s)", type(exc).__name__)


async def _is_mutation(request: Request) -> bool:
    query, name = await _operation_from(request)
    return operation_of(query, name)[1] == "mutation"


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _operation_from(request: Request) -> tuple[str | None, str | None]:
    """The query text and operation name of a request, for its audit record."""
    document = request.scope["state"].get("sijill_document", None)  # a trusted document's text
    if request.method == "GET":
        return (document or request.query_params.get("query"),
                request.query_params.get("operationName"))
    body = await json_body(request)
    if not isinstance(body, dict):
        return None, None
    query, name = document or body.get("query"), body.get("operationName")
    return (query if isinstance(query, str) else None), (name if isinstance(name, str) else None)


async def _variables_from(request: Request) -> object:
    """The variables a request sent (for a refused request's record: whom it named)."""
    if request.method == "GET":
        text = request.query_params.get("variables")
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            return None
    body = await json_body(request)
    return body.get("variables") if isinstance(body, dict) else None


def _selected_fields(query: str | None, name: str | None) -> list[str]:
    """Every `Type.field` a document selects, for the record of a request refused before it
    reached the schema (a missing or invalid token); [] when the document does not parse."""
    if not query:
        return []
    try:
        document = parse_document(query)
        check_limits(schema._schema, document, select_operation(document, name))
        needs = required_permissions(schema._schema, document, name)
    except GraphQLError:  # a refused document selects nothing we can name
        return []
    return sorted(obj for obj, _ in needs.permissions)


GRAPHQL_RESPONSE_JSON = "application/graphql-response+json; charset=utf-8"


def _wants_graphql_response(request: Request) -> bool:
    """The client asked for application/graphql-response+json (ahead of application/json)."""
    accept = request.headers.get("accept", "").lower()
    position = accept.find("application/graphql-response+json")
    if position < 0:
        return False
    plain = accept.find("application/json")
    return plain < 0 or position < plain




async def healthz(request: Request) -> Response:
    """200 when the database answers and this node serves the access policy in force; 503
    otherwise (`unavailable`, or `stale` with both versions), so the balancer sends nothing."""
    try:
        await Tortoise.get_connection("default").execute_query("SELECT 1")
    except Exception as exc:  # any failure means the database does not answer
        log.warning("health check failed: %s", type(exc).__name__)
        return JSONResponse({"status": "unavailable"}, status_code=503)
    freshness = request.app.state.graphql.freshness
    if freshness.stale:
        return JSONResponse({"status": "stale", "policyVersion": freshness.own(),
                             "inForce": freshness.in_force}, status_code=503)
    return JSONResponse({"status": "ok", "policyVersion": freshness.own()})


def create_app(settings: Settings | None = None, *, tracer_provider=None) -> Starlette:
    """The application; `tracer_provider` stands in for the OTLP exporter (tests)."""
    settings = settings or get_settings()
    cors_middleware = cors.middleware(settings.cors_origins)  # refuses what is not an origin
    graphql = SijillGraphQL(settings)  # refuses production without RS256/ES256 keys
    refusals = edge.RefusalLimiter(edge.parse_refusal_rate(settings.refusal_rate))
    graphql.audit_writer = audit.AuditWriter()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        async with RegisterTortoise(app, config=tortoise_config(settings)), \
                metrics.watching_pool(Tortoise.get_connection("default")):
            missing = await migrations.pending(settings)
            if missing:  # a service on an older schema fails requests one by one: refuse now
                raise RuntimeError(f"The database lacks migrations {', '.join(missing)}: run "
                                   "`sijill migrate` against it first.")
            if graphql.verifier.jwks is not None:
                graphql.verifier.jwks.start()
            with contextlib.suppress(Exception):  # else the validation maximum, until read
                await extents.refresh()
            keeping_extents = asyncio.create_task(extents.keep_fresh())
            await graphql.freshness.start()
            keeping_policy = asyncio.create_task(graphql.freshness.keep_fresh())
            sweeping_buckets = asyncio.create_task(graphql.rate_limiter.keep_swept())
            # What startup built (schema, policy, modules) lives as long as the worker: out of
            # the collector's generations, so that its passes stay short under load.
            gc.collect()
            gc.freeze()
            try:
                yield
            finally:
                keeping_extents.cancel()
                keeping_policy.cancel()
                sweeping_buckets.cancel()
                await statistics.close_standby()
                await graphql.audit_writer.close()
                if graphql.verifier.jwks is not None:
                    await graphql.verifier.jwks.stop()
                if tracing.enabled():
                    tracing.teardown(schema)
                metrics.worker_stopped(settings)

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/audit/export", audit_export.export, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/metrics", metrics.endpoint, methods=["GET"]),
            *([graphiql.static_mount()] if settings.graphiql_enabled else []),
        ],
        lifespan=lifespan,
        middleware=[*cors_middleware,
                    *([tracing.middleware(schema, tracer_provider)] if settings.otel_enabled
                      else []),
                    Middleware(edge.Edge, recorder=graphql.record_edge, limiter=refusals),
                    Middleware(BodySizeLimit)],
    )
    app.state.settings = settings
    app.state.graphql = graphql
    app.state.refusals = refusals
    return app


__all__ = ["create_app"]
