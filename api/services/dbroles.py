"""The database role the service connects with (contract §7a).

Migrations run as the owner of the tables (`sijill migrate` with the owner's DATABASE_URL); the
service runs as a role that reads and writes the registry but may only INSERT and SELECT the
audit tables: no UPDATE, DELETE or TRUNCATE, no DDL, and, not owning them, it cannot disable
their triggers. `sijill db grants ROLE` prints the statements below for the owner to run.
"""

from __future__ import annotations

import re

# Append-only tables: the service role may only add and read their rows.
APPEND_ONLY_TABLES = ("audit_events", "audit_subjects", "audit_verified_points", "audit_queue")
# The queue of mutations' records is emptied by the sequencer, which runs with the owner's
# rights (SECURITY DEFINER): the service may not even read it back.
WRITE_ONLY_TABLES = ("audit_queue",)
# Tables the service reads but never writes (the simulations' copy of the register and its
# bookkeeping are written by functions running with the owner's rights; the access policy
# version in force is published by the owner, `sijill policy publish`, or on an empty database
# by the first node through `sijill_publish_first_policy`).
READ_ONLY_TABLES = ("aerich", "regions", "provinces", "simulation_facts_a", "simulation_facts_b",
                    "simulation_facts_state", "simulation_dirty", "deployment_versions")

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grants_sql(role: str) -> str:
    """What the owner runs, after each `sijill migrate`, for the service's role (idempotent)."""
    if not ROLE_NAME.match(role):
        raise ValueError("a role name is lower-case letters, digits and underscores")
    append_only = ", ".join(APPEND_ONLY_TABLES)
    read_only = ", ".join(READ_ONLY_TABLES)
    return f"""\
-- Run as the owner of the tables (the role `sijill migrate` connects with), after each
-- migration. The role itself is created once by a superuser:
--   CREATE ROLE {role} LOGIN PASSWORD '…';
GRANT USAGE ON SCHEMA public TO {role};
-- no new objects: a function or table of the service's own could shadow or outlive ours
-- (PostgreSQL 15 no longer grants CREATE on `public` to everyone; older clusters did, and
-- there `public` belongs to the bootstrap superuser: once, as a superuser,
-- `ALTER SCHEMA public OWNER TO <this owner>` so that these revokes take effect)
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM {role};
DO $$ BEGIN
  IF has_schema_privilege('{role}', 'public', 'CREATE') THEN
    RAISE EXCEPTION '{role} may still create in schema public: as a superuser, run ALTER SCHEMA public OWNER TO the owner of the tables, then these grants again';
  END IF;
END $$;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {role};
-- the audit log: append and read only
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {append_only} FROM {role};
-- the queue of mutations' audit records: insert only (the sequencer function empties it)
-- (but the id of a queued row, which its writer waits on)
REVOKE SELECT ON {", ".join(WRITE_ONLY_TABLES)} FROM {role};
GRANT SELECT (id) ON audit_queue TO {role};
-- reference data, the migrations' own table, the simulations' copy: read only
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {read_only} FROM {role};
"""
