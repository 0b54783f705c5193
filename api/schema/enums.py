"""Domain enumerations exposed to GraphQL under their domain names."""

from enum import Enum

import strawberry

from api import enums
from api.programs.catalogue import catalogue

Sex = strawberry.enum(enums.Sex)
Milieu = strawberry.enum(enums.Milieu)
HouseholdStatus = strawberry.enum(enums.HouseholdStatus)
Relationship = strawberry.enum(enums.Relationship)
Schooling = strawberry.enum(enums.Schooling)
MemberExitReason = strawberry.enum(enums.MemberExitReason)
Education = strawberry.enum(enums.Education)
Occupation = strawberry.enum(enums.Occupation)
HousingType = strawberry.enum(enums.HousingType)
Occupancy = strawberry.enum(enums.Occupancy)
WaterSource = strawberry.enum(enums.WaterSource)
Asset = strawberry.enum(enums.Asset)

# The catalogue's codes (api/programs/): a program added by file appears here at the next start.
ProgramCode = strawberry.enum(
    Enum("ProgramCode", {code: code for code in catalogue().codes}),
    description="The programs of the catalogue.")


@strawberry.enum
class EnrollmentStatus(Enum):
    ACTIVE = "ACTIVE"
    ENDED = "ENDED"
