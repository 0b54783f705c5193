"""The ASGI application: routes, authentication at the edge, database lifespan."""

from __future__ import annotations

import contextlib
import logging

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL
from tortoise import Tortoise
from tortoise.contrib.starlette import RegisterTortoise

from api.auth import Principal, TokenVerifier
from api.db import tortoise_config
from api.errors import Unauthenticated
from api.resolvers.context import RequestContext
from api.schema.schema import schema
from api.settings import DEV_JWT_SECRET, Settings, get_settings

log = logging.getLogger("sijill.app")


class SijillGraphQL(GraphQL):
    def __init__(self, settings: Settings) -> None:
        super().__init__(schema, graphql_ide="graphiql" if settings.graphiql_enabled else None)
        self.verifier = TokenVerifier(settings)
        # Outside production, anonymous callers may run `__typename`, `programs` and
        # introspection; in production every operation needs a token.
        self.anonymous_allowed = not settings.production

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            request = Request(scope, receive)
            try:
                scope.setdefault("state", {})["principal"] = await self.authenticate(request)
            except Unauthenticated as exc:
                body = {"errors": [{"message": exc.message, "extensions": exc.as_extensions()}]}
                response = JSONResponse(body, status_code=401,
                                        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
                await response(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    async def authenticate(self, request: Request) -> Principal | None:
        header = request.headers.get("authorization")
        if header is None:
            if not self.anonymous_allowed and not _wants_graphiql(request):
                raise Unauthenticated("Authentication required: send `Authorization: Bearer <token>`.")
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("Expected `Authorization: Bearer <token>`.")
        return await self.verifier.verify(token.strip())

    async def get_context(self, request, response) -> RequestContext:
        return RequestContext(request=request, response=response,
                              principal=request.scope.get("state", {}).get("principal"))


def _wants_graphiql(request: Request) -> bool:
    return request.method == "GET" and "text/html" in request.headers.get("accept", "")


async def healthz(request: Request) -> Response:
    try:
        await Tortoise.get_connection("default").execute_query("SELECT 1")
    except Exception as exc:  # any failure means the database does not answer
        log.warning("health check failed: %s", type(exc).__name__)
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()
    if settings.production and settings.jwt_secret == DEV_JWT_SECRET and not (
        settings.jwt_public_key_file or settings.jwt_jwks_url
    ):
        raise RuntimeError("SIJILL_ENV=production refuses the development JWT secret")
    graphql = SijillGraphQL(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        async with RegisterTortoise(app, config=tortoise_config(settings)):
            yield

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    return app


__all__ = ["create_app"]
