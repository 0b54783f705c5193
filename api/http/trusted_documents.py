"""Trusted documents: callers of chosen roles may run only operations registered in advance.

The manifest is the `persisted-documents.json` that graphql-codegen's client preset writes with
`persistedDocuments: true`: a JSON object mapping each document's SHA-256 (hex, of the document
text exactly as printed in the file) to that text. A client sends `{"documentId": "<hash>"}`
(`sha256:<hash>` is accepted too, the GraphQL-over-HTTP spelling) with its variables, or — for
convenience — the full text of a registered document as `query`.

- A caller holding a trusted role (`SIJILL_TRUSTED_DOCUMENTS_ROLES`) may run nothing else: any
  other document is refused with PERSISTED_DOC_REQUIRED (HTTP 403), before it is parsed.
- Any caller may send a `documentId` when a manifest is loaded; an unknown one is refused with
  PERSISTED_DOC_NOT_FOUND (HTTP 404).
- A malformed manifest (not an object of strings, a key that is not the SHA-256 of its text, a
  text that is not a valid operation of this schema) stops the server at startup.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import GraphQLSchema, OperationDefinitionNode, parse, validate

from api.errors import BadUserInput, PersistedDocumentNotFound, PersistedDocumentRequired
from api.principal import ROLES, Principal

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class ManifestError(ValueError):
    """The manifest cannot be used: the server does not start."""


def document_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _key(document_id: str) -> str:
    return document_id[len("sha256:"):] if document_id.startswith("sha256:") else document_id


def load_manifest(path: Path, schema: GraphQLSchema | None = None) -> dict[str, str]:
    """Read and check one persisted-documents.json; hash → document text."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ManifestError(f"{path}: cannot read a JSON manifest ({exc})") from exc
    if not isinstance(raw, dict):
        raise ManifestError(f"{path}: expected a JSON object mapping document hashes to texts")
    documents = {}
    for document_id, text in raw.items():
        if not isinstance(text, str):
            raise ManifestError(f"{path}: the document of {document_id!r} is not a string")
        key = _key(document_id)
        if not _SHA256_HEX.match(key):
            raise ManifestError(f"{path}: {document_id!r} is not a SHA-256 hex document id")
        if document_hash(text) != key:
            raise ManifestError(f"{path}: {document_id!r} is not the SHA-256 of its document")
        try:
            document = parse(text)
        except Exception as exc:  # GraphQLSyntaxError
            raise ManifestError(f"{path}: document {key} does not parse: {exc}") from exc
        if not any(isinstance(d, OperationDefinitionNode) for d in document.definitions):
            raise ManifestError(f"{path}: document {key} holds no operation")
        if schema is not None and (errors := validate(schema, document)):
            raise ManifestError(f"{path}: document {key} does not validate against the schema: "
                                f"{errors[0].message}")
        documents[key] = text
    return documents


@dataclass(frozen=True)
class TrustedDocuments:
    roles: frozenset[str]
    documents: dict[str, str]

    @classmethod
    def configure(cls, roles: str, manifests: str,
                  schema: GraphQLSchema | None = None) -> TrustedDocuments | None:
        """From the settings' comma-separated roles and manifest paths; None when off."""
        role_set = frozenset(r.strip() for r in roles.split(",") if r.strip())
        paths = [Path(p.strip()) for p in manifests.split(",") if p.strip()]
        if unknown := role_set - set(ROLES):
            raise ManifestError(f"SIJILL_TRUSTED_DOCUMENTS_ROLES: unknown role(s) "
                                f"{', '.join(sorted(unknown))}")
        if role_set and not paths:
            raise ManifestError("SIJILL_TRUSTED_DOCUMENTS_ROLES needs "
                                "SIJILL_TRUSTED_DOCUMENTS_MANIFEST")
        if not paths:
            return None
        documents: dict[str, str] = {}
        for path in paths:
            documents.update(load_manifest(path, schema))
        return cls(roles=role_set, documents=documents)

    def trusts_only(self, principal: Principal | None) -> bool:
        return principal is not None and bool(self.roles & set(principal.roles))

    def resolve(self, body: Any, principal: Principal | None) -> str | None:
        """The document text to run, or None to let the request through unchanged; raises the
        refusal when the caller may not run what it sent."""
        restricted = self.trusts_only(principal)
        if not isinstance(body, dict):  # a batch, or not a request at all
            if restricted:
                raise PersistedDocumentRequired(_REQUIRED)
            return None
        document_id, query = body.get("documentId"), body.get("query")
        if document_id is not None:
            if not isinstance(document_id, str) or _key(document_id) not in self.documents:
                raise PersistedDocumentNotFound(
                    "No registered document has this documentId.")
            text = self.documents[_key(document_id)]
            if query is not None and query != text:
                raise BadUserInput("Send either `documentId` or `query`, not two different "
                                   "documents.", field="query")
            return text
        if not restricted:
            return None
        if isinstance(query, str) and document_hash(query) in self.documents:
            return query
        raise PersistedDocumentRequired(_REQUIRED)


_REQUIRED = ("This caller may run only registered documents: send the `documentId` of a "
             "document in the manifest.")
