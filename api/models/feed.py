from tortoise import fields
from tortoise.models import Model


class PublishedAnswer(Model):
    """The answer the change feed last published for a household member and a program: the
    state every change is measured against (api/services/feed.py). A person in no household
    has no row: their answer follows from whether they are registered and alive."""

    id = fields.BigIntField(primary_key=True)
    program = fields.CharField(max_length=32)
    person_id = fields.IntField()
    eligible = fields.BooleanField()
    reasons = fields.CharField(max_length=400)  # comma-separated, in the answer's order
    monthly_amount = fields.IntField(null=True)

    class Meta:
        table = "published_answers"
        unique_together = (("person_id", "program"),)


class EligibilityChange(Model):
    """One change of a person's answer for a program, written in the transaction of the write
    that caused it; `sequence` is given after the commit by the feed's sequencer, in the order
    the changes became visible (api/services/feed.py)."""

    id = fields.BigIntField(primary_key=True)
    sequence = fields.BigIntField(null=True, unique=True)
    program = fields.CharField(max_length=32)
    person_id = fields.IntField()
    idcs = fields.CharField(max_length=10)
    at = fields.DatetimeField()
    kind = fields.CharField(max_length=20)
    cause = fields.CharField(max_length=20)
    eligible = fields.BooleanField()
    reasons = fields.CharField(max_length=400)
    monthly_amount = fields.IntField(null=True)
    amount_lines = fields.JSONField(null=True)
    threshold = fields.FloatField()
    formula_version = fields.CharField(max_length=20, null=True)
    household_id = fields.CharField(max_length=36, null=True)

    class Meta:
        table = "eligibility_changes"
        indexes = (("program", "sequence"),)


class FeedMark(Model):
    """The feed's bookkeeping: `sequenced` (the last sequence given), `pruned_through` (changes
    up to this sequence are gone), `applied_on:<CODE>` and `version:<CODE>` (the day of a
    program's last `sijill programs apply`, and the day its version then in force took effect,
    as ordinals)."""

    name = fields.CharField(max_length=60, primary_key=True)
    value = fields.BigIntField()

    class Meta:
        table = "feed_marks"


class Webhook(Model):
    """Where a program's changes are pushed (api/services/webhooks.py): `last_sequence` is the
    feed position delivered; after failures, `next_attempt_at` backs off, and a webhook failing
    for 24 hours is disabled."""

    id = fields.UUIDField(primary_key=True)
    program = fields.CharField(max_length=32)
    url = fields.CharField(max_length=2000)
    secret = fields.CharField(max_length=100)
    created_by = fields.CharField(max_length=120)
    purpose = fields.CharField(max_length=300, null=True)
    created_at = fields.DatetimeField()
    active = fields.BooleanField(default=True)
    disabled_at = fields.DatetimeField(null=True)
    disabled_reason = fields.CharField(max_length=300, null=True)
    last_sequence = fields.BigIntField(default=0)
    attempts = fields.IntField(default=0)
    failing_since = fields.DatetimeField(null=True)
    next_attempt_at = fields.DatetimeField()

    class Meta:
        table = "webhooks"


class WebhookDelivery(Model):
    """One attempt to deliver a batch of changes to a webhook."""

    id = fields.BigIntField(primary_key=True)
    webhook_id = fields.UUIDField()
    message_id = fields.CharField(max_length=60)
    attempted_at = fields.DatetimeField()
    first_sequence = fields.BigIntField()
    last_sequence = fields.BigIntField()
    changes = fields.IntField()
    status_code = fields.IntField(null=True)
    delivered = fields.BooleanField()
    error = fields.CharField(max_length=300, null=True)
    duration_ms = fields.IntField()

    class Meta:
        table = "webhook_deliveries"
        indexes = (("webhook_id", "id"),)
