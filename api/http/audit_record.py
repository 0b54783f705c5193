"""From a finished request to its audit record (the view in api/http/app.py writes it)."""

from __future__ import annotations

import uuid

from graphql import GraphQLError, Visitor, visit

from api.identifiers import is_valid_idcs
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
    variables: object = None,
) -> AuditRecord:
    """`operation`: (name, type) when the caller has already chosen the operation (the fast
    path's plan), else read from the document. A DENIED record names as its subjects the IDCS
    and household ids the refused document named, in its text or its `variables` (contract
    §7a): who tried to read whom."""
    operation, operation_type = operation or operation_of(query, operation_name)
    outcome, code = outcome_of(errors, bool(denied_fields))
    if outcome == "DENIED":
        subjects = named_subjects(query, variables)
    return AuditRecord(
        actor=_text(principal.subject, 120) if principal else ANONYMOUS_ACTOR,
        roles=sorted(principal.roles) if principal else [],
        program=principal.program if principal else None,
        purpose=_text(principal.purpose or None, 300) if principal else None,
        operation=_text(operation, 120),
        operation_type=operation_type,
        fields=list(fields),
        subjects=sorted(subjects),
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


MAX_NAMED_SUBJECTS = 1000  # a refused bulk request names at most as many ids as it may ask


def named_subjects(query: str | None, variables: object) -> set[str]:
    """The IDCS (ten digits, Luhn-checked) and household ids (UUIDs) a document names: string
    values in its text and anywhere in its variables; at most MAX_NAMED_SUBJECTS."""
    found: set[str] = set()

    def take(value: object) -> None:
        if len(found) >= MAX_NAMED_SUBJECTS:
            return
        if isinstance(value, str):
            subject = _subject(value)
            if subject is not None:
                found.add(subject)
        elif isinstance(value, dict):
            for item in value.values():
                take(item)
        elif isinstance(value, list):
            for item in value:
                take(item)

    take(variables)
    if query:
        try:
            document = parse_document(query)
        except GraphQLError:
            document = None
        if document is not None:
            class Strings(Visitor):
                def enter_string_value(self, node, *_args) -> None:
                    take(node.value)

            visit(document, Strings())
    return found


def _subject(value: str) -> str | None:
    if len(value) == 10 and is_valid_idcs(value):
        return value
    if len(value) == 36:
        try:
            return str(uuid.UUID(value))
        except ValueError:
            return None
    return None
