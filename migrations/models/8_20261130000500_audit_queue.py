"""Audit appends without a lock held across a mutation: a mutation writes its record into
`audit_queue` in its own transaction, taking no lock, and after the commit a sequencer
(`sijill_sequence_audit`) moves every committed queued record into the chain at once, under the
chain's advisory lock: sequence, previous hash and hash assigned in order, events and subjects
inserted set-based, the queued rows deleted, in one short transaction. Records are durable when
queued; the chain stays gap-free because only the sequencer, one at a time, extends it.

The sequencer runs with the owner's rights (SECURITY DEFINER): the service role may only INSERT
into the queue (api/services/dbroles.py), so it can neither read back, change nor drop a queued
record. The group append of reads (`sijill_append_audit`) sequences the queue first, so a record
left queued by a worker that died between its commit and its sequencing is chained by the next
append of any worker. Nothing changes on SQLite, which serialises writers itself: the queue table
exists (the models declare it) and stays empty."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

POSTGRES = r"""
CREATE TABLE IF NOT EXISTS "audit_queue" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "at" TIMESTAMPTZ NOT NULL,
    "actor" VARCHAR(120) NOT NULL,
    "roles" JSONB NOT NULL,
    "program" VARCHAR(32),
    "purpose" VARCHAR(300),
    "operation" VARCHAR(120) NOT NULL,
    "operation_type" VARCHAR(12) NOT NULL,
    "fields" JSONB NOT NULL,
    "denied_fields" JSONB NOT NULL,
    "subjects" JSONB NOT NULL,
    "outcome" VARCHAR(8) NOT NULL,
    "error_code" VARCHAR(24),
    "request_id" VARCHAR(64) NOT NULL,
    "policy_version" VARCHAR(32) NOT NULL,
    "client_request_id" VARCHAR(64),
    "client_address" VARCHAR(64),
    "count" INT,
    "catalogue_version" VARCHAR(32),
    "head" TEXT NOT NULL,
    "tail" TEXT NOT NULL
);
COMMENT ON TABLE "audit_queue" IS 'A mutation''s audit record, written in the mutation''s own transaction without taking the';

-- Chain every committed queued record. With `p_upto` (a writer's own record, committed), return
-- as soon as that record is chained, by this call or by another's: a writer whose record another
-- sequencer is chaining does not queue up for the lock behind it, it polls its record.
CREATE OR REPLACE FUNCTION sijill_sequence_audit(p_upto BIGINT DEFAULT NULL) RETURNS BIGINT
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    seq BIGINT;
    previous VARCHAR;
    digest VARCHAR;
    pending RECORD;
    ids BIGINT[] := '{}';
    seqs BIGINT[] := '{}';
    prevs VARCHAR[] := '{}';
    digests VARCHAR[] := '{}';
BEGIN
    IF p_upto IS NULL THEN
        PERFORM pg_advisory_xact_lock(1362170272);  -- api.services.audit.ADVISORY_LOCK_KEY
    ELSE
        LOOP
            IF NOT EXISTS (SELECT 1 FROM audit_queue WHERE id = p_upto) THEN
                RETURN 0;  -- chained already (each statement sees what has committed since)
            END IF;
            EXIT WHEN pg_try_advisory_xact_lock(1362170272);
            PERFORM pg_sleep(0.0005);
        END LOOP;
    END IF;
    SELECT sequence, hash INTO seq, previous FROM audit_events ORDER BY sequence DESC LIMIT 1;
    IF seq IS NULL THEN
        seq := 0;
        previous := repeat('0', 64);
    END IF;
    FOR pending IN SELECT id, head, tail FROM audit_queue ORDER BY id LOOP
        seq := seq + 1;
        digest := encode(sha256(convert_to(
            previous || pending.head || seq::text || pending.tail, 'UTF8')), 'hex');
        ids := ids || pending.id;
        seqs := seqs || seq;
        prevs := prevs || previous;
        digests := digests || digest;
        previous := digest;
    END LOOP;
    IF cardinality(ids) = 0 THEN
        RETURN 0;
    END IF;
    INSERT INTO audit_events (sequence, at, actor, roles, program, purpose, operation,
                              operation_type, fields, denied_fields, subjects, outcome,
                              error_code, request_id, policy_version, previous_hash, hash,
                              client_request_id, client_address, count, catalogue_version)
    SELECT c.seq, q.at, q.actor, q.roles, q.program, q.purpose, q.operation, q.operation_type,
           q.fields, q.denied_fields, q.subjects, q.outcome, q.error_code, q.request_id,
           q.policy_version, c.previous, c.digest, q.client_request_id, q.client_address,
           q.count, q.catalogue_version
      FROM unnest(ids, seqs, prevs, digests) AS c(id, seq, previous, digest)
      JOIN audit_queue q ON q.id = c.id
     ORDER BY c.seq;
    INSERT INTO audit_subjects (sequence, subject)
    SELECT c.seq, s
      FROM unnest(ids, seqs) AS c(id, seq)
      JOIN audit_queue q ON q.id = c.id,
           jsonb_array_elements_text(q.subjects) AS s
     ORDER BY c.seq, s;
    DELETE FROM audit_queue WHERE id = ANY(ids);
    RETURN cardinality(ids);
END
$$;

CREATE OR REPLACE FUNCTION sijill_append_audit(
    p_at TIMESTAMPTZ[], p_actor VARCHAR[], p_roles JSONB[], p_program VARCHAR[],
    p_purpose VARCHAR[], p_operation VARCHAR[], p_operation_type VARCHAR[], p_fields JSONB[],
    p_denied_fields JSONB[], p_subjects JSONB[], p_outcome VARCHAR[], p_error_code VARCHAR[],
    p_request_id VARCHAR[], p_policy_version VARCHAR[], p_head TEXT[], p_tail TEXT[],
    p_client_request_id VARCHAR[], p_client_address VARCHAR[], p_count INT[],
    p_catalogue_version VARCHAR[]
) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
    seq BIGINT;
    previous VARCHAR;
    digest VARCHAR;
    first BIGINT;
BEGIN
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
"""

SQLITE = r"""
CREATE TABLE IF NOT EXISTS "audit_queue" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "actor" VARCHAR(120) NOT NULL,
    "roles" JSON NOT NULL,
    "program" VARCHAR(32),
    "purpose" VARCHAR(300),
    "operation" VARCHAR(120) NOT NULL,
    "operation_type" VARCHAR(12) NOT NULL,
    "fields" JSON NOT NULL,
    "denied_fields" JSON NOT NULL,
    "subjects" JSON NOT NULL,
    "outcome" VARCHAR(8) NOT NULL,
    "error_code" VARCHAR(24),
    "request_id" VARCHAR(64) NOT NULL,
    "policy_version" VARCHAR(32) NOT NULL,
    "client_request_id" VARCHAR(64),
    "client_address" VARCHAR(64),
    "count" INT,
    "catalogue_version" VARCHAR(32),
    "head" TEXT NOT NULL,
    "tail" TEXT NOT NULL
) /* A mutation's audit record, written in the mutation's own transaction without taking the */;
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return {"postgres": POSTGRES, "sqlite": SQLITE}[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    raise NotImplementedError("the audit log is never narrowed by a migration")


MODELS_STATE = (
    "eJztXW1T3Di2/iuq/jKkbg8bXsNm7r1VhDATdkjIApmd2mHKLWzRrcEteSQZQu2d/34l+f"
    "0Vu3FDt6IvVGPrSPYjWefonEdH/xnNqYd8vnkYelgc3yEiRm/Bf0YEzpH8UXN3DEYwCLJ7"
    "6oKA174uDlU5B6mC+ga85oJBV9V5A32O5CUPcZfhQGBKlMQZQeAnBoPZP08BDRCD6sYYQN"
    "+n98gbAw8RjDxAmawA+8jbBIdBgIj3PSX+w1sgZgh4ULYPOQIM3YQc6YY96sqWMZkuqY0r"
    "8uXz+8PL4zF4f3x6fHkMIPHA5fmXT0fy4iaYzCCfTcD/gIsPh99v7+1vBAzdYRpyR90A/w"
    "VcSCjBLvTBPy7OPgF6o1thyKXMe7Wp3iAk+M8QOYJOkbzF5Hv89ru8jImHvsp3lP/+NpLI"
    "UqYKcyTLEheNZBF5WYx+V2WDW+cGI98r9GhaVBbQdx3xEOg77/D0hIgftYSC8NpxqR/OSV"
    "kqeBAzSlIxHA2KKSIKWeTl+pqEvh8PjeRS9FrygmAhSt/Hyy546AaGvhoxSjp6juzayHE+"
    "nV06F8eXjjOqjKZEItf58SWXEjUSsRqXCo2peoTv/769vbPzZvv1zv7B3u6bN3sHrw9kWf"
    "281Vtv/ooeJgMtqkpDd/LTyadL9UBUDvfoW1AX/tIycuxEUrrbsq6AotoJ7yWEAs9RfTdE"
    "EqUO8GKRzeTHIt2RXMj6I/tgn6FDWrC9PPl4fHF5+PGzqn7O+Z++xkl+Z+rOtr76ULq6sf"
    "+q2BlpJeBfJ5cfgPoX/Pvs07GGk3IxZbrFrNzlv0fqmWAoqEPovQO9PCbJ5eSSLJrr1uSr"
    "LPbs0Qyyhl5NBEodKwFaw64czeFXx0dkKmby363t1y19+8vh+dGHw/MNWarUYZ/iW9vRvb"
    "8KCDPqR9N8EWE1ldYjnAqUPx3sCvB/wMd8oTlsdT8aBUXhe0nw3Ph4+GsZ6qPTs3flD0FV"
    "8K4Ee8DolMF5n6GdE1locMdKYVUQL47tne0OQ3tnu3Fkq1slhEMmO6FGN7cgnIkYiPDrLr"
    "OHLNWM8evK7JGagH1gLgjZebrbPJ2CFkG1CNyppJGYd4K8BfEy4JGV6XDkI1eB0kNFxgaq"
    "1ZFP05HRWtLJ0OyKf0XQdsMTuoGH13/IT6BXD+RlLPhPAJ+GwqXzfvN9JmLgRH/QYZ4/aJ"
    "zmD8qzPGKMMgme1wviopR5tuL2bgeUt3cbYVa3SstM5fTiwsE1irQZ56KUgaN5vwvQ+81A"
    "71eADqiP3QfnDjHe0yyvShoI+BLWmXl3dL/1fEnQQLiHH999Ubbg9gDX9TEiwllssq4VNk"
    "83Lg116HnSEKwxsx+FPCdp8e6ANw1JTbioMWCXll8oWrdq4Ebhuu2t3Te7Bzv7u2mULr3S"
    "FpxLAnE5MKGAPp2GaBGTo1bYvCE8jNGhwtA3t7nop7pwDd3be8g8p3KHbtOmstVb8+15+Q"
    "okcKqBU2+onj/PX/hniEJUDIbX3B4/zm/4U5XUBR+lNxyCeSi0I/M7DrR0HOQfg3uGhUAE"
    "YKJj/7ly9F5eYpBwWbW8Au6xHFyhAALeyv5TpUelDl1WO1fEncnxIcv61L39QVeQUAEY2J"
    "hw/Af2fSe55OiWJ2PwOfIQXCjCBfEfXoE5vUMcyCX+XD2Md0Wip+PyqQTV1eqG1ENeQ+HO"
    "EB8DyDmeEvUkSf2aZaGMo7H+JbsHCVmtFJ+DGWJoE1yqZ+aI3WFZWkX9wBw+6GcAJ58ujs"
    "8v3wIJjQsJoQohKPGRDZMpUuwPj9EAQKC710vxUy2JqNrkxVlIuEZLP7mEETEJEcPTmeCK"
    "/CHrnWi5iYDYlz8Zit6xyPpwQ3FFIJMztVdAVo7e+bXCFwb4b/HL8L9pbDeDh7dZNU4Ame"
    "Bd+SKNlJA6k6mNDFJrJdUolnh+sywQywKxLBDLAhk6umhZIJYFsgJj27JALAvEztOWBWJZ"
    "IKuLuGWBfJPdYFkglgWyOhO9ZYFYFog5o9myQNZ+nWkj5zZy/g3gbSPnNnK+3hO1CihWgb"
    "5EXxuGcFLeCC3YFhQ6/vWyfd2SxoROzz79lBQvL2aKYKuQbR+wk/IW7I5grxIn5CJa7Y+a"
    "SCHJ/fHjrJC84+BxYsi/ZtidxRwD/p3OLwEgiakbOoGGvClCRqLEFBFJwXsLrkb3Mwo4vA"
    "czGnI0o74Hfr0aAcwBJVVeyHKauSLx8FRcCfZQyJcBfHwbsR2iNCCdk1nwDOosnYXlLKwk"
    "Z2FVkoi8tN5/xs6oeDX7WF45ESPUVNHg2u0StNptjlntvl41quIviGFZ3vtMcUtCpmKpDi"
    "rqLhZwAoo7Z2j6QO/lLQYmuo4jRdObKBIeSGrL6HtvAYJS3bjQ98GUIqUrwA2jc13Ch1wA"
    "3TDYgMSrqKoltXNFbjCTV9wZcm8VVxCKXK4l9ZMhwAWWVanG1C2do0nqxxn0Xo2BYgqmlU"
    "d1RbKbV+QQMPnUmgkIAUFTKPBdjsc3h0w2ea+b0AS/e4QCQOULRcRB31NkwpgJmbzIBhb8"
    "igSQ84R6mDyrvCEb+Spkg8ST7UqVK8uIMZg4qiXEJoo/WUsalO+R8BWviH6/OOXUDE9nKH"
    "2l5GrcgMTghqosWTyifhJ0r8omOKn0WfLf5HUVHnV2gFzyPZWhuCr6xqp+u5dpmb6qdILu"
    "TwotiVp26MqxQ1fEwHiPXB/GLKYayyJ/u9Wk8LKCPXI9xp4/pWhgtrb8jgNOXUy/l1qI0D"
    "l2Qa72TXCmFWUsyjWd/hYFYrNiQyylhRq99dsorTiOfCQezd8t6X4dtFij97oR/2aX9Vqv"
    "XQeLDCifs4O80O1NqqxKGmgrbHUiVrbwKiu0Sg0bdd0wWAzxoqiBkHfisrZQWatMVjXpy/"
    "Z781jLchbsDmBH45O4D32QLggZCPNWlyXHVvOSY6tKb6J0XsNCuJhD329UhqmQSapwZ/vN"
    "fqoF1T9tCvDi4+HpaVUL3su3Zg6nIatzVjSP27KciUN3v8vQLS/KckN3v8KAVPx2hl0sHp"
    "w5JWLm18wVcj2D5VhuYEPW11BePEdVbMZVrWFPtCD//vjoRI7ljb+PI0aCXCVjgfJ9sluZ"
    "mqPRuhjkFVkLdjvYgUQHLQh2RdaC3Q72dSigROyaCuEj3ox6u3psrsXqyyLekHPUb39GJv"
    "H8uzNG/30TkihXxnWIfYEJ31Tt/e/o+Uf3UvZswKlUhvINQgZ9x4fEc2ZSQUJWt8+6deJp"
    "r+jJs9CK8f8GnoR8fIe4oO6tI1+w7utohb5G2uLdinfkCV4o6lISNTDqMlJZcs6IVF/RMF"
    "iTKEw8YltTdKSdd93Lx1ASM3Gptoxt4OWISRHuL19O3jc7z/JyJbzDEHubSnoNUW8BOSKJ"
    "Rx9HftjrN60hK9XgXAX5R8oQnpKf0YOG+kQ+DKznR8TBwA/5utYT3OxqNisweJ9G5CrjS6"
    "IQJRZTN8/lHHN+ciTN1pcJ1h4TRn1/3nAsX+7uuC1Ui9JyHSO1h4XAaSau+UUgTufyA4AC"
    "zOXYVJRgcHh0efLLMQhU3rJUeJyUfVWN1S6pjS5U41w+GvkFiFCjInu/H924ecoafqJ6PG"
    "SbW5voltSf3ZdYmDwyc41borIvkFpo1WatZW8lysZ7Z+5wKmEgwAPvyZdYMbHQQqIoaeA6"
    "Yk3WDY3srULgQUK4SCfn5Qbo4vVZla9jDzty4cv78SqKUgbubF1GIrbI8uu9Ci+JGaiblr"
    "IK12/m3EE/rIlP/+hT2EQ/LMqV4L5RgmsIeJsj8ezLu9Nj8Pn8+Ojk4iT2tadzlL5Z9C+e"
    "Hx+elrcSz+SU1LAUb4a6IGWB7gL0DWXz0IeLJCWoETVwLlkOF86686w775nBXW93XtYBNd"
    "68Qu80O/PSF+zvy0u296mdENAHDE0xF4htgo9IHTjA04MKaIAImMRXZziYqH2OvNWHN0Td"
    "HX13d1idNRF1r/LajcFvI9We7OrsonXlvagrj6EbxOq3bLYlzcsJDaOFX3avy5J1sDpPJS"
    "S9IM6JGGjmLGXJNMc+RmEfkDMJAzHe64DwXiO+e2V0F8iD99QEeKuN71KcLNbtv+TdWGuy"
    "oXBrWfAOvJswMR8XcrNXhA0MpxhMywoD1S+LdHxR0vb6qvR6TcglfvraL75fIKAiaKK+Mi"
    "8UsGKBriU7qCPMnuCmbqzAvCjj8OvkCDy59A3CxRRLbQU2gr866qSJ3A1JfV77tkwrZUmT"
    "9mw9c6rKkrO2B6kvL2agQt/pssRvXuBXzyjJeb/7GE6pkIEYd+FONlMn648vL0M+QFDuPK"
    "1ozdDuGpErjLOGcFzdpDEAtp9zVRmKbmmu7IBvqt+GAFgaokYP3rIx0DucXME9TZhXskhi"
    "6R9/Pkd+U1qm+hx9hkBfwwpMt6wsjlVxj4yJUMlnU7l+nwZTSj44UW9qKlTzlHXwRLgy+o"
    "JJUD0L9SUaYG38l3QIdiDBOLnR3y0DabKKBxr9UprQTXCZ5blWub1xnBI8t1VNy/2QZO+m"
    "97rtShrS4Zu5IopCo5KAzzAXVJ27MVGtUKJmyQm4RSjgUWZ0gdhcViF7WD7TdahznI7G3Q"
    "g2ZQJV3uthz+NY0XSmvZ24lsltCcar7bTNprYq2s3pgYpS9gDnJx1inq4ymsf9Y17UsrRJ"
    "ztTB2A6xWeo0HFXZnmysImwSxEPkGHOhNGj6zNipgInz9ODnYz8hrDZ8QG3VwDcpomZ3/N"
    "gdP6vgphiv046fEw9Jg1Qg4j6c6yO2RjWej2qhcZvzA2fFnVv00NH3cZk7vozLjopcEhF7"
    "KrLTwDwU0Q+GZNcgLz0zDHD5wCDXLpDtVrcDLaeJ2vNX5KtSrY1pgDJPuBSxJ7Csh8si7c"
    "DOrP9EwECrbCn8vsKX0RXlgpCBSA9zVmgeZjXn9AA4Lm4gtFudNq5stWxc2apuXGHqDEcu"
    "nL7HDpblDMR7+OMHI63dm0aUEzIQ5uFnDJehBTc4FCUNXC+v6QaHpm0tlVXeyyxCctHqmt"
    "VHMZbdvOwoBc+7ZB4IND3oOw4y2VIkNDpaeaLT3zlq4E6AoGCiMmlF/23ofAH3M/lHvVVt"
    "ItFlNbNIuDSpMkpLED1Z5ZZdk6zkmoTFvI/kW+iuAotyBmrB4U9v4u6MUl89QQ+kC0LPB/"
    "NIAXr4+fPpydFhHC5eR8ilMex4mMNr7GNRs2p5J7FFkDS4cSvCJfyvpfSyOiC98rxO3Hdn"
    "Z6cF8+LdSWlS+fTl47tj2Q2lwyaqUahM9dQbfQ3jvSDVZvCt4QzTxtmQBlslT6TXG768zB"
    "PBW5+tWnXYfcVikXymRTEDtxoOHw21a7tvZG1nQ6NLSyuW2wuUXz91XxYVxEziwzzDAslG"
    "pp87Ml0d8APga/zOrMI3vlIx/xj6Gldb1inNbrbovbq62AhARLCHJPtmQIPQTwLsSQbOCf"
    "ZcPkn2GAThtY/d+gD+06t73GVmfV8r6ftSndpnbZCUNy5N5/C54Vzca9UVFx9ktbVCuA58"
    "1I60GbGncsU6rpqwSag8/z3jlvUVmAb88AP6GjMxc1zEBL7BrgTFWSjd7yPVmOduGD6UTL"
    "RyhvXu3GbkS2IGxisGSP5R2P+lWI2O/q8HzEUpA1E+6DKgD5oH9EH17Gu4AM4FIQtzB5iz"
    "kenAXlqzImjeLL3EQd0T7LKcxfpxrHmUOqBzQDkqbuCk0SV63Bw8rsSOI2OtbwCuKPVNxy"
    "89BBcAsCj1LccwA/nmvayCVMC8aXMJx3lB7lDlsXNmCPpqWUbvJDzTGsQfZYk01mMJIz0I"
    "I/ZEgZE9UcCG5+2JArbXq72eYGRPFFjUKTzUjsMeWxxsHr4VyMP3mdEpg/NTSm/D2u0gxQ"
    "Lj1lB1VNTxddmeu0IABLE8gPwWeQBe01AAfcODD291dNmD2H8ALgyATm/DgSe/TExcEVdS"
    "eybl4PXX7kCPK9ftQz1N6JCo3X6+FuHuXO91Xk9mIgYqhJ0uEZOd5pDJTiVmEn8VnT0dsE"
    "7Xfls+opclYazUeBwmar0iGzALOvVIJ2p7TPMeJencuqrfKAFcRyX8vqTm+ilLnVpWNoZY"
    "Vf0OVvMVuSI/o0CAa03UAJOStTEBnEphKIA7Q+6tbF5XpXQ5QXeIJRq97XTpiha32ttq73"
    "WcLa32XgHtnWPu9t2qUKfFl+i0fb32s8PqKPbogJl6dZ4ePtOqxHWpboq7uSeeQLx25VP1"
    "mUqT8sZRfwc5latZa/WlNVlGUw/ehzQAe6UtSsobCO5WF2Ngq9kY2KoYA/Z8ueVQTFv22t"
    "nz5bpuBOtyvtzLWAcx9DW2QdYpzZZB9F7WLnh5u2AQMrm1C17ELliAdvtUxu23APFCYd/C"
    "WmfxoK+Bp3ouNeR7Lp9VWg3nYYMqSu8+oo50OYeFnTcnA1lWbSWecPwH9n0QVzF5q36pzE"
    "aq7jg1n+a65zfMT+pCu0+v0G5QXmGvTpuWtEdwPTspWH9SC/HmipIG8ubWlydXpUfeYIL5"
    "bKF+LokO0NErxrs3qZ8rGrHPHForbN7Oip0u26Z2mvdN7VSTbiaYccer3cHSZkLUCNso0d"
    "pFiQ4Rw+5sVGN8x3daDW+YlXkRN1DdPPGt2LxP3H7ScmJvfyvWcOt1b6+L+bq312y/qnvF"
    "uVd9VD0QjosbiO5SzmZRx4ujugNL247nTUXs2bw9z+Z9UWX21/8DoWSwug=="
)
