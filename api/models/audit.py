from tortoise import fields
from tortoise.models import Model


class AuditEvent(Model):
    """One GraphQL operation, allowed, denied or failed. Append-only: the database refuses
    UPDATE, DELETE and TRUNCATE. `hash` = SHA-256(previous_hash + canonical JSON of the record)."""

    sequence = fields.BigIntField(primary_key=True, generated=False)
    at = fields.DatetimeField()
    actor = fields.CharField(max_length=120)
    roles = fields.JSONField()
    program = fields.CharField(max_length=32, null=True)
    purpose = fields.CharField(max_length=300, null=True)
    operation = fields.CharField(max_length=120)
    operation_type = fields.CharField(max_length=12)
    fields_selected = fields.JSONField(source_field="fields")
    denied_fields = fields.JSONField()
    subjects = fields.JSONField()
    outcome = fields.CharField(max_length=8)
    error_code = fields.CharField(max_length=24, null=True)
    request_id = fields.CharField(max_length=64)
    policy_version = fields.CharField(max_length=32)
    previous_hash = fields.CharField(max_length=64)
    hash = fields.CharField(max_length=64)
    # Release 1.1, null on older records (the canonical JSON then leaves their keys out):
    # the X-Request-Id a client sent, the client's address for refusals before
    # authentication, and the number of refusals an aggregated record stands for.
    client_request_id = fields.CharField(max_length=64, null=True)
    client_address = fields.CharField(max_length=64, null=True)
    count = fields.IntField(null=True)
    # the program catalogue's version (api/programs/), beside the policy's
    catalogue_version = fields.CharField(max_length=32, null=True)

    class Meta:
        table = "audit_events"
        indexes = (("actor", "sequence"), ("at",), ("request_id",))


class AuditSubject(Model):
    """Which records' data an audit event returned or changed: "who saw household X" is one
    indexed query. Append-only like the events."""

    id = fields.BigIntField(primary_key=True)
    sequence = fields.BigIntField()
    subject = fields.CharField(max_length=40)

    class Meta:
        table = "audit_subjects"
        indexes = (("subject", "sequence"),)


class AuditVerifiedPoint(Model):
    """How far `auditChain` has verified the chain: each call goes on from the last point (and
    first checks that the record there still has the hash it had), not from the first record.
    A row with a negative sequence marks where the sweep over the older records goes on (its
    pass and the record its next window ends at, `_marker` in api/services/audit.py), with the
    hash of the highest record of the window it follows; the newest has the lowest sequence.
    Append-only like the log."""

    sequence = fields.BigIntField(primary_key=True, generated=False)
    hash = fields.CharField(max_length=64)
    verified_at = fields.DatetimeField()

    class Meta:
        table = "audit_verified_points"


class AuditQueued(Model):
    """A mutation's audit record, written in the mutation's own transaction without taking the
    chain's lock; the sequencer (`sijill_sequence_audit`, PostgreSQL only) moves committed
    records into the chain in batches, assigning sequence and hash, and deletes them here. The
    service role may only INSERT: it cannot read, change or drop a queued record, and the
    sequencer runs with the owner's rights. `head` and `tail` are the canonical JSON cut
    around the sequence number (api/services/audit.py: canonical_parts)."""

    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField()
    actor = fields.CharField(max_length=120)
    roles = fields.JSONField()
    program = fields.CharField(max_length=32, null=True)
    purpose = fields.CharField(max_length=300, null=True)
    operation = fields.CharField(max_length=120)
    operation_type = fields.CharField(max_length=12)
    fields_selected = fields.JSONField(source_field="fields")
    denied_fields = fields.JSONField()
    subjects = fields.JSONField()
    outcome = fields.CharField(max_length=8)
    error_code = fields.CharField(max_length=24, null=True)
    request_id = fields.CharField(max_length=64)
    policy_version = fields.CharField(max_length=32)
    client_request_id = fields.CharField(max_length=64, null=True)
    client_address = fields.CharField(max_length=64, null=True)
    count = fields.IntField(null=True)
    catalogue_version = fields.CharField(max_length=32, null=True)
    head = fields.TextField()
    tail = fields.TextField()

    class Meta:
        table = "audit_queue"
