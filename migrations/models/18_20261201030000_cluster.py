"""Several nodes over one database (docs/operations.md "The cluster").

- `deployment_versions`: the access policy version in force (`kind` 'policy'; the version
  covers the policy files and the program catalogue, whose `fields` are the programs' grants),
  set by `sijill policy publish` (as the owner: the service's role only reads the table), or,
  on a database where none is, by the first node with the policy gate on
  (`sijill_publish_first_policy`, with the owner's rights: it never replaces a version). A
  node with the gate on whose policy is another version does not serve.
- `sijill_check_policy_version(versions)`: raises SQLSTATE SJ001 when a version given is not
  the one in force. It takes the publication's advisory lock shared, then reads the version: a
  publication (which takes that lock exclusively) waits for the transactions that checked
  before it, and those after it see the new version. It runs in the transaction that writes a
  request's audit record, which is written before any answer leaves the node: the group append
  of reads (`sijill_append_audit`, redefined here to call it first) and a trigger on
  `audit_queue` (a mutation's record, in the mutation's transaction). So no answer decided
  under a policy that is no longer in force is given, even in the second before its node has
  noticed the change. Records chained from the queue are not checked again.
- `rate_buckets`: the callers' token buckets, shared by every node (api/http/ratelimit.py).
  UNLOGGED: a bucket is written on every request and is worth nothing after a crash (emptied,
  every caller starts with a full burst); no WAL, so its commit does not wait for the
  synchronous standby. `sijill_take_token(caller, rate, burst)` refills by the database's
  clock, takes one token if it can and answers 0 or the seconds to wait.
On SQLite (one process) the tables exist and the check is not made: nothing is published and
rate limits are the worker's."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

POSTGRES = r"""
CREATE TABLE IF NOT EXISTS "deployment_versions" (
    "kind" VARCHAR(16) NOT NULL PRIMARY KEY,
    "version" VARCHAR(32) NOT NULL,
    "published_at" TIMESTAMPTZ NOT NULL,
    "published_by" VARCHAR(200) NOT NULL
);

CREATE OR REPLACE FUNCTION sijill_check_policy_version(versions VARCHAR[]) RETURNS VOID
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    in_force VARCHAR;
    stale VARCHAR;
BEGIN
    PERFORM pg_advisory_xact_lock_shared(1362170273);  -- api.services.deployment.LOCK_KEY
    SELECT version INTO in_force FROM deployment_versions WHERE kind = 'policy';
    IF in_force IS NULL THEN
        RETURN;
    END IF;
    SELECT v INTO stale FROM unnest(versions) AS v WHERE v IS DISTINCT FROM in_force LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'access policy % is not the version in force (%)', stale, in_force
            USING ERRCODE = 'SJ001';
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION sijill_publish_first_policy(p_version VARCHAR, p_by VARCHAR)
RETURNS VARCHAR LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO deployment_versions (kind, version, published_at, published_by)
    VALUES ('policy', p_version, now(), p_by) ON CONFLICT (kind) DO NOTHING;
    RETURN (SELECT version FROM deployment_versions WHERE kind = 'policy');
END
$$;
REVOKE ALL ON FUNCTION sijill_publish_first_policy(VARCHAR, VARCHAR) FROM PUBLIC;

CREATE OR REPLACE FUNCTION sijill_check_queued_version() RETURNS TRIGGER
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM sijill_check_policy_version(ARRAY[NEW.policy_version]);
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS tg_audit_queue_version ON audit_queue;
CREATE TRIGGER tg_audit_queue_version BEFORE INSERT ON audit_queue
    FOR EACH ROW EXECUTE FUNCTION sijill_check_queued_version();

CREATE OR REPLACE FUNCTION sijill_append_audit(
    p_at TIMESTAMPTZ[], p_actor VARCHAR[], p_roles JSONB[], p_program VARCHAR[],
    p_purpose VARCHAR[], p_operation VARCHAR[], p_operation_type VARCHAR[], p_fields JSONB[],
    p_denied_fields JSONB[], p_subjects JSONB[], p_outcome VARCHAR[], p_error_code VARCHAR[],
    p_request_id VARCHAR[], p_policy_version VARCHAR[], p_head TEXT[], p_tail TEXT[],
    p_client_request_id VARCHAR[], p_client_address VARCHAR[], p_count INT[],
    p_catalogue_version VARCHAR[]
) RETURNS BIGINT
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    seq BIGINT;
    previous VARCHAR;
    digest VARCHAR;
    first BIGINT;
BEGIN
    PERFORM sijill_check_policy_version(p_policy_version);  -- before the chain's lock
    PERFORM pg_advisory_xact_lock(1362170272);  -- api.services.audit.ADVISORY_LOCK_KEY
    PERFORM sijill_sequence_audit();  -- queued records first (the lock is re-entrant)
    SELECT sequence, hash INTO seq, previous FROM audit_events ORDER BY sequence DESC LIMIT 1;
    IF seq IS NULL THEN
        seq := 0;
        previous := repeat('0', 64);
    END IF;
    first := seq + 1;
    FOR i IN 1 .. coalesce(array_length(p_at, 1), 0) LOOP
        seq := seq + 1;
        digest := encode(sha256(convert_to(previous || p_head[i] || seq::text || p_tail[i], 'UTF8')),
                         'hex');
        INSERT INTO audit_events (sequence, at, actor, roles, program, purpose, operation,
                                  operation_type, fields, denied_fields, subjects, outcome,
                                  error_code, request_id, policy_version, previous_hash, hash,
                                  client_request_id, client_address, count, catalogue_version)
        VALUES (seq, p_at[i], p_actor[i], p_roles[i], p_program[i], p_purpose[i], p_operation[i],
                p_operation_type[i], p_fields[i], p_denied_fields[i], p_subjects[i], p_outcome[i],
                p_error_code[i], p_request_id[i], p_policy_version[i], previous, digest,
                p_client_request_id[i], p_client_address[i], p_count[i],
                p_catalogue_version[i]);
        INSERT INTO audit_subjects (sequence, subject)
            SELECT seq, s FROM jsonb_array_elements_text(p_subjects[i]) AS s;
        previous := digest;
    END LOOP;
    RETURN first;
END
$$;

CREATE UNLOGGED TABLE IF NOT EXISTS "rate_buckets" (
    "caller" VARCHAR(200) NOT NULL PRIMARY KEY,
    "tokens" DOUBLE PRECISION NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "ok" BOOLEAN NOT NULL
) WITH (fillfactor = 70);

CREATE OR REPLACE FUNCTION sijill_take_token(p_caller VARCHAR, p_rate DOUBLE PRECISION,
                                             p_burst DOUBLE PRECISION)
RETURNS DOUBLE PRECISION LANGUAGE sql SET search_path = public, pg_temp AS $$
    INSERT INTO rate_buckets AS b (caller, tokens, at, ok)
    VALUES (p_caller, p_burst - 1, statement_timestamp(), true)
    ON CONFLICT (caller) DO UPDATE SET
        ok = least(p_burst, b.tokens + greatest(0, extract(epoch FROM statement_timestamp()
                                                            - b.at)) * p_rate) >= 1,
        tokens = least(p_burst, b.tokens + greatest(0, extract(epoch FROM statement_timestamp()
                                                                - b.at)) * p_rate)
                 - CASE WHEN least(p_burst, b.tokens + greatest(0, extract(
                        epoch FROM statement_timestamp() - b.at)) * p_rate) >= 1 THEN 1 ELSE 0 END,
        at = greatest(b.at, statement_timestamp())
    RETURNING CASE WHEN ok THEN 0 ELSE (1 - tokens) / p_rate END
$$;
"""

POSTGRES_DOWN = r"""
DROP FUNCTION IF EXISTS sijill_take_token(VARCHAR, DOUBLE PRECISION, DOUBLE PRECISION);
DROP TABLE IF EXISTS "rate_buckets";
DROP TRIGGER IF EXISTS tg_audit_queue_version ON audit_queue;
DROP FUNCTION IF EXISTS sijill_check_queued_version();
DROP FUNCTION IF EXISTS sijill_publish_first_policy(VARCHAR, VARCHAR);
DELETE FROM "deployment_versions";
"""

SQLITE = r"""
CREATE TABLE IF NOT EXISTS "deployment_versions" (
    "kind" VARCHAR(16) NOT NULL PRIMARY KEY,
    "version" VARCHAR(32) NOT NULL,
    "published_at" TIMESTAMP NOT NULL,
    "published_by" VARCHAR(200) NOT NULL
);
CREATE TABLE IF NOT EXISTS "rate_buckets" (
    "caller" VARCHAR(200) NOT NULL PRIMARY KEY,
    "tokens" REAL NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "ok" INT NOT NULL
);
"""

SQLITE_DOWN = r"""
DROP TABLE IF EXISTS "rate_buckets";
DROP TABLE IF EXISTS "deployment_versions";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return {"postgres": POSTGRES, "sqlite": SQLITE}[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    # the append function keeps its check (its older body lives in migration 8): with no
    # version published any more, it passes everything
    return {"postgres": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}[db.capabilities.dialect]


MODELS_STATE = (
    "eJztXW132zay/is4+lLnXNWNX+Jmnb17juO4rXedOGu7256t9lAQCYmoKUALkFZ0d/vfLwC+"
    "v5qUSZti8KWNSQxIPoAwg5lnBv8ZLamFHL5/5lnYvXhAxB2dgv+MCFwi8Y+Cu2MwgqtVfE9e"
    "cOHMUc2hbGcg2VDdgDPuMmjKPufQ4UhcshA3GV65mBIpcU0Q+JHBlf33K0BXiEF5Ywyg49A1"
    "ssbAQgQjC1AmOsAOsvbB2WqFiPUtJc7mFLg2AhYUz4ccAYbmHkfqwRY1xZMxWXT0jAn5+fOH"
    "s7uLMfhwcXVxdwEgscDdzc+fzsXFfTC1Iben4H/B7U9n3x6+OdlbMfSAqccNeQP8DzAhoQSb"
    "0AF/vb3+BOhcPYUhkzLr1b78Ao/gf3vIcOkCiVtMfMdv/xKXMbHQF/GN4s/fRgJZymRjjkRb"
    "YqKRaCIuu/7/mbzKXQNbo39J2dW9McfIsVIjHImKBuqu4W5W6s57vLgk7g9KQkI6M0zqeEuS"
    "lVptXJuSSAz7k2SBiEQaWYmxJ57jBFMlvOR/prjgMg9F32fFFyw0h54jZ5CU9t8jvjYyjE/X"
    "d8btxZ1hjHKzK5RITIbgkkmJnJlYzlOJxkK+wrd/Ojw8Ovr+8PXRyds3x99//+bt67eirXrf"
    "/K3v//BfJgbN70pBd/nj5ac7+UJUTH//tyEv/KFkxFzypdQwxkMB3fwgfBAQuniJiofBl8gM"
    "gBWI7If/2GY4wgvxeMQ/4GcYkAps7y4/XtzenX38LLtfcv5vR+EkfnfyzqG6uslc3Tt5lR6M"
    "qBPwy+XdT0D+Cf55/elCwUm5u2DqiXG7u3+O5DtBz6UGoWsDWklMwsvhJdE0MazhrzQ9suc2"
    "ZCWjGgpkBlYAtINDOVrCL4aDyMK1xZ8Hh68rxvYfZzfnP53d7IlWmQH7FNw69O/9kUKYUcdf"
    "9tMIy6W1GOFIIPvTwaYL/gsczLdaw/r7o5FQpH4vIZ57H89+zUJ9fnX9PvtDkB28z8C+YnTB"
    "4LLJ1E6IbDW5A6XQF8TTc/vosMbUPjosndnyVgZhj4lBKNDNFQjHIgNE+HWd1UO0Ksf4dW71"
    "iEzCJjCnhPQ6XW+djkDzodoG7khykJjXgrwC8SzgvpVpcOQgU4LSQEUGBqrWkU/Tkf7e0ojR"
    "rIt/TlAPwxOGgXuz38VPoNEIJGU0+E8An3quSZfN1vtYZIAL/dsa6/zb0mX+bXaVR4xRJsCz"
    "GkGclhqerXh4XAPlw+NSmOWtzDYz9qc1wDktNcDZfFIH6JNyoE9yQK+og82N8YAYb2iW5yUH"
    "CHgH+8yke7rZfj4jOEC425/fTVHW4DYA13QwIq6x3WJdKDw83dgZ6tCyhCFYYGY/CnlCUuNd"
    "A2/qkYJwUWnALmq/VbSub+D64brDg+Pvj98enRxHUbroSlVwLgzEJcCELnTowkPbmByFwsOb"
    "wu0YHTIMPb9PRD/lhRk079eQWUbuDj2kZW3zt5aHy+wVSOBCASe/UL5/ks/wdw95KB0ML7g9"
    "fpzv8G/ZUjV8lO5wBpaeqxyZ33CgpIOg/xisGXZdRAAmiguQaEfX4hKDhIuuxRWwxmJyeS5w"
    "4b0YP9l6lBnQrp4zIaYt5odo61Dz/p3qIKQCMLA35fh37DhGeMlQT56OwWffQ3ArCRjE2bwC"
    "S/qAOBBb/KV8GWtC/Lfj4q1cqrpVD5IvOYOuaSM+BpBzvCDyTcL+FetCGkdj9S8xPMgV3Qrx"
    "JbARQ/vgTr4zR+wBi9Yy6geWcKPeAVx+ur24uTsFAhoTEkIlQlDgIx5MFkiyQSxGVwACNbxW"
    "hJ98kut3G3448whXaKk3FzAiJiBieGG7XJJBRL9TJTd1IXbEPxnyvzHNAjE9d0IgEyu1lUJW"
    "zN7lTOILV/i74GP4dwrb/dXmNO7GWEHm8rr8kVJKSJHJVEUGKbSSChRLsL5pFohmgWgWiGaB"
    "tB1d1CwQzQLpwdzWLBDNAtHrtGaBaBZIfxHXLJCvchg0C0SzQPqz0GsWiGaBDGc2axbIzu8z"
    "deRcR86/Arx15FxHznd7oZYBxTzQd+hLyRQO2w9CC1YFhS5+vavet0QxoavrTz+GzbObmTTY"
    "MmTbBOywvQa7Jth94oTc+rv9URkpJLw/fpwVknQcPE4M+cXGph1wDPg3qt4EgCSgbqiCGuKm"
    "6zHiF6rwSQrWKZiM1jYFHK6BTT2ObOpY4NfJCGAOKMnzQrp5zIQE01NyJdgmVT8DOPjeZzv4"
    "ZUFqF7fgMdRxeQvNWeglZ6EvRUReWu8/42DkvJpNLK+EyCDUVNrgOq4TtDouj1kdv+4bVfEf"
    "iGHR3vpMcUWBpnSrGirqIRAwVhTXrtj0E12LWwxMVR/nkqY3lSQ8EPYW0/dOAYJC3ZjQccCC"
    "IqkrwJzRpWrhQO4C9WCwB4mVU1UdPWdC5piJK6aNzHvJFYRuovaS/CdDgLtYdCUfJm+pmk1C"
    "P9rQejUGkikYde735cvuT8gZYOKtFRMQAoIW0MUPCR7fEjLxyLV6hCL4rRFaASo+yCcOOpYk"
    "EwZMyPBD9rDLJ2QFOQ+ph+G7ihviIV9c8UBiiecKlSvauGMwNeSTEJtK/mQhaVB8R8hXnBD1"
    "fUEJKhsvbBR9Ung1eIDAYE5l1SzuUz8JWsu2IU6ynJb4M/xciUeRHSC2fE9lKPZF32jVr3OZ"
    "uvRVRQt0c1JoRlSzQ3vHDu2JgfEBmQ4MWEwFlkXydqVJYcUNG9R+DDx/UtHAeG/5DQecmph+"
    "K7QQoUtsgkTv++BaKcpAlCs6/T1aufs5G6KTJxTord9GUcdB5CP0aP5Lk+53QYuVeq9L8S93"
    "We/03rW1yID0ORvI8szGpMq85ABthYNaxMoKXmWOVqlgo6bprbZDPC06QMhrcVkrqKx5Jqtc"
    "9MXzG/NYs3Ia7Bpg+/OTmJsmSKeEBgjzQZ0tx0H5luMgT2+idFnAQrhdQscpVYaR0JBU4dHh"
    "9yeRFpR/VCnA249nV1d5LbgWX80MTj1W5Kwon7dZuSFO3ZM6Uze7KUtM3ZMcA1Ly2xk2sbsx"
    "lpS4tlOwVoj9DBZzuYQNWdxDdvPsd7EfdLWDI1GB/IeL80sxl/f+NPYZCWKXjF2UHJPj3NLs"
    "z9btIM/JarCrwV4JdNCWYOdkNdjVYM88FwrEZtR1HcTLUa9Wj+W9aH2ZxhtyjprlZ8QSz5+d"
    "Mfrz3CN+rYyZhx0XE74vn/eX0fPP7k5yNuBCKEPxBR6DjuFAYhm2UJCQFeVZVy481R09eRXq"
    "Gf+v5UXIwQ+Iu9S8N8QHFv06KqEvkNZ4V+Lte4K3irpkRAcYdRnJKjnXRKgvfxrsSBQmmLGV"
    "JTqiwZs18jFkxIa4VesiDTwbMUnD/fPPlx/KnWdJuQzenoetfSm9g6hXgOyTxP0fR3Laqy8t"
    "ICsV4JwH+QfKEF6Qv6GNgvpSvAws5kcEwcCfkn3tJrjx1XhVYHAdReRy80ug4BcWkzdvxBpz"
    "c3kuzNaXCtauHLpZIiLJXrw0ZJttNK4O3IbNwzyMmvHbOxsBaJqIc+Bn3EWxViT+sQFEPAss"
    "PUUJYg8I7E3vxdhPwTd+629eneYCtk/vckJShKf44/ZXm33wS1D8TpGfxLADWZLOI1bAwFp5"
    "M9FNWA9P1rh7KlNJvl4TZRK2b0eLvGxktxN33xYx3HK0dYZo00pE4vfB7a1M46zsAG3jHbGF"
    "SxlJxUPdzBrOyg3wd3VYq/7UYUX9qcPXfaKYXzh4gWdYbIw35yrhp8ioyDeqNCpQ3Nzws4ga"
    "kMLCEqySsbUSS7RfxZbwtVDTc8rkVb+CXK6abbJ8bchdZnLDnzU0unnMhCg+uQmFCSn52e/A"
    "NCQdT2Wu1AI/iE7g3A3sDb8ALphtfDI5QoqXFtaVHYePo0wYKLLv8J05mCFTjA94wBwLxDOl"
    "YWVHkuRdO9cqUZBP51qVrwK9oKq9EPc96/L7akbiRStd9lsRdmBgqmW40CNUOrVTMkMKqLXG"
    "xcSW2aiwSNh+gFO2fd6lrtc9yP3PyzpuevWbaZ/LqQzkJuhGAhreGvD6my+nyESk1EGQlLHf"
    "YrEMzjMht4NAV5l819dXqbXo/WW2PsnPH99fCGWQiRvn1StDkAdO87rzOSEywBl9XMtBclzh"
    "IDnOF+gOWFMGXDYs4JUX1JW8CphXCh3DwaTZIQpZuSexsHqG8XPTrVxb3CwJ1ToUlhWcSkpl"
    "4J9LsR1cT6oYPdc/v7+6AJ9vLs4vby+DUYhMR3UzvWDfXJxdZSuiU7b0HLhN0boC0eGVrOsm"
    "Vaqc7VGdKlXB9hgA1kd1AqNH5YHRo5M+hRIIo44jw+2johhCfHdcGTyI2tUMGpylErtjcVX/"
    "JPTivwPQBUuxBMuSZeDs/O7yHxfS7w/2IuFx2PZVPpe8o2c0dc+70PUUKuL30MxFX06pap9I"
    "9bh3OMGdVk+S/zl+CeL0I8yqcYUrXjuEO3cIx/O9LsKxxAABbvnMAIEVc7dic6QltS+z175M"
    "JCDcZpCTci0Mcc/MsIGNsOH7lJoslWmpAZrWXRwU51t+jXlRGbEB6qZOsgTUlxkP0PEKvNkV"
    "TpGMnHaL1HGLaP/T1+N/6hviL+uA0ulGOt1Ipxvl3Hk/IGR9hOx+VODMi+6Nq1x5koqqqhE3"
    "yCkKeLAzSu/vEVoJlE9jHq01BXtRWeeosrIi1r4ag+mKeUQ8Uegk6i1s0TZBPs5lGnXxoAnx"
    "VsClwLVxTOVVBSQXlCApKcByZGFWSk7/fH794eIvU1XYeRqs6NFF9XQLbhRBeUICz5HMS5Jv"
    "NOX4d1mkOrjMgex2Mx1HRaKlpKwQHSZQiWuKvywUiHghV3wzQPM5Mt3xhEAuOcaYiDGp65Us"
    "dT2q/zdQaGH7wWU8ndTRYSflOuzk9aMZT8VmcRUPuMwi3mmi5DPwgHsSX4k1YsGKnFKX5Uty"
    "pHGaB1fCZAdZOhc6gKEF5i5i++AjWs7EOqPWOZWxsBKLzTS4auPVVBbG55VBlTb6rhlMecBi"
    "TQ70rQyjjMFvI/m8iEWsYysvHlthaI5YcZ5DFa0qITQ4hdIBD5Mulx5pxsSMRQa47+zEh7XE"
    "wt7zmoAcSwwQ4zc1EH5Tiu+bHP+++cGpTz0xtd/4duL11nHYjtNIdqQC/UG3lnxrdNbQfNwq"
    "7pkTHmB8e8B1vLyVHJdtBj4tqUe9L6NeEAMP3r7wF98sMpsTHKK+Gl5stmfMg44jhj5mT4gb"
    "lnYwPNpH+/tkHzyx9V152ymWwg40pao/6iRvRQTngRG3MGBc5WPPSmpXeyNXe6bkRtJZ24Bl"
    "nRQboEI/qrPFL9/g5059SXq/mxhOZYU3hoBxHTJ7OZf9sDAtJwt5geHUlCVxE3W0Y2jXpUik"
    "5lkJP6Jo0WgB28+JrgaKbmatrIFvpN/aAFgV7xkwvFljoDG/J4d7dMJqxiIJpH/42w1yys7x"
    "Kz7UdSDQF9C0oxzC7bFKJy0OESrxbrJs4NNgisgHl/JLhwrVMmIdPBGumL4wJKiehfriT7Aq"
    "/ks0BWuQYIzE7K9ZnTTYxQOFfuZc6X0giYUErRF3JS9FVv2UpJVk7rCSeweoOmNacldGGdQ7"
    "esyESAqN5ATamLuUbfbBVD6FErlKToHkQHKAoGkDFzHJNBQjLN5p5qlDsUfjegSbLKM16fXQ"
    "RUX7WVS0uRNXp9bojI9+O23jpS2Pdnk9o7TU858p9zJTvJNyRon9Svm8f8yLmpUekjO1NbZD"
    "YJYK9ApLo1WfTpkTHhLEbRxKqatVJtfpOieOH5afOH6YO3H8CWG19gNqfQN/SBE1nYKpUzD7"
    "4KYY71IK5qWFhEHqImJubpBJWWHmT77RuMr5gePmxj3aNEnNxEw6HBAXA+W7JHz2lG+ngaXn"
    "+v9gSAwNsvxz1lRWjzytJPFcIJ6bTwfq5hEFTovfRuJTqdLGdIViT7gQ8X0UdTIdtcviJV0W"
    "0QDWZv2HAgO0yjrh96V+GXVRTgkNEOnjeqWtKypbZ2GWa04DgIPmA4T2oFbiykFF4spBPnGF"
    "yRR87ho25HYTmLNyA8T7pM5W7qR8K3eS28r5WrsxjSghNECY218xTIa2THBISw5wv7yjCQ5l"
    "aS09KTuQiFYX7D7SsezybUcmeF6n8kB0LGMsm4mEgjmjSzBV9UgNOXGnsvrKVJY29P/aU/UC"
    "1rL6ifyqwsrOXT1mm3Bp2KVfliB1uFl8S+9JerknYQHvI/wt1FeBabkBasG2zv9OpCSbNqWO"
    "fIMGSKeEng/mkQT07PPnq8vzsyBcvIuQC2PYsDCH/sG+BStN1fFSeeFnPGQqurKzp0zFqqfY"
    "6CuZ7ympKoNvB1eYKs6GMNhyhXutxvAlZZ4I3u6kahVh9wW72xSYTosNMNWw/Wio3tt9JXs7"
    "HRrtrKxYrQOlq7ZFgz1T+iVKJerIdMeR6fyEbwHfwWdmpX7jvYr5B9AXuNriQSl3s/nfVdfF"
    "RgAiLtuE1TdXdOU5YYA9rMA5lQfCT8Mcg5U3c7BZHMB/end1XGayALIRhc1Y/McMM9dOeM8S"
    "f6eaFtyM+tS+tX761uSkabL3CNsPrgxo+7XnTNxoVxc0b2U31yNcWz5bTdik2JK1aA1TKgTi"
    "ychCw7hocQdDA779Ce0v7SZiLp5jU4BibFVO+JFuOnJnvNxAtB+pJkr3w2JvcdWZACmxAYZD"
    "WqgtkkovU6ZN06MX0lIDRPltnQn9tnxCv81NaGUmNsU5JaRhrgFzPDMN2Ehp5gSH53PucFI3"
    "BDsrp7F+HGvuVyaoHa/2mw9w0agTnC6PTedC09mtfr34Xlrqqw6PWghuAWBa6msOka7Elzey"
    "CiKB4S2bHRzfCLlBpUPQsBF05K6MPgh4FkXHXz1GQintR/NRGvBR9IEFI31ggY7+6wML9Kjn"
    "Rz3ESB9YsK1PuIuExlSssJlH4dmz7kajZ8G5fZdvOjjbwJGgIa6CuEEmkC5X2YNylZ/9c5mv"
    "KL33CrOm0g3GlYwOv6nhqLYNk6cADM+IBpDfIwvAGfVcoG5YcHMaHBaNnQ0w4QqoKlAcWELD"
    "YGK6QSeFR7e23n9hoYagc/V8qFYIFdnXVRp2grWRGL3afpFYZICGzVGdyN9ReejvKBf7C34V"
    "tT12sEjNfl2+zpflEvVqPrZDvuhJnnJKp56reoaPad7zsOphXfXr10msqYQ/ZNRcM2WpKjCL"
    "hyGWV7+t9TwhE/I3tHLBTPGNwDRjbUwBp0IYusC0kXkvHq+6krqcoAfEQo1edQh7Totr7a21"
    "9y6ullp790B7JwjuTTN6irR4h8GH1zu/OvRHsfvnMBWr8+iMpkolrlrVU9zlI/F4fkKpLjPF"
    "WzVZSsP2g2Owt3J4XbnWakrP08y8BvwlYQA2qu4Vth8guAd1jIGDcmPgIGcM6GMYu6FKV6Sk"
    "6mMY6+ZL1jmG8YWsA5lCyG1knRG+Vjo5byRkmlTbCmFjA6rWDQok+wL+DtmGZIHAHInNuAxw"
    "gahbMKcsVVzMj9MIYSvexqsde27b38EzJnJquwjIzfwm7BHLWmiQe0x6EhZiVoi+9+AKf8cR"
    "e5DnZX0nn7m/2rzaB1EkABNAaPzICbEhl1cYXasnYRa++5w6Dl1zv6ra2lamlGyxAfKIqjjA"
    "7b+ugx9QhWshlasfbD+1g6E3W4gqU007GDp3MFRUwPj6yl+0RtdDDl5g+an5xaOKfpoUe0a2"
    "6cu4blokm/o1pBrFbBIiA1wnjmvVyj6uqJV9nK+VvaTEtZ2NAZfF50iVHyGVE9xq0egbp72F"
    "NaMn/rMbAfp7z7xHhQGxxN1Ku1gOnTFTDWuTUEzoOIh9w4FL7xEBvjTg4mcrrLvZJrA6iXiY"
    "b1/arrv6Tj7IwUvs+gbmz5+urn/88eID8PdXGRpKy0+YkM8+z/P271fvwJph1xW9UuJsZGdT"
    "jn/HjmO48F7aoeKB05plS8rdgur9GzkGI4nBuQYPa61rhxXr2mG4rpVbnWrcCpRJxXGnsYg+"
    "77TOeafNqeyDpbDvLmU9n6lA7xsavL6ANnWrTd2+WAm+C7PIQoicmxXWgWqj42s9UKJP95hX"
    "qU8dX+swvrZFGYanVmD4GiDeKn0ixRnYPnkiSVDYsaF4kdSJG/+8x83FF7HzKt6wpls8qpZk"
    "WwOpxjU3rj/RNXAgWyAVZgkDEmKTKc9+58CGDwgsGF2TUzCNq7QG+TZRbculML+A6TEWvGVq"
    "59r+IyYkuAsg2SRCPzIMY0NrH8hESrUfBmIwObLGcksre5HbXOSzPJdiZ8uTkaMJUW/J3vkR"
    "J/k8dTaO+BhvKZ4aEkATIvFJOkD06NriXTn+PzQh6RBSMCJqC/7ETfTL6qQe6f62EvrK1f8D"
    "dLwCrMvT/sP2OpDQN3Ofm5ShG6/E5I/uPrK+qnYG82rXHAairVxDAmcaCLqYnsp/yQNLZN/B"
    "iVsqNTRZB3talIr29A6fsPboEPJLhpDnlC09Bxql9UgqUrvzogM0oNsvxqN+UlvVq0hLamdf"
    "r519c0wCFlTjcc6ItjDQPYsNDmmccxqxyRpaKDy8imZHdcoVHpXXKzzKn6UXYsYNq7ByXJUJ"
    "USCss1p2LqvlFi+D0zE+YOZuRgVWeLZJpSnOo8aGFbWuYY7HnoIw3M2lvyrY7682YA05kBFv"
    "MgaKVRrwPfdcedytT+ws83K02vuExBP/1RiINc4P8YunLRbS2yDEEjVPxnFyLLHi9+CSqBp6"
    "PcRrTohAiHABkkDkFMQociCrT4mmlKOkuNpIJJ02ALscOXO9kej7D79qI9GDM9h6pgIrIN6F"
    "I9h6huZXrN5+EGsrP6vWb0GbugpuLpsbsPNo828j25+C6VLRS3Gx/KSoZdPJvmyTaq3X8nDM"
    "ai/h+vTMwqVbF1V/YqmCGWVNKiSHzXWkpOgAdH1yQicnJ+gzmp7njCYLmQhyVGQZVDEok2Ka"
    "R1k/ZUgV9m+IdSSjga4PtC6m1+FJhgw5TbANmg8R2jpa76Bc7R3k9B437eBnXdukiCQ0wDUA"
    "tjCHM1xsV1SrvJSgXovrr8WykoPXaDWOJYY4p1tfj9VnGSUUuIr8sYzclklkPfNodpxDthRL"
    "APKaTOZYYoCT+U2NufymdCq/Ka411cy4CCUGiG7Lm71VgvNfF9+kzAARbqHqXz8DG+9Hjwc2"
    "3jcMbMx0YEMHNnRgo5HNoQMbOrChAxu7BaUObOy+rasDGzqwMUSgdWBDBzZ20e+uAxs6sDG0"
    "tVgHNnRgoxdzWgc2dGBjp9DVgQ0d2NgysHErz4UYPR7c8NuNGwU4eCTzaILiLzY2bT9VEKvc"
    "PY8jsDeF0zGYzqYqaZBQgsAGua/G8jQJArAbZxUGyX9rsJRVkcK6RDifqtjRc2TSogC/i+TA"
    "J2cG7krU5Ym+1vJ4SiJtte5qlhAZXp77QR27styszGqLmYcdd4v6EUk5XTyiz8UjgnWuYCNc"
    "FRWOhXTZgp3L6/wFzWxK74sMg/BWpS2w9hvVrBb2i9CTKD6ySp5crY6o4uqoqJWnDrtK1xUM"
    "HyALC54GFb84EjNF2KBh4cQC7d/JcyZEHc4lfnZYfhEQaOAHebTVOwDnsnTAHGLHEz9IYWQQ"
    "9EUuei5aruT/p0COFwd0Ph8H53YFT1RCqnKBPOXr8FgWJ5C2BgfKw+Qgqwtro5xm0D7L4HGj"
    "Y/TnuUdUyQagniT/c/yX0fMv2Y/SDvTxVy94/JXHGnnCg+YDhPbwdd2jNSrP1sgXg0MmQ40M"
    "6FhigDAf1EL5oALkgzzGAi+JhzFrRGRISw0R61qlDQ8qahse5IsbrjwmVvFm/q1YZHg7wqNa"
    "E/qoYkIflU/o5jvDtKSuINnrzaEsqfXQ9IzEWOgZA6ShebmzAdLQ8N/iJ5UR1f6WPv+kosHy"
    "z7dsoqYKRLW6qqWuUjv7Zq6unKh2eDXJhEieKKf8IgWexlLskyKDgb012nngQzJ4cTj3kQLP"
    "WWGtNfqsNTKexaajXSCuLe/eDXi/wgMffEd3YVXjbJNxjXCBEXjOMaoZOLgmCARzFrg0dLwD"
    "CGbQNW15XEjo4Bd3I9d6/nSRJ/RTJwsz/Dzfh16ZfanrA79k6mV6oOqGRtJSOhEzS4VEnItl"
    "pOGhA2mpAXo2T+psYk7K9zAnuS1MsIJt5SDIymrd3zvdnz63hW29Xc3LDill95m3rLvpNhjc"
    "MATmWQPHQUJiSLi3l7GucmuM4gO3S1HNSA2opn9rwEbsoIYxk5ScziurHzZBjNFGh21HAtp1"
    "Xst1bnnMp/0vmyzAGSm9CPeLAXqGGDbtUYFnJ7gzrnLowLhNlwWunjeTYkd8KJ0lUmxx/OrA"
    "j119UyevUbQqZ9u9yeU2yh9VA4SD5gNEtxuaHSVuYTLQX2+vP5XsFGKRrFcEmy74L3Aw30Vl"
    "VQGuBCNlfYWY7n08+zUL9/nV9fusj0N28P6lldkf/w9bXBD8"
)
