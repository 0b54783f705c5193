from tortoise import fields
from tortoise.models import Model


class IdempotencyRecord(Model):
    """The first result of a registration mutation retried with the same idempotency key."""

    id = fields.BigIntField(primary_key=True)
    actor = fields.CharField(max_length=120)
    operation = fields.CharField(max_length=40)
    key = fields.CharField(max_length=100)
    request_hash = fields.CharField(max_length=64)
    result_id = fields.CharField(max_length=40)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "idempotency_keys"
        unique_together = (("actor", "operation", "key"),)
