"""Plain input records passed from the GraphQL layer (or the CLI) to the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class PersonData:
    nationality: str
    first_name: str
    last_name: str
    sex: str
    birth_date: date
    cin: str | None = None
    residence_card_number: str | None = None
    first_name_ar: str | None = None
    last_name_ar: str | None = None
    phone: str | None = None
    has_other_health_coverage: bool = False
    birth_certificate_reference: str | None = None


@dataclass
class MemberData:
    idcs: str
    relationship: str
    schooling: str = "NOT_APPLICABLE"
    has_disability: bool = False


@dataclass
class DeclarationData:
    head_education: str
    head_occupation: str
    housing_type: str
    occupancy: str
    rooms: int
    water_source: str
    electricity_monthly: float
    water_monthly: float
    phone_monthly: float
    butane_bottles_monthly: int
    assets: list[str] = field(default_factory=list)
    agricultural_land_hectares: float | None = None
    livestock_units: float | None = None


@dataclass
class HouseholdData:
    declarant_idcs: str
    province: str
    commune: str
    milieu: str
    address: str
    members: list[MemberData]
    declaration: DeclarationData


# Fields of updatePerson; a key present in the dict is a change (None clears where allowed).
PERSON_UPDATABLE = (
    "first_name",
    "last_name",
    "first_name_ar",
    "last_name_ar",
    "sex",
    "birth_date",
    "nationality",
    "cin",
    "residence_card_number",
    "phone",
    "has_other_health_coverage",
    "death_date",
)
