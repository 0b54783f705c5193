from tortoise import fields
from tortoise.models import Model


class DeploymentVersion(Model):
    """The access policy version every node must serve (`kind` 'policy'):
    api/services/deployment.py. Written with raw SQL under the publication's lock."""

    kind = fields.CharField(max_length=16, primary_key=True)
    version = fields.CharField(max_length=32)
    published_at = fields.DatetimeField()
    published_by = fields.CharField(max_length=200)

    class Meta:
        table = "deployment_versions"


class RateBucket(Model):
    """A caller's token bucket shared by every node (api/http/ratelimit.py). UNLOGGED on
    PostgreSQL; written only by `sijill_take_token`."""

    caller = fields.CharField(max_length=200, primary_key=True)
    tokens = fields.FloatField()
    at = fields.DatetimeField()
    ok = fields.BooleanField()

    class Meta:
        table = "rate_buckets"
