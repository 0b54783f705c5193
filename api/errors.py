"""Error codes of the public contract (§5) and the exceptions that carry them.

Only `RegistryError` subclasses reach a client with their message; anything else is
reported as `INTERNAL` with a fixed message (no stack trace, SQL or personal data).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from typing import Any


class ErrorCode(str, Enum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    RATE_LIMITED = "RATE_LIMITED"
    PERSISTED_DOC_NOT_FOUND = "PERSISTED_DOC_NOT_FOUND"
    PERSISTED_DOC_REQUIRED = "PERSISTED_DOC_REQUIRED"
    PURPOSE_REQUIRED = "PURPOSE_REQUIRED"
    INTERNAL = "INTERNAL"


INTERNAL_MESSAGE = "Internal error. The request was not completed."


class RegistryError(Exception):
    """A failure the caller may be told about, with a contract error code."""

    code: ErrorCode = ErrorCode.INTERNAL

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = {k: v for k, v in extensions.items() if v is not None}

    def as_extensions(self) -> dict[str, Any]:
        return {"code": self.code.value, **self.extensions}


class Unauthenticated(RegistryError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(RegistryError):
    code = ErrorCode.FORBIDDEN


class BadUserInput(RegistryError):
    """Invalid input. `field` is the input path at fault, e.g. `input.members[2].idcs`."""

    code = ErrorCode.BAD_USER_INPUT

    def __init__(self, message: str, *, field: str | None = None, **extensions: Any) -> None:
        super().__init__(message, field=field, **extensions)
        self.field = field


class InvalidInput(BadUserInput):
    """Several faults of one input, reported together (contract §5a): the client gets one
    BAD_USER_INPUT error per fault, each with its input path."""

    def __init__(self, faults: list[BadUserInput]) -> None:
        first = faults[0]
        super().__init__(first.message, field=first.field)
        self.faults = faults


class Faults:
    """Collects the faults of one input, so that a caller learns all of them at once:

        faults = Faults()
        with faults.check():
            data.first_name = validation.name(...)
        with faults.check():
            validation.birth_date(...)
        faults.raise_if_any()
    """

    def __init__(self) -> None:
        self.found: list[BadUserInput] = []

    @contextmanager
    def check(self) -> Iterator[None]:
        try:
            yield
        except InvalidInput as exc:
            self.found.extend(exc.faults)
        except BadUserInput as exc:
            self.found.append(exc)

    def raise_if_any(self) -> None:
        if len(self.found) == 1:
            raise self.found[0]
        if self.found:
            raise InvalidInput(self.found)


class NotFound(RegistryError):
    code = ErrorCode.NOT_FOUND


class Conflict(RegistryError):
    code = ErrorCode.CONFLICT


class RateLimited(RegistryError):
    code = ErrorCode.RATE_LIMITED


class PersistedDocumentNotFound(RegistryError):
    """A `documentId` that no registered manifest holds (HTTP 404)."""

    code = ErrorCode.PERSISTED_DOC_NOT_FOUND
    status = 404


class PersistedDocumentRequired(RegistryError):
    """A caller in trusted-documents mode sent a document that is not registered (HTTP 403)."""

    code = ErrorCode.PERSISTED_DOC_REQUIRED
    status = 403
