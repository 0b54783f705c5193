"""Aggregate the rounds of a benchmark run and render them as a Markdown table."""

from __future__ import annotations

from statistics import mean, median

MIB = 1024 * 1024


def _median(values: list[float]) -> float | None:
    return median(values) if values else None


def aggregate(runs: list[dict]) -> list[dict]:
    """One row per (scenario, system), in the order first measured: mean throughput over the
    rounds, median latency percentiles, summed error counts, the largest RSS seen."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for run in runs:
        groups.setdefault((run["scenario"], run["system"]), []).append(run)
    rows = []
    for (scenario, system), items in groups.items():
        rows.append({
            "scenario": scenario,
            "system": system,
            "rounds": len(items),
            "rps": mean(r["rps"] for r in items),
            "rps_rounds": [round(r["rps"], 1) for r in items],
            # A round in which no request completed has no latency to report.
            "p50_ms": _median([r["p50_ms"] for r in items if r["requests"]]),
            "p95_ms": _median([r["p95_ms"] for r in items if r["requests"]]),
            "p99_ms": _median([r["p99_ms"] for r in items if r["requests"]]),
            "requests": sum(r["requests"] for r in items),
            "non2xx": sum(r["non2xx"] for r in items),
            "graphql_errors": sum(r["graphql_errors"] for r in items),
            "socket_errors": sum(r["socket_errors"] for r in items),
            "extra": sum(r["extra"] for r in items),
            "rss_worker_mib": max(r["rss_max_process"] for r in items) / MIB,
            "rss_total_mib": max(r["rss_max_total"] for r in items) / MIB,
        })
    return rows


def ratios(rows: list[dict]) -> list[dict]:
    """Sijill's throughput and p50 latency as ratios of each baseline's, per scenario."""
    by = {(r["scenario"], r["system"]): r for r in rows}
    out = []
    for scenario in dict.fromkeys(r["scenario"] for r in rows):
        sijill = by.get((scenario, "sijill"))
        if sijill is None or not sijill["requests"]:
            continue
        entry = {"scenario": scenario}
        for other in ("postgraphile", "bare", "before"):
            base = by.get((scenario, other))
            if base and base["requests"] and base["rps"] > 0:
                entry[f"rps_vs_{other}"] = sijill["rps"] / base["rps"]
                entry[f"p50_vs_{other}"] = sijill["p50_ms"] / base["p50_ms"]
        out.append(entry)
    return out


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def markdown(rows: list[dict], ratio_rows: list[dict], settings: dict) -> str:
    lines = [
        f"# Load benchmark {settings['started']}",
        "",
        f"{settings['duration']} s per run, {settings['connections']} connections "
        f"({settings.get('bulk_connections', settings['connections'])} for bulk), "
        f"{settings['threads']} wrk threads, {settings['rounds']} rounds alternating systems, "
        f"{settings['workers']} workers per server; sample `{settings['sample']}`.",
        "Throughput is the mean over rounds (each round in brackets), latency percentiles the "
        "median over rounds; errors are summed; RSS is the largest seen (one process, and all "
        "of the server's processes). \"–\": no request completed within the run.",
        "",
        "| scenario | system | req/s | rounds | p50 ms | p95 ms | p99 ms | non-2xx | GraphQL errors "
        "| socket errors | RSS/worker MiB | RSS total MiB |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['scenario']} | {r['system']} | {r['rps']:.1f} | "
            f"{', '.join(str(v) for v in r['rps_rounds'])} | {_ms(r['p50_ms'])} | "
            f"{_ms(r['p95_ms'])} | {_ms(r['p99_ms'])} | {r['non2xx']} | {r['graphql_errors']} | "
            f"{r['socket_errors']} | {r['rss_worker_mib']:.0f} | {r['rss_total_mib']:.0f} |")
    registered = [r for r in rows if r["scenario"] == "register" and r["extra"]]
    for r in registered:
        seconds = settings["duration"] * r["rounds"]
        lines += ["", f"Registration ({r['system']}): {r['extra']} households registered "
                      f"({r['extra'] / seconds:.1f}/s; each needs three requests)."]
    if ratio_rows:
        lines += [
            "",
            "| scenario | Sijill ÷ PostGraphile req/s | Sijill ÷ bare req/s "
            "| Sijill ÷ PostGraphile p50 | Sijill ÷ bare p50 |",
            "|---|---:|---:|---:|---:|",
        ]
        for e in ratio_rows:
            lines.append(
                f"| {e['scenario']} | {_ratio(e.get('rps_vs_postgraphile'))} | "
                f"{_ratio(e.get('rps_vs_bare'))} | {_ratio(e.get('p50_vs_postgraphile'))} | "
                f"{_ratio(e.get('p50_vs_bare'))} |")
        if any("rps_vs_before" in e for e in ratio_rows):
            lines += ["", "| scenario | Sijill ÷ before req/s | Sijill ÷ before p50 |",
                      "|---|---:|---:|"]
            lines += [f"| {e['scenario']} | {_ratio(e.get('rps_vs_before'))} | "
                      f"{_ratio(e.get('p50_vs_before'))} |" for e in ratio_rows]
    return "\n".join(lines) + "\n"
