"""Signed checkpoints of the audit chain, kept outside the database.

A checkpoint says "at sequence N the chain's head hash was H", signed with an Ed25519 key that
the database never sees. Whoever can write the database (an administrator with the triggers
disabled, or the service's own role appending) can recompute every hash after a rewrite, and
`verify` alone would pass; a checkpoint taken before the rewrite still holds the old hash at N,
so `sijill audit verify --checkpoint FILE` finds the difference.

A checkpoint is signed only once the whole chain has been rehashed from its first record: the
incremental check of `auditChain` trusts what it verified before, and a checkpoint must not
sign a record edited in place since.

The signed message is the canonical JSON of `{"at", "headHash", "sequence"}` (keys sorted, no
spaces). A checkpoint file also carries the public key, for convenience only: anyone can sign a
checkpoint of their own, so verification takes the key it trusts (`--public-key`) and refuses
to go without one; the key in the file must be that key.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from api.models import AuditEvent
from api.services.audit import sequence, verify_chain

FORMAT = "sijill-audit-checkpoint/1"


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: Ed25519PublicKey) -> str:
    return hashlib.sha256(_raw(public)).hexdigest()[:16]


def _message(sequence: int, head_hash: str, at: str) -> bytes:
    return json.dumps({"at": at, "headHash": head_hash, "sequence": sequence},
                      sort_keys=True, separators=(",", ":")).encode()


def new_private_key_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())


def public_key_pem(private_pem: bytes) -> bytes:
    return load_private_key(private_pem).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the checkpoint key must be an Ed25519 private key")
    return key


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the checkpoint key must be an Ed25519 public key")
    return key


def sign(private: Ed25519PrivateKey, sequence: int, head_hash: str,
         at: datetime | None = None) -> dict:
    stamp = (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    signature = private.sign(_message(sequence, head_hash, stamp))
    public = private.public_key()
    return {"format": FORMAT, "sequence": sequence, "headHash": head_hash, "at": stamp,
            "keyId": key_id(public), "publicKey": base64.b64encode(_raw(public)).decode(),
            "signature": base64.b64encode(signature).decode()}


class CheckpointError(Exception):
    """A checkpoint that cannot be trusted, or a chain that differs from it."""


async def take(private: Ed25519PrivateKey) -> dict:
    """A signed checkpoint of the chain's head, once every record from the first has been
    rehashed (not only those appended since `auditChain` last verified): a checkpoint vouches
    for the whole chain up to its sequence (queued records chained first)."""
    await sequence()
    status = await verify_chain()
    if not status.valid:
        raise CheckpointError(f"the audit chain is broken at sequence "
                              f"{status.first_invalid_sequence}: no checkpoint signed")
    if status.length == 0:
        raise CheckpointError("the audit log is empty: nothing to sign")
    return sign(private, status.length, status.head_hash)


def write(checkpoint: dict, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"audit-checkpoint-{checkpoint['sequence']:012d}.json"
    path.write_text(json.dumps(checkpoint, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class Verified:
    sequence: int
    key_id: str  # the trusted key's, which signed it


def check_signature(checkpoint: dict, trusted: Ed25519PublicKey) -> Verified:
    """The checkpoint is well formed and signed by `trusted`. There is no default: the key a
    file carries is whoever signed it, and a signature checked with it proves nothing."""
    if trusted is None:
        raise CheckpointError("a trusted public key is required to check a checkpoint")
    try:
        if checkpoint.get("format") != FORMAT:
            raise CheckpointError("not a Sijill audit checkpoint")
        sequence, head_hash, at = (checkpoint["sequence"], checkpoint["headHash"],
                                   checkpoint["at"])
        signature = base64.b64decode(checkpoint["signature"], validate=True)
        embedded = Ed25519PublicKey.from_public_bytes(
            base64.b64decode(checkpoint["publicKey"], validate=True))
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckpointError(f"malformed checkpoint ({type(exc).__name__})") from exc
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
        raise CheckpointError("malformed checkpoint: `sequence`")
    if _raw(trusted) != _raw(embedded):
        raise CheckpointError(f"signed with key {key_id(embedded)}, not the trusted key "
                              f"{key_id(trusted)}")
    try:
        trusted.verify(signature, _message(sequence, head_hash, at))
    except InvalidSignature as exc:
        raise CheckpointError("the signature does not match the checkpoint") from exc
    return Verified(sequence, key_id(trusted))


async def check_against_chain(checkpoint: dict, trusted: Ed25519PublicKey) -> Verified:
    """The signature holds and the record at the checkpoint's sequence has its hash."""
    verified = check_signature(checkpoint, trusted)
    row = await AuditEvent.filter(sequence=verified.sequence).first()
    if row is None:
        raise CheckpointError(f"the log has no record {verified.sequence}: records were removed")
    if row.hash != checkpoint["headHash"]:
        raise CheckpointError(f"the chain at sequence {verified.sequence} differs from the "
                              "checkpoint: history was rewritten")
    return verified
