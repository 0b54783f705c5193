"""Logs: one JSON object a line (or a readable console line in development), rendered by
structlog for Sijill's own events and for every library that logs through `logging` (uvicorn,
tortoise, asyncpg, strawberry).

Sijill's events are structlog events handed to the standard `logging` machinery, so one handler
on the root logger renders everything. `dict_config` is the `logging.config.dictConfig` that
installs it; `sijill run` passes it to uvicorn, which applies it in every worker process.

What a line may hold: the request line has the request id, operation name and type, outcome,
status and duration, never the caller, token, query text, variables or an identifier. Messages
from libraries are not ours to word (a database error's detail can quote the duplicate value), so
every string goes through `scrub` before it is written: tokens, IDCS, CIN and residence card
numbers are masked.
"""

from __future__ import annotations

import json
import logging
import logging.config
import re
import sys
from datetime import UTC, datetime
from typing import Any

import structlog

FORMATS = ("json", "console")

_SHARED: list = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True, key="time"),
]

# structlog events go to the standard library; the root handler's formatter renders them.
structlog.configure(
    processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)

_MASKS = [
    (re.compile(r"eyJ[\w-]*\.[\w-]+\.[\w-]*"), "[token]"),  # a JWT
    (re.compile(r"\b(?i:bearer)\s+[\w.~+/=-]+"), "Bearer [token]"),
    (re.compile(r"\b\d{10}\b"), "[idcs]"),
    # CIN (one or two capitals, 1-6 digits) and residence card (5-8 digits); 3 digits at least,
    # so that names such as `A1` survive.
    (re.compile(r"\b[A-Z]{1,2}\d{3,8}\b"), "[cin]"),
]


# The masks as one pattern, so that a string is scanned once (the request line's strings are
# scrubbed on every request). Alternatives are tried in the masks' order at each position.
_ONE_PASS = re.compile("|".join(f"(?P<m{i}>{pattern.pattern})"
                                for i, (pattern, _) in enumerate(_MASKS)))
_REPLACEMENTS = {f"m{i}": replacement for i, (_, replacement) in enumerate(_MASKS)}


def scrub_text(text: str) -> str:
    return _ONE_PASS.sub(lambda m: _REPLACEMENTS[m.lastgroup], text)


def scrub(logger: Any, method: str, event_dict: dict) -> dict:
    """Mask tokens and identity numbers in every string of the event."""
    for key, value in event_dict.items():
        if isinstance(value, str):
            event_dict[key] = scrub_text(value)
        elif isinstance(value, list | tuple):
            event_dict[key] = [scrub_text(v) if isinstance(v, str) else v for v in value]
    return event_dict


class Formatter(structlog.stdlib.ProcessorFormatter):
    """structlog's formatter, except for the request line, which `request_line` has already
    rendered (it is written on every request: the generic chain costs several times more)."""

    def __init__(self, *args, fmt: str = "json", console=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.json = fmt == "json"
        self.console = console

    def format(self, record: logging.LogRecord) -> str:
        event = getattr(record, "sijill_event", None)
        if event is None:
            return super().format(record)
        if self.json:
            return record.getMessage()
        return self.console(None, "info", dict(event))


def formatter(fmt: str = "json") -> Formatter:
    """The one formatter for every record: structlog's and foreign (stdlib) ones alike."""
    if fmt not in FORMATS:
        raise ValueError(f"log format {fmt!r}: one of {', '.join(FORMATS)}")
    renderer = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if fmt == "json"
        # plain tracebacks: the fancy ones print local variables (tokens, query text)
        else structlog.dev.ConsoleRenderer(exception_formatter=structlog.dev.plain_traceback)
    )
    return Formatter(
        fmt=fmt,
        console=None if fmt == "json" else renderer,
        foreign_pre_chain=_SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,  # a traceback as text, scrubbed like the rest
            scrub,
            renderer,
        ],
    )


_request_logger = logging.getLogger("sijill.request")


def request_line(**fields: Any) -> None:
    """The one line per request, as the JSON renderer would write it (keys sorted, every string
    scrubbed), built here once."""
    if not _request_logger.isEnabledFor(logging.INFO):
        return
    event = {key: scrub_text(value) if isinstance(value, str) else
             [scrub_text(v) if isinstance(v, str) else v for v in value]
             if isinstance(value, list) else value
             for key, value in fields.items()}
    event.update(event="request", level="info", logger="sijill.request",
                 time=datetime.now(UTC).isoformat().replace("+00:00", "Z"))
    _request_logger.info(json.dumps(event, ensure_ascii=False, sort_keys=True),
                         extra={"sijill_event": event})


class StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a record is emitted (as `logging.lastResort`)."""

    def __init__(self, level: int = logging.NOTSET) -> None:
        logging.Handler.__init__(self, level)

    @property
    def stream(self):
        return sys.stderr


def dict_config(fmt: str = "json", level: str = "INFO") -> dict:
    """Root handler with our formatter; uvicorn's loggers propagate to it (no access log: it
    would print the URL, and a GET query carries the query text)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"sijill": {"()": "api.observability.logs.formatter", "fmt": fmt}},
        "handlers": {"default": {"()": "api.observability.logs.StderrHandler", "formatter": "sijill"}},
        "root": {"handlers": ["default"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False},
            "casbin": {"level": "WARNING"},  # prints the whole policy at INFO on every load
        },
    }


def configure(fmt: str = "json", level: str = "INFO") -> None:
    logging.config.dictConfig(dict_config(fmt, level))


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.stdlib.get_logger(name)
