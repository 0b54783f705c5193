"""Typed errors through to the client; everything else masked as INTERNAL.

Every error leaves with `extensions.code`. Unexpected exceptions are logged by type and
traceback only (their messages may hold personal data) and reach the client as INTERNAL.
"""

from __future__ import annotations

import logging
import re
import traceback

from graphql.error import GraphQLError
from graphql.language import VariableDefinitionNode
from strawberry.extensions import MaskErrors

from api.errors import INTERNAL_MESSAGE, ErrorCode, RegistryError

log = logging.getLogger("sijill.errors")


def _variable_field(error: GraphQLError) -> str | None:
    """For an error coercing a variable's value (before execution): the input path at fault,
    e.g. `input.birthDate`; None for any other error."""
    nodes = error.nodes or []
    if error.path is not None or not nodes or not isinstance(nodes[0], VariableDefinitionNode):
        return None
    name = nodes[0].variable.name.value
    match = re.match(r"Variable '\$\w+' has invalid value at ((?:\.\w+|\[\d+\])+):", error.message)
    return name + match.group(1) if match else name


# Messages of the document limits (contract §6): depth, aliases, tokens.
TOO_COMPLEX = re.compile(
    r"exceeds maximum operation depth of \d+|^\d+ aliases found\. Allowed: \d+"
    r"|Document contains more than \d+ tokens"
)


def _typed(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    variable_field = _variable_field(error)
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


class TypedErrors(MaskErrors):
    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = [_typed(e) for e in errors]
        context = self.execution_context.context
        principal = getattr(context, "principal", None)
        if principal is None or not principal.is_admin:
            processed = [_without_suggestions(e) for e in processed]
        response = getattr(context, "response", None)
        if response is not None and any(
            (e.extensions or {}).get("code") == ErrorCode.UNAUTHENTICATED.value for e in processed
        ):
            response.status_code = 401
        return processed
