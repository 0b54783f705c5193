"""The duplicate search on a generated register: how fast `possibleDuplicates` answers, and how
well it finds true duplicates spelt the way registration agents spell them.

Cases, drawn with a seed from the register (`bench/generate`):
- **duplicates**: a registered person, typed again with realistic variants — another
  transliteration of the first or last name (Mohamed/Mohammed/Muhammad, Khadija/Khadidja, El
  Alaoui/Alaoui…), a slip of one letter, the Arabic spelling left out, the birth date exact or
  with day and month swapped (or, when the day is over 12, a day off), 1 January for an
  unknown day, a day or a year off, the day miswritten;
- **newcomers**: persons drawn like the register's (its first and last names, a birth date in
  the duplicates' range) who are not in it.

Both are persons without a CIN or residence card (children, mostly): those whom only names and
birth dates can tell apart, and whom `registerPerson` checks.

Each case is sent to a running `sijill run` (one worker, the database given) as the query a
registration agent's screen sends, one at a time; the answer's time is measured at the client.

Reported: latency p50/p90/p99; for duplicates, the share whose registered person is listed
(score ≥ POSSIBLE, recall of the list) and would be refused by `registerPerson` (score ≥ LIKELY,
recall of the refusal), by variant; for each threshold, precision over the pairs listed: the
listed persons that are the true one, and that share with it exactly the names and birth date
(homonyms, whom no name matching can tell apart); for newcomers, the share that would be
refused, and of those how many only because of an exact homonym.

    .venv/bin/python bench/duplicates.py --database-url postgres://…/sijill_bench [--cases 500]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import statistics
import sys
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import asyncpg  # noqa: E402
import httpx  # noqa: E402
from scenarios import ROOT, bench_env, mint  # noqa: E402
from servers import Server  # noqa: E402

from api.seed import FEMALE_NAMES, LAST_NAMES, MALE_NAMES  # noqa: E402
from api.services import matching  # noqa: E402

QUERY = """query($input: PersonMatchInput!) {
  possibleDuplicates(input: $input) { score person { idcs firstName lastName birthDate } }
}"""

# Spellings met in registers beside the ones the generator draws.
VARIANTS = {
    "Mohamed": ["Mohammed", "Muhammad", "Mhamed", "Mohamad"], "Ahmed": ["Ahmad", "Ahmmed"],
    "Youssef": ["Yousef", "Youssouf", "Yusuf"], "Hassan": ["Hasan"], "Said": ["Saïd", "Saeed"],
    "Abdellah": ["Abdallah", "Abdelah", "Abdullah"], "Mustapha": ["Mustafa", "Moustapha"],
    "Rachid": ["Rashid", "Rachide"], "Khalid": ["Khaled"], "Hamza": ["Hamzah"],
    "Mehdi": ["Mahdi", "El Mehdi"], "Ayoub": ["Ayyoub", "Ayub"], "Ilyas": ["Ilyass", "Elias"],
    "Brahim": ["Ibrahim"], "Abdelkader": ["Abdelkadir", "Abdel Kader"], "Driss": ["Idriss"],
    "Hicham": ["Hisham"], "Yassine": ["Yasin", "Yacine"], "Othmane": ["Othman", "Outhmane"],
    "Zakaria": ["Zakariae", "Zakariya"], "Noureddine": ["Nour Eddine", "Nourdine"],
    "Soufiane": ["Sofiane", "Sufyan"], "Fatima": ["Fatma", "Fatim"],
    "Khadija": ["Khadidja", "Khadeeja"], "Aicha": ["Aïcha", "Aisha"], "Meryem": ["Maryam", "Meriem"],
    "Zineb": ["Zaynab", "Zainab"], "Naima": ["Naïma"], "Salma": ["Selma"], "Imane": ["Iman"],
    "Hanane": ["Hanan"], "Kaoutar": ["Kawtar", "Kaoutare"], "Hajar": ["Hajjar"],
    "Asmae": ["Asmaa", "Asma"], "Houda": ["Huda"], "Loubna": ["Lubna"],
    "Btissam": ["Ibtissam", "Ibtissame"], "Rkia": ["Rokaya", "Roqia"],
    "Fatima Zahra": ["Fatima Ezzahra", "Fatima-Zahra", "Fatimazahra"],
    "Chaimae": ["Chaimaa", "Chaima"], "Oumaima": ["Oumayma", "Umaima"], "Khaoula": ["Khawla"],
    "Alaoui": ["El Alaoui", "Alawi"], "El Idrissi": ["Idrissi", "Drissi"], "Bennani": ["Benani"],
    "Tazi": ["Ettazi"], "El Amrani": ["Amrani"], "Chraibi": ["Cheraibi"],
    "Ouazzani": ["Wazzani", "El Ouazzani"], "El Fassi": ["Fassi", "Elfassi"],
    "Benjelloun": ["Ben Jelloun", "Benjeloun"], "Naciri": ["Nassiri", "Nasiri"],
    "Boukhari": ["Bukhari", "El Boukhari"], "Hamdaoui": ["Hamdawi"],
    "Mansouri": ["Mansuri", "El Mansouri"], "Cherkaoui": ["Charkaoui", "Cherkawi"],
    "Doukkali": ["Dokkali", "Doukali"], "El Khatib": ["Khatib", "Elkhatib"],
    "Yacoubi": ["Yaakoubi", "Yakoubi"], "Sahraoui": ["Sahrawi"], "Berrada": ["Berada"],
    "Lahlou": ["Lahlu"], "Bouazza": ["Bouaza"], "Ait Ali": ["Aït Ali", "Ait-Ali"],
    "Zerouali": ["Zeroualli", "Zerwali"], "Kettani": ["Ketani", "El Kettani"],
    "Belhaj": ["Belhadj"], "Ghazi": ["Ghazzi"], "Rahmouni": ["Rahmuni"],
    "Moussaoui": ["Moussawi", "Mousaoui"], "Ouahbi": ["Wahbi"], "Tahiri": ["Tahri"],
    "Hilali": ["Hillali", "El Hilali"], "Soussi": ["Sousi"], "Ziani": ["Zayani"],
}
LETTERS = "abcdefghijklmnoprstuz"


def spelt(name: str, rng: random.Random) -> tuple[str, str]:
    """(variant of the name, what was done)."""
    roll = rng.random()
    if roll < 0.5 and name in VARIANTS:
        return rng.choice(VARIANTS[name]), "transliteration"
    if roll < 0.7:
        i = rng.randrange(1, len(name))
        kind = rng.choice(["replace", "drop", "double"])
        if kind == "replace":
            return name[:i] + rng.choice(LETTERS) + name[i + 1:], "typo"
        if kind == "drop":
            return name[:i] + name[i + 1:], "typo"
        return name[:i] + name[i] + name[i:], "typo"
    return name, "exact"


DATE_SLIPS = (("exact", 55), ("day/month swapped", 15), ("1 January", 8), ("a day off", 8),
              ("a year off", 7), ("day miswritten", 7))


def dated(born: date, rng: random.Random) -> tuple[date, str]:
    """A slip of the birth date, never into the future (an agent's form refuses it)."""
    slipped, kind = _slip(born, rng)
    if slipped > date.today():
        slipped = born - (slipped - born)
    return slipped, kind


def _slip(born: date, rng: random.Random) -> tuple[date, str]:
    kind = rng.choices([k for k, _ in DATE_SLIPS], weights=[w for _, w in DATE_SLIPS])[0]
    if kind == "day/month swapped" and (other := matching.swapped(born)):
        return other, kind
    if kind == "day/month swapped" or kind == "a day off":
        return born + timedelta(days=rng.choice([-1, 1])), "a day off"
    if kind == "1 January" and (born.month, born.day) != (1, 1):
        return born.replace(month=1, day=1), kind
    if kind == "a year off":
        year = born.year + rng.choice([-1, 1])
        return born.replace(year=year, day=min(born.day, 28)), kind
    if kind == "day miswritten":
        return born.replace(day=rng.choice([d for d in range(1, 29) if d != born.day])), kind
    return born, "exact"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/duplicates.py",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cases", type=int, default=500, help="duplicates, and as many newcomers")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--port", type=int, default=8097)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    return parser.parse_args(argv)


async def draw(url: str, cases: int, rng: random.Random) -> tuple[list[dict], date, date]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT idcs, first_name, last_name, first_name_ar, last_name_ar, sex, birth_date "
            "FROM persons TABLESAMPLE BERNOULLI (0.02) REPEATABLE ($1) WHERE cin IS NULL "
            "AND residence_card_number IS NULL", rng.randrange(1 << 30))
    finally:
        await conn.close()
    people = [dict(r) for r in rows]
    rng.shuffle(people)
    people = people[:cases]
    return people, min(p["birth_date"] for p in people), max(p["birth_date"] for p in people)


def duplicate_case(person: dict, rng: random.Random) -> dict:
    first, first_how = spelt(person["first_name"], rng)
    last, last_how = spelt(person["last_name"], rng)
    born, date_how = dated(person["birth_date"], rng)
    arabic = rng.random() < 0.5 and person["first_name_ar"] is not None
    names = "exact" if first_how == last_how == "exact" else (
        "transliteration" if "transliteration" in (first_how, last_how) else "typo")
    query = {"firstName": first, "lastName": last, "birthDate": born.isoformat(),
             "sex": person["sex"]}
    if arabic:
        query |= {"firstNameAr": person["first_name_ar"], "lastNameAr": person["last_name_ar"]}
    return {"query": query, "truth": person["idcs"], "names": names, "date": date_how,
            "original": person}


def newcomer_case(rng: random.Random, oldest: date, youngest: date) -> dict:
    sex = rng.choice(["MALE", "FEMALE"])
    first = rng.choice(MALE_NAMES if sex == "MALE" else FEMALE_NAMES)
    last = rng.choice(LAST_NAMES)
    born = oldest + timedelta(days=rng.randrange((youngest - oldest).days))
    return {"query": {"firstName": first[0], "lastName": last[0], "birthDate": born.isoformat(),
                      "sex": sex, "firstNameAr": first[1], "lastNameAr": last[1]}}


def homonym(a: dict, b: dict) -> bool:
    """Same names (spelling aside) and birth date: not told apart by any name matching."""
    return (matching.name_keys(a["firstName"], a["lastName"])
            == matching.name_keys(b["firstName"], b["lastName"]) and a["birthDate"] == b["birthDate"])


def run(cases: list[dict], url: str, token: str) -> list[float]:
    times = []
    with httpx.Client(timeout=30) as client:
        headers = {"Authorization": f"Bearer {token}"}
        for case in cases[:20]:  # warm-up: connections, caches
            client.post(url, json={"query": QUERY, "variables": {"input": case["query"]}},
                        headers=headers)
        for case in cases:
            started = time.perf_counter()
            response = client.post(url, json={"query": QUERY,
                                              "variables": {"input": case["query"]}},
                                   headers=headers)
            times.append((time.perf_counter() - started) * 1000)
            body = response.json()
            if "errors" in body:
                raise RuntimeError(body["errors"])
            case["found"] = body["data"]["possibleDuplicates"]
    return times


def quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def report(duplicates: list[dict], newcomers: list[dict], times: list[float]) -> dict:
    out: dict = {"cases": len(duplicates), "newcomers": len(newcomers),
                 "latency_ms": {"p50": round(quantile(times, 0.5), 1),
                                "p90": round(quantile(times, 0.9), 1),
                                "p99": round(quantile(times, 0.99), 1)}}
    for name, threshold in (("listed", matching.POSSIBLE), ("refused", matching.LIKELY)):
        hits, pairs, true_pairs, homonym_pairs = 0, 0, 0, 0
        by_variant: dict[str, Counter] = defaultdict(Counter)
        for case in duplicates:
            kept = [m for m in case["found"] if m["score"] >= threshold]
            hit = any(m["person"]["idcs"] == case["truth"] for m in kept)
            hits += hit
            for variant in (f"names: {case['names']}", f"date: {case['date']}"):
                by_variant[variant]["cases"] += 1
                by_variant[variant]["found"] += hit
            for m in kept:
                pairs += 1
                if m["person"]["idcs"] == case["truth"]:
                    true_pairs += 1
                elif homonym(_as_query(m["person"]), _as_query_original(case["original"])):
                    homonym_pairs += 1
        out[name] = {
            "threshold": threshold,
            "recall": round(hits / len(duplicates), 3),
            "precision": round(true_pairs / pairs, 3) if pairs else None,
            "precision_homonyms_aside": round(true_pairs / (pairs - homonym_pairs), 3)
            if pairs > homonym_pairs else None,
            "pairs": pairs, "true": true_pairs, "exact_homonyms": homonym_pairs,
            "recall_by_variant": {k: f"{v['found']}/{v['cases']}" for k, v in sorted(by_variant.items())},
        }
        refused = [c for c in newcomers if any(m["score"] >= threshold for m in c["found"])]
        only_homonyms = [c for c in refused if all(
            homonym(_as_query(m["person"]), c["query"]) for m in c["found"] if m["score"] >= threshold)]
        out[name]["newcomers_flagged"] = len(refused)
        out[name]["newcomers_flagged_only_by_exact_homonyms"] = len(only_homonyms)
    return out


def _as_query(person: dict) -> dict:
    return {"firstName": person["firstName"], "lastName": person["lastName"],
            "birthDate": person["birthDate"]}


def _as_query_original(person: dict) -> dict:
    return {"firstName": person["first_name"], "lastName": person["last_name"],
            "birthDate": person["birth_date"].isoformat()}


def main(argv=None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    people, oldest, youngest = asyncio.run(draw(args.database_url, args.cases, rng))
    duplicates = [duplicate_case(p, rng) for p in people]
    newcomers = [newcomer_case(rng, oldest, youngest) for _ in range(len(duplicates))]
    env = bench_env(args.database_url, secrets.token_hex(32))
    env.update(SIJILL_LOG_FORMAT="json", SIJILL_GRAPHIQL="false", SIJILL_RATE_LIMITS="none",
               SIJILL_REFUSAL_RATE="none")
    token = mint(env, "--role", "admin", "--sub", "bench-duplicates")
    args.results.mkdir(parents=True, exist_ok=True)
    server = Server("sijill", [str(ROOT / ".venv" / "bin" / "sijill"), "run", "--host",
                               "127.0.0.1", "--port", str(args.port), "--workers", "1"],
                    env, args.port, args.results / "duplicates-server.log", ROOT)
    probe = json.dumps({"query": QUERY, "variables": {"input": duplicates[0]["query"]}}).encode()
    server.start(probe, token)
    try:
        cases = duplicates + newcomers
        rng.shuffle(cases)
        times = run(cases, server.url, token)
    finally:
        server.stop()
    result = report(duplicates, newcomers, times)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
