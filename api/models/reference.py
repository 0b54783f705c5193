from tortoise import fields
from tortoise.models import Model


class Region(Model):
    code = fields.CharField(max_length=2, primary_key=True)
    name = fields.CharField(max_length=80)
    name_ar = fields.CharField(max_length=80)

    class Meta:
        table = "regions"


class Province(Model):
    code = fields.CharField(max_length=3, primary_key=True)
    name = fields.CharField(max_length=80)
    kind = fields.CharField(max_length=12)
    region: fields.ForeignKeyRelation[Region] = fields.ForeignKeyField(
        "models.Region", related_name="provinces", on_delete=fields.RESTRICT
    )

    class Meta:
        table = "provinces"
