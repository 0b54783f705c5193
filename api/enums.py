"""Enumerations of the domain (domain.md). The GraphQL layer exposes them as they are."""

from enum import Enum


class Sex(str, Enum):
    FEMALE = "FEMALE"
    MALE = "MALE"


class Milieu(str, Enum):
    URBAN = "URBAN"
    RURAL = "RURAL"


class HouseholdStatus(str, Enum):
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    CLOSED = "CLOSED"


class Relationship(str, Enum):
    HEAD = "HEAD"
    SPOUSE = "SPOUSE"
    CHILD = "CHILD"
    PARENT = "PARENT"
    SIBLING = "SIBLING"
    GRANDCHILD = "GRANDCHILD"
    OTHER_RELATIVE = "OTHER_RELATIVE"
    NON_RELATIVE = "NON_RELATIVE"


class Schooling(str, Enum):
    IN_SCHOOL = "IN_SCHOOL"
    OUT_OF_SCHOOL = "OUT_OF_SCHOOL"
    NOT_APPLICABLE = "NOT_APPLICABLE"


class MemberExitReason(str, Enum):
    DEATH = "DEATH"
    MOVED_OUT = "MOVED_OUT"
    MARRIAGE = "MARRIAGE"
    DIVORCE = "DIVORCE"
    ERROR_CORRECTION = "ERROR_CORRECTION"
    OTHER = "OTHER"


class Education(str, Enum):
    NONE = "NONE"
    PRIMARY = "PRIMARY"
    SECONDARY = "SECONDARY"
    HIGHER = "HIGHER"


class Occupation(str, Enum):
    UNEMPLOYED = "UNEMPLOYED"
    INACTIVE = "INACTIVE"
    AGRICULTURAL_WORKER = "AGRICULTURAL_WORKER"
    FARMER = "FARMER"
    WORKER = "WORKER"
    ARTISAN_TRADER = "ARTISAN_TRADER"
    EMPLOYEE = "EMPLOYEE"
    EXECUTIVE = "EXECUTIVE"
    EMPLOYER = "EMPLOYER"
    RETIRED = "RETIRED"


class HousingType(str, Enum):
    VILLA = "VILLA"
    APARTMENT = "APARTMENT"
    MODERN_HOUSE = "MODERN_HOUSE"
    TRADITIONAL_HOUSE = "TRADITIONAL_HOUSE"
    RURAL_HOUSE = "RURAL_HOUSE"
    SHANTY = "SHANTY"
    OTHER = "OTHER"


class Occupancy(str, Enum):
    OWNER = "OWNER"
    TENANT = "TENANT"
    FREE_OCCUPANT = "FREE_OCCUPANT"
    OTHER = "OTHER"


class WaterSource(str, Enum):
    PIPED = "PIPED"
    PUBLIC_TAP = "PUBLIC_TAP"
    WELL_OR_SPRING = "WELL_OR_SPRING"
    OTHER = "OTHER"


class Asset(str, Enum):
    CAR = "CAR"
    MOTORCYCLE = "MOTORCYCLE"
    REFRIGERATOR = "REFRIGERATOR"
    TELEVISION = "TELEVISION"
    COMPUTER = "COMPUTER"
    WASHING_MACHINE = "WASHING_MACHINE"
    AIR_CONDITIONER = "AIR_CONDITIONER"
    INTERNET = "INTERNET"
