"""Input types of the contract, mapped to the services' plain records."""

from __future__ import annotations

from datetime import date

import strawberry

from api.schema.enums import (
    Asset,
    Education,
    HouseholdStatus,
    HousingType,
    Milieu,
    Occupancy,
    Occupation,
    Relationship,
    Schooling,
    Sex,
    WaterSource,
)
from api.services.inputs import (
    PERSON_UPDATABLE,
    DeclarationData,
    HouseholdData,
    MemberData,
    PersonData,
)
from api.services.matching import Identity


@strawberry.input
class RegisterPersonInput:
    first_name: str
    last_name: str
    sex: Sex
    birth_date: date
    nationality: str = strawberry.field(description="ISO 3166 alpha-2; MA for nationals.")
    cin: str | None = None
    residence_card_number: str | None = None
    first_name_ar: str | None = None
    last_name_ar: str | None = None
    phone: str | None = None
    has_other_health_coverage: bool = False
    birth_certificate_reference: str | None = strawberry.field(
        default=None, description="For minors registered by a legal representative."
    )
    idempotency_key: str | None = None
    confirmed_not_duplicate: bool = strawberry.field(
        default=False,
        description="Without a CIN or residence card, a person whose names and birth date match "
                    "a registered person's closely is refused (CONFLICT with candidates); true "
                    "registers them anyway, once the candidates were checked.")

    def to_data(self) -> PersonData:
        return PersonData(
            nationality=self.nationality,
            first_name=self.first_name,
            last_name=self.last_name,
            sex=self.sex.value,
            birth_date=self.birth_date,
            cin=self.cin,
            residence_card_number=self.residence_card_number,
            first_name_ar=self.first_name_ar,
            last_name_ar=self.last_name_ar,
            phone=self.phone,
            has_other_health_coverage=self.has_other_health_coverage,
            birth_certificate_reference=self.birth_certificate_reference,
        )


@strawberry.input(description="Who to look for among the registered persons: names in Latin "
                              "letters, and in Arabic when known, birth date, sex when known.")
class PersonMatchInput:
    first_name: str
    last_name: str
    birth_date: date
    first_name_ar: str | None = None
    last_name_ar: str | None = None
    sex: Sex | None = None

    def to_identity(self) -> Identity:
        return Identity(first_name=self.first_name, last_name=self.last_name,
                        birth_date=self.birth_date, sex=self.sex.value if self.sex else None,
                        first_name_ar=self.first_name_ar, last_name_ar=self.last_name_ar)


@strawberry.input(description="Only the fields given are changed.")
class UpdatePersonInput:
    first_name: str | None = strawberry.UNSET
    last_name: str | None = strawberry.UNSET
    first_name_ar: str | None = strawberry.UNSET
    last_name_ar: str | None = strawberry.UNSET
    sex: Sex | None = strawberry.UNSET
    birth_date: date | None = strawberry.UNSET
    nationality: str | None = strawberry.UNSET
    cin: str | None = strawberry.UNSET
    residence_card_number: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    has_other_health_coverage: bool | None = strawberry.UNSET
    death_date: date | None = strawberry.UNSET
    expected_version: int | None = strawberry.UNSET

    def changes(self) -> dict:
        out = {}
        for name in PERSON_UPDATABLE:
            value = getattr(self, name)
            if value is strawberry.UNSET:
                continue
            out[name] = value.value if hasattr(value, "value") else value
        return out


@strawberry.input
class MemberInput:
    idcs: str
    relationship: Relationship
    schooling: Schooling = Schooling.NOT_APPLICABLE
    has_disability: bool = False


@strawberry.input
class DeclarationInput:
    head_education: Education
    head_occupation: Occupation
    housing_type: HousingType
    occupancy: Occupancy
    rooms: int
    water_source: WaterSource
    electricity_monthly: float
    water_monthly: float
    phone_monthly: float
    butane_bottles_monthly: int
    assets: list[Asset]
    agricultural_land_hectares: float | None = None
    livestock_units: float | None = None

    def to_data(self) -> DeclarationData:
        return DeclarationData(
            head_education=self.head_education.value,
            head_occupation=self.head_occupation.value,
            housing_type=self.housing_type.value,
            occupancy=self.occupancy.value,
            rooms=self.rooms,
            water_source=self.water_source.value,
            electricity_monthly=self.electricity_monthly,
            water_monthly=self.water_monthly,
            phone_monthly=self.phone_monthly,
            butane_bottles_monthly=self.butane_bottles_monthly,
            assets=[a.value for a in self.assets],
            agricultural_land_hectares=self.agricultural_land_hectares,
            livestock_units=self.livestock_units,
        )


@strawberry.input(description="Changes to the household's current declaration: only the fields "
                               "given change, the others keep their value; null clears "
                               "agriculturalLandHectares or livestockUnits (and no other field).")
class DeclarationPatchInput:
    head_education: Education | None = strawberry.UNSET
    head_occupation: Occupation | None = strawberry.UNSET
    housing_type: HousingType | None = strawberry.UNSET
    occupancy: Occupancy | None = strawberry.UNSET
    rooms: int | None = strawberry.UNSET
    water_source: WaterSource | None = strawberry.UNSET
    electricity_monthly: float | None = strawberry.UNSET
    water_monthly: float | None = strawberry.UNSET
    phone_monthly: float | None = strawberry.UNSET
    butane_bottles_monthly: int | None = strawberry.UNSET
    assets: list[Asset] | None = strawberry.UNSET
    agricultural_land_hectares: float | None = strawberry.UNSET
    livestock_units: float | None = strawberry.UNSET

    def changes(self) -> dict:
        """The fields given, snake_case, enums as their values."""
        out = {}
        for name in DeclarationData.__dataclass_fields__:
            value = getattr(self, name)
            if value is strawberry.UNSET:
                continue
            if isinstance(value, list):
                value = [item.value for item in value]
            out[name] = value.value if hasattr(value, "value") else value
        return out


@strawberry.input
class RegisterHouseholdInput:
    declarant_idcs: str
    province: str
    commune: str
    milieu: Milieu
    address: str
    members: list[MemberInput]
    declaration: DeclarationInput
    idempotency_key: str | None = None

    def to_data(self) -> HouseholdData:
        return HouseholdData(
            declarant_idcs=self.declarant_idcs,
            province=self.province,
            commune=self.commune,
            milieu=self.milieu.value,
            address=self.address,
            members=[
                MemberData(
                    idcs=m.idcs,
                    relationship=m.relationship.value,
                    schooling=m.schooling.value,
                    has_disability=m.has_disability,
                )
                for m in self.members
            ],
            declaration=self.declaration.to_data(),
        )


@strawberry.input
class HouseholdFilter:
    province: str | None = None
    region: str | None = None
    milieu: Milieu | None = None
    status: HouseholdStatus | None = None
