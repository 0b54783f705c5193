"""The copy of the register that simulations read (api/services/simulation_facts.py): one row
per current member of a household not closed, with what the rules read, in household and age
order, so that a simulation reads no join and sorts nothing.

- `simulation_facts_a` and `_b`: two copies, one in use (`simulation_facts_state.current`)
  while the other is rebuilt. UNLOGGED: they are not written to the WAL (a rebuild writes
  ~1.7 GB at seed scale) and are emptied by a crash; a simulation that finds the copy in use
  empty reads the register itself until the next rebuild.
- `simulation_dirty`: the households (and persons) written since the copy was taken, added by
  statement triggers on `memberships` (any write), `persons` (a change of what the rules read:
  the person, whose households the simulation reads in its own snapshot) and `households`
  (status, index, place), in the writing transaction: a simulation reads those households from
  the register, the others from the copy. The trigger functions run with the owner's rights:
  the service's role only reads these tables. Emptying `memberships`,
  `persons` or `households` (TRUNCATE) forgets the copy.
- `sijill_refresh_simulation_facts()`: rebuilds the copy not in use from one snapshot (the
  caller's REPEATABLE READ transaction), deletes the households written before that snapshot
  from `simulation_dirty`, and switches. It runs with the rights of the tables' owner
  (SECURITY DEFINER), so that the service's role, which may not truncate or create, can call
  it; PUBLIC may not. Every such function pins its search_path (`public, pg_temp`): a
  caller's temporary table cannot stand in for one of ours.
On SQLite the tables exist (the models describe them) and stay empty: simulations there are
evaluated by CEL."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

POSTGRES = r"""
CREATE UNLOGGED TABLE IF NOT EXISTS "simulation_facts_a" (
    "mid" BIGINT NOT NULL,
    "hid" UUID NOT NULL,
    "birth_date" DATE NOT NULL,
    "born" INT NOT NULL,
    "sex" VARCHAR(6) NOT NULL,
    "nationality" VARCHAR(2) NOT NULL,
    "deceased" BOOL NOT NULL,
    "cover" BOOL NOT NULL,
    "idcs" VARCHAR(10) NOT NULL,
    "rel" VARCHAR(16) NOT NULL,
    "school" VARCHAR(16) NOT NULL,
    "disability" BOOL NOT NULL,
    "status" VARCHAR(10) COLLATE "C" NOT NULL,
    "index_value" DOUBLE PRECISION,
    "milieu" VARCHAR(5) COLLATE "C" NOT NULL,
    "region" VARCHAR(2) COLLATE "C" NOT NULL,
    "province" VARCHAR(3) COLLATE "C" NOT NULL,
    CONSTRAINT "simulation_facts_a_pkey" PRIMARY KEY ("mid")
);
CREATE INDEX IF NOT EXISTS "idx_simulation_facts_a_order" ON "simulation_facts_a" ("hid", "birth_date", "mid");
COMMENT ON TABLE "simulation_facts_a" IS 'A copy of the register''s facts for simulations (api/services/simulation_facts.py)';
CREATE UNLOGGED TABLE IF NOT EXISTS "simulation_facts_b" (
    "mid" BIGINT NOT NULL,
    "hid" UUID NOT NULL,
    "birth_date" DATE NOT NULL,
    "born" INT NOT NULL,
    "sex" VARCHAR(6) NOT NULL,
    "nationality" VARCHAR(2) NOT NULL,
    "deceased" BOOL NOT NULL,
    "cover" BOOL NOT NULL,
    "idcs" VARCHAR(10) NOT NULL,
    "rel" VARCHAR(16) NOT NULL,
    "school" VARCHAR(16) NOT NULL,
    "disability" BOOL NOT NULL,
    "status" VARCHAR(10) COLLATE "C" NOT NULL,
    "index_value" DOUBLE PRECISION,
    "milieu" VARCHAR(5) COLLATE "C" NOT NULL,
    "region" VARCHAR(2) COLLATE "C" NOT NULL,
    "province" VARCHAR(3) COLLATE "C" NOT NULL,
    CONSTRAINT "simulation_facts_b_pkey" PRIMARY KEY ("mid")
);
CREATE INDEX IF NOT EXISTS "idx_simulation_facts_b_order" ON "simulation_facts_b" ("hid", "birth_date", "mid");
COMMENT ON TABLE "simulation_facts_b" IS 'A copy of the register''s facts for simulations (api/services/simulation_facts.py)';
CREATE TABLE IF NOT EXISTS "simulation_facts_state" (
    "id" INT NOT NULL PRIMARY KEY,
    "current" VARCHAR(1),
    "built_at" TIMESTAMPTZ,
    "members" BIGINT NOT NULL
);
COMMENT ON TABLE "simulation_facts_state" IS 'Which copy is in use (`a`, `b`, or none yet), when it was taken and how many members it';
INSERT INTO "simulation_facts_state" ("id", "current", "built_at", "members") VALUES (1, NULL, NULL, 0)
    ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS "simulation_dirty" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "household_id" UUID,
    "person_id" BIGINT
);
COMMENT ON TABLE "simulation_dirty" IS 'A household written since the copy was taken (added by triggers on memberships,';

CREATE OR REPLACE FUNCTION sijill_dirty_memberships() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO simulation_dirty (household_id) SELECT DISTINCT household_id FROM new_rows;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO simulation_dirty (household_id)
            SELECT household_id FROM new_rows UNION SELECT household_id FROM old_rows;
    ELSE
        INSERT INTO simulation_dirty (household_id) SELECT DISTINCT household_id FROM old_rows;
    END IF;
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS tg_memberships_dirty_insert ON memberships;
CREATE TRIGGER tg_memberships_dirty_insert AFTER INSERT ON memberships
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sijill_dirty_memberships();
DROP TRIGGER IF EXISTS tg_memberships_dirty_update ON memberships;
CREATE TRIGGER tg_memberships_dirty_update AFTER UPDATE ON memberships
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sijill_dirty_memberships();
DROP TRIGGER IF EXISTS tg_memberships_dirty_delete ON memberships;
CREATE TRIGGER tg_memberships_dirty_delete AFTER DELETE ON memberships
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sijill_dirty_memberships();

-- The person, not their households: which households they belong to is read in the
-- simulation's snapshot (a membership committed while this transaction is open is not seen
-- here).
CREATE OR REPLACE FUNCTION sijill_dirty_persons() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO simulation_dirty (person_id)
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
         WHERE (n.birth_date, n.sex, n.nationality, n.death_date, n.has_other_health_coverage,
                n.idcs)
               IS DISTINCT FROM (o.birth_date, o.sex, o.nationality, o.death_date,
                                 o.has_other_health_coverage, o.idcs);
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS tg_persons_dirty ON persons;
CREATE TRIGGER tg_persons_dirty AFTER UPDATE ON persons
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sijill_dirty_persons();

CREATE OR REPLACE FUNCTION sijill_dirty_households() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO simulation_dirty (household_id)
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
         WHERE (n.status, n.index_value, n.milieu, n.region_id, n.province_id)
               IS DISTINCT FROM (o.status, o.index_value, o.milieu, o.region_id, o.province_id);
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS tg_households_dirty ON households;
CREATE TRIGGER tg_households_dirty AFTER UPDATE ON households
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sijill_dirty_households();

-- A register emptied at once (TRUNCATE fires no row or statement trigger of UPDATE or
-- DELETE) leaves no copy to read: simulations read the register until the next refresh.
CREATE OR REPLACE FUNCTION sijill_forget_simulation_facts() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE simulation_facts_state SET current = NULL, built_at = NULL, members = 0 WHERE id = 1;
    DELETE FROM simulation_dirty;
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS tg_memberships_forget_copy ON memberships;
CREATE TRIGGER tg_memberships_forget_copy AFTER TRUNCATE ON memberships
    FOR EACH STATEMENT EXECUTE FUNCTION sijill_forget_simulation_facts();
DROP TRIGGER IF EXISTS tg_persons_forget_copy ON persons;
CREATE TRIGGER tg_persons_forget_copy AFTER TRUNCATE ON persons
    FOR EACH STATEMENT EXECUTE FUNCTION sijill_forget_simulation_facts();
DROP TRIGGER IF EXISTS tg_households_forget_copy ON households;
CREATE TRIGGER tg_households_forget_copy AFTER TRUNCATE ON households
    FOR EACH STATEMENT EXECUTE FUNCTION sijill_forget_simulation_facts();

-- Rebuilds the copy not in use, in the caller's REPEATABLE READ transaction: the copy and the
-- households it deletes from simulation_dirty are those of one snapshot; a write committed
-- after it keeps its households in simulation_dirty. Returns the members copied.
CREATE OR REPLACE FUNCTION sijill_refresh_simulation_facts() RETURNS BIGINT
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    target TEXT;
    copied BIGINT;
BEGIN
    IF current_setting('transaction_isolation') <> 'repeatable read' THEN
        RAISE EXCEPTION 'the simulation facts are copied in a REPEATABLE READ transaction'
            USING ERRCODE = '25000';
    END IF;
    IF NOT pg_try_advisory_xact_lock(hashtext('sijill_refresh_simulation_facts')) THEN
        RAISE EXCEPTION 'the simulation facts are being copied by another session'
            USING ERRCODE = '55P03';
    END IF;
    PERFORM set_config('work_mem', '256MB', true);
    PERFORM set_config('maintenance_work_mem', '256MB', true);
    -- a refresh committed after this transaction's snapshot: refused (40001) before any work
    SELECT CASE WHEN current = 'a' THEN 'b' ELSE 'a' END INTO target
      FROM simulation_facts_state WHERE id = 1 FOR UPDATE;
    target := 'simulation_facts_' || target;
    -- waits for the simulations still reading this copy (it was in use before the last switch)
    EXECUTE format('TRUNCATE %I', target);
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', target, target || '_pkey');
    EXECUTE format('DROP INDEX %I', 'idx_' || target || '_order');
    EXECUTE format($q$
        INSERT INTO %I (mid, hid, birth_date, born, sex, nationality, deceased, cover, idcs, rel,
                        school, disability, status, index_value, milieu, region, province)
        SELECT m.id, m.household_id, p.birth_date, CAST(to_char(p.birth_date, 'YYYYMMDD') AS INT),
               p.sex, p.nationality, p.death_date IS NOT NULL, p.has_other_health_coverage,
               p.idcs, m.relationship, m.schooling, m.has_disability, h.status, h.index_value,
               h.milieu, h.region_id, h.province_id
          FROM memberships m JOIN persons p ON p.id = m.person_id
          JOIN households h ON h.id = m.household_id
         WHERE m.end_date IS NULL AND h.status <> 'CLOSED'
         ORDER BY m.household_id, p.birth_date, m.id$q$, target);
    GET DIAGNOSTICS copied = ROW_COUNT;
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (mid)', target, target || '_pkey');
    EXECUTE format('CREATE INDEX %I ON %I (hid, birth_date, mid)', 'idx_' || target || '_order',
                   target);
    EXECUTE format('ANALYZE %I', target);
    DELETE FROM simulation_dirty;
    UPDATE simulation_facts_state SET current = right(target, 1), built_at = now(),
                                      members = copied
     WHERE id = 1;
    RETURN copied;
END
$$;
REVOKE EXECUTE ON FUNCTION sijill_refresh_simulation_facts() FROM PUBLIC;
"""

SQLITE = """
CREATE TABLE IF NOT EXISTS "simulation_facts_a" (
    "mid" BIGINT NOT NULL PRIMARY KEY,
    "hid" CHAR(36) NOT NULL,
    "birth_date" DATE NOT NULL,
    "born" INT NOT NULL,
    "sex" VARCHAR(6) NOT NULL,
    "nationality" VARCHAR(2) NOT NULL,
    "deceased" INT NOT NULL,
    "cover" INT NOT NULL,
    "idcs" VARCHAR(10) NOT NULL,
    "rel" VARCHAR(16) NOT NULL,
    "school" VARCHAR(16) NOT NULL,
    "disability" INT NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "index_value" REAL,
    "milieu" VARCHAR(5) NOT NULL,
    "region" VARCHAR(2) NOT NULL,
    "province" VARCHAR(3) NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_simulation_facts_a_order" ON "simulation_facts_a" ("hid", "birth_date", "mid");
CREATE TABLE IF NOT EXISTS "simulation_facts_b" (
    "mid" BIGINT NOT NULL PRIMARY KEY,
    "hid" CHAR(36) NOT NULL,
    "birth_date" DATE NOT NULL,
    "born" INT NOT NULL,
    "sex" VARCHAR(6) NOT NULL,
    "nationality" VARCHAR(2) NOT NULL,
    "deceased" INT NOT NULL,
    "cover" INT NOT NULL,
    "idcs" VARCHAR(10) NOT NULL,
    "rel" VARCHAR(16) NOT NULL,
    "school" VARCHAR(16) NOT NULL,
    "disability" INT NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "index_value" REAL,
    "milieu" VARCHAR(5) NOT NULL,
    "region" VARCHAR(2) NOT NULL,
    "province" VARCHAR(3) NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_simulation_facts_b_order" ON "simulation_facts_b" ("hid", "birth_date", "mid");
CREATE TABLE IF NOT EXISTS "simulation_facts_state" (
    "id" INT NOT NULL PRIMARY KEY,
    "current" VARCHAR(1),
    "built_at" TIMESTAMP,
    "members" BIGINT NOT NULL
);
INSERT OR IGNORE INTO "simulation_facts_state" ("id", "current", "built_at", "members")
    VALUES (1, NULL, NULL, 0);
CREATE TABLE IF NOT EXISTS "simulation_dirty" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "household_id" CHAR(36),
    "person_id" BIGINT
);
"""

POSTGRES_DOWN = r"""
DROP TRIGGER IF EXISTS tg_memberships_dirty_insert ON memberships;
DROP TRIGGER IF EXISTS tg_memberships_dirty_update ON memberships;
DROP TRIGGER IF EXISTS tg_memberships_dirty_delete ON memberships;
DROP TRIGGER IF EXISTS tg_persons_dirty ON persons;
DROP TRIGGER IF EXISTS tg_households_dirty ON households;
DROP TRIGGER IF EXISTS tg_memberships_forget_copy ON memberships;
DROP TRIGGER IF EXISTS tg_persons_forget_copy ON persons;
DROP TRIGGER IF EXISTS tg_households_forget_copy ON households;
DROP FUNCTION IF EXISTS sijill_forget_simulation_facts();
DROP FUNCTION IF EXISTS sijill_refresh_simulation_facts();
DROP FUNCTION IF EXISTS sijill_dirty_memberships();
DROP FUNCTION IF EXISTS sijill_dirty_persons();
DROP FUNCTION IF EXISTS sijill_dirty_households();
DROP TABLE IF EXISTS "simulation_dirty";
DROP TABLE IF EXISTS "simulation_facts_state";
DROP TABLE IF EXISTS "simulation_facts_a";
DROP TABLE IF EXISTS "simulation_facts_b";
"""

SQLITE_DOWN = """
DROP TABLE IF EXISTS "simulation_dirty";
DROP TABLE IF EXISTS "simulation_facts_state";
DROP TABLE IF EXISTS "simulation_facts_a";
DROP TABLE IF EXISTS "simulation_facts_b";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return {"postgres": POSTGRES, "sqlite": SQLITE}[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return {"postgres": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}[db.capabilities.dialect]


MODELS_STATE = (
    "eJztXW1z2za2/isYfakzV3Xjl7hZt3dnHMfdeteJs7bTdrbaoSASkrCmAC1AWtHd7X+/AP"
    "j+alCmbIrBl8QicQDyAYgDnPPgnP8MFtRBLt8/8x3sXTwg4g1OwX8GBC6Q+KPk7hAM4HKZ"
    "3JMXPDhxVXEoy1lIFlQ34IR7DNqyzil0ORKXHMRthpcepkRKXBME/sLgcv73K0CXiEF5Yw"
    "ig69IVcobAQQQjB1AmKsAucvbB2XKJiPMtJe76FHhzBBwo2occAYamPkeqYYfaomVMZltq"
    "Y0Q+f3p/dncxBO8vri7uLgAkDri7+fzxXFzcB+M55PMx+F9w+/PZt4dvTvaWDD1g6nNL3g"
    "D/A2xIKME2dMFfb68/AjpVrTBkU+a82pdv4BP8bx9ZHp0hcYuJ9/j9n+IyJg76It5R/Px9"
    "IJClTBbmSJQlNhqIIuKyF/zP5FXuWdgZ/FPKLu+tKUauk+nhWFQUUHctb71Ud97h2SXxfl"
    "ISEtKJZVPXX5C81HLtzSmJxXAwSGaISKSRk+p74rtuOFSiS8Frigse81H8fk5ywUFT6Lty"
    "BEnp4DmSawPL+nh9Z91e3FnWoDC6IonUYAgv2ZTIkYnlOJVozOQjfPunw8Ojo+8PXx+dvH"
    "1z/P33b96+fivKquct3vr+j+BhEtCCqhR0l3+5/HgnH4iK4R98G/LCH0pGjKVASnVj0hXQ"
    "K3bCewGhhxeovBsCiVwHOKHIfvTHJt0RXUj6I/mAn6FDarC9u/xwcXt39uGTrH7B+b9dhZ"
    "P47uSdQ3V1nbu6d/Iq2xlxJeDXy7ufgfwJ/nH98ULBSbk3Y6rFpNzdPwbymaDvUYvQlQWd"
    "NCbR5eiSKJrq1ugrzfbs+Ryyil6NBHIdKwDawa4cLOAXy0Vk5s3Fz4PD1zV9+8vZzfnPZz"
    "d7olSuwz6Gtw6De39kEGbUDab9LMJyai1HOBbIfzrY9sB/gYv5RnNYdz8aCUXme4nw3Ptw"
    "9lse6vOr63f5D0FW8C4H+5LRGYOLJkM7JbLR4A6VQlcQz47to0ONoX10WDmy5a0cwj4TnV"
    "Cim2sQTkR6iPBrndlDlKrG+HVh9oiXhE1gzgiZeVpvno5BC6DaBO5YspeYa0Feg3ge8GCV"
    "aXHkIluC0kBFhgtUoyOfpiODvaWVoKmLf0HQdMMTuoH7k3+JT6BRD6RlDPhPAJ/6nk0Xze"
    "b7RKSHE/1bjXn+beU0/zY/yyPGKBPgOY0gzkr1b614eKyB8uFxJczyVm6bmdjTGuCclerh"
    "aD7RAfqkGuiTAtBL6mJ7bT0gxhsuy4uSPQR8C/vMtHm62X4+J9hDuNsf301RNuA2ANd2MS"
    "KetdlkXSrcP924NdSh44iFYMky+1HIU5IGbw28qU9K3EWVDru4/Ebeuq6BG7jrDg+Ovz9+"
    "e3RyHHvp4it1zrnIEZcCE3rQpTMfbbLkKBXu3xBuZ9Eh3dDT+5T3U16YQPt+BZljFe7QQ1"
    "pVtnhrcbjIX4EEzhRw8g3l86f5DH/3kY+yzvCS28PH+Q7/liVVwUfpDmdg4XvKkPkNB0o6"
    "dPoPwYphz0MEYKK4AKlydCUuMUi4qFpcASssBpfvAQ/ei/6TpQe5Dt1WOyNiz8X4EGVdat"
    "//oCqIqAAM7I05/hd2XSu6ZKmWx0PwKbAQ3EoCBnHXr8CCPiAOxBZ/IR/GGZHg6bh4Ko+q"
    "alVD8iEn0LPniA8B5BzPiHySqH7FupCLo6H6S3QP8kS1QnwB5oihfXAnn5kj9oBFaen1Aw"
    "u4Vs8ALj/eXtzcnQIBjQ0JoRIhKPARDZMZkmwQh9ElgEB1rxPjJ1vygmqjF2c+4Qot9eQC"
    "RsQERAzP5h6XZBBR71jJjT2IXfEnQ8E7Zlkgtu+NCGRipnYyyIrRu5hIfOESfxe+DP9OYb"
    "u/XJ8m1VhLyDyuyx+ppISULZnqyCClq6QSxRLOb4YFYlgghgViWCBtexcNC8SwQDowtg0L"
    "xLBAzDxtWCCGBdJdxA0L5KvsBsMCMSyQ7kz0hgViWCD9Gc2GBbLz+0zjOTee868Ab+M5N5"
    "7z3Z6opUOxCPQd+lIxhKPyvdCCdU6hi9/u6vctsU/o6vrjX6Li+c1MFmzpsm0CdlTegK0J"
    "dpc4IbfBbn9QRQqJ7g8fZ4WkDQePE0N+nWN7HnIM+Dcq3gSAJKRuqIAa4qbnMxIEqghICs"
    "4pGA1Wcwo4XIE59TmaU9cBv40GAHNASZEXsp1mRiQcnpIrwdaZ+BnAxfcB2yEIC6Id3IIn"
    "UCfhLQxnoZOcha4EEXlpvf+MnVGwajZZeaVEeqGmsguuYx2n1XG1z+r4ddeoir8ghkV55x"
    "PFNQGasqU0VNRDKGAtKdaO2PQzXYlbDIxVHeeSpjeWJDwQ1ZbQ904BgkLd2NB1wYwiqSvA"
    "lNGFKuFC7gHVMNiDxCmoqi21MyJTzMQVe47se8kVhF4q9pL8kyHAPSyqko3JWypmk9CPc+"
    "i8GgLJFIwrD+oKZPdH5Aww8dSKCQgBQTPo4YcUj28BmWhypZpQBL8VQktAxQsFxEHXkWTC"
    "kAkZvcge9viILCHnEfUwelZxQzTyxRMNEke0K1SuKOMNwdiSLSE2lvzJUtKgeI+Irzgi6v"
    "3CEFRzPJuj+JWiq2EDAoMplVGzeED9JGgly0Y4yXBa4mf0uhKPsnWA2PI9laHYFX1jVL85"
    "y7RNW1U8QTcnheZEDTu0c+zQjiww3iPbhSGLqWRlkb5du6RwkoINYj+Glj+paGCyt/yGA0"
    "5tTL8VWojQBbZBqvZ9cK0UZSjKFZ3+Hi29/cIaYistlOit3wdxxaHnI7Jo/tOQ7ndBi1Va"
    "ryvxrzZZ7/TetTXPgLQ5W8jx7cakyqJkD9cKB1rEyhpeZYFWqWCjtu0vN0M8K9pDyLW4rD"
    "VU1iKTVU76ov3GPNa8nAFbA+xgfBJ73QTpjFAPYT7Q2XIcVG85Dor0JkoXJSyE2wV03Upl"
    "GAv1SRUeHX5/EmtB+aNOAd5+OLu6KmrBlXhrZnHqszJjRfW4zcv1ceie6Azd/KYsNXRPCg"
    "xIyW9n2Mbe2lpQ4s3dkrlC7GewGMsVbMjyGvKb56CK/bCqHeyJGuTfX5xfirG896dhwEgQ"
    "u2TsoXSfHBem5mC0bgZ5QdaAXQ/2UqCDNgS7IGvArgd74ntQIDahnuciXo16vXqsrsXoyy"
    "zekHPU7HxGIvH8pzMGP059EsTKmPjY9TDh+7K9Pw+ef3Rv5cwGnAllKN7AZ9C1XEgcay4U"
    "JGRl56xrJ576ip48C3WM/9fyJOTiB8Q9at9b4gXLvo5a6EukDd61eAeW4I28LjnRHnpdBj"
    "JKzjUR6isYBjvihQlHbG2IjrjzJo1sDDmxPm7VtnEMPO8xycL9+fPl+2rjWVouh7fvY2df"
    "Su8g6jUgByTx4ONID3v1piVkpRKciyD/RBnCM/I3tFZQX4qHgeX8iNAZ+HO6rt0EN7mazA"
    "oMrmKPXGF8CRSCwGLy5o2YY24uz8Wy9WWctRcunuEJFjpsfa64uYMSl22x0LDOcYuS4lZA"
    "+G3gv42ipUnn6hIxHgScI3yFGJhSJq8GwV4KgefSkeYimhGTujnXm1tqZkQU9cuGorclle"
    "oHMI74QWNJa56JZRMBcOqF5KwgVh2YrAPeF0LKhRyFgBtGzVHmICbrjp6ZgwmyRf+AB8yx"
    "QDwXxU1WJPlY2rToVOwcQ4uu1l+d8Cq/EE0tvzr/anriRYNSdU3fbT0qlZqGSxdvlUM7I9"
    "Mn21drtAns2I3OAEflezhk26dImNCavSFPprv1HpNGoQqi8j38ZtqnXagFchN0YwEDrwa8"
    "webLLVsiUuoiSKoc1YlYDueJkNtBoOuWfNfXV5m56N1l/ijx5w/vLoQyyJl4i+qVIchDfr"
    "LueE6J9HBEH2vF0jyuiaV5XIylGTo4LbhoGGujKGiCbpQ4SRU6lotJs3jHebknOUw7hvFz"
    "e0a9ubhZYVV1KayKDZGWysE/lWI7OJ/UOd+uP7+7ugCfbi7OL28vw16Il47qZnbCvrk4u8"
    "oHL6Vs4btwk/gyJaL9iy6zHVZztWOmntVc45jpAdZHOpTFo2rK4tFJhw6WXxBGXXeByg+U"
    "p+4Oa50HcTlNp8FZ5gxWIq6OKkdW/B8A9MBCTMEyugg4O7+7/OVC2v3BXiw8jMq+Kh772l"
    "IbTc3zHvR8hYr4HpqZ6Ku9n+37PB+3DqdoTqol+c/xS3CcHnGCDmtM8cYgvHWDcDLedRFO"
    "JHoIcMvhfQVWzNuIk5SVNLbMTtsykYBwk05Oy7XQxR1bhvWsh63AptRkqsxK9XBpvY2cLs"
    "HKrzGhLyfWQ920FUKfejPrAbp+iTW7xiiSkzNmER2ziLE/fT32p64h/rIGKMMMNsxgwwwu"
    "mPN+Qsj5ANn9oMSYF98b1pnyJBVVBQ7UtOTdJTzYCaX39wgtBcqnCY/WGYO9OAJjHARREW"
    "tfDcF4yXwiWhQ6ifqzuSibIh9nzHnbamhE/CVQ6aYxT+WUZkKUEiQlBViujKFGyemP59fv"
    "L/4cpnEOZ/T4omrdkZmlpwCOSGg5kmmy5ROFabEjYyIHstr1OE4lrSRlMMcoVJW4pvjLQo"
    "GIB/LEOwM0nSLbG44I5JJjjInokycnelb/N1BoUfl2tNjL0lKzkft0dNhJtQ47CXVYTYCp"
    "8mVxHQ+4akW800TJZ+ABd8S/kmjEkhk5oy6rp+RY4zR3rkSHHWSUO+gChmaYe4jtgw9IJp"
    "PncRJ6uhSTzTi8OsfLsYxhy2udKm3UrelMecBiTg71rXSjDMHvA9lezCI2vpUX960wNEWs"
    "/JxDHa0qJdQ7hbIFHiZdLHzSjImZiPRw37kVG9YCi/We3wTkRKKHGL/RQPhNJb5vCvz75j"
    "nOnprcrNv4bsXqbfywWz5GsiPBYg+2u5Jvjc4aLR838nsWhHvo3+5xyA1/Kftlk47PSppe"
    "70qvl/jAw6cv/eKbeWYLgn3UV/3zzXaMebBlj2GA2RP8hpUV9I/20f4+OQBPbH2X/maKpb"
    "QCQ6nqjjopriLC1B2kPGd5nY09L2lM7Y1M7bmQG2ljbQOWdVqshwr9SGeLX73BLwRoT1u/"
    "myycqgJv9AFjHTJ7NZf9sPRYTh7ykoVTU5bETVzRjqGtS5HIjLMKfkTZpNECtp9SVfUU3d"
    "xcqYFvrN/aAFgF7+kxvPnFQGN+TwH3OBlabkUSSv/0txvkVqXcKc+/1hPoS2ja8RnCzbHK"
    "HlrsI1Ti2WTYwKfBFJMPLuWb9hWqRcw6eCJcCX2hT1A9C/UlGGB1/Jd4CGqQYKzU6NeMTh"
    "ru4oFCP5cCch/cJTmMZd5mHKZ7Tp0dVnI/RJmZ6apITtxOMyMiKTSSEzjH3KNsvQ/GshVK"
    "5Cw5BpIDyYOs1x5ikmkoelg808RX+SsHQz2CTZ7RmrZ6mKCi3Qwq2tyIa47WmBMf3TbaJl"
    "NbEe3qeEZZqedP//IyQ3wr4YxS+5Xqcf+YFTUv3Sdjamtsh3BZKtArDY1Wn0iqINwniNvI"
    "H2WiVabnaZ3koIfVyUEPC8lBn+BWa9+h1jXw++RRM0cwzRHMLpgphrt0BPPSQWJB6iFir2"
    "+QTVnpyZ9ioWGd8QMnxa17tG5yNBMzaXBAXHRUYJII2FPBOg0sfC/4gyHRNcgBK+zNg1M9"
    "MltJql0g2i0eB9pOEyVGi98H4lWp0sZ0iRJLuBAJbBQ6Jx2NyeIlTRZxB2qz/iOBHq7Kts"
    "Lvy3wZuihnhHqI9LFeaOuayNZ5mOWc0wDgsHgPoT3QOrhyUHNw5aB4cIXJI/jcs+aQz5vA"
    "nJfrId4nOlu5k+qt3ElhKxdo7cY0opRQD2Fuf8awGdrwgENWsof75R094FB1rKUjYQdS3u"
    "qS3UfWl1297cg5z3UiD8RpGRPZnCcUTBldgLGKR2rJgTuW0VfGMrRh8GtPxQtYyegn8q1K"
    "Iztvq5lN3KVRlUFYgkxys+SW2ZN0ck/CQt5H9C3oq8CsXA+14IFOmPuD6jD3ByeFI8n2nF"
    "JXPkEDpDNCzwfzQAJ69unT1eX5Wegu3kXIxWLYcjCHQWLfkpmmLr1UUfgZk0zFV3Y2y1Si"
    "esoXfRXjPSNVt+DbwRmmjrMhFmyFwL1OY/jSMk8Eb3eOapVh9wV7mwSYzor18Khh+95Qs7"
    "f7SvZ2xjW6tbBiWgml67ZFvc0p/RKhEo1nesue6eKAbwHf3p/MynzjnfL5h9CXmNqSTqk2"
    "swXvpWtiIwARj62j6JtLuvTdyMEeReAcy4Tw4+iMwdKfuNgud+A/vTodk5kMgGzFbjOW/J"
    "hg5s1T1rPU70zRkptxnca21k3bmhw0TfYeUfnehQFtP/acjRvt6sLirezmOoRry7nVxJoU"
    "OzIWrWVLhUB86Vlo6Bctr6BvwLc/oIOp3UbMw1NsC1CsjcIJP1LNlswZL9cR7XuqidL9sN"
    "xaXJcTICPWQ3dIC7FFMsfL1NKmaeqFrFQPUX6rM6DfVg/ot4UBrZaJTXHOCBmYNWBORqYF"
    "GynNgmD/bM5bHNQNwc7LGawfx5oHkQm0/dVB8R5OGjrO6WrfdME1nd/q6/n3slJftXvUQX"
    "ADALNSX7OLdCnevNGqIBbo37S5hfSNkFtUGgStOYKu3JXRBwHPrCz91WMklMp6DB+lAR/F"
    "JCwYmIQFxvtvEhaYXi/2eoSRSViwqU14GwcaM77CZhaFZz91Nxg8C87tm3yzztkGhgQDcR"
    "3EDU4CmXCVHQhX+SnIy3xF6b1femoqW2BYy+gIilquKtvw8BSAUY5oAPk9cgCcUN8D6oYD"
    "16dhsmjsroENl0BFgeLAERoGE9sLKylN3dp6/aWBGsLKVftQzRDKs2+iNOwEayPVe9p2kU"
    "SkhwubIx3P31G16++o4PsLvwptix0sU7Nfl63zZblEnRqP7ZAvOnJOOaNTz1U8w8c073kU"
    "9VBX/QZxEjWV8PucmmumLFUEZtEYYkX121rNIzIif0NLD0wU3wiMc6uNMeBUCEMP2HNk34"
    "vmVVVSlxP0gFik0euSsBe0uNHeRnvv4mxptHcHtHeK4N70RE+ZFt+i8+H1zs8O3VHsQR6m"
    "cnUe52iqVeKqlJ7iru6Jx88nVOoyWzxVk6k0Kt87BnsryeuqtVZTep5h5jXgL4kFYKPoXl"
    "H5HoJ7oLMYOKheDBwUFgMmDeN2qNI1R1JNGkbd85I6aRhfaHUgjxDyOXLOCF8pnVxcJOSK"
    "1K8VosIWVKUbBEgOBIId8hySGQJTJDbj0sEF4mrBlLJMcLHATyOEnWQbr3bshW3/FtoYya"
    "HtISA38+uoRixjoUHuM2lJmIlRIereg0v8HUfsQebL+k62ub9cv9oHsScAE0Bo0uSIzCGX"
    "VxhdqZYwi559Sl2XrngQVW01V0spWWINZIqqxMEdPK6LH1CNaSFzVj/cfhoDQ2e2EHVLNW"
    "Ng2LqBoSYCxtcX/qI1uh5y8QzLVy1OHnX007TYM7JNX8Z00yLZNIgh1chnkxLp4TxxrBUr"
    "+7gmVvZxMVb2ghJv7q4tuCjPI1WdQqoguNGk0TVOewtzRkfsZ+HmpGRhnGxbqtfDwcrfWM"
    "5e3nLWyrFhYzl7EcvZBgcsn3q28muAeCNiZMYbsDktMu162LGueBFS5E2QyWl98cVD5dyM"
    "XIlH1ZIsayFVWNNK8zNdAReyGVIGlMjU8A1XWV05mMMHBGaMrsgpGCfx10ImbRy1akG5B2"
    "yfsfApM0aa9psYkfAugGSdMupIA8scOvtAHpFQFhwgOpMjZwgma1XLiolFdcDfWMB7xNM2"
    "oRFRT8l+CGxJsj0V9V68jL8QrUbUDpjJKx4/iSfExLNy/H9oRLLGobBHlH2ownCjq/tfVi"
    "d1SPe3RdVvnAW8+kBfRQ7wr9dE0JnlPrcpQzd+xZI/vvvI/KrKWczXjiYIRFk5h4w5/hd2"
    "XRBWMT6Vf8lQ5LLuMJeGOvSRjnA5LiOZP73CJ8w9xjj8ksbhksT3ukqgRLSHC+j2j9mrT2"
    "qjk6hZyR6eRN3dk6fFA8dTTEL/ZuN+zom20NEds/r1qZ8LGrHJHFoq3L9YJUc6gYiOqiMR"
    "HRWz5ESYccspjQlTt4QoETZ81Z3jq97iRRj3+j1m3npQsgrPF6ldivO4sOXEpTWW44mlQN"
    "oBxJ5c7NaJjcL9/nINVpADD94jMgSKLxIyOfY8mcguoGxUWTlarX1EkoH/agjEHIccZcJg"
    "eDaT1gaZ+js5zTxMjr0QJ3kOLikokdVDPOaICIQIFyAJRE5BgiIHMq6EKEo5SourjUTaaA"
    "Owx5E7NRuJrn/4dRuJDmRX6ZgKrIF4F5KrdAzNr1i9/STmVn5Wr9/CMroKbiqLW3Dr3ubf"
    "B/NgCGaDQC7ExeocEIumg33RJonKzOVRn2lP4SYvVunUbcKlPvEQ4oSyJrEPo+LGU1KW2t"
    "TERN5KTGSTfeF5si84yEaQo7KVQR0ZOC1myMD6ZGAVsrch1rGMAVofaBMmZ4s5ihhym2Ab"
    "Fu8jtK2nqef2PPystZcUsYQBWANgB3M4weXrinqVlxE0c7H+XCzPaPqNZuNEoo9juvX5WL"
    "2WVUGB+8mlsMpUn5XLYT2Vgrtn0azbC19/fnd1AT7dXJxf3l5ef1TjO/Z6q5vZsXxzcXaV"
    "P2gkpgDkNxnMiUQPB/MbjbH8pnIovymPItFscRFJ9BDdljd7yxTnXxfftEwPEW4hnk83HR"
    "vvBo87Nt41dGxMjGPDODaMY6PRmsM4Noxjwzg2dgtK49jY/bWucWwYx0YfgTaODePY2EW7"
    "u3FsGMdG3+Zi49gwjo1OjGnj2DCOjZ1C1zg2jGNjQ8fGrYz4PHjcuRGUGzZycPBY5tEDir"
    "/OsT0PjgpidXbP5wjsjeF4CMaTsTo0SChBYI28V0MZJ5oA7CWnCsPDfyuwkFGRorhEuHhU"
    "cUvtyEOLAvxtHA588snAXfG6PNHWWu1PSR1b1Z3NUiL9O+d+oLOurF5W5rXFxMeut0H8iL"
    "ScCR7R5eAR4TxXshGu8wonQiZswc6d6/wVTeaU3pctDKJbtWuBVVBIM1rYr0JPoiQZhcxJ"
    "qZJPcJUEYumrNBbZuIJRAzKw4GkY8YsjMVLEGjQKnFii/bfSzoiotBvis8PyjYBAAz/IpB"
    "U/ADiVoQOmELu++CDFIoOgL3LS89BiKf8fA9lfHNDpdBhm5AhbVEIqcoHM33F4LIMTyLWG"
    "ypgtYXa2sdqophm0zzJ4fNEx+HHqExWyAaiW5D/Hfx48/5T9KO3AJLZ4wcQWPmtkCQ+L9x"
    "Daw9dayQBksZpQcMV0ABzZDDVaQCcSPYT5QAvlgxqQD4oYC7wkHtakEZEhK9VHrLVCGx7U"
    "xDY8KAY3XPpMzOLN7FuJSP92hEdaA/qoZkAfVQ/o5jvDrKSJINnpzaEMqfXQNPtRIvSMDt"
    "JoebmzDtJo4b/BJ5UTNfaWLn9ScWcFmauaqKkSUaOutNRVZmffzNRVEDUGryYnIVK6JLCL"
    "lFgaK7FPi/QG9tZo56ENyeLl7txHAjznhY3W6LLWyFkWm/Z2ibhZeXeuw7vlHngfGLpLox"
    "rniww13AVWaDnHSNNxcE0QCMcs8GhkeAcQTKBnz2W6kMjAL+7GpvVidpEn1KNzCjN6vcCG"
    "Xnv60sQHfsmjl9mO0nWNZKXMQcw8FRJxLqaRhkkHslI9tGye6GxiTqr3MCeFLUw4g21kIM"
    "jLGt3fOd2fzdvCNt6uFmX7dGT3mbesu2k26F03hMuzBoaDlESfcG/vxLo6W2OVJ9yuRDUn"
    "1aOY/q0BG7ODGvpMMnLmXJm+2wQxRhsl244FjOlcy3Tu+Cyg/S+aTMA5KTMJd4sBeoYYtu"
    "eDEstOeGdYZ9CBSZltBrh63pMUO2JD2dpBig3Sr/Y87eobnXONolQ12+5N4Wyj/KgaIBwW"
    "7yG626HZUeKVHgb66+31x4qdQiKSt4pg2wP/BS7mu6isasCVYGRWXxGmex/OfsvDfX51/S"
    "5v45AVvHtpZfbH/wPcv7yp"
)
