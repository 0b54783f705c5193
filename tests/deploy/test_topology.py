"""The cluster's files (deploy/): the production files are what the settings render, and the
engines accept what is rendered."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
sys.path.insert(0, str(DEPLOY))

import topology  # noqa: E402


def test_the_production_files_are_what_the_settings_render():
    rendered = topology.production_files(topology.load())
    committed = {p.name: p.read_text() for p in (DEPLOY / "production").iterdir()
                 if p.name in rendered}
    assert committed == rendered, "run `deploy/cluster render` after editing cluster.toml"


def test_the_compose_file_mounts_only_files_that_exist_and_points_nodes_at_pgbouncer():
    compose = yaml.safe_load((DEPLOY / "production" / "compose.yaml").read_text())
    top = topology.load()
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("./"):
                assert (DEPLOY / "production" / source).exists(), source
        dockerfile = service.get("build", {}).get("dockerfile")
        if dockerfile:
            assert (DEPLOY / "production" / dockerfile).exists()
    for node in top.api_nodes:
        environment = compose["services"][node.name]["environment"]
        assert environment["DATABASE_URL"].startswith(
            f"postgres://{top.app_role}:${{SIJILL_APP_PASSWORD:?}}@pgbouncer:"
            f"{top['pgbouncer']['port']}/")
        assert "statement_cache_size=0" in environment["DATABASE_URL"]
        assert environment["SIJILL_ENV"] == "production"
    # the deliverer holds a session lock: never through transaction pooling
    deliver = compose["services"]["deliver"]["environment"]["DATABASE_URL"]
    assert f"@haproxy:{top['haproxy']['primary_port']}/" in deliver


def test_settings_that_would_let_two_primaries_overlap_are_refused(tmp_path):
    text = topology.SETTINGS.read_text().replace("ttl = 8", "ttl = 6")
    (tmp_path / "cluster.toml").write_text(text)
    with pytest.raises(ValueError, match="ttl"):
        topology.load(tmp_path / "cluster.toml")


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="HAProxy is not installed")
@pytest.mark.parametrize("production", [False, True])
def test_haproxy_accepts_its_configuration(tmp_path, production):
    top = topology.load()
    place = topology.production() if production else topology.local(tmp_path)
    config = tmp_path / "haproxy.cfg"
    config.write_text(topology.haproxy(top, place))
    result = subprocess.run(["haproxy", "-c", "-f", str(config)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_patroni_configuration_is_synchronous_and_each_node_checks_the_other_roles():
    top = topology.load()
    import json

    for node in top.pg_nodes:
        config = json.loads(topology.patroni(top, node, topology.local(Path("/tmp/x"))))
        dcs = config["bootstrap"]["dcs"]
        assert dcs["synchronous_mode"] is True
        assert dcs["loop_wait"] + 2 * dcs["retry_timeout"] < dcs["ttl"]
        assert config["postgresql"]["listen"].endswith(f":{node.port}")
    cfg = topology.haproxy(top, topology.local(Path("/tmp/x")))
    assert "uri /primary" in cfg and "uri /synchronous" in cfg and "uri /healthz" in cfg
    assert dcs["postgresql"]["parameters"]["synchronous_commit"] == "remote_apply"


@pytest.mark.skipif(shutil.which("psql") is None, reason="psql is not installed")
def test_the_bootstrap_creates_the_roles_and_the_database_once(database):
    """deploy/production/bootstrap.sh against this machine's PostgreSQL: twice, the second run
    changing nothing; passwords with quotes stay data."""
    if database.engine != "postgres":
        pytest.skip("needs PostgreSQL")
    import secrets
    from urllib.parse import urlsplit

    server = urlsplit(database.url)
    tag = secrets.token_hex(3)
    env = {"PATH": "/usr/bin:/bin", "PGHOST": server.hostname or "127.0.0.1",
           "PGPORT": str(server.port or 5432), "PGUSER": server.username or "postgres",
           "SIJILL_DATABASE": f"boot_{tag}", "SIJILL_OWNER_ROLE": f"boot_owner_{tag}",
           "SIJILL_APP_ROLE": f"boot_app_{tag}", "SIJILL_OWNER_PASSWORD": "o'wner; DROP",
           "SIJILL_APP_PASSWORD": "a\\pp"}
    script = str(DEPLOY / "production" / "bootstrap.sh")
    try:
        for _ in range(2):
            result = subprocess.run(["sh", script], env=env, capture_output=True, text=True,
                                    check=False, timeout=60)
            assert result.returncode == 0, result.stdout + result.stderr
        check = subprocess.run(
            ["psql", "-tAc", f"SELECT (SELECT count(*) FROM pg_roles WHERE rolname LIKE "
                             f"'boot_%{tag}'), (SELECT pg_get_userbyid(datdba) FROM pg_database "
                             f"WHERE datname = 'boot_{tag}')", "-d", "postgres"],
            env=env, capture_output=True, text=True, check=True)
        assert check.stdout.strip() == f"2|boot_owner_{tag}"
    finally:
        subprocess.run(["psql", "-d", "postgres", "-c", f"DROP DATABASE IF EXISTS boot_{tag}",
                        "-c", f"DROP ROLE IF EXISTS boot_owner_{tag}",
                        "-c", f"DROP ROLE IF EXISTS boot_app_{tag}"],
                       env=env, capture_output=True, check=False)


@pytest.mark.skipif(shutil.which("docker-compose") is None,
                    reason="docker-compose is not installed (.ci/run installs it)")
def test_docker_compose_accepts_the_production_file():
    env = {"PATH": "/usr/bin:/bin", "PG_SUPERUSER_PASSWORD": "s", "PG_REPLICATION_PASSWORD": "r",
           "SIJILL_OWNER_PASSWORD": "o", "SIJILL_APP_PASSWORD": "a"}
    result = subprocess.run(["docker-compose", "-f", str(DEPLOY / "production" / "compose.yaml"),
                             "config", "-q"], env=env, capture_output=True, text=True,
                            check=False, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    # and refuses to start without the passwords
    bare = subprocess.run(["docker-compose", "-f", str(DEPLOY / "production" / "compose.yaml"),
                           "config", "-q"], env={"PATH": "/usr/bin:/bin"}, capture_output=True,
                          text=True, check=False, timeout=60)
    assert bare.returncode != 0
