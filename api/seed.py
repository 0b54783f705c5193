"""Synthetic, reproducible demo data: persons of the population register and households of the
social register, with their members and a first declaration.

Every draw comes from one `random.Random(seed)`, so the same seed gives the same names, dates,
identifiers, references and household ids on a fresh database. Seeding is skipped when the
database already holds persons registered by `actor`, so it may run at every start.

Figures follow domain.md: households spread over the regions in proportion to their 2024
population and over provinces in proportion to theirs; about 56 % rural; 3.7 persons per urban
household and 4.4 per rural one; a young population; about 15 % more persons who are in the
population register only, a few of them deceased. The caller initialises Tortoise and migrates.
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from tortoise.transactions import in_transaction

from api.enums import (
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
from api.identifiers import is_sequential, luhn_check_digit
from api.models import Declaration, Household, Membership, Person
from api.services import clock, extents, feed, matching, scoring
from api.services.reference import ProvinceRecord, territory
from api.services.validation import ADULT_AGE, EARLIEST_BIRTH_DATE

BATCH_SIZE = 1000
MAX_HOUSEHOLD_SIZE = 12
EXTRA_PERSON_SHARE = 0.15  # persons in the population register only, relative to members
DECEASED_SHARE = 0.01  # of all persons; each is in no household
FOREIGN_SHARE = 0.01
RURAL_UPLIFT = 1.5  # the register over-represents rural households (56 % vs 37 % of the census)
MEAN_EXTRA_MEMBERS = {Milieu.URBAN.value: 2.7, Milieu.RURAL.value: 3.4}  # 3.7 / 4.4 persons
PHONE_SHARE = 0.70
DISABILITY_SHARE = 0.03
CENT = Decimal("0.01")


@dataclass(frozen=True)
class SeedReport:
    persons: int = 0
    households: int = 0
    members: int = 0
    persons_without_household: int = 0
    already_seeded: bool = False  # the database held the demo data: nothing was added

    def __str__(self) -> str:
        if self.already_seeded:
            return ("the database already holds the demo data (persons registered by the "
                    "seeder): nothing added")
        return (f"seeded {self.households} households with {self.members} members and "
                f"{self.persons_without_household} persons in no household "
                f"({self.persons} persons in all)")


# ---------------------------------------------------------------- names (Latin, Arabic)

MALE_NAMES = (
    ("Mohamed", "محمد"), ("Ahmed", "أحمد"), ("Youssef", "يوسف"), ("Hassan", "حسن"),
    ("Said", "سعيد"), ("Abdellah", "عبد الله"), ("Mustapha", "مصطفى"), ("Omar", "عمر"),
    ("Rachid", "رشيد"), ("Khalid", "خالد"), ("Hamza", "حمزة"), ("Mehdi", "المهدي"),
    ("Ayoub", "أيوب"), ("Adam", "آدم"), ("Ilyas", "إلياس"), ("Brahim", "ابراهيم"),
    ("Abdelkader", "عبد القادر"), ("Driss", "ادريس"), ("Karim", "كريم"), ("Nabil", "نبيل"),
    ("Hicham", "هشام"), ("Anas", "أنس"), ("Amine", "أمين"), ("Yassine", "ياسين"),
    ("Othmane", "عثمان"), ("Zakaria", "زكرياء"), ("Ali", "علي"), ("Lahcen", "لحسن"),
    ("Mohamed Amine", "محمد أمين"), ("Abderrahim", "عبد الرحيم"), ("Jamal", "جمال"),
    ("Noureddine", "نور الدين"), ("Soufiane", "سفيان"), ("Walid", "وليد"), ("Badr", "بدر"),
)
FEMALE_NAMES = (
    ("Fatima", "فاطمة"), ("Khadija", "خديجة"), ("Aicha", "عائشة"), ("Meryem", "مريم"),
    ("Zineb", "زينب"), ("Naima", "نعيمة"), ("Hafsa", "حفصة"), ("Salma", "سلمى"),
    ("Imane", "إيمان"), ("Hanane", "حنان"), ("Latifa", "لطيفة"), ("Malika", "مليكة"),
    ("Rachida", "رشيدة"), ("Samira", "سميرة"), ("Nadia", "نادية"), ("Souad", "سعاد"),
    ("Kaoutar", "كوثر"), ("Hajar", "هاجر"), ("Sara", "سارة"), ("Yasmine", "ياسمين"),
    ("Ghizlane", "غزلان"), ("Asmae", "أسماء"), ("Houda", "هدى"), ("Loubna", "لبنى"),
    ("Nora", "نورة"), ("Amal", "أمل"), ("Btissam", "ابتسام"), ("Rkia", "رقية"),
    ("Fatima Zahra", "فاطمة الزهراء"), ("Chaimae", "شيماء"), ("Wiam", "وئام"),
    ("Ikram", "إكرام"), ("Oumaima", "أميمة"), ("Khaoula", "خولة"), ("Mina", "مينة"),
)
LAST_NAMES = (
    ("Alaoui", "العلوي"), ("Benali", "بنعلي"), ("El Idrissi", "الإدريسي"), ("Bennani", "بناني"),
    ("Tazi", "التازي"), ("Berrada", "برادة"), ("El Amrani", "العمراني"), ("Chraibi", "الشرايبي"),
    ("Ouazzani", "الوزاني"), ("El Fassi", "الفاسي"), ("Benjelloun", "بنجلون"),
    ("Lahlou", "لحلو"), ("Naciri", "الناصري"), ("Bouazza", "بوعزة"), ("Ait Ali", "آيت علي"),
    ("Ait Ouahmane", "آيت وحمان"), ("Amazigh", "أمازيغ"), ("Boukhari", "البخاري"),
    ("El Ouali", "الوالي"), ("Hamdaoui", "الحمداوي"), ("Mansouri", "المنصوري"),
    ("Rifi", "الريفي"), ("Sebti", "السبتي"), ("Zerouali", "الزروالي"), ("Kettani", "الكتاني"),
    ("Belhaj", "بلحاج"), ("Cherkaoui", "الشرقاوي"), ("Doukkali", "الدكالي"),
    ("El Khatib", "الخطيب"), ("Filali", "الفيلالي"), ("Ghazi", "غازي"), ("Jabri", "الجابري"),
    ("Karimi", "الكريمي"), ("Lamrani", "اللمراني"), ("Moussaoui", "الموساوي"),
    ("Ouahbi", "الوهبي"), ("Rahmouni", "الرحموني"), ("Saidi", "السعيدي"),
    ("Tahiri", "الطاهري"), ("Yacoubi", "اليعقوبي"), ("Ziani", "الزياني"), ("Hilali", "الهلالي"),
    ("Soussi", "السوسي"), ("Sahraoui", "الصحراوي"), ("Ait Brahim", "آيت ابراهيم"),
)
STREETS = (
    "Rue Ibn Khaldoun", "Avenue Hassan II", "Avenue Mohammed V", "Rue Al Massira",
    "Boulevard Zerktouni", "Rue Oued Sebou", "Derb Sidi Bouloukat", "Rue Ibn Sina",
    "Avenue des FAR", "Rue Al Quds", "Rue Moulay Ismail", "Lotissement Al Amal",
    "Hay Al Wifak", "Hay Mohammadi", "Rue Al Andalous", "Avenue Allal El Fassi",
)
DOUARS = (
    "Douar Ouled Ali", "Douar Ait Hammou", "Douar Lamrabtine", "Douar Tizi", "Douar Laayoune",
    "Douar Ouled Said", "Douar Ait Baha", "Douar Sidi Moussa", "Douar Lkhemis", "Douar Tagadirt",
    "Douar Ighrem", "Douar Ouled Brahim", "Douar Bni Hassan", "Douar Aghbalou",
)

# Plausible CIN letter prefixes by region (illustrative, not an official table).
CIN_PREFIXES = {
    "01": ("K", "KA", "KB", "L", "LC", "R"), "02": ("F", "FA", "FB", "S", "SA"),
    "03": ("C", "CD", "D", "DA", "V", "Z"), "04": ("A", "AB", "AD", "G", "GA", "GK"),
    "05": ("I", "IA", "P", "PA", "Q"), "06": ("B", "BE", "BH", "BJ", "BK", "M", "N", "T"),
    "07": ("E", "EE", "EA", "H", "HA"), "08": ("U", "UA", "UC", "W"),
    "09": ("J", "JA", "JB", "JC", "JE"), "10": ("X", "JY"), "11": ("SH", "SJ"),
    "12": ("VA", "SL"),
}
FOREIGN_NATIONALITIES = (("FR", 3), ("SN", 3), ("ES", 2), ("DZ", 2), ("CI", 2), ("SY", 1),
                         ("TN", 1), ("CN", 1))
RESIDENCE_CARD_PREFIXES = ("E", "EE", "F", "G", "K", "W")


# ---------------------------------------------------------------- in-memory rows

@dataclass
class _Person:
    idcs: str
    sex: str
    birth_date: date
    first_name: str
    first_name_ar: str
    last_name: str
    last_name_ar: str
    nationality: str
    cin: str | None = None
    residence_card_number: str | None = None
    birth_certificate_reference: str | None = None
    phone: str | None = None
    death_date: date | None = None
    has_other_health_coverage: bool = False


@dataclass
class _Member:
    person: _Person
    relationship: str
    schooling: str
    has_disability: bool
    start_date: date


@dataclass
class _Household:
    id: uuid.UUID
    reference: str
    region: str
    province: str
    commune: str
    milieu: str
    address: str
    members: list[_Member] = field(default_factory=list)
    declaration: dict = field(default_factory=dict)


class _Generator:
    def __init__(self, rng: random.Random, today: date, used: dict[str, set[str]]) -> None:
        self.rng = rng
        self.today = today
        self.idcs_used = used["idcs"]
        self.cin_used = used["cin"]
        self.card_used = used["card"]
        self.references_used = used["reference"]
        self.territory = territory()

    # ------------------------------------------------------------ identifiers

    def idcs(self) -> str:
        while True:
            payload = str(self.rng.randrange(10**8, 10**9))
            if is_sequential(payload):
                continue
            value = payload + str(luhn_check_digit(payload))
            if value not in self.idcs_used:
                self.idcs_used.add(value)
                return value

    def cin(self, region: str) -> str:
        prefixes = CIN_PREFIXES.get(region) or ("A",)
        while True:
            value = f"{self.rng.choice(prefixes)}{self.rng.randint(10_000, 999_999)}"
            if value not in self.cin_used:
                self.cin_used.add(value)
                return value

    def residence_card(self) -> str:
        while True:
            prefix = self.rng.choice(RESIDENCE_CARD_PREFIXES)
            value = f"{prefix}{self.rng.randint(10**6, 10**8 - 1)}"
            if value not in self.card_used:
                self.card_used.add(value)
                return value

    def reference(self, region: str) -> str:
        while True:
            value = f"RSU-{region}-{self.rng.randrange(10**9):09d}"
            if value not in self.references_used:
                self.references_used.add(value)
                return value

    def phone(self) -> str:
        return f"0{self.rng.choice('67')}{self.rng.randrange(10**8):08d}"

    # ------------------------------------------------------------ dates

    def _years_before(self, day: date, years: int) -> date:
        year = day.year - years
        try:
            return day.replace(year=year)
        except ValueError:  # 29 February
            return day.replace(year=year, day=28)

    def birth_for_age(self, age: int, on: date | None = None) -> date:
        """A uniformly drawn birth date such that the person is `age` on `on` (default today)."""
        on = on or self.today
        latest = self._years_before(on, age)
        earliest = self._years_before(on, age + 1) + timedelta(days=1)
        earliest = max(earliest, EARLIEST_BIRTH_DATE)
        span = (latest - earliest).days
        return earliest + timedelta(days=self.rng.randint(0, max(span, 0)))

    # ------------------------------------------------------------ persons

    def person(
        self, *, age: int, sex: str, region: str, province: str, nationality: str,
        last: tuple[str, str] | None = None, phone_share: float = PHONE_SHARE,
    ) -> _Person:
        rng = self.rng
        first = rng.choice(MALE_NAMES if sex == Sex.MALE.value else FEMALE_NAMES)
        last = last or rng.choice(LAST_NAMES)
        born = self.birth_for_age(age)
        person = _Person(
            idcs=self.idcs(), sex=sex, birth_date=born, first_name=first[0],
            first_name_ar=first[1], last_name=last[0], last_name_ar=last[1],
            nationality=nationality,
        )
        if age >= ADULT_AGE:
            if nationality == "MA":
                person.cin = self.cin(region)
            else:
                person.residence_card_number = self.residence_card()
            if rng.random() < phone_share:
                person.phone = self.phone()
        else:
            person.birth_certificate_reference = (
                f"AN-{province}-{born.year}-{rng.randint(1, 99_999):05d}"
            )
        return person

    def nationality(self) -> str:
        if self.rng.random() >= FOREIGN_SHARE:
            return "MA"
        codes, weights = zip(*FOREIGN_NATIONALITIES, strict=True)
        return self.rng.choices(codes, weights)[0]

    # ------------------------------------------------------------ territory

    def allocate_regions(self, count: int) -> list[str]:
        """Region of each household: proportional to population (largest remainder), every
        region at least once when there are enough households, in a shuffled order."""
        regions = self.territory.regions
        total = sum(r.population for r in regions)
        quotas = [count * r.population / total for r in regions]
        shares = [int(q) for q in quotas]
        if count >= len(regions):
            shares = [max(1, s) for s in shares]
        while sum(shares) > count:
            largest = max(range(len(shares)), key=lambda i: (shares[i] - quotas[i], shares[i]))
            shares[largest] -= 1
        order = sorted(range(len(regions)), key=lambda i: shares[i] - quotas[i])
        for i in order[: count - sum(shares)]:
            shares[i] += 1
        codes = [r.code for r, n in zip(regions, shares, strict=True) for _ in range(n)]
        self.rng.shuffle(codes)
        return codes

    def milieu(self, region: str) -> str:
        urban_share = self.territory.region(region).urban_share
        rural_share = min(0.95, (1 - urban_share) * RURAL_UPLIFT)
        return Milieu.RURAL.value if self.rng.random() < rural_share else Milieu.URBAN.value

    def province(self, region: str, milieu: str) -> ProvinceRecord:
        provinces = self.territory.provinces_of(region)
        rural = milieu == Milieu.RURAL.value
        weights = [
            p.population * (0.1 if rural and p.kind == "PREFECTURE" else 1.0) for p in provinces
        ]
        return self.rng.choices(provinces, weights)[0]

    def address(self, milieu: str) -> str:
        if milieu == Milieu.RURAL.value:
            return f"{self.rng.choice(DOUARS)}, maison {self.rng.randint(1, 120)}"
        number, street = self.rng.randint(1, 250), self.rng.choice(STREETS)
        return f"{number} {street}, appt {self.rng.randint(1, 30)}"

    # ------------------------------------------------------------ households

    def size(self, milieu: str) -> int:
        """1 + a Poisson draw (Knuth), capped."""
        limit, k, product = math.exp(-MEAN_EXTRA_MEMBERS[milieu]), 0, self.rng.random()
        while product > limit:
            k += 1
            product *= self.rng.random()
        return min(1 + k, MAX_HOUSEHOLD_SIZE)

    def schooling(self, age: int) -> str:
        r = self.rng.random()
        if 6 <= age <= 15:
            return Schooling.IN_SCHOOL.value if r < 0.90 else Schooling.OUT_OF_SCHOOL.value
        if 16 <= age <= 20:
            if r < 0.55:
                return Schooling.IN_SCHOOL.value
            return Schooling.OUT_OF_SCHOOL.value if r < 0.75 else Schooling.NOT_APPLICABLE.value
        if 21 <= age <= 25 and r < 0.2:
            return Schooling.IN_SCHOOL.value
        return Schooling.NOT_APPLICABLE.value

    def composition(self, size: int) -> list[tuple[str, int, str]]:
        """(relationship, age, sex) of each member, the head first."""
        rng = self.rng
        head_age = min(85, max(18, round(rng.gauss(46, 13))))
        head_sex = Sex.MALE.value if rng.random() < 0.82 else Sex.FEMALE.value
        other = {Sex.MALE.value: Sex.FEMALE.value, Sex.FEMALE.value: Sex.MALE.value}
        members = [(Relationship.HEAD.value, head_age, head_sex)]
        slots = size - 1
        mother_age = head_age if head_sex == Sex.FEMALE.value else head_age - 5
        spouse_share = 0.88 if head_sex == Sex.MALE.value else 0.15
        if slots and rng.random() < spouse_share:
            gap = abs(round(rng.gauss(5, 3)))
            spouse_age = head_age - gap if head_sex == Sex.MALE.value else head_age + gap
            spouse_age = min(90, max(18, spouse_age))
            members.append((Relationship.SPOUSE.value, spouse_age, other[head_sex]))
            if head_sex == Sex.MALE.value:
                mother_age = spouse_age
            slots -= 1
        if slots and head_age <= 62 and rng.random() < 0.12:
            parent_age = min(95, head_age + rng.randint(20, 35))
            parent_age = max(60, parent_age)
            members.append((Relationship.PARENT.value, parent_age, rng.choice(list(other))))
            slots -= 1
        if slots and head_age >= 48 and rng.random() < 0.35:
            top = max(0, min(14, head_age - 38))
            for _ in range(min(slots, rng.randint(1, 2))):
                members.append((Relationship.GRANDCHILD.value, rng.randint(0, top),
                                rng.choice(list(other))))
                slots -= 1
        if slots and rng.random() < 0.07:
            kind = rng.choice((Relationship.SIBLING.value, Relationship.OTHER_RELATIVE.value,
                               Relationship.OTHER_RELATIVE.value, Relationship.NON_RELATIVE.value))
            members.append((kind, rng.randint(5, 70), rng.choice(list(other))))
            slots -= 1
        low, high = max(0, mother_age - 45), min(25, mother_age - 16)
        for _ in range(slots):
            sex = rng.choice(list(other))
            if high < low or high < 0:
                members.append((Relationship.OTHER_RELATIVE.value, rng.randint(0, 30), sex))
            else:
                age = rng.randint(low, high)
                members.append((Relationship.CHILD.value, age, sex))
        return members

    def household(self, region: str) -> _Household:
        rng = self.rng
        milieu = self.milieu(region)
        province = self.province(region, milieu)
        kind = "rurale" if milieu == Milieu.RURAL.value else "urbaine"
        number = rng.randint(1, 12 if kind == "rurale" else 4)
        commune = f"{province.name} - commune {kind} {number}"
        household = _Household(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            reference=self.reference(region), region=region, province=province.code,
            commune=commune, milieu=milieu, address=self.address(milieu),
        )
        nationality = self.nationality()
        registered = self.today - timedelta(days=rng.randint(0, 4 * 365))
        composition = self.composition(self.size(milieu))
        head_sex = composition[0][2]
        family = rng.choice(LAST_NAMES)
        wealth = rng.betavariate(2, 3) + (0.08 if milieu == Milieu.URBAN.value else 0.0)
        wealth = min(1.0, wealth)
        declaration = self.declaration(milieu, len(composition), composition[0][1], wealth)
        covered = declaration["head_occupation"] in {
            Occupation.EMPLOYEE.value, Occupation.EXECUTIVE.value, Occupation.EMPLOYER.value,
            Occupation.RETIRED.value,
        } and rng.random() < 0.8
        # Wives keep their own name; children take their father's.
        children_family = family if head_sex == Sex.MALE.value else rng.choice(LAST_NAMES)
        for relationship, age, sex in composition:
            if relationship in (Relationship.HEAD.value, Relationship.SIBLING.value) or (
                relationship == Relationship.PARENT.value and sex == Sex.MALE.value
            ):
                last = family
            elif relationship in (Relationship.CHILD.value, Relationship.GRANDCHILD.value) or (
                relationship == Relationship.SPOUSE.value and sex == Sex.MALE.value
            ):
                last = children_family
            else:
                last = None
            person = self.person(
                age=age, sex=sex, region=region, province=province.code,
                nationality=nationality, last=last,
            )
            person.has_other_health_coverage = covered and relationship in {
                Relationship.HEAD.value, Relationship.SPOUSE.value, Relationship.CHILD.value,
            }
            household.members.append(_Member(
                person=person, relationship=relationship, schooling=self.schooling(age),
                has_disability=rng.random() < DISABILITY_SHARE + (0.04 if age >= 70 else 0.0),
                start_date=max(registered, person.birth_date),
            ))
        household.declaration = declaration
        return household

    # ------------------------------------------------------------ declarations

    def _pick(self, weights: dict) -> str:
        keys = list(weights)
        return self.rng.choices(keys, [weights[k] for k in keys])[0].value

    def _money(self, mean: float, sd: float, high: float) -> Decimal:
        value = min(high, max(0.0, self.rng.gauss(mean, sd)))
        return Decimal(f"{value:.2f}").quantize(CENT)

    def declaration(self, milieu: str, size: int, head_age: int, wealth: float) -> dict:
        rng, w = self.rng, wealth
        rural = milieu == Milieu.RURAL.value
        old = head_age >= 60
        education = self._pick({
            Education.NONE: (0.55 if rural else 0.30) + (0.25 if old else 0.0) - 0.3 * w,
            Education.PRIMARY: 0.30,
            Education.SECONDARY: 0.12 + 0.35 * w,
            Education.HIGHER: 0.01 + (0.05 if rural else 0.25) * w,
        })
        if rural:
            occupations = {
                Occupation.FARMER: 0.25, Occupation.AGRICULTURAL_WORKER: 0.25 * (1.2 - w),
                Occupation.WORKER: 0.10, Occupation.ARTISAN_TRADER: 0.08,
                Occupation.UNEMPLOYED: 0.07, Occupation.INACTIVE: 0.08,
                Occupation.EMPLOYEE: 0.04 + 0.08 * w, Occupation.EXECUTIVE: 0.01 * w,
                Occupation.EMPLOYER: 0.01 * w, Occupation.RETIRED: 0.03,
            }
        else:
            occupations = {
                Occupation.FARMER: 0.01, Occupation.AGRICULTURAL_WORKER: 0.03,
                Occupation.WORKER: 0.22 * (1.2 - w), Occupation.ARTISAN_TRADER: 0.15,
                Occupation.UNEMPLOYED: 0.10 * (1.2 - w), Occupation.INACTIVE: 0.08,
                Occupation.EMPLOYEE: 0.12 + 0.15 * w, Occupation.EXECUTIVE: 0.10 * w,
                Occupation.EMPLOYER: 0.05 * w, Occupation.RETIRED: 0.05,
            }
        if old:
            occupations[Occupation.RETIRED] *= 6
            occupations[Occupation.INACTIVE] *= 3
        if rural:
            housing = {
                HousingType.RURAL_HOUSE: 0.55, HousingType.TRADITIONAL_HOUSE: 0.28,
                HousingType.MODERN_HOUSE: 0.05 + 0.15 * w, HousingType.VILLA: 0.01 * w,
                HousingType.SHANTY: 0.03 * (1.2 - w), HousingType.OTHER: 0.03,
            }
            occupancy = {Occupancy.OWNER: 0.80, Occupancy.TENANT: 0.05,
                         Occupancy.FREE_OCCUPANT: 0.12, Occupancy.OTHER: 0.03}
            water = {WaterSource.PIPED: 0.25 + 0.3 * w, WaterSource.PUBLIC_TAP: 0.15,
                     WaterSource.WELL_OR_SPRING: 0.45, WaterSource.OTHER: 0.05}
        else:
            housing = {
                HousingType.APARTMENT: 0.20 + 0.2 * w, HousingType.MODERN_HOUSE: 0.30,
                HousingType.TRADITIONAL_HOUSE: 0.30 * (1.2 - w), HousingType.VILLA: 0.04 * w,
                HousingType.SHANTY: 0.08 * (1.2 - w), HousingType.OTHER: 0.02,
            }
            occupancy = {Occupancy.OWNER: 0.50 + 0.2 * w, Occupancy.TENANT: 0.32,
                         Occupancy.FREE_OCCUPANT: 0.10, Occupancy.OTHER: 0.04}
            water = {WaterSource.PIPED: 0.90, WaterSource.PUBLIC_TAP: 0.07 * (1.2 - w),
                     WaterSource.WELL_OR_SPRING: 0.01, WaterSource.OTHER: 0.02}
        water_source = self._pick(water)
        occupation = self._pick(occupations)
        rooms = min(8, max(1, round(rng.gauss(1.5 + 3 * w + 0.25 * size, 1))))
        no_electricity = rural and rng.random() < 0.05
        electricity = (
            Decimal("0.00") if no_electricity
            else self._money((60 if rural else 110) + 300 * w, 45, 600)
        )
        water_bill = (
            self._money(30 + 120 * w, 25, 300) if water_source == WaterSource.PIPED.value
            else Decimal("0.00")
        )
        phone = self._money(30 + 220 * w, 40, 500)
        butane = min(6, max(0, round(rng.gauss(1.5 + 0.25 * size + (0.8 if rural else 0), 1))))
        asset_odds = {
            Asset.REFRIGERATOR: 0.50 + 0.45 * w - (0.15 if rural else 0),
            Asset.TELEVISION: 0.80 + 0.15 * w,
            Asset.WASHING_MACHINE: 0.10 + 0.60 * w - (0.08 if rural else 0),
            Asset.COMPUTER: 0.02 + 0.50 * w - (0.05 if rural else 0),
            Asset.INTERNET: 0.08 + 0.65 * w - (0.10 if rural else 0),
            Asset.CAR: 0.02 + 0.45 * w,
            Asset.MOTORCYCLE: 0.10 + (0.08 if rural else 0),
            Asset.AIR_CONDITIONER: 0.01 + 0.25 * w - (0.03 if rural else 0),
        }
        if no_electricity:
            for asset in (Asset.REFRIGERATOR, Asset.WASHING_MACHINE, Asset.COMPUTER,
                          Asset.INTERNET, Asset.AIR_CONDITIONER):
                asset_odds[asset] = 0.0
        assets = sorted(a.value for a, p in asset_odds.items() if rng.random() < p)
        land = livestock = None
        if rural:
            farming = occupation in {Occupation.FARMER.value, Occupation.AGRICULTURAL_WORKER.value}
            if occupation == Occupation.FARMER.value or (rng.random() < 0.35):
                land = min(500.0, rng.lognormvariate(0.6 if farming else -0.5, 1.0))
            else:
                land = 0.0
            livestock = (
                min(300.0, rng.lognormvariate(0.8 if farming else 0.0, 0.9))
                if rng.random() < (0.8 if farming else 0.4) else 0.0
            )
            land = Decimal(f"{land:.2f}").quantize(CENT)
            livestock = Decimal(f"{livestock:.2f}").quantize(CENT)
        return {
            "head_education": education,
            "head_occupation": occupation,
            "housing_type": self._pick(housing),
            "occupancy": self._pick(occupancy),
            "rooms": rooms,
            "water_source": water_source,
            "electricity_monthly": electricity,
            "water_monthly": water_bill,
            "phone_monthly": phone,
            "butane_bottles_monthly": butane,
            "assets": assets,
            "agricultural_land_hectares": land,
            "livestock_units": livestock,
        }

    # ------------------------------------------------------------ persons in no household

    def lone_person(self, *, deceased: bool) -> _Person:
        rng = self.rng
        region = rng.choices(
            [r.code for r in self.territory.regions],
            [r.population for r in self.territory.regions],
        )[0]
        province = rng.choices(
            self.territory.provinces_of(region),
            [p.population for p in self.territory.provinces_of(region)],
        )[0]
        sex = rng.choice((Sex.MALE.value, Sex.FEMALE.value))
        nationality = self.nationality()
        if not deceased:
            age = rng.randint(18, 80) if rng.random() < 0.8 else rng.randint(0, 17)
            person = self.person(age=age, sex=sex, region=region, province=province.code,
                                 nationality=nationality)
            person.has_other_health_coverage = rng.random() < 0.25
            return person
        died = self.today - timedelta(days=rng.randint(30, 10 * 365))
        age_at_death = rng.randint(45, 95)
        person = self.person(age=age_at_death, sex=sex, region=region, province=province.code,
                             nationality=nationality, phone_share=0.0)
        person.birth_date = self.birth_for_age(age_at_death, on=died)
        person.death_date = died
        return person


# ---------------------------------------------------------------- entry point

async def _identifiers_in_use() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {"idcs": set(), "cin": set(), "card": set(), "reference": set()}
    for idcs, cin, card in await Person.all().values_list(
        "idcs", "cin", "residence_card_number"
    ):
        used["idcs"].add(idcs)
        if cin:
            used["cin"].add(cin)
        if card:
            used["card"].add(card)
    used["reference"].update(await Household.all().values_list("reference", flat=True))
    return used


async def seed(*, households: int = 200, seed: int = 2026, actor: str = "seed") -> SeedReport:
    """Fill the register with `households` synthetic households and their members, plus persons
    in no household; does nothing (and says so) if `actor` already registered persons."""
    if households < 0:
        raise ValueError("households must not be negative")
    if await Person.filter(registered_by=actor).exists():
        return SeedReport(already_seeded=True)
    rng = random.Random(seed)
    today = clock.today()
    generator = _Generator(rng, today, await _identifiers_in_use())

    built = [generator.household(region) for region in generator.allocate_regions(households)]
    members = sum(len(h.members) for h in built)
    extra = max(1, round(members * EXTRA_PERSON_SHARE))
    deceased = max(1, round((members + extra) * DECEASED_SHARE))
    lone = [generator.lone_person(deceased=i < deceased) for i in range(max(extra, deceased + 1))]
    people = [m.person for h in built for m in h.members] + lone

    async with in_transaction():
        await Person.bulk_create(
            [
                Person(
                    idcs=p.idcs, cin=p.cin, residence_card_number=p.residence_card_number,
                    birth_certificate_reference=p.birth_certificate_reference,
                    nationality=p.nationality, first_name=p.first_name, last_name=p.last_name,
                    first_name_ar=p.first_name_ar, last_name_ar=p.last_name_ar, sex=p.sex,
                    birth_date=p.birth_date, death_date=p.death_date, phone=p.phone,
                    has_other_health_coverage=p.has_other_health_coverage, registered_by=actor,
                    **matching.key_columns(p.first_name, p.last_name),
                )
                for p in people
            ],
            batch_size=BATCH_SIZE,
        )
        # SQLite's bulk insert does not return ids: read them back by IDCS.
        ids = dict(await Person.filter(registered_by=actor).values_list("idcs", "id"))
        await Household.bulk_create(
            [
                Household(
                    id=h.id, reference=h.reference, region_id=h.region, province_id=h.province,
                    commune=h.commune, milieu=h.milieu, address=h.address,
                    status=HouseholdStatus.ACTIVE.value,
                    declarant_id=ids[h.members[0].person.idcs], registered_by=actor,
                )
                for h in built
            ],
            batch_size=BATCH_SIZE,
        )
        await Membership.bulk_create(
            [
                Membership(
                    household_id=h.id, person_id=ids[m.person.idcs], relationship=m.relationship,
                    schooling=m.schooling, has_disability=m.has_disability,
                    start_date=m.start_date, end_date=None,
                )
                for h in built
                for m in h.members
            ],
            batch_size=BATCH_SIZE,
        )
        await extents.recount()
        await Declaration.bulk_create(
            [
                Declaration(household_id=h.id, version=1, declared_by=actor, **h.declaration)
                for h in built
            ],
            batch_size=BATCH_SIZE,
        )
    # Every household of the register is scored, as registerHousehold does.
    await scoring.score_households([str(h.id) for h in built], cause="REGISTRATION")
    # Their members' answers, recorded as the change feed's starting point (no changes).
    await feed.baseline([str(h.id) for h in built])
    return SeedReport(
        persons=len(people), households=len(built), members=members,
        persons_without_household=len(lone),
    )


__all__ = ["SeedReport", "seed"]
