from tortoise import fields
from tortoise.models import Model

from api.models.fields import FloatArrayField


class HouseholdIndex(Model):
    """One computed index of a household. The newest row is the household's index; older rows
    are its history. `contributions` keeps each term's contribution, in the order of the
    formula's terms (api/scoring/formula.py: `term_names`), null for a term the household does
    not have; rows written before it keep theirs as `components` (name and contribution).

    The household is not checked by a foreign key: rows are written only by the scoring code,
    for a household it has just read under its row lock, and households are never deleted (a
    foreign key's check of each row cost a fifth of a rescore)."""

    id = fields.BigIntField(primary_key=True)
    household: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Household", related_name="indices", on_delete=fields.RESTRICT,
        db_constraint=False,
    )
    value = fields.FloatField()
    formula_version = fields.CharField(max_length=20)
    components = fields.JSONField(null=True)
    contributions = FloatArrayField(null=True)
    declaration_version = fields.IntField()
    members_count = fields.SmallIntField()
    cause = fields.CharField(max_length=24)
    computed_at = fields.DatetimeField()

    class Meta:
        table = "household_indices"
        indexes = (("household_id", "computed_at"),)


class RescoreRun(Model):
    """A run of `sijill rescore`: restartable from `last_household_id`."""

    id = fields.BigIntField(primary_key=True)
    formula_version = fields.CharField(max_length=20)
    started_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)
    last_household_id = fields.CharField(max_length=36, null=True)
    households_done = fields.BigIntField(default=0)

    class Meta:
        table = "rescore_runs"


class Enrollment(Model):
    """A household's enrollment in a program; at most one ACTIVE per (household, program)."""

    id = fields.UUIDField(primary_key=True)
    program = fields.CharField(max_length=32)
    household: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Household", related_name="enrollments", on_delete=fields.RESTRICT
    )
    status = fields.CharField(max_length=8)
    started_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)
    end_reason = fields.CharField(max_length=300, null=True)
    enrolled_by = fields.CharField(max_length=120)
    index_value = fields.FloatField()
    threshold = fields.FloatField()
    formula_version = fields.CharField(max_length=20)

    class Meta:
        table = "enrollments"
        indexes = (("program", "status", "id"),)


class ProgramLookup(Model):
    """A person a program asked about on a day: the daily cap counts distinct persons."""

    id = fields.BigIntField(primary_key=True)
    program = fields.CharField(max_length=32)
    day = fields.DateField()
    idcs = fields.CharField(max_length=10)

    class Meta:
        table = "program_lookups"
        unique_together = (("program", "day", "idcs"),)


class ProgramLookupCount(Model):
    """Distinct persons a program asked about on a day: the daily cap's counter.

    Kept beside `program_lookups` so that checking the cap never counts rows."""

    id = fields.BigIntField(primary_key=True)
    program = fields.CharField(max_length=32)
    day = fields.DateField()
    persons = fields.BigIntField(default=0)

    class Meta:
        table = "program_lookup_counts"
        unique_together = (("program", "day"),)
