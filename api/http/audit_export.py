"""`GET /audit/export?from=…&to=…` (contract §11): the audit records of a window as JSON Lines,
streamed in sequence order, each with its previous hash and hash, for auditors' own tools.

Whoever may read `auditEvents` (auditors, admins) may export. The export is itself an audited
request: its record is durable before the first line leaves. Records are read in batches of
EXPORT_BATCH (api/services/audit.py: `export`), so memory stays flat whatever the window; `from` is
inclusive, `to` exclusive, both ISO 8601 (a time without offset is UTC); either may be left out.
"""

from __future__ import annotations

import json
from datetime import datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from api.errors import ErrorCode, Unauthenticated
from api.policies.enforcer import subjects_of
from api.services import audit

PERMISSION = ("Query.auditEvents", "read")
OPERATION = ("auditExport", "query")
MEDIA_TYPE = "application/jsonl; charset=utf-8"
EXPORT_BATCH = 1000  # records read per statement: what the worker holds at once


def _bound(request: Request, name: str) -> datetime | None:
    value = request.query_params.get(name)
    if value is None or value == "":
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise _BadBound(name) from None


class _BadBound(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


async def export(request: Request) -> Response:
    view = request.app.state.graphql
    try:
        principal = await view.authenticate(request)
        if principal is None:
            raise Unauthenticated("Authentication required: send `Authorization: Bearer <token>`.")
    except Unauthenticated as exc:
        return await view._unauthenticated(request, exc)
    from api.schema.schema import access_policy  # the policy is derived from the schema

    if PERMISSION not in access_policy().allowed(subjects_of(principal)):
        return await _refused(view, request, principal, 403, ErrorCode.FORBIDDEN,
                              "Only auditors and admins may export the audit log.",
                              denied=["Query.auditEvents"])
    try:
        start, end = _bound(request, "from"), _bound(request, "to")
    except _BadBound as bad:
        return await _refused(view, request, principal, 400, ErrorCode.BAD_USER_INPUT,
                              f"`{bad.name}` is an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z.",
                              field=bad.name)

    async def lines():
        async for record in audit.export(start, end, batch_size=EXPORT_BATCH):
            yield (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")

    response = StreamingResponse(lines(), media_type=MEDIA_TYPE)
    # the export's own record, durable before the first line is sent
    return await view.audited(request, response, principal, None, OPERATION[0],
                              [PERMISSION[0]], set(), [], denied_fields=[], operation=OPERATION,
                              raise_on_failure=False)


async def _refused(view, request: Request, principal, status: int, code: ErrorCode, message: str,
                   *, denied: list[str] | None = None, field: str | None = None) -> Response:
    extensions = {"code": code.value, **({"field": field} if field else {}),
                  **({"deniedFields": denied} if denied else {})}
    errors = [{"message": message, "extensions": extensions}]
    response = JSONResponse({"errors": errors}, status_code=status)
    return await view.audited(request, response, principal, None, OPERATION[0], [], set(),
                              errors, denied_fields=denied or [], operation=OPERATION)
