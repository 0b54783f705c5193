"""The `sijill` command: migrate, run, seed, token, schema export."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from api.settings import DEV_JWT_SECRET, get_settings


def _migrate(args: argparse.Namespace) -> int:
    from api.services.migrations import migrate

    applied = asyncio.run(migrate(get_settings()))
    print(f"applied {len(applied)} migration(s)" + (": " + ", ".join(applied) if applied else ""))
    return 0


def _run(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    if settings.production and not (settings.jwt_public_key_file or settings.jwt_jwks_url):
        print("refusing to start: SIJILL_ENV=production verifies RS256/ES256 tokens only "
              "(set SIJILL_JWT_PUBLIC_KEY_FILE or SIJILL_JWT_JWKS_URL)", file=sys.stderr)
        return 2
    from api.http.cors import CorsSettingError, parse_origins

    try:
        parse_origins(settings.cors_origins)
    except CorsSettingError as exc:
        print(f"refusing to start: {exc}", file=sys.stderr)
        return 2
    from api.programs.catalogue import CatalogueError

    try:
        import api.schema.schema  # noqa: F401 - builds the schema from the checked catalogue
    except CatalogueError as exc:
        for fault in exc.faults:
            print(fault, file=sys.stderr)
        print("refusing to start: the program catalogue has faults (sijill programs check)",
              file=sys.stderr)
        return 2
    workers = args.workers or settings.workers
    from api.observability import logs

    if workers > 1 or settings.prometheus_multiproc_dir is not None:
        _prepare_multiprocess_metrics(settings)
    uvicorn.run(
        "api.http.app:create_app", factory=True, host=args.host, port=args.port, workers=workers,
        log_level=settings.log_level.lower(), proxy_headers=True, server_header=False,
        # One renderer (JSON or console) for Sijill's and uvicorn's lines, in every worker.
        log_config=logs.dict_config(settings.log_renderer, settings.log_level),
        # The access log prints URLs, and a GET query carries identifiers: Sijill logs each
        # request itself (request id, operation, outcome), never its text or variables.
        access_log=False,
    )
    return 0


def _prepare_multiprocess_metrics(settings) -> None:
    """Several workers: prometheus-client's multiprocess mode, in PROMETHEUS_MULTIPROC_DIR or a
    fresh temporary directory; emptied before the workers start (they inherit the variable)."""
    import os
    import tempfile

    # not api.observability.metrics: importing it here would create this process's sample files
    path = settings.prometheus_multiproc_dir or tempfile.mkdtemp(prefix="sijill-metrics-")
    os.makedirs(path, exist_ok=True)
    for entry in os.scandir(path):
        if entry.is_file() and entry.name.endswith(".db"):
            os.unlink(entry.path)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)


def _seed(args: argparse.Namespace) -> int:
    from tortoise import Tortoise

    from api.db import tortoise_config
    from api.seed import seed
    from api.services import simulation_facts

    async def go():
        await Tortoise.init(config=tortoise_config(get_settings()))
        try:
            report = await seed(households=args.households, seed=args.seed)
            await simulation_facts.refresh_copy()  # the copy simulations read, on PostgreSQL
            return report
        finally:
            await Tortoise.close_connections()

    report = asyncio.run(go())
    print(report)
    return 0


def _rescore(args: argparse.Namespace) -> int:
    from tortoise import Tortoise
    from tqdm import tqdm

    from api.db import tortoise_config
    from api.scoring.formula import FormulaError, load_formula
    from api.services.scoring import rescore

    if args.formula:
        try:
            load_formula(args.formula)
        except FormulaError as exc:
            print(f"cannot rescore: {exc}", file=sys.stderr)
            return 2

    async def go():
        await Tortoise.init(config=tortoise_config(get_settings()))
        bar = tqdm(unit="household", desc="rescore", disable=args.quiet)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            return await rescore(args.formula, batch_size=args.batch_size, progress=progress)
        finally:
            bar.close()
            await Tortoise.close_connections()

    report = asyncio.run(go())
    state = "resumed" if report.resumed else "started"
    print(f"rescore run {report.run_id} ({state}): {report.households} households scored "
          f"with formula {report.formula_version}")
    return 0


def _with_database(coroutine_factory):
    from tortoise import Tortoise

    from api.db import tortoise_config

    async def go():
        await Tortoise.init(config=tortoise_config(get_settings()))
        try:
            return await coroutine_factory()
        finally:
            await Tortoise.close_connections()

    return asyncio.run(go())


def _audit_verify(args: argparse.Namespace) -> int:
    import json

    from api.services import checkpoints
    from api.services.audit import sequence, verify_chain

    if args.checkpoint and not args.public_key:
        print("audit verify --checkpoint needs --public-key FILE, the trusted public key the "
              "checkpoints must be signed with: the key a checkpoint file carries is its "
              "signer's own, and anyone can sign one", file=sys.stderr)
        return 2
    trusted = None
    if args.public_key:
        trusted = checkpoints.load_public_key(Path(args.public_key).read_bytes())
    loaded = [(path, json.loads(Path(path).read_text(encoding="utf-8")))
              for path in args.checkpoint or ()]

    async def go():
        await sequence()  # records queued by mutations whose worker stopped before chaining them
        status = await verify_chain()
        problems = []
        for path, checkpoint in loaded:
            try:
                verified = await checkpoints.check_against_chain(checkpoint, trusted)
            except checkpoints.CheckpointError as exc:
                problems.append(f"{path}: {exc}")
                continue
            print(f"checkpoint {path}: sequence {verified.sequence} matches, signed by "
                  f"{verified.key_id} (the trusted key)")
        return status, problems

    status, problems = _with_database(go)
    for problem in problems:
        print(f"checkpoint FAILED: {problem}")
    if status.valid:
        print(f"audit chain valid: {status.length} records, head {status.head_hash}")
    else:
        print(f"audit chain BROKEN at sequence {status.first_invalid_sequence} "
              f"({status.length} records verified before it)")
    return 0 if status.valid and not problems else 1


def _audit_checkpoint(args: argparse.Namespace) -> int:
    from api.services import checkpoints

    private = checkpoints.load_private_key(Path(args.key).read_bytes())
    try:
        checkpoint = _with_database(lambda: checkpoints.take(private))
    except checkpoints.CheckpointError as exc:
        print(f"no checkpoint: {exc}", file=sys.stderr)
        return 1
    path = checkpoints.write(checkpoint, Path(args.out))
    print(f"checkpoint of sequence {checkpoint['sequence']} (head {checkpoint['headHash']}) "
          f"signed by {checkpoint['keyId']}: {path}")
    return 0


def _audit_keygen(args: argparse.Namespace) -> int:
    import os

    from api.services import checkpoints

    private = Path(args.private)
    if private.exists():
        print(f"refusing to overwrite {private}", file=sys.stderr)
        return 2
    pem = checkpoints.new_private_key_pem()
    fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    public = private.with_suffix(".pub.pem")
    public.write_bytes(checkpoints.public_key_pem(pem))
    print(f"private key {private} (keep it off the database server), public key {public}")
    return 0


def _audit_export(args: argparse.Namespace) -> int:
    import json

    from api.services.audit import export

    async def go():
        count = 0
        async for record in export(args.start, args.end):
            sys.stdout.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
        return count

    count = _with_database(go)
    print(f"exported {count} audit records", file=sys.stderr)
    return 0


def _timestamp(value: str):
    from datetime import UTC, datetime

    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date or time: {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _token(args: argparse.Namespace) -> int:
    from api.http.auth import FIRST_ALLOWED, mint_token

    settings = get_settings()
    if settings.jwt_secret == DEV_JWT_SECRET:
        print(f"# signed with the development secret SIJILL_JWT_SECRET={DEV_JWT_SECRET}",
              file=sys.stderr)
    subject = args.sub or {"citizen": None}.get(args.role, f"dev-{args.role}")
    if subject is None:
        print("a citizen token needs --sub IDCS", file=sys.stderr)
        return 2
    try:
        token = mint_token(
            settings, roles=[args.role], subject=subject, program=args.program,
            provinces=args.province or None,
            purpose=FIRST_ALLOWED if args.purpose is None else args.purpose, ttl_seconds=args.ttl,
        )
    except Exception as exc:  # invalid combination of claims
        print(f"cannot mint this token: {exc}", file=sys.stderr)
        return 2
    print(token)
    return 0


def _schema_export(args: argparse.Namespace) -> int:
    from api.policies.enforcer import subjects_of
    from api.schema.restrict import restricted_sdl
    from api.schema.schema import access_policy, export_sdl, schema

    if args.program is None and args.role is None:
        sys.stdout.write(export_sdl())
        return 0
    if args.program is not None:
        principal = _principal(["program_agency"], program=args.program)
    else:
        principal = _principal([args.role])
    if principal is None:
        return 2
    allowed = access_policy().allowed(subjects_of(principal))
    # a program's SDL names only its own code
    own = {"ProgramCode": {args.program}} if args.program is not None else None
    sys.stdout.write(restricted_sdl(schema._schema, allowed, own))
    return 0


def _schema_check_breaking(args: argparse.Namespace) -> int:
    from api.schema.compat import compare, latest_release
    from api.schema.schema import export_sdl

    against = args.against or latest_release()
    if against is None or not Path(against).is_file():
        print(f"no released SDL to compare with ({against or 'api/schema/released/ is empty'})",
              file=sys.stderr)
        return 2
    current = Path(args.schema).read_text(encoding="utf-8") if args.schema else export_sdl()
    result = compare(Path(against).read_text(encoding="utf-8"), current)
    for change in result.dangerous:
        print(f"warning: dangerous change: {change}")
    for change in result.breaking:
        print(f"error: breaking change: {change}")
    print(f"{len(result.breaking)} breaking, {len(result.dangerous)} dangerous change(s) "
          f"against {against}")
    return 1 if result.breaking else 0


def _principal(roles: list[str], program: str | None = None):
    from api.principal import ROLES, Principal
    from api.programs.catalogue import catalogue

    if program is not None and program not in catalogue():
        print(f"unknown program {program!r}; one of {', '.join(catalogue().codes)}",
              file=sys.stderr)
        return None
    if any(r not in ROLES for r in roles):
        print(f"unknown role; one of {', '.join(ROLES)}", file=sys.stderr)
        return None
    return Principal(subject="export", roles=frozenset(roles), program=program)


def _policy_publish(args: argparse.Namespace) -> int:
    import getpass
    import socket

    from tortoise import Tortoise

    from api.db import tortoise_config
    from api.schema.schema import access_policy
    from api.services import deployment

    version = access_policy().version

    async def go():
        await Tortoise.init(config=tortoise_config(get_settings()))
        try:
            return await deployment.publish(
                version, f"cli:{getpass.getuser()}@{socket.gethostname()}")
        finally:
            await Tortoise.close_connections()

    try:
        previous = asyncio.run(go())
    except Exception as exc:  # noqa: BLE001 - the one failure worth a sentence
        if "permission denied" in str(exc):
            print("sijill policy publish: permission denied: run it as the owner of the tables "
                  "(the DATABASE_URL `sijill migrate` uses)", file=sys.stderr)
            return 2
        raise
    was = previous.version if previous else "none"
    print(f"access policy {version} in force (was {was}); nodes with another version answer "
          f"503 and drop out of the balancer within SIJILL_POLICY_CHECK_SECONDS")
    return 0


def _policy_show(args: argparse.Namespace) -> int:
    from tortoise import Tortoise

    from api.db import tortoise_config
    from api.schema.schema import access_policy
    from api.services import deployment

    async def go():
        await Tortoise.init(config=tortoise_config(get_settings()))
        try:
            return await deployment.in_force()
        finally:
            await Tortoise.close_connections()

    current = asyncio.run(go())
    print(f"this installation: {access_policy().version}")
    if current is None:
        print("in force: none published (the first node to start publishes its own)")
    else:
        print(f"in force: {current.version}, published {current.published_at.isoformat()} by "
              f"{current.published_by}")
    return 0 if current is None or current.version == access_policy().version else 1


def _policy_matrix(args: argparse.Namespace) -> int:
    import csv

    from api.schema.schema import access_policy

    subject = args.subject
    if subject is not None and ":" not in subject:
        # a bare name: a program code (ASD) or a role (citizen)
        from api.principal import ROLES
        from api.programs.catalogue import catalogue

        if subject in catalogue().codes:
            subject = f"program:{subject}"
        elif subject in ROLES:
            subject = f"role:{subject}"
        else:
            print(f"unknown subject {subject!r}: a program code "
                  f"({', '.join(sorted(catalogue().codes))}), a role ({', '.join(ROLES)}), or "
                  "program:CODE / role:NAME", file=sys.stderr)
            return 2
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["subject", "field", "action"])
    for grant in access_policy().matrix():
        if subject is None or grant.subject == subject:
            writer.writerow([grant.subject, grant.field, grant.action])
    return 0


def _programs_check(args: argparse.Namespace) -> int:
    from api.programs import catalogue as programs

    extra: list[Path] = []
    for given in args.paths:
        path = Path(given)
        extra += programs.program_files([path])[len(programs.program_files([])):] \
            if path.is_dir() else [path]
    try:
        files = programs.program_files(programs.directories_of(get_settings().programs_dir))
        found = programs.load(files=[*files, *extra])
        from api.schema.access import schema_permissions
        from api.schema.schema import schema

        programs.check_fields(found, {obj for obj, _ in schema_permissions(schema._schema)})
    except programs.CatalogueError as exc:
        for fault in exc.faults:
            print(fault)
        print(f"{len(exc.faults)} fault(s): the service would refuse to start", file=sys.stderr)
        return 1
    print(f"{len(found.programs)} program(s), catalogue version {found.version}: "
          + ", ".join(found.codes))
    return 0


def _programs_list(args: argparse.Namespace) -> int:
    from api.programs.catalogue import CatalogueError, catalogue
    from api.services import clock

    try:
        programs = catalogue()
    except CatalogueError as exc:
        print("\n".join(exc.faults), file=sys.stderr)
        return 1
    if args.codes:
        print(" ".join(programs.codes))
        return 0
    today = clock.today()  # the registry's day (Africa/Casablanca)
    print(f"catalogue version {programs.version}")
    for program in programs.programs.values():
        try:
            version = program.version_on(today)
            current = (f"in force since {version.effective_from}, threshold {version.threshold}, "
                       f"{len(version.criteria)} criteria"
                       + (", pays an amount" if version.amount_lines else ""))
        except LookupError:
            current = f"not in force yet (from {program.versions[0].effective_from})"
        print(f"{program.code}\t{program.name}\t{current}\tpurposes "
              f"{','.join(program.purposes)}\t{program.source}")
    return 0


def _programs_apply(args: argparse.Namespace) -> int:
    from api.services import feed

    report = _with_database(lambda: feed.apply(baseline=args.baseline,
                                               retention_days=args.retention_days))
    print(report)
    return 0


def _simulation_refresh(args: argparse.Namespace) -> int:
    from api.services import simulation_facts

    try:
        done = _with_database(simulation_facts.refresh_copy)
    except Exception as exc:  # asyncpg's errors, named for the operator
        print(f"simulation refresh: {exc}", file=sys.stderr)
        return 1
    if done is None:
        print("simulation refresh: SQLite keeps no copy (simulations there are evaluated by CEL)")
        return 0
    print(f"simulation refresh: {done.members:,} members copied in {done.seconds:.1f} s "
          f"(the register as of {done.built_at.isoformat()})")
    return 0


def _programs_simulate(args: argparse.Namespace) -> int:
    """A draft version's effect on the whole register, printed as a table (or JSON), with
    progress on standard error; recorded in the audit log as the operator's simulation."""
    import getpass
    import json
    import threading
    import time
    import uuid

    from api.programs.catalogue import catalogue
    from api.schema.schema import access_policy
    from api.services import audit, clock, simulation

    try:
        raw = json.loads(args.file.read_text())
    except (OSError, ValueError) as exc:
        print(f"{args.file}: (file): {exc}", file=sys.stderr)
        return 1
    code = args.program
    if isinstance(raw, dict) and "versions" in raw:  # a whole program file: its last version
        code = code or raw.get("code")
        versions = raw["versions"] if isinstance(raw["versions"], list) else []
        if not versions:
            print(f"{args.file}: versions: no version to simulate", file=sys.stderr)
            return 1
        raw = versions[args.version if args.version is not None else -1]
    if code not in catalogue().codes:
        print(f"{args.file}: name the program with --program ({', '.join(catalogue().codes)})",
              file=sys.stderr)
        return 1
    started = time.perf_counter()
    state = {"done": 0, "total": 0, "stage": "checking the draft"}
    stop = threading.Event()
    quiet = args.quiet or not sys.stderr.isatty() and not args.progress

    def show() -> None:
        while not stop.wait(1.0):
            elapsed = time.perf_counter() - started
            done = ""
            if state["total"]:
                share = state["done"] / state["total"]
                left = elapsed / share - elapsed if share else 0
                done = (f", {state['done']:,} of {state['total']:,} households "
                        f"({share:.0%}, about {left:.0f} s left)")
            print(f"\r{state['stage']}: {elapsed:5.0f} s{done}   ", end="", file=sys.stderr,
                  flush=True)

    def progress(stage: str, done: int, total: int) -> None:
        state.update(stage=stage, done=done, total=total)

    async def go():
        total = await simulation.simulate(code, json.dumps(raw), args.group_by, clock.today(),
                                          progress=progress,
                                          path="CEL" if args.cel else None)
        await audit.append([audit.AuditRecord(
            actor=f"cli:{getpass.getuser()}", roles=["analyst"], program=code, purpose=None,
            operation="simulateProgram", operation_type="cli", fields=["Query.simulateProgram"],
            subjects=[], outcome="ALLOWED", error_code=None, request_id=str(uuid.uuid4()),
            policy_version=access_policy().version, catalogue_version=catalogue().version)])
        return total

    ticker = None if quiet else threading.Thread(target=show, daemon=True)
    if ticker:
        ticker.start()
    try:
        found = _with_database(go)
    except simulation.DraftError as exc:
        print(f"\n{args.file}: {exc.key}: {exc.message}", file=sys.stderr)
        return 1
    finally:
        stop.set()
    if ticker:
        print(file=sys.stderr)
    if args.json:
        print(json.dumps(simulation.as_dict(found), indent=2, ensure_ascii=False))
        return 0
    print(simulation.as_table(found))
    return 0


def _deliver(args: argparse.Namespace) -> int:
    import signal

    # Stopped while still starting (the schema takes a moment to build): nothing to clean up
    # yet, so a clean exit; the delivery loop installs its own handlers once running.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: sys.exit(0))

    import logging.config

    from tortoise import Tortoise

    from api.db import tortoise_config
    from api.observability import logs
    from api.schema.schema import access_policy
    from api.services import webhooks

    settings = get_settings()
    logging.config.dictConfig(logs.dict_config(settings.log_renderer, settings.log_level))

    async def go():
        await Tortoise.init(config=tortoise_config(settings))
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            await webhooks.run(settings.database_url, production=settings.production,
                               policy_version=access_policy().version, poll=args.poll,
                               stop=stop, batch=args.batch_size)
        finally:
            await Tortoise.close_connections()

    asyncio.run(go())
    return 0


def _programs_schema(args: argparse.Namespace) -> int:
    from api.programs.catalogue import SCHEMA_FILE

    sys.stdout.write(SCHEMA_FILE.read_text(encoding="utf-8"))
    return 0


def _db_grants(args: argparse.Namespace) -> int:
    from api.services.dbroles import grants_sql

    try:
        sql = grants_sql(args.role)
    except ValueError as exc:
        print(f"cannot grant: {exc}", file=sys.stderr)
        return 2
    if not args.apply:
        print(sql, end="")
        return 0
    import asyncpg

    url = get_settings().database_url
    if not url.startswith(("postgres://", "postgresql://")):
        print("cannot grant: --apply needs a PostgreSQL DATABASE_URL (the owner's)",
              file=sys.stderr)
        return 2

    async def go():
        connection = await asyncpg.connect(url.split("?", 1)[0])
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(go())
    print(f"granted {args.role} its privileges")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sijill", description="Sijill social registry API")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("migrate", help="bring the database schema up to date").set_defaults(func=_migrate)

    run = sub.add_parser("run", help="serve the API")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--workers", type=int, default=None,
                     help="worker processes (default: SIJILL_WORKERS, 1)")
    run.set_defaults(func=_run)

    seed = sub.add_parser("seed", help="load reproducible demo data")
    seed.add_argument("--households", type=int, default=200)
    seed.add_argument("--seed", type=int, default=2026)
    seed.set_defaults(func=_seed)

    rescore = sub.add_parser("rescore", help="recompute every household's index")
    rescore.add_argument("--formula", help="formula version to publish and apply, e.g. v2")
    rescore.add_argument("--batch-size", type=int, default=20_000)
    rescore.add_argument("--quiet", action="store_true", help="no progress bar")
    rescore.set_defaults(func=_rescore)

    simulation = sub.add_parser("simulation", help="the copy of the register simulations read")
    simulation_sub = simulation.add_subparsers(dest="simulation_command", required=True)
    simulation_refresh = simulation_sub.add_parser(
        "refresh", help="rebuild the copy of the register that simulations read (daily, and "
                        "after a rescore); simulations stay exact without it, only slower")
    simulation_refresh.set_defaults(func=_simulation_refresh)

    token = sub.add_parser("token", help="mint a development token")
    token.add_argument("--role", required=True,
                       choices=["admin", "registrar", "program_agency", "citizen", "auditor", "analyst"])
    token.add_argument("--program")
    token.add_argument("--province", action="append", help="repeat for several provinces")
    token.add_argument("--sub", help="subject; a citizen's IDCS")
    token.add_argument("--purpose", help="a program agency's token: one of the program's "
                                         "purposes (default: its first)")
    token.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds")
    token.set_defaults(func=_token)

    schema = sub.add_parser("schema", help="schema tools")
    schema_sub = schema.add_subparsers(dest="schema_command", required=True)
    export = schema_sub.add_parser("export", help="print the SDL, whole or as one caller sees it")
    who = export.add_mutually_exclusive_group()
    who.add_argument("--program", help="as this program's agency sees it")
    who.add_argument("--role", help="as this role sees it")
    export.set_defaults(func=_schema_export)
    check = schema_sub.add_parser(
        "check-breaking",
        help="compare the schema with the last released SDL; exit 1 on a breaking change")
    check.add_argument("--against", help="released SDL file (default: the newest under "
                                         "api/schema/released/)")
    check.add_argument("--schema", help="SDL file to check (default: the schema the code serves)")
    check.set_defaults(func=_schema_check_breaking)

    audit = sub.add_parser("audit", help="audit log tools")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser(
        "verify", help="recompute the hash chain and compare it with signed checkpoints; exit "
                       "status 1 when broken or different")
    verify.add_argument("--checkpoint", nargs="+", metavar="FILE",
                        help="checkpoints written by `sijill audit checkpoint`")
    verify.add_argument("--public-key", metavar="FILE",
                        help="the Ed25519 public key (PEM) the checkpoints must be signed with; "
                             "required with --checkpoint")
    verify.set_defaults(func=_audit_verify)
    checkpoint = audit_sub.add_parser(
        "checkpoint", help="sign the chain's head with an Ed25519 key kept off the database")
    checkpoint.add_argument("--key", required=True, metavar="FILE",
                            help="Ed25519 private key (PEM), e.g. from `sijill audit keygen`")
    checkpoint.add_argument("--out", default=".", metavar="DIR",
                            help="directory for the checkpoint file (default: here)")
    checkpoint.set_defaults(func=_audit_checkpoint)
    keygen = audit_sub.add_parser("keygen", help="a new Ed25519 key pair for checkpoints")
    keygen.add_argument("private", metavar="FILE", help="where to write the private key")
    keygen.set_defaults(func=_audit_keygen)
    export_audit = audit_sub.add_parser("export", help="records as JSON Lines, oldest first")
    export_audit.add_argument("--from", dest="start", type=_timestamp, help="from (inclusive)")
    export_audit.add_argument("--to", dest="end", type=_timestamp, help="to (exclusive)")
    export_audit.set_defaults(func=_audit_export)

    programs = sub.add_parser("programs", help="the program catalogue")
    programs_sub = programs.add_subparsers(dest="programs_command", required=True)
    check_programs = programs_sub.add_parser(
        "check", help="validate the catalogue and the given files or directories; exit 1 with "
                      "`file: key: message` lines on any fault")
    check_programs.add_argument("paths", nargs="*", metavar="PATH")
    check_programs.set_defaults(func=_programs_check)
    list_programs = programs_sub.add_parser("list", help="the programs in force")
    list_programs.add_argument("--codes", action="store_true", help="only the codes")
    list_programs.set_defaults(func=_programs_list)
    programs_sub.add_parser("schema", help="the JSON Schema of a program file"
                            ).set_defaults(func=_programs_schema)
    apply_programs = programs_sub.add_parser(
        "apply", help="publish the day's changes of answers (a version taking effect, a new "
                      "program, ages reached); idempotent, meant for a daily schedule")
    apply_programs.add_argument(
        "--baseline", action="store_true",
        help="record every member's answer as it is, publishing no change (once, for a "
             "register loaded or upgraded without the change feed)")
    apply_programs.add_argument("--retention-days", type=int, default=90,
                                help="forget changes older than this (at least 90)")
    apply_programs.set_defaults(func=_programs_apply)
    simulate_programs = programs_sub.add_parser(
        "simulate", help="a draft version's effect on the whole register today: who gains, "
                         "who loses, what it costs, per group (small counts withheld)")
    simulate_programs.add_argument(
        "file", type=Path, metavar="FILE",
        help="a draft version (one element of a program file's versions) or a program file "
             "(its last version)")
    simulate_programs.add_argument("--program", help="the program's code (a program file names "
                                                     "its own)")
    simulate_programs.add_argument("--version", type=int,
                                   help="which version of a program file (0 = the first)")
    simulate_programs.add_argument("--group-by", default="REGION",
                                   choices=["REGION", "PROVINCE", "MILIEU", "INDEX_BAND"])
    simulate_programs.add_argument("--json", action="store_true", help="the answer as JSON")
    simulate_programs.add_argument("--cel", action="store_true",
                                   help="evaluate with the compiled CEL rules even where SQL "
                                        "could (to compare)")
    simulate_programs.add_argument("--quiet", action="store_true", help="no progress")
    simulate_programs.add_argument("--progress", action="store_true",
                                   help="progress even when standard error is not a terminal")
    simulate_programs.set_defaults(func=_programs_simulate)

    deliver = sub.add_parser("deliver", help="deliver the programs' changes to their webhooks "
                                             "(one active deliverer per database)")
    deliver.add_argument("--poll", type=float, default=1.0,
                         help="seconds between looks when nothing is due")
    deliver.add_argument("--batch-size", type=int, default=100,
                         help="changes per delivery (at most 1000)")
    deliver.set_defaults(func=_deliver)

    db = sub.add_parser("db", help="database administration")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    grants = db_sub.add_parser(
        "grants", help="the SQL that gives the service's role its privileges (run as the owner)")
    grants.add_argument("role", help="the role the service connects as, e.g. sijill_app")
    grants.add_argument("--apply", action="store_true",
                        help="run the statements on DATABASE_URL (the owner's) instead of printing")
    grants.set_defaults(func=_db_grants)

    policy = sub.add_parser("policy", help="access policy tools")
    policy_sub = policy.add_subparsers(dest="policy_command", required=True)
    matrix = policy_sub.add_parser("matrix", help="every grant in force, as CSV")
    matrix.add_argument("--subject", help="only this subject: a program code or a role (ASD, "
                                          "citizen), or program:ASD, role:citizen")
    matrix.set_defaults(func=_policy_matrix)
    publish = policy_sub.add_parser(
        "publish", help="make this installation's access policy (policy files and program "
                        "catalogue) the version every node must serve")
    publish.set_defaults(func=_policy_publish)
    policy_sub.add_parser("show", help="the version in force and this installation's"
                          ).set_defaults(func=_policy_show)
    return parser


def main(argv: list[str] | None = None) -> int:
    import signal

    if argv is None and hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `sijill … | head` ends quietly
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
