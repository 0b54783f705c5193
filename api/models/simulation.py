from tortoise import fields
from tortoise.models import Model


class _Facts(Model):
    """One row per current member of a household not closed, with what the rules read of the
    member, the person and the household: the copy of the register that simulations read
    (api/services/simulation_facts.py). Two tables, `a` and `b`: `simulation_facts_state`
    names the one in use while the other is rebuilt. On PostgreSQL they are UNLOGGED (a copy,
    rebuilt after a crash) and their text columns of the household compare bytes (COLLATE "C")."""

    mid = fields.BigIntField(primary_key=True, generated=False)  # the membership
    hid = fields.UUIDField()  # the household
    birth_date = fields.DateField()
    born = fields.IntField()  # the birth date as YYYYMMDD: ages in integer arithmetic
    sex = fields.CharField(max_length=6)
    nationality = fields.CharField(max_length=2)
    deceased = fields.BooleanField()
    cover = fields.BooleanField()  # has other health coverage
    idcs = fields.CharField(max_length=10)
    rel = fields.CharField(max_length=16)
    school = fields.CharField(max_length=16)
    disability = fields.BooleanField()
    status = fields.CharField(max_length=10)
    index_value = fields.FloatField(null=True)
    milieu = fields.CharField(max_length=5)
    region = fields.CharField(max_length=2)
    province = fields.CharField(max_length=3)

    class Meta:
        abstract = True


class SimulationFactsA(_Facts):
    class Meta:
        table = "simulation_facts_a"
        indexes = (("hid", "birth_date", "mid"),)


class SimulationFactsB(_Facts):
    class Meta:
        table = "simulation_facts_b"
        indexes = (("hid", "birth_date", "mid"),)


class SimulationFactsState(Model):
    """Which copy is in use (`a`, `b`, or none yet), when it was taken and how many members it
    holds."""

    id = fields.IntField(primary_key=True, generated=False)  # always 1
    current = fields.CharField(max_length=1, null=True)
    built_at = fields.DatetimeField(null=True)
    members = fields.BigIntField(default=0)

    class Meta:
        table = "simulation_facts_state"


class SimulationDirty(Model):
    """A household written since the copy was taken, or a person (then their current
    households), added by triggers on memberships, persons and households in the writing
    transaction: simulations read those households from the register itself."""

    id = fields.BigIntField(primary_key=True)
    household_id = fields.UUIDField(null=True)
    person_id = fields.BigIntField(null=True)  # a person: their current households

    class Meta:
        table = "simulation_dirty"
