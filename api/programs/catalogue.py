"""The program catalogue: one file per program (`<CODE>.json` or `.yaml`), the packaged ones
beside this module and those of the directories named by `SIJILL_PROGRAMS_DIR`
(`:`-separated).

Every file is checked when the catalogue is loaded — its JSON Schema (program.schema.json), each
CEL expression's syntax and types against the facts, the order of its versions, codes unique
across files — and every fault is reported as `file: key: message`. The service refuses to
start on a catalogue with any fault: it never serves half of one. Each expression is compiled
once, here.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jsonschema
import yaml

from api.programs import cel, facts

PACKAGED_DIR = Path(__file__).resolve().parent / "catalogue"
SCHEMA_FILE = Path(__file__).resolve().parent / "program.schema.json"
SUFFIXES = (".json", ".yaml", ".yml")
DEFAULT_ELIGIBLE_REASON = "ELIGIBLE"
# Reasons the engine gives itself, before any criterion (docs/index-and-programs.md).
ENGINE_REASONS = ("NOT_REGISTERED", "DECEASED", "NO_HOUSEHOLD", "HOUSEHOLD_NOT_ACTIVE")
# What a program's `fields` may grant its agencies: the fields of the answer and of the
# household and persons it is about, never an identity document or contact data (the
# registry's own roles read those), never a root field (the audit trail, the statistics, the
# access policy) nor a mutation; nor what a household holds beyond its composition: its other
# programs' enrollments, its declaration, its index and their history.
GRANTABLE_TYPES = frozenset({"Eligibility", "AmountLine", "Household", "Member", "Person"})
NEVER_GRANTED = frozenset({"Person.cin", "Person.residenceCardNumber", "Person.phone",
                           "Household.address", "Household.enrollments",
                           "Household.declaration", "Household.index",
                           "Household.indexHistory"})


@dataclass(frozen=True)
class Criterion:
    reason: str
    description: str
    rule: cel.Expression


@dataclass(frozen=True)
class AmountLineRule:
    label: str
    amount: cel.Expression


@dataclass(frozen=True)
class Version:
    effective_from: date
    legal_reference: str
    threshold: float
    definitions: tuple[tuple[str, cel.Expression], ...]
    criteria: tuple[Criterion, ...]
    amount_lines: tuple[AmountLineRule, ...]  # empty: the program pays no amount
    single_amount: bool  # the amount is one `monthlyAmount` expression, not lines

    @functools.cached_property
    def check_criteria(self):
        """One Python function for the definitions and the criteria: `(env) -> (reasons,
        failed)`, `failed` when an expression could not be evaluated (see rules.py): it
        failed, or it is null (it reads a definition that could not be computed)."""
        lines = ["def check(env):", "    failed = False", "    reasons = []"]
        for name, expression in self.definitions:
            lines += ["    try:", f"        env[{name!r}] = {expression.evaluate.python}",
                      "    except ERRORS:", f"        env[{name!r}] = None",
                      "        failed = True"]
        for criterion in self.criteria:
            rule, reason = criterion.rule, criterion.reason
            if rule.may_be_null:
                lines += ["    try:", f"        holds = {rule.evaluate.python}",
                          "        if holds is False:", f"            reasons.append({reason!r})",
                          "        elif holds is not True:", "            failed = True"]
            else:
                lines += ["    try:", f"        if not ({rule.evaluate.python}):",
                          f"            reasons.append({reason!r})"]
            lines += ["    except ERRORS:", "        failed = True"]
        lines.append("    return reasons, failed")
        return cel.compile_function("\n".join(lines), "check")

    @functools.cached_property
    def compute_amount(self):
        """One Python function for the amount lines: `(env) -> (total, ((label, amount), …))`,
        the lines of 0 left out, each line seeing the sum of the lines before as `subtotal`;
        raises cel.ERRORS."""
        lines = ["def amount(env):", "    subtotal = 0", "    out = []"]
        for line in self.amount_lines:
            lines += ["    env['subtotal'] = subtotal",
                      f"    value = {line.amount.evaluate.python}",
                      "    if value:", "        subtotal += value",
                      f"        out.append(({line.label!r}, value))"]
        lines.append("    return subtotal, tuple(out)")
        return cel.compile_function("\n".join(lines), "amount")

    @functools.cached_property
    def needs(self) -> dict[str, frozenset[str]]:
        """The fields of each fact the version's expressions read, {"Member": {"age", …}, …}:
        the facts of an answer are built with those alone."""
        read: dict[str, set[str]] = {}
        expressions = [e for _, e in self.definitions] + [c.rule for c in self.criteria] + [
            line.amount for line in self.amount_lines]
        for expression in expressions:
            for struct, name in expression.fields:
                read.setdefault(struct, set()).add(name)
        return {struct: frozenset(names) for struct, names in read.items()}

    @functools.cached_property
    def build_facts(self):
        """`(threshold, on) -> (situation) -> facts` with the fields the version reads."""
        return facts.builder(facts.frozen(self.needs))

    @functools.cached_property
    def reads(self) -> frozenset[str]:
        """Every fact path the version's expressions read."""
        paths: set[str] = set()
        for _, expression in self.definitions:
            paths |= expression.facts
        for criterion in self.criteria:
            paths |= criterion.rule.facts
        for line in self.amount_lines:
            paths |= line.amount.facts
        return frozenset(p for p in paths if p.split(".", 1)[0] in facts.TYPES)


DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


@dataclass(frozen=True)
class Hours:
    """When a program's agencies work, in their time zone: `days` (0 = Monday) from `start`
    to `end`."""

    timezone: str
    days: frozenset[int]
    start: time
    end: time | None  # None: until midnight ("24:00")

    def outside(self, day: date) -> list[tuple[datetime, datetime]]:
        """The spans of the local `day` outside the hours, as UTC [start, end) pairs."""
        zone = ZoneInfo(self.timezone)
        midnight = datetime.combine(day, time(0), zone)
        next_midnight = datetime.combine(day + timedelta(days=1), time(0), zone)
        if day.weekday() not in self.days:
            spans = [(midnight, next_midnight)]
        else:
            spans = [(midnight, datetime.combine(day, self.start, zone))]
            if self.end is not None:
                spans.append((datetime.combine(day, self.end, zone), next_midnight))
        return [(a.astimezone(UTC), b.astimezone(UTC)) for a, b in spans if a < b]


@dataclass(frozen=True)
class Program:
    code: str
    name: str
    purposes: tuple[str, ...]
    fields: tuple[str, ...]
    eligible_reason: str
    versions: tuple[Version, ...]
    source: str  # the file it was read from
    hours: Hours | None = None

    def threshold_since(self, on: date) -> date:
        """When the threshold in force on `on` took effect: versions that change only other
        parameters (ASD's yearly amounts) keep it."""
        current = self.version_on(on)
        since = current.effective_from
        for version in reversed(self.versions):
            if version.effective_from > current.effective_from:
                continue
            if version.threshold != current.threshold:
                break
            since = version.effective_from
        return since

    def version_on(self, on: date) -> Version:
        current = None
        for version in self.versions:
            if version.effective_from <= on:
                current = version
        if current is None:
            raise LookupError(f"{self.code}: no version in force on {on.isoformat()}")
        return current


@dataclass(frozen=True)
class Catalogue:
    programs: dict[str, Program]
    version: str  # a hash of every file's content, in the audit records
    files: tuple[str, ...] = field(default=())

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.programs)

    def __getitem__(self, code: str) -> Program:
        return self.programs[code]

    def __contains__(self, code: object) -> bool:
        return code in self.programs


class CatalogueError(Exception):
    """A catalogue with faults; `faults` are `file: key: message` lines."""

    def __init__(self, faults: list[str]) -> None:
        super().__init__("\n".join(faults))
        self.faults = faults


@lru_cache(maxsize=1)
def json_schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def program_files(directories: list[Path]) -> list[Path]:
    """The packaged files, then each directory's, in name order."""
    files: list[Path] = []
    for directory in [PACKAGED_DIR, *directories]:
        if not directory.is_dir():
            raise CatalogueError([f"{directory}: not a directory of program files"])
        files += sorted(p for p in directory.iterdir() if p.suffix in SUFFIXES and p.is_file())
    return files


def directories_of(setting: str) -> list[Path]:
    return [Path(part) for part in (setting or "").split(":") if part.strip()]


def load(directories: list[Path] | None = None, *, files: list[Path] | None = None,
         known_fields: set[str] | None = None) -> Catalogue:
    """Read and check every file; raise CatalogueError listing every fault. `known_fields`:
    the schema's `Type.field` names, to check each program's grants against."""
    paths = files if files is not None else program_files(directories or [])
    faults: list[str] = []
    programs: dict[str, Program] = {}
    digest = hashlib.sha256()
    for path in paths:
        raw_text = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw_text + b"\0")
        program, problems = _read(path, raw_text, known_fields)
        faults += problems
        if program is None:
            continue
        if program.code in programs:
            faults.append(f"{path}: code: {program.code} is also defined in "
                          f"{programs[program.code].source}")
            continue
        programs[program.code] = program
    if faults:
        raise CatalogueError(faults)
    return Catalogue(programs=programs, version=digest.hexdigest()[:16],
                     files=tuple(str(p) for p in paths))


def _read(path: Path, raw_text: bytes, known_fields: set[str] | None
          ) -> tuple[Program | None, list[str]]:
    try:
        raw = yaml.safe_load(raw_text) if path.suffix != ".json" else json.loads(raw_text)
    except (ValueError, yaml.YAMLError) as exc:
        return None, [f"{path}: (file): not readable as {path.suffix[1:].upper()}: "
                      f"{str(exc).splitlines()[0][:200]}"]
    validator = jsonschema.Draft202012Validator(
        json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    problems = [f"{path}: {_key(error.absolute_path)}: {error.message[:300]}"
                for error in sorted(validator.iter_errors(raw), key=lambda e: list(e.path))]
    if problems:
        return None, problems
    code = raw["code"]
    if path.stem != code:
        problems.append(f"{path}: code: {code} is in a file named {path.name}; name it "
                        f"{code}{path.suffix}")
    if raw.get("eligibleReason") in ENGINE_REASONS:
        problems.append(f"{path}: eligibleReason: {raw['eligibleReason']} is the engine's own")
    for i, name in enumerate(raw["fields"]):
        if not grantable(name):
            problems.append(f"{path}: fields[{i}]: {name} may not be granted to a program")
        elif known_fields is not None and name not in known_fields:
            problems.append(f"{path}: fields[{i}]: {name} is no field of the schema")
    hours = None
    if "hours" in raw:
        hours, hours_problems = _hours(raw["hours"], f"{path}: hours")
        problems += hours_problems
    versions = []
    previous: date | None = None
    for i, raw_version in enumerate(raw["versions"]):
        key = f"versions[{i}]"
        try:
            effective = date.fromisoformat(raw_version["effectiveFrom"])
        except ValueError:
            problems.append(f"{path}: {key}.effectiveFrom: not a date")
            continue
        if previous is not None and effective <= previous:
            problems.append(f"{path}: {key}.effectiveFrom: {effective} is not after the "
                            f"previous version's {previous} (versions are oldest first and "
                            "never overlap)")
        previous = effective
        version, version_problems = _version(raw_version, effective, f"{path}: {key}")
        problems += version_problems
        if version is not None:
            versions.append(version)
    if problems:
        return None, problems
    return Program(code=code, name=raw["name"], purposes=tuple(raw["purposes"]),
                   fields=tuple(raw["fields"]),
                   eligible_reason=raw.get("eligibleReason", DEFAULT_ELIGIBLE_REASON),
                   versions=tuple(versions), source=str(path), hours=hours), []


def _hours(raw: dict[str, Any], where: str) -> tuple[Hours | None, list[str]]:
    try:
        ZoneInfo(raw["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        return None, [f"{where}.timezone: {raw['timezone']} is no IANA time zone"]
    start = time.fromisoformat(raw["from"])
    end = None if raw["to"] == "24:00" else time.fromisoformat(raw["to"])
    if end is not None and end <= start:
        return None, [f"{where}.to: {raw['to']} is not after from ({raw['from']})"]
    return Hours(timezone=raw["timezone"], days=frozenset(DAYS.index(d) for d in raw["days"]),
                 start=start, end=end), []


def grantable(name: str) -> bool:
    """Whether a program's file may grant its agencies this `Type.field`."""
    return name.split(".", 1)[0] in GRANTABLE_TYPES and name not in NEVER_GRANTED


def _version(raw: dict[str, Any], effective: date, where: str
             ) -> tuple[Version | None, list[str]]:
    problems: list[str] = []
    if not math.isfinite(raw["threshold"]):  # JSON's NaN passes the schema's bounds
        problems.append(f"{where}.threshold: {raw['threshold']} is not a finite number")
    env = dict(facts.TYPES)
    nullable = facts.NULLABLE
    definitions = []
    for name, source in raw.get("definitions", {}).items():
        if name in env:
            problems.append(f"{where}.definitions.{name}: the name of a fact")
            continue
        try:
            expression = cel.prepare(source, env, nullable=nullable)
        except cel.CelCheckError as exc:
            problems.append(f"{where}.definitions.{name}: {exc}")
            continue
        env[name] = expression.type
        # a definition is null when it could not be computed; a list may also hold a null
        nullable = nullable | {name} | ({f"{name}[]"} if expression.null_items else set())
        definitions.append((name, expression))
    criteria = []
    for i, raw_criterion in enumerate(raw["criteria"]):
        reason = raw_criterion["reason"]
        if reason in ENGINE_REASONS:
            problems.append(f"{where}.criteria[{i}].reason: {reason} is the engine's own")
        try:
            rule = cel.prepare(raw_criterion["rule"], env, cel.BOOL, nullable)
        except cel.CelCheckError as exc:
            problems.append(f"{where}.criteria[{i}].rule: {exc}")
            continue
        criteria.append(Criterion(reason, raw_criterion["description"], rule))
    lines = []
    if "monthlyAmount" in raw:
        try:
            lines.append(AmountLineRule("Monthly amount",
                                        cel.prepare(raw["monthlyAmount"], env, cel.INT,
                                                    nullable)))
        except cel.CelCheckError as exc:
            problems.append(f"{where}.monthlyAmount: {exc}")
    for i, raw_line in enumerate(raw.get("amountLines", ())):
        try:
            amount = cel.prepare(raw_line["amount"], {**env, "subtotal": cel.INT}, cel.INT,
                                 nullable)
        except cel.CelCheckError as exc:
            problems.append(f"{where}.amountLines[{i}].amount: {exc}")
            continue
        lines.append(AmountLineRule(raw_line["label"], amount))
    if problems:
        return None, problems
    version = Version(effective_from=effective, legal_reference=raw["legalReference"],
                      threshold=float(raw["threshold"]), definitions=tuple(definitions),
                      criteria=tuple(criteria), amount_lines=tuple(lines),
                      single_amount="monthlyAmount" in raw)
    fault = _rehearse(version)
    if fault:
        return None, [f"{where}: {fault}"]
    return version, []


def samples(on: date) -> tuple[facts.Situation, ...]:
    """A few situations on a day: a household of three generations (children young, in
    school, out of school, one with a disability), the same not yet scored, a person alone,
    a household with no living member."""

    def born(age: int) -> date:
        return date(on.year - age, 1, 1)

    members = (
        facts.MemberSituation("HEAD", born(44), "NOT_APPLICABLE", False, "MALE"),
        facts.MemberSituation("SPOUSE", born(39), "NOT_APPLICABLE", False, "FEMALE"),
        facts.MemberSituation("CHILD", born(17), "OUT_OF_SCHOOL", False, "MALE"),
        facts.MemberSituation("CHILD", born(10), "IN_SCHOOL", True, "FEMALE"),
        facts.MemberSituation("GRANDCHILD", born(3), "NOT_APPLICABLE", False, "MALE"),
        facts.MemberSituation("PARENT", born(71), "NOT_APPLICABLE", True, "FEMALE"))
    person = {"registered": True, "in_household": True, "household_status": "ACTIVE",
              "idcs": "1234567897", "birth_date": born(44), "sex": "MALE",
              "nationality": "MA", "milieu": "RURAL", "region": "06", "province": "038"}
    return (facts.Situation(**person, index_value=8.9, members=members),
            facts.Situation(**{**person, "household_status": "SUSPENDED"}, members=members),
            facts.Situation(**person, index_value=10.4, members=members[:1]),
            facts.Situation(**person, index_value=9.5))


def _rehearse(version: Version) -> str | None:
    """The version's criteria and amount evaluated over the samples, once loaded: what raises
    anything but CEL's errors (a Python error, an expression nested too deeply for Python's
    compiler) is a fault of the file, not an error at the first answer."""
    try:
        for situation in samples(version.effective_from):
            env = version.build_facts(version.threshold, version.effective_from)(situation)
            version.check_criteria(env)
            with contextlib.suppress(*cel.ERRORS):  # CEL's errors: the rule engine's to judge
                version.compute_amount(env)
    except (RecursionError, MemoryError, SyntaxError):
        return "an expression is nested too deeply"
    except Exception as exc:  # any other error is the file's fault, reported
        return f"evaluating it over a sample situation failed: {type(exc).__name__}: {exc}"[:300]
    return None


def _key(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def check_fields(programs: Catalogue, known_fields: set[str]) -> None:
    """Every program's `fields` names a field of the schema (which is built from the
    catalogue's codes, so this is checked once the schema exists)."""
    faults = []
    for program in programs.programs.values():
        for i, name in enumerate(program.fields):
            if name not in known_fields:
                faults.append(f"{program.source}: fields[{i}]: {name} is no field of the schema")
    if faults:
        raise CatalogueError(faults)


_current: Catalogue | None = None


def catalogue() -> Catalogue:
    """The catalogue in force in this process, read and checked once (the packaged files and
    the settings' directories); CatalogueError when any file has a fault. Its `fields` are
    checked against the schema when the schema is built (api/schema/schema.py)."""
    global _current
    if _current is None:
        from api.settings import get_settings

        _current = load(directories_of(get_settings().programs_dir))
    return _current


# Root fields a program agency's token may use without an allowed purpose (contract §2a): who
# am I, and which programs are there. Introspection, which reads no registry data, too.
WITHOUT_PURPOSE = frozenset({"Query.me", "Query.programs"})


def purpose_refused(principal) -> tuple[str, ...] | None:
    """For a program agency whose token does not declare one of its program's purposes: the
    purposes it may declare (to say so in the refusal); None for every other caller."""
    if principal is None or not principal.has("program_agency"):
        return None
    entry = catalogue().programs.get(principal.program or "")
    allowed = entry.purposes if entry is not None else ()
    return None if principal.purpose in allowed else tuple(allowed)
