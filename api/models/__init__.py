"""Tortoise models, one module per aggregate."""

from api.models.audit import AuditEvent, AuditQueued, AuditSubject, AuditVerifiedPoint
from api.models.cluster import DeploymentVersion, RateBucket
from api.models.feed import (
    EligibilityChange,
    FeedMark,
    PublishedAnswer,
    Webhook,
    WebhookDelivery,
)
from api.models.household import Declaration, Household, Membership, RegistryExtent
from api.models.idempotency import IdempotencyRecord
from api.models.person import Person
from api.models.reference import Province, Region
from api.models.scoring import (
    Enrollment,
    HouseholdIndex,
    ProgramLookup,
    ProgramLookupCount,
    RescoreRun,
)
from api.models.simulation import (
    SimulationDirty,
    SimulationFactsA,
    SimulationFactsB,
    SimulationFactsState,
)

__all__ = [
    "AuditEvent",
    "AuditQueued",
    "AuditSubject",
    "AuditVerifiedPoint",
    "Declaration",
    "DeploymentVersion",
    "EligibilityChange",
    "Enrollment",
    "FeedMark",
    "Household",
    "HouseholdIndex",
    "IdempotencyRecord",
    "Membership",
    "Person",
    "ProgramLookup",
    "ProgramLookupCount",
    "Province",
    "RateBucket",
    "PublishedAnswer",
    "RegistryExtent",
    "Region",
    "RescoreRun",
    "SimulationDirty",
    "SimulationFactsA",
    "SimulationFactsB",
    "SimulationFactsState",
    "Webhook",
    "WebhookDelivery",
]
