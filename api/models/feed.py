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
