"""The audit chain's ceiling: records per second with N writers, each writing the way a mutation
does, on a fresh PostgreSQL database (created, migrated and dropped here).

Two ways of writing are measured, alternating in rounds so that machine noise hits both alike:

- `queued` (this release): `BEGIN; INSERT INTO audit_queue …; COMMIT; SELECT
  sijill_sequence_audit(id)` — the record committed without the chain's lock, chained after
  the commit together with whatever other writers queued meanwhile (or found chained by
  another writer's call);
- `locked` (release 1.0 and 1.1 before the queue): `BEGIN; SELECT sijill_append_audit(…);
  COMMIT` — the chain's lock taken at the append and held until the commit.

With `--group N`, a third way is measured: `group`, the reads' records, which each worker
appends together (`AuditWriter`): one `sijill_append_audit` of N records per statement, each
writer standing for one worker.

Each writer waits, as a mutation's caller does, until its record is chained. A mutation does
more work in its transaction than this (`--work-ms` holds the transaction open that long after
the record is written, standing in for it; default 0: the chain alone). After the runs the
chain is verified from the first record.

    .venv/bin/python bench/audit_chain.py [--writers 1,2,4,8,16,32] [--seconds 5] [--work-ms 0]
                                          [--group N] [--server postgres://…]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg  # noqa: E402
from tortoise import Tortoise  # noqa: E402

from api.services import audit  # noqa: E402
from api.services.migrations import migrate  # noqa: E402
from api.settings import Settings  # noqa: E402

MODES = ("queued", "locked")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/audit_chain.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432",
                        help="PostgreSQL server URL (a database is created there and dropped)")
    parser.add_argument("--writers", default="1,2,4,8,16,32")
    parser.add_argument("--seconds", type=float, default=5.0, help="per mode and writer count")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--group", type=int, default=0,
                        help="also measure reads' group appends of this many records")
    parser.add_argument("--work-ms", type=float, default=0.0,
                        help="time each transaction stays open after its record is written")
    args = parser.parse_args(argv)
    args.writers = [int(n) for n in args.writers.split(",")]
    return args


def record(n: int) -> audit.AuditRecord:
    return audit.AuditRecord(
        actor="bench-registrar", roles=["registrar"], program=None, purpose=None,
        operation="registerPerson", operation_type="mutation",
        fields=["registerPerson.idcs", "registerPerson.firstName"], subjects=[f"{n:09d}"],
        outcome="ALLOWED", error_code=None, request_id=secrets.token_hex(16),
        policy_version="bench")


async def writer(pool: asyncpg.Pool, mode: str, until: float, work: float, counter: list[int],
                 group: int = 0):
    n = 0
    while time.perf_counter() < until:
        if mode == "group":
            async with pool.acquire() as conn:
                await conn.fetchval(audit._APPEND, *audit._columns(
                    [record(n + i) for i in range(group)]))
            n += group
            continue
        columns = audit._columns([record(n)])
        async with pool.acquire() as conn:
            async with conn.transaction():
                if mode == "queued":
                    upto = await conn.fetchval(audit._ENQUEUE, *columns)
                else:
                    await conn.fetchval(audit._APPEND, *columns)
                if work:
                    await asyncio.sleep(work)
            if mode == "queued":
                await conn.fetchval("SELECT sijill_sequence_audit($1)", upto)
        n += 1
    counter[0] += n


async def measure(pool, mode: str, writers: int, seconds: float, work: float,
                  group: int = 0) -> float:
    counter = [0]
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(*(writer(pool, mode, until, work, counter, group)
                           for _ in range(writers)))
    return counter[0] / (time.perf_counter() - started)


async def main(args: argparse.Namespace) -> None:
    name = f"sijill_chain_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(args.server + "/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{args.server}/{name}"
    try:
        await migrate(Settings(DATABASE_URL=url), url)
        pool = await asyncpg.create_pool(url, min_size=max(args.writers), max_size=max(args.writers))
        results: dict[tuple[str, int], list[float]] = {}
        for _ in range(args.rounds):
            for writers in args.writers:
                for mode in MODES + (("group",) if args.group else ()):
                    rate = await measure(pool, mode, writers, args.seconds, args.work_ms / 1000,
                                         args.group)
                    results.setdefault((mode, writers), []).append(rate)
                    print(f"{mode:6} {writers:3} writers: {rate:8.0f} records/s", file=sys.stderr)
        await pool.close()
        await Tortoise.init(db_url=url, modules={"models": ["api.models"]})
        try:
            status = await audit.verify_chain()
        finally:
            await Tortoise.close_connections()
        print(f"\nwork in each transaction: {args.work_ms} ms; {args.seconds} s per run, "
              f"{args.rounds} rounds; chain of {status.length} records "
              f"{'verified' if status.valid else 'BROKEN'}\n")
        group = f" {args.group}-record group appends records/s |" if args.group else ""
        print(f"| writers | queued records/s | locked records/s | queued ÷ locked |{group}")
        print("|---:|---:|---:|---:|" + ("---:|" if args.group else ""))
        for writers in args.writers:
            queued = sum(results["queued", writers]) / args.rounds
            locked = sum(results["locked", writers]) / args.rounds
            grouped = (f" {sum(results['group', writers]) / args.rounds:.0f} |" if args.group
                       else "")
            print(f"| {writers} | {queued:.0f} | {locked:.0f} | {queued / locked:.2f}× |"
                  f"{grouped}")
        if not status.valid:
            raise SystemExit("the chain does not verify")
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
