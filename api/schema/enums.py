"""Domain enumerations exposed to GraphQL under their domain names."""

import strawberry

from api import enums

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
