"""Typed errors through to the client; everything else masked as INTERNAL.

Every error leaves with `extensions.code`. Unexpected exceptions are logged by type and
traceback only (their messages may hold personal data) and reach the client as INTERNAL.
"""

from __future__ import annotations

import logging
import re
import traceback

from graphql.error import GraphQLError
from graphql.language import (
    ArgumentNode,
    DocumentNode,
    ListValueNode,
    ObjectValueNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    visit,
)
from strawberry.extensions import MaskErrors

from api.errors import INTERNAL_MESSAGE, ErrorCode, InvalidInput, RegistryError

log = logging.getLogger("sijill.errors")


def _variable_field(error: GraphQLError, document: DocumentNode | None) -> str | None:
    """For an error coercing a variable's value (before execution): the input path at fault,
    where the operation uses the variable — `effectiveDate` for `effectiveDate: $d`,
    `input.birthDate` for `input: {birthDate: $b}` or for `input: $i` whose `birthDate` is
    wrong; the variable's own name when the document does not use it. None for any other
    error."""
    nodes = error.nodes or []
    if error.path is not None or not nodes or not isinstance(nodes[0], VariableDefinitionNode):
        return None
    name = nodes[0].variable.name.value
    used = _usages(document).get(name, name) if document is not None else name
    match = re.match(r"Variable '\$\w+' has invalid value at ((?:\.\w+|\[\d+\])+):", error.message)
    return used + match.group(1) if match else used


def _usages(document: DocumentNode) -> dict[str, str]:
    """Each variable's first use in the document, as an input path (argument, then the keys
    of input objects and list indexes around it)."""
    paths: dict[str, str] = {}

    def value(node, path: str) -> None:
        if isinstance(node, VariableNode):
            paths.setdefault(node.name.value, path)
        elif isinstance(node, ObjectValueNode):
            for item in node.fields:
                value(item.value, f"{path}.{item.name.value}")
        elif isinstance(node, ListValueNode):
            for index, item in enumerate(node.values):
                value(item, f"{path}[{index}]")

    class Arguments(Visitor):
        def enter_argument(self, node: ArgumentNode, *_args) -> None:
            value(node.value, node.name.value)

    visit(document, Arguments())
    return paths


# Messages of the document limits (contract §6): depth, aliases, tokens.
TOO_COMPLEX = re.compile(
    r"exceeds maximum operation depth of \d+|^\d+ aliases found\. Allowed: \d+"
    r"|Document contains more than \d+ tokens"
)


def _typed(error: GraphQLError, document: DocumentNode | None = None) -> list[GraphQLError]:
    """The client's errors for one error of the execution: one per fault of an input that
    had several (InvalidInput), else one."""
    original = error.original_error
    if isinstance(original, InvalidInput):
        return [GraphQLError(
            fault.message, nodes=error.nodes, source=error.source, positions=error.positions,
            path=error.path, original_error=None, extensions=fault.as_extensions(),
        ) for fault in original.faults]
    return [_typed_one(error, document)]


def _typed_one(error: GraphQLError, document: DocumentNode | None) -> GraphQLError:
    original = error.original_error
    variable_field = _variable_field(error, document)
    if isinstance(original, RegistryError):
        return GraphQLError(
            original.message, nodes=error.nodes, source=error.source, positions=error.positions,
            path=error.path, original_error=None, extensions=original.as_extensions(),
        )
    if original is None or isinstance(original, GraphQLError) or variable_field is not None:
        # Parse and validation errors, variable coercion (whose original error is the
        # scalar's parse failure), argument coercion during execution (null given for a
        # non-null argument through a defaulted variable): the document or input is at fault.
        extensions = dict(error.extensions or {})
        limit = TOO_COMPLEX.search(error.message)
        extensions.setdefault(
            "code", (ErrorCode.QUERY_TOO_COMPLEX if limit else ErrorCode.BAD_USER_INPUT).value
        )
        if variable_field is not None:
            extensions.setdefault("field", variable_field)
        return GraphQLError(
            error.message, nodes=error.nodes, source=error.source, positions=error.positions,
            path=error.path, original_error=None, extensions=extensions,
        )
    log.error(
        "unexpected %s at %s\n%s", type(original).__name__, error.path,
        "".join(traceback.format_tb(original.__traceback__)),
    )
    return GraphQLError(
        INTERNAL_MESSAGE, nodes=error.nodes, source=error.source, positions=error.positions,
        path=error.path, original_error=None, extensions={"code": ErrorCode.INTERNAL.value},
    )


SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def _without_suggestions(error: GraphQLError) -> GraphQLError:
    """Field, argument, type and enum suggestions would map the schema for a caller that may
    not see it: they are kept for admins only."""
    message = SUGGESTION.sub("", error.message)
    if message == error.message:
        return error
    return GraphQLError(message, nodes=error.nodes, source=error.source, positions=error.positions,
                        path=error.path, original_error=None, extensions=error.extensions)


def client_errors(errors: list[GraphQLError], document: DocumentNode | None,
                  context) -> list[GraphQLError]:
    """The errors of an execution as the client gets them: typed, masked, without suggestions
    for anyone but admins; an UNAUTHENTICATED one makes the answer a 401. Every executor's
    errors go through here (strawberry's, through TypedErrors, and the read engine's)."""
    processed = [typed for e in errors for typed in _typed(e, document)]
    principal = getattr(context, "principal", None)
    if principal is None or not principal.is_admin:
        processed = [_without_suggestions(e) for e in processed]
    response = getattr(context, "response", None)
    if response is not None and any(
        (e.extensions or {}).get("code") == ErrorCode.UNAUTHENTICATED.value for e in processed
    ):
        response.status_code = 401
    return processed


class TypedErrors(MaskErrors):
    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return client_errors(errors, self.execution_context.graphql_document,
                             self.execution_context.context)
