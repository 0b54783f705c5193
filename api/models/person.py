from tortoise import fields
from tortoise.models import Model


class Person(Model):
    """An entry of the population register. `idcs` is the public key."""

    id = fields.BigIntField(primary_key=True)
    idcs = fields.CharField(max_length=10, unique=True)
    cin = fields.CharField(max_length=8, null=True, unique=True)
    residence_card_number = fields.CharField(max_length=10, null=True, unique=True)
    birth_certificate_reference = fields.CharField(max_length=40, null=True, db_index=True)
    nationality = fields.CharField(max_length=2)
    first_name = fields.CharField(max_length=80)
    last_name = fields.CharField(max_length=80)
    first_name_ar = fields.CharField(max_length=80, null=True)
    last_name_ar = fields.CharField(max_length=80, null=True)
    sex = fields.CharField(max_length=6)
    birth_date = fields.DateField()
    death_date = fields.DateField(null=True)
    phone = fields.CharField(max_length=20, null=True)
    has_other_health_coverage = fields.BooleanField(default=False)
    version = fields.IntField(default=1)
    registered_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    registered_by = fields.CharField(max_length=120)
    # Consonant keys of the Latin names (api/services/matching.py), for finding duplicates.
    first_key = fields.CharField(max_length=40, default="")
    last_key = fields.CharField(max_length=40, default="")

    class Meta:
        table = "persons"
        indexes = (("last_key", "first_key", "birth_date"), ("birth_date", "first_key"),
                   ("birth_date", "last_key"))
