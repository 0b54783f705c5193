from tortoise import fields
from tortoise.models import Model


class Household(Model):
    """A household of the social register. Members are the open `Membership` rows."""

    id = fields.UUIDField(primary_key=True)
    reference = fields.CharField(max_length=20, unique=True)
    region: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Region", related_name=False, on_delete=fields.RESTRICT
    )
    province: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Province", related_name=False, on_delete=fields.RESTRICT
    )
    commune = fields.CharField(max_length=120)
    milieu = fields.CharField(max_length=5)
    address = fields.CharField(max_length=300)
    status = fields.CharField(max_length=10)
    declarant: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Person", related_name=False, on_delete=fields.RESTRICT
    )
    version = fields.IntField(default=1)
    registered_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    registered_by = fields.CharField(max_length=120)
    # The current index, copied from the newest `household_indices` row for fast eligibility.
    index_value = fields.FloatField(null=True)
    index_formula_version = fields.CharField(max_length=20, null=True)
    index_computed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "households"
        indexes = (("province_id", "id"), ("region_id", "id"))


class Membership(Model):
    """A person's membership of a household from `start_date` to `end_date` (open when null)."""

    id = fields.BigIntField(primary_key=True)
    household: fields.ForeignKeyRelation[Household] = fields.ForeignKeyField(
        "models.Household", related_name="memberships", on_delete=fields.RESTRICT
    )
    person: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Person", related_name="memberships", on_delete=fields.RESTRICT
    )
    relationship = fields.CharField(max_length=16)
    schooling = fields.CharField(max_length=16, default="NOT_APPLICABLE")
    has_disability = fields.BooleanField(default=False)
    start_date = fields.DateField()
    end_date = fields.DateField(null=True)
    exit_reason = fields.CharField(max_length=24, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "memberships"
        indexes = (("household_id", "end_date"), ("person_id", "end_date"))


class Declaration(Model):
    """One version of a household's socio-economic declaration. Older versions are kept."""

    id = fields.BigIntField(primary_key=True)
    household: fields.ForeignKeyRelation[Household] = fields.ForeignKeyField(
        "models.Household", related_name="declarations", on_delete=fields.RESTRICT
    )
    version = fields.IntField()
    head_education = fields.CharField(max_length=10)
    head_occupation = fields.CharField(max_length=20)
    housing_type = fields.CharField(max_length=20)
    occupancy = fields.CharField(max_length=14)
    rooms = fields.SmallIntField()
    water_source = fields.CharField(max_length=16)
    electricity_monthly = fields.DecimalField(max_digits=9, decimal_places=2)
    water_monthly = fields.DecimalField(max_digits=9, decimal_places=2)
    phone_monthly = fields.DecimalField(max_digits=9, decimal_places=2)
    butane_bottles_monthly = fields.SmallIntField()
    assets = fields.JSONField(default=list)
    agricultural_land_hectares = fields.DecimalField(max_digits=9, decimal_places=2, null=True)
    livestock_units = fields.DecimalField(max_digits=9, decimal_places=2, null=True)
    declared_at = fields.DatetimeField(auto_now_add=True)
    declared_by = fields.CharField(max_length=120)

    class Meta:
        table = "declarations"
        unique_together = (("household_id", "version"),)


class RegistryExtent(Model):
    """How large the register's lists have grown: `household_members` is the most current
    members any household has had. Only ever raised, by the write that makes a household
    larger; the cost of a document counts a household's members at this size
    (api/services/extents.py)."""

    name = fields.CharField(max_length=40, primary_key=True)
    value = fields.IntField()

    class Meta:
        table = "registry_extents"
