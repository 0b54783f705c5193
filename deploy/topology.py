"""The cluster's configuration files, rendered from `deploy/cluster.toml`.

One renderer per engine (Patroni, PgBouncer, HAProxy) and one for the production compose file.
Each takes a `Place`: where every service is reached and where its files live. `local()` puts
the whole cluster on one machine over loopback (`deploy/cluster up`); `production()` puts each
service in its own container, named after it (`deploy/cluster render`, deploy/production/).
The same settings and the same renderers make both, so what the fault test runs is what ships.
Standard library only: the launcher runs before any virtualenv exists.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SETTINGS = HERE / "cluster.toml"


@dataclass(frozen=True)
class PgNode:
    name: str
    port: int
    api_port: int


@dataclass(frozen=True)
class ApiNode:
    name: str
    port: int


@dataclass(frozen=True)
class Topology:
    raw: dict

    @property
    def name(self) -> str:
        return self.raw["cluster"]["name"]

    @property
    def database(self) -> str:
        return self.raw["cluster"]["database"]

    @property
    def owner_role(self) -> str:
        return self.raw["cluster"]["owner_role"]

    @property
    def app_role(self) -> str:
        return self.raw["cluster"]["app_role"]

    @property
    def pg_nodes(self) -> list[PgNode]:
        return [PgNode(n["name"], n["port"], n["api_port"]) for n in self.raw["postgres"]["nodes"]]

    @property
    def api_nodes(self) -> list[ApiNode]:
        return [ApiNode(n["name"], n["port"]) for n in self.raw["sijill"]["nodes"]]

    def __getitem__(self, section: str) -> dict:
        return self.raw[section]


def load(path: Path = SETTINGS) -> Topology:
    raw = tomllib.loads(path.read_text())
    postgres = raw["postgres"]
    if postgres["loop_wait"] + 2 * postgres["retry_timeout"] >= postgres["ttl"]:
        raise ValueError(f"{path}: postgres.loop_wait + 2 × retry_timeout must stay under ttl")
    names = [n["name"] for n in postgres["nodes"]] + [n["name"] for n in raw["sijill"]["nodes"]]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: node names must be unique")
    return Topology(raw)


@dataclass(frozen=True)
class Place:
    """Where services are reached (`host(service)`) and where their files live."""

    production: bool
    root: Path  # runtime files (local) or the mount point of the configuration (production)

    def host(self, service: str) -> str:
        return service if self.production else "127.0.0.1"

    def bind(self) -> str:
        return "0.0.0.0" if self.production else "127.0.0.1"  # noqa: S104 - a container's own port


def local(root: Path) -> Place:
    return Place(production=False, root=root)


def production() -> Place:
    return Place(production=True, root=Path("/etc/sijill-cluster"))


# --- Patroni ----------------------------------------------------------------------------------

def patroni(top: Topology, node: PgNode, place: Place) -> str:
    """A Patroni configuration, as JSON (which YAML reads)."""
    pg = top["postgres"]
    etcd = f"{place.host('etcd')}:{top['etcd']['client_port']}"
    data = (Path("/var/lib/postgresql/data") if place.production
            else place.root / node.name / "data")
    if place.production:
        hba = ["local all all trust",
               "host replication replicator 0.0.0.0/0 scram-sha-256",
               "host all all 0.0.0.0/0 scram-sha-256"]
    else:
        hba = ["local all all trust",
               "host replication replicator 127.0.0.1/32 trust",
               "host all all 127.0.0.1/32 trust"]
    config = {
        "scope": top.name,
        "namespace": f"/{top.name}/",
        "name": node.name,
        "restapi": {"listen": f"{place.bind()}:{node.api_port}",
                    "connect_address": f"{place.host(node.name)}:{node.api_port}"},
        "etcd3": {"hosts": [etcd]},
        "bootstrap": {
            "dcs": {
                "ttl": pg["ttl"], "loop_wait": pg["loop_wait"],
                "retry_timeout": pg["retry_timeout"],
                "maximum_lag_on_failover": 1024 * 1024,
                "synchronous_mode": pg["synchronous_mode"],
                "synchronous_mode_strict": pg["synchronous_mode_strict"],
                "postgresql": {
                    "use_pg_rewind": True,
                    "use_slots": True,
                    "parameters": {
                        "wal_level": "replica", "hot_standby": "on", "wal_log_hints": "on",
                        "max_wal_senders": 10, "max_replication_slots": 10,
                        "max_connections": 200,
                        "synchronous_commit": pg.get("synchronous_commit", "on"),
                        # a standby's long reads are not cancelled by the primary's cleanup
                        "hot_standby_feedback": "on",
                        # … and a read that blocks the replay of other changes (a lock, a
                        # pinned buffer) is cancelled after 2 s: with remote_apply every
                        # commit waits for that replay
                        "max_standby_streaming_delay": "2s",
                    },
                },
            },
            "initdb": [{"encoding": "UTF8"}, {"locale": "C.UTF-8"}, "data-checksums"],
            "pg_hba": hba,
        },
        "postgresql": {
            "listen": f"{place.bind()}:{node.port}",
            "connect_address": f"{place.host(node.name)}:{node.port}",
            "data_dir": str(data),
            "bin_dir": f"/usr/lib/postgresql/{pg['version']}/bin",
            "pgpass": str((Path("/tmp") if place.production else place.root / node.name)
                          / "pgpass"),
            "authentication": {
                # production: passwords from PATRONI_SUPERUSER_PASSWORD,
                # PATRONI_REPLICATION_PASSWORD, PATRONI_REWIND_PASSWORD
                "superuser": {"username": "postgres"},
                "replication": {"username": "replicator"},
                "rewind": {"username": "postgres"},
            },
            "parameters": {"unix_socket_directories":
                           "/var/run/postgresql" if place.production
                           else str(place.root / node.name)},
            "pg_hba": hba,
        },
        "tags": {"nofailover": False, "noloadbalance": False, "clonefrom": False,
                 "nosync": False},
    }
    if not place.production:
        for user in ("superuser", "replication", "rewind"):
            config["postgresql"]["authentication"][user]["password"] = "loopback-trust"
    return json.dumps(config, indent=2) + "\n"


# --- PgBouncer --------------------------------------------------------------------------------

def pgbouncer(top: Topology, place: Place) -> str:
    """Two pools: the primary (through HAProxy's primary port, which follows a failover) and
    the replicas. Transaction pooling: Sijill keeps no session state between transactions."""
    bouncer, haproxy = top["pgbouncer"], top["haproxy"]
    lb = place.host("haproxy")
    root = Path("/etc/pgbouncer") if place.production else place.root
    return "\n".join([
        "[databases]",
        f"{top.database} = host={lb} port={haproxy['primary_port']} dbname={top.database}",
        f"{top.database}_standby = host={lb} port={haproxy['standby_port']} "
        f"dbname={top.database}",
        "",
        "[pgbouncer]",
        f"listen_addr = {place.bind()}",
        f"listen_port = {bouncer['port']}",
        "unix_socket_dir =",
        f"auth_type = {'scram-sha-256' if place.production else 'trust'}",
        f"auth_file = {root / 'userlist.txt'}",
        f"pool_mode = {bouncer['pool_mode']}",
        f"default_pool_size = {bouncer['default_pool_size']}",
        f"max_client_conn = {bouncer['max_client_conn']}",
        # nothing to reset: no session state is left (api/dbengine.py)
        "server_reset_query =",
        "server_check_query = select 1",
        "server_check_delay = 1",
        # server connections are renewed every two minutes: reads move back to a standby that
        # returned, and writes' connections never outlive a failover by long
        "server_lifetime = 120",
        # a server connection to a primary that died is dropped, not waited on for minutes
        "server_connect_timeout = 3",
        "server_login_retry = 1",
        "query_wait_timeout = 20",
        "tcp_keepalive = 1",
        "ignore_startup_parameters = extra_float_digits,statement_timeout",
        # in the foreground, its log on its output (locally logs/pgbouncer.log)
        "",
    ])


def pgbouncer_users(top: Topology) -> str:
    """Local trust: the names PgBouncer accepts (no passwords over loopback)."""
    return "".join(f'"{role}" ""\n' for role in (top.app_role, top.owner_role, "postgres"))


# --- HAProxy ----------------------------------------------------------------------------------

def haproxy(top: Topology, place: Place) -> str:
    lb, pg = top["haproxy"], top.pg_nodes
    inter = lb["check_interval_ms"]
    bind = place.bind()
    socket = "/tmp/haproxy-admin.sock" if place.production else str(place.root / "haproxy.sock")

    # in containers, a service not up yet has no address: start anyway, resolve it later
    late = " init-addr last,libc,none resolvers docker" if place.production else ""

    def pg_listen(name: str, port: int | None, check: str) -> list[str]:
        return [
            f"listen {name}" if port else f"backend {name}",
            *([f"    bind {bind}:{port}", "    timeout client 30m"] if port else []),
            "    mode tcp",
            "    timeout server 30m",
            "    option httpchk",
            f"    http-check send meth OPTIONS uri {check}",
            "    http-check expect status 200",
            # a node that stops being what this port needs loses its sessions at once
            f"    default-server inter {inter}ms fall 2 rise 1 on-marked-down shutdown-sessions{late}",
            *(f"    server {n.name} {place.host(n.name)}:{n.port} check port {n.api_port}"
              for n in pg),
            "",
        ]

    return "\n".join([
        "global",
        "    maxconn 4000",
        f"    stats socket {socket} mode 600 level admin",
        "",
        "defaults",
        "    timeout connect 2s",
        "    timeout client 60s",
        "    timeout server 60s",
        "    timeout http-request 10s",
        "    log global",
        "",
        *(["resolvers docker", "    nameserver dns 127.0.0.11:53", "    hold valid 1s", ""]
          if place.production else []),
        *pg_listen("postgres_primary", lb["primary_port"], "/primary"),
        # reads that may be slightly stale: the synchronous standby (which has applied every
        # acknowledged commit: remote_apply), or the primary while there is none; never an
        # asynchronous replica that may lag
        "frontend postgres_reads",
        f"    bind {bind}:{lb['standby_port']}",
        "    mode tcp",
        "    timeout client 30m",
        "    use_backend postgres_standby if { nbsrv(postgres_standby) gt 0 }",
        "    default_backend postgres_primary",
        "",
        *pg_listen("postgres_standby", None, "/synchronous"),
        "frontend api",
        f"    bind {bind}:{lb['http_port']}",
        "    mode http",
        "    option forwardfor",
        "    default_backend sijill",
        "",
        "backend sijill",
        "    mode http",
        "    balance roundrobin",
        "    option httpchk",
        "    http-check send meth GET uri /healthz",
        "    http-check expect status 200",
        # only a connection that never reached a node is tried again, on another node: a
        # request a node may have started is never sent twice by the balancer
        "    retry-on conn-failure",
        "    retries 3",
        "    option redispatch 1",
        f"    default-server inter {inter}ms fall 2 rise 2{late}",
        *(f"    server {n.name} {place.host(n.name)}:{n.port} check" for n in top.api_nodes),
        # when every node fails its check at once, the database is what failed (a failover):
        # send requests on to the nodes anyway, to wait there for the new primary rather than
        # be refused here (a backup server is used only while every checked one is down; a
        # dead node refuses the connection, and that is retried on another)
        *(f"    server {n.name}-waiting {place.host(n.name)}:{n.port} backup"
          for n in top.api_nodes),
        "    option allbackups",
        "",
        "listen stats",
        f"    bind {bind}:{lb['stats_port']}",
        "    mode http",
        "    stats enable",
        "    stats uri /",
        "",
    ])


# --- Sijill nodes -----------------------------------------------------------------------------

def database_urls(top: Topology, place: Place) -> dict[str, str]:
    """The environment that points a Sijill node at the cluster: writes and reads through
    PgBouncer (no named prepared statements: transaction pooling), migrations and the
    deliverer (a session lock) on the primary through HAProxy."""
    bouncer = f"{place.host('pgbouncer')}:{top['pgbouncer']['port']}"
    primary = f"{place.host('haproxy')}:{top['haproxy']['primary_port']}"
    # production: the roles' passwords from the environment (compose's interpolation)
    app = f"{top.app_role}:${{SIJILL_APP_PASSWORD:?}}" if place.production else top.app_role
    owner = (f"{top.owner_role}:${{SIJILL_OWNER_PASSWORD:?}}" if place.production
             else top.owner_role)
    return {
        "DATABASE_URL": f"postgres://{app}@{bouncer}/{top.database}?statement_cache_size=0",
        "SIJILL_STANDBY_DATABASE_URL": f"postgres://{app}@{bouncer}/"
                                       f"{top.database}_standby?statement_cache_size=0",
        "SIJILL_OWNER_DATABASE_URL": f"postgres://{owner}@{primary}/{top.database}",
        "SIJILL_DIRECT_DATABASE_URL": f"postgres://{app}@{primary}/{top.database}",
    }


# --- production compose file ------------------------------------------------------------------

def compose(top: Topology) -> dict:
    place = production()
    urls = database_urls(top, place)
    etcd = top["etcd"]
    services: dict[str, dict] = {
        "etcd": {
            "image": "quay.io/coreos/etcd:v3.5.17",
            "command": ["etcd", "--name", "etcd", "--data-dir", "/etcd-data",
                        "--listen-client-urls", f"http://0.0.0.0:{etcd['client_port']}",
                        "--advertise-client-urls", f"http://etcd:{etcd['client_port']}",
                        "--listen-peer-urls", f"http://0.0.0.0:{etcd['peer_port']}",
                        "--initial-advertise-peer-urls", f"http://etcd:{etcd['peer_port']}",
                        "--initial-cluster", f"etcd=http://etcd:{etcd['peer_port']}"],
            "volumes": ["etcd-data:/etcd-data"],
            "restart": "unless-stopped",
        },
    }
    for node in top.pg_nodes:
        services[node.name] = {
            "build": {"context": ".", "dockerfile": "Dockerfile.postgres"},
            "hostname": node.name,
            "command": ["patroni", f"/etc/sijill-cluster/{node.name}.yml"],
            "environment": {"PATRONI_SUPERUSER_PASSWORD": "${PG_SUPERUSER_PASSWORD:?}",
                            "PATRONI_REPLICATION_PASSWORD": "${PG_REPLICATION_PASSWORD:?}",
                            "PATRONI_REWIND_PASSWORD": "${PG_SUPERUSER_PASSWORD:?}"},
            "volumes": [f"./{node.name}.yml:/etc/sijill-cluster/{node.name}.yml:ro",
                        f"{node.name}-data:/var/lib/postgresql"],
            "depends_on": ["etcd"],
            "restart": "unless-stopped",
        }
    services["haproxy"] = {
        "image": "haproxy:2.6",
        "volumes": ["./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro"],
        "ports": [f"{top['haproxy']['http_port']}:{top['haproxy']['http_port']}"],
        "depends_on": [n.name for n in top.pg_nodes],
        "restart": "unless-stopped",
    }
    services["pgbouncer"] = {
        "build": {"context": ".", "dockerfile": "Dockerfile.postgres"},
        "command": ["pgbouncer", "/etc/pgbouncer/pgbouncer.ini"],
        "user": "postgres",
        "volumes": ["./pgbouncer.ini:/etc/pgbouncer/pgbouncer.ini:ro",
                    # the roles' SCRAM secrets, kept beside the JWT keys, never in the repository
                    "/etc/sijill/pgbouncer/userlist.txt:/etc/pgbouncer/userlist.txt:ro"],
        "depends_on": ["haproxy"],
        "restart": "unless-stopped",
    }
    node_environment = {
        "SIJILL_ENV": "production",  # the policy gate on (api/services/deployment.py)
        "SIJILL_WORKERS": str(top["sijill"]["workers"]),
        "SIJILL_JWT_PUBLIC_KEY_FILE": "/keys/issuer.pem",
        "DATABASE_URL": urls["DATABASE_URL"],
        "SIJILL_STANDBY_DATABASE_URL": urls["SIJILL_STANDBY_DATABASE_URL"],
    }
    services["bootstrap"] = {
        # once: the two roles (with their passwords) and the database, if missing
        "build": {"context": ".", "dockerfile": "Dockerfile.postgres"},
        "command": ["sh", "/bootstrap.sh"],
        "environment": {"PGHOST": "haproxy", "PGPORT": str(top["haproxy"]["primary_port"]),
                        "PGUSER": "postgres", "PGPASSWORD": "${PG_SUPERUSER_PASSWORD:?}",
                        "SIJILL_DATABASE": top.database,
                        "SIJILL_OWNER_ROLE": top.owner_role, "SIJILL_APP_ROLE": top.app_role,
                        "SIJILL_OWNER_PASSWORD": "${SIJILL_OWNER_PASSWORD:?}",
                        "SIJILL_APP_PASSWORD": "${SIJILL_APP_PASSWORD:?}"},
        "volumes": ["./bootstrap.sh:/bootstrap.sh:ro"],
        "depends_on": ["haproxy"],
        "restart": "no",
    }
    services["migrate"] = {
        "image": "sijill",
        "build": {"context": "../.."},
        # every release: the schema, then the service role's privileges on it
        "command": ["sh", "-c", f"sijill migrate && sijill db grants {top.app_role} --apply"],
        "environment": {"DATABASE_URL": urls["SIJILL_OWNER_DATABASE_URL"]},
        "depends_on": {"bootstrap": {"condition": "service_completed_successfully"}},
        "restart": "no",
    }
    for node in top.api_nodes:
        services[node.name] = {
            "image": "sijill",
            "command": ["sijill", "run", "--host", "0.0.0.0", "--port", str(node.port)],
            "environment": {**node_environment, "SIJILL_NODE_NAME": node.name},
            "volumes": ["/etc/sijill/keys:/keys:ro"],
            "depends_on": {"pgbouncer": {"condition": "service_started"},
                           "migrate": {"condition": "service_completed_successfully"}},
            "restart": "unless-stopped",
        }
    services["deliver"] = {
        "image": "sijill",
        "command": ["sijill", "deliver"],
        # a session lock elects one deliverer: straight to the primary, not through PgBouncer
        "environment": {**node_environment, "DATABASE_URL": urls["SIJILL_DIRECT_DATABASE_URL"]},
        "depends_on": {"migrate": {"condition": "service_completed_successfully"}},
        "restart": "unless-stopped",
    }
    # no top-level `name` (Compose Specification only): docker-compose 1.x reads it too;
    # `docker compose -p sijill` names the project
    return {"services": services,
            "volumes": {"etcd-data": {}, **{f"{n.name}-data": {} for n in top.pg_nodes}}}


def yaml(value, indent: int = 0) -> str:
    """A small YAML writer for the compose file: mappings, lists, JSON-quoted scalars."""
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:\n{yaml(item, indent + 1)}")
            else:
                lines.append(f"{pad}{key}: {yaml(item, indent + 1)}")
        return "\n".join(lines)
    if isinstance(value, list):
        if not value:
            return "[]"
        return "\n".join(f"{pad}- {json.dumps(item)}" for item in value)
    return json.dumps(value)


PRODUCTION_HEADER = ("# Generated by `deploy/cluster render` from deploy/cluster.toml: edit that file "
                     "and render again.\n")


def production_files(top: Topology) -> dict[str, str]:
    """deploy/production/: the compose file and every configuration it mounts."""
    place = production()
    files = {"compose.yaml": PRODUCTION_HEADER + yaml(compose(top)) + "\n",
             "haproxy.cfg": PRODUCTION_HEADER + haproxy(top, place),
             "pgbouncer.ini": PRODUCTION_HEADER.replace("#", ";") + pgbouncer(top, place)}
    for node in top.pg_nodes:
        files[f"{node.name}.yml"] = PRODUCTION_HEADER + patroni(top, node, place)
    return files
