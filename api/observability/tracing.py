"""OpenTelemetry tracing, when SIJILL_OTEL_ENABLED is true (the `otel` extra installs it).

Spans: the HTTP request (opentelemetry-instrumentation-asgi), the GraphQL operation with its
parsing, validation and resolvers (strawberry's OpenTelemetryExtension, filtered), and each
PostgreSQL statement (opentelemetry-instrumentation-asyncpg: the SQL text with its `$n`
placeholders, never the parameters). Where spans go is told by the standard variables, read by the
OpenTelemetry SDK itself: OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT,
OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, ….

Personal data stays out of spans: strawberry's extension records the query text (`query`) and
every resolver argument (`graphql.param.*`): the subclass below records neither; the ASGI
instrumentation records the URL with its query string (a GET carries the query text and
variables): the request hook overwrites those attributes with the path alone.
"""

from __future__ import annotations

import contextlib
from typing import Any

_provider = None  # the TracerProvider in use, once `setup` ran


def enabled() -> bool:
    return _provider is not None


def provider_from_environment():
    """A TracerProvider exporting over OTLP/HTTP as the OTEL_* variables say."""
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": "sijill"}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


def middleware(schema, provider=None):
    """Instrument the schema and asyncpg; returns the ASGI middleware that opens the HTTP span
    (outermost). Without a provider (tests pass theirs), one is built from the OTEL_* variables
    and made the global one."""
    global _provider
    from opentelemetry import trace
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
    from starlette.middleware import Middleware

    if provider is None:
        provider = provider_from_environment()
        trace.set_tracer_provider(provider)
    _provider = provider
    schema.extensions = (_extension_factory(provider), *schema.extensions)
    instrumentor = AsyncPGInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument(tracer_provider=provider)
    return Middleware(OpenTelemetryMiddleware, tracer_provider=provider,
                      server_request_hook=_without_query_string, exclude_spans=["receive", "send"])


def teardown(schema) -> None:
    """Undo `setup` (tests build traced and untraced apps in one process)."""
    global _provider
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor

    schema.extensions = tuple(e for e in schema.extensions
                              if not getattr(e, "sijill_tracing", False))
    AsyncPGInstrumentor().uninstrument()
    if _provider is not None:
        _provider.shutdown()
    _provider = None


def annotate(request_id: str, operation: str, outcome: str) -> None:
    """Put the request id (as in the X-Request-Id header and the audit record) on the HTTP span."""
    from opentelemetry import trace

    span = trace.get_current_span()
    span.set_attribute("sijill.request_id", request_id)
    span.set_attribute("sijill.operation", operation)
    span.set_attribute("sijill.outcome", outcome)


_URL_KEYS = ("http.target", "http.url", "url.full", "url.query")


def _without_query_string(span, scope: dict) -> None:
    attributes = getattr(span, "attributes", None) or {}
    path = scope.get("path", "")
    for key in _URL_KEYS:
        if key in attributes:
            value = str(attributes[key])
            span.set_attribute(key, "" if key == "url.query" else value.split("?", 1)[0])
    if "url.path" not in attributes and path:
        span.set_attribute("url.path", path)


def _extension_factory(provider):
    from opentelemetry.trace import SpanKind
    from strawberry.extensions import LifecycleStep
    from strawberry.extensions.tracing import OpenTelemetryExtension

    from api.observability.metrics import safe_name

    class FilteredOpenTelemetry(OpenTelemetryExtension):
        """strawberry's extension without the query text and without resolver arguments."""

        def on_operation(self):
            context = self.execution_context
            span = self._tracer.start_span("GraphQL operation", kind=SpanKind.INTERNAL)
            span.set_attribute("component", "graphql")
            self._span_holder[LifecycleStep.OPERATION] = span
            try:
                yield
            finally:
                name = safe_name(context.operation_name)
                span.update_name(f"GraphQL {name}")
                span.set_attribute("graphql.operation.name", name)
                with contextlib.suppress(Exception):  # no parsed document: no operation type
                    span.set_attribute("graphql.operation.type",
                                       context.operation_type.value.lower())
                span.end()

        def filter_resolver_args(self, args: dict[str, Any], info) -> dict[str, Any]:
            return {}

    def factory():
        return FilteredOpenTelemetry(tracer_provider=provider)

    factory.sijill_tracing = True
    return factory
