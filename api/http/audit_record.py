"""From a finished request to its audit record (the view in api/http/app.py writes it)."""

from __future__ import annotations

from graphql import GraphQLError

from api.principal import Principal
from api.schema.document import parse_document, select_operation
from api.services.audit import AuditRecord

ANONYMOUS_ACTOR = "anonymous"


def _text(value: str | None, length: int) -> str | None:
    """A string as the audit columns can hold it: printable, cut to the column's length."""
    if value is None:
        return None
    cleaned = "".join(c if c.isprintable() else "\ufffd" for c in value)
    return cleaned[:length]


def outcome_of(errors: list[dict], denied: bool) -> tuple[str, str | None]:
    codes = [((e.get("extensions") or {}).get("code")) for e in errors]
    if denied:
        return "DENIED", next((c for c in codes if c), "FORBIDDEN")
    if not errors:
        return "ALLOWED", None
    code = next((c for c in codes if c), "INTERNAL")
    if code in ("FORBIDDEN", "PURPOSE_REQUIRED"):
        return "DENIED", code
    return "ERROR", code


def operation_of(query: str | None, operation_name: str | None) -> tuple[str, str]:
    """(operation name or `anonymous`, operation type) of the operation the request runs,
    chosen by the executor's own function (api/schema/document.py); `unknown` when the
    document is refused before an operation is chosen."""
    name = operation_name or "anonymous"
    if not query:
        return name, "unknown"
    try:
        chosen = select_operation(parse_document(query), operation_name)
    except GraphQLError:
        return name, "unknown"
    return (chosen.name.value if chosen.name else name), chosen.operation.value


def build_record(
    *,
    principal: Principal | None,
    request_id: str,
    policy_version: str,
    query: str | None,
    operation_name: str | None,
    fields: list[str],
    subjects: set[str],
    errors: list[dict],
    denied_fields: list[str],
    client_request_id: str | None = None,
    client_address: str | None = None,
    count: int | None = None,
    catalogue_version: str | None = None,
    operation: tuple[str, str] | None = None,
) -> AuditRecord:
    """`operation`: (name, type) when the caller has already chosen the operation (the fast
    path's plan), else read from the document."""
    operation, operation_type = operation or operation_of(query, operation_name)
    outcome, code = outcome_of(errors, bool(denied_fields))
    return AuditRecord(
        actor=_text(principal.subject, 120) if principal else ANONYMOUS_ACTOR,
        roles=sorted(principal.roles) if principal else [],
        program=principal.program if principal else None,
        purpose=_text(principal.purpose or None, 300) if principal else None,
        operation=_text(operation, 120),
        operation_type=operation_type,
        fields=list(fields),
        subjects=sorted(subjects) if outcome != "DENIED" else [],
        outcome=outcome,
        error_code=code,
        request_id=request_id,
        policy_version=policy_version,
        denied_fields=list(denied_fields),
        client_request_id=client_request_id,
        client_address=client_address,
        count=count,
        catalogue_version=catalogue_version,
    )
