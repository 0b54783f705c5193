"""The copy of the register that simulations read (api/services/simulation_facts.py): one row
per current member of a household not closed, with what the rules read, in household and age
order, so that a simulation reads no join and sorts nothing.

- `simulation_facts_a` and `_b`: two copies, one in use (`simulation_facts_state.current`)
  while the other is rebuilt. UNLOGGED: they are not written to the WAL (a rebuild writes
  ~1.7 GB at seed scale) and are emptied by a crash; a simulation that finds the copy in use
  empty reads the register itself until the next rebuild.
- `simulation_dirty`: the households written since the copy was taken, added by statement
  triggers on `memberships` (any write), `persons` (a change of what the rules read) and
  `households` (status, index, place), in the writing transaction: a simulation reads those
  households from the register, the others from the copy. Emptying `memberships`,
  `persons` or `households` (TRUNCATE) forgets the copy.
- `sijill_refresh_simulation_facts()`: rebuilds the copy not in use from one snapshot (the
  caller's REPEATABLE READ transaction), deletes the households written before that snapshot
  from `simulation_dirty`, and switches. It runs with the rights of the tables' owner
  (SECURITY DEFINER), so that the service's role, which may not truncate or create, can call
  it; PUBLIC may not.
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
    "household_id" UUID NOT NULL
);
COMMENT ON TABLE "simulation_dirty" IS 'A household written since the copy was taken (added by triggers on memberships,';

CREATE OR REPLACE FUNCTION sijill_dirty_memberships() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE OR REPLACE FUNCTION sijill_dirty_persons() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO simulation_dirty (household_id)
        SELECT DISTINCT m.household_id
          FROM new_rows n JOIN old_rows o ON o.id = n.id
          JOIN memberships m ON m.person_id = n.id AND m.end_date IS NULL
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

CREATE OR REPLACE FUNCTION sijill_dirty_households() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE OR REPLACE FUNCTION sijill_forget_simulation_facts() RETURNS trigger LANGUAGE plpgsql AS $$
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
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
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
    SELECT CASE WHEN current = 'a' THEN 'b' ELSE 'a' END INTO target
      FROM simulation_facts_state WHERE id = 1;
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
    "household_id" CHAR(36) NOT NULL
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
    "j+akKmbIrBl8QicQDyAYgDnPPgnP8MFtRBLt8/8x3sXTwg4g1OwX8GBC6Q+KPk7hAM4HKZ"
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
    "9lse6vOr63f5D0FW8C4H+5LRGYMLnaGdEtlocIdKoSuIZ8f20WGDoX10WDmy5a0cwj4TnV"
    "Cim2sQTkR6iPDrJrOHKFWN8evC7BEvCXVgzgiZebrZPB2DFkC1CdyxZC8xbwR5DeJ5wINV"
    "psWRi2wJioaKDBeoRkc+TUcGe0srQbMp/gVB0w1P6AbuT/4lPgGtHkjLGPCfAD71PZsu9O"
    "b7RKSHE/3bBvP828pp/m1+lkeMUSbAc7Qgzkr1b614eNwA5cPjSpjlrdw2M7GnaeCclerh"
    "aD5pAvRJNdAnBaCX1MX22npAjGsuy4uSPQR8C/vMtHlabz+fE+wh3O2Pb12UDbga4NouRs"
    "SzNpusS4X7pxu3hjp0HLEQLFlmPwp5StLg3QBv6pMSd1Glwy4uv5G3rmvgBu66w4Pj74/f"
    "Hp0cx166+Eqdcy5yxKXAhB506cxHmyw5SoX7N4TbWXRIN/T0PuX9lBcm0L5fQeZYhTv0kF"
    "aVLd5aHC7yVyCBMwWcfEP5/Gk+w9995KOsM7zk9vBxvsO/ZUlV8FG6wxlY+J4yZH7DgZIO"
    "nf5DsGLY8xABmCguQKocXYlLDBIuqhZXwAqLweV7wIP3ov9k6UGuQ7fVzojYczE+RFmX2v"
    "c/qAoiKgADe2OO/4Vd14ouWarl8RB8CiwEt5KAQdz1K7CgD4gDscVfyIdxRiR4Oi6eyqOq"
    "WtWQfMgJ9Ow54kMAOcczIp8kql+xLuTiaKj+Et2DPFGtEF+AOWJoH9zJZ+aIPWBRWnr9wA"
    "Ku1TOAy4+3Fzd3p0BAY0NCqEQICnxEw2SGJBvEYXQJIFDd68T4yZa8oNroxZlPuEJLPbmA"
    "ETEBEcOzucclGUTUO1ZyYw9iV/zJUPCOWRaI7XsjApmYqZ0MsmL0LiYSX7jE34Uvw79T2O"
    "4v16dJNdYSMo835Y9UUkLKlkx1ZJDSVVKJYgnnN8MCMSwQwwIxLJC2vYuGBWJYIB0Y24YF"
    "YlggZp42LBDDAuku4oYF8lV2g2GBGBZIdyZ6wwIxLJD+jGbDAtn5fabxnBvP+VeAt/GcG8"
    "/5bk/U0qFYBPoOfakYwlH5XmjBOqfQxW939fuW2Cd0df3xL1Hx/GYmC7Z02eqAHZU3YDcE"
    "u0uckNtgtz+oIoVE94ePs0LShoPHiSG/zrE9DzkG/BsVbwJAElI3VEANcdPzGQkCVQQkBe"
    "cUjAarOQUcrsCc+hzNqeuA30YDgDmgpMgL2U4zIxIOT8mVYOtM/Azg4vuA7RCEBWkc3IIn"
    "UCfhLQxnoZOcha4EEXlpvf+MnVGwauqsvFIivVBT2QXXcROn1XG1z+r4ddeoir8ghkV55x"
    "PFNQGasqUaqKiHUMBaUtw4YtPPdCVuMTBWdZxLmt5YkvBAVFtC3zsFCAp1Y0PXBTOKpK4A"
    "U0YXqoQLuQdUw2APEqegqrbUzohMMRNX7Dmy7yVXEHqp2EvyT4YA97CoSjYmb6mYTUI/zq"
    "HzaggkUzCuPKgrkN0fkTPAxFMrJiAEBM2ghx9SPL4FZKLJlWpCEfxWCC0BFS8UEAddR5IJ"
    "QyZk9CJ72OMjsoScR9TD6FnFDdHIF080SBzRrlC5oow3BGNLtoTYWPInS0mD4j0ivuKIqP"
    "cLQ1DN8WyO4leKroYNCAymVEbN4gH1k6CVLBvhJMNpiZ/R60o8ytYBYsv3VIZiV/SNUf3m"
    "LNM2bVXxBK1PCs2JGnZo59ihHVlgvEe2C0MWU8nKIn27dknhJAU1Yj+Glj+paGCyt/yGA0"
    "5tTL8VWojQBbZBqvZ9cK0UZSjKFZ3+Hi29/cIaYistlOit3wdxxaHnI7Jo/tOQ7ndBi1Va"
    "ryvxrzZZ7/TetTXPgLQ5W8jxbW1SZVGyh2uFg0bEyhpeZYFWqWCjtu0vN0M8K9pDyBtxWW"
    "uorEUmq5z0RfvaPNa8nAG7AdjB+CT2WgfpjFAPYT5osuU4qN5yHBTpTZQuSlgItwvoupXK"
    "MBbqkyo8Ovz+JNaC8kedArz9cHZ1VdSCK/HWzOLUZ2XGiupxm5fr49A9aTJ085uy1NA9KT"
    "AgJb+dYRt7a2tBiTd3S+YKsZ/BYixXsCHLa8hvnoMq9sOqdrAnapB/f3F+Kcby3p+GASNB"
    "7JKxh9J9clyYmoPRuhnkBVkDdj3YS4EO2hDsgqwBux7sie9BgdiEep6LeDXq9eqxuhajL7"
    "N4Q86R3vmMROL5T2cMfpz6JIiVMfGx62HC92V7fx48/+jeypkNOBPKULyBz6BruZA41lwo"
    "SMjKzlnXTjz1FT15FuoY/6/lScjFD4h71L63xAuWfR210JdIG7xr8Q4swRt5XXKiPfS6DG"
    "SUnGsi1FcwDHbECxOO2NoQHXHnTbRsDDmxPm7VtnEMPO8xycL9+fPl+2rjWVouh7fvY2df"
    "Su8g6jUgByTx4ONID3v1piVkpRKciyD/RBnCM/I3tFZQX4qHgeX8iNAZ+HO6rt0EN7mazA"
    "oMrmKPXGF8CRSCwGLy5o2YY24uz8Wy9WWctRcunuEJFjpsfa64uYMSl22x0LDOcYuS4lZA"
    "+NXw30bR0qRzdYkYDwLOEb5CDEwpk1eDYC+FwHPpSHMRzYhJ3ZzrzS01MyKK+mVD0duSSv"
    "UDGEf8oLGkNc/EsokAOPVCclYQqw5M1gHvCyHlQo5CwA2j5ihzEJN1R8/MwQTZon/AA+ZY"
    "IJ6L4iYrknysxrToVOwcQ4uu1l+d8Cq/EE0tvzr/anriRYNSdU3fbT0qlZqGSxdvlUM7I9"
    "Mn21drtAns2FpngKPyPRyy7VMkTGjN3pAn0916j4lWqIKofA+/mfZpF2qBrINuLGDgbQBv"
    "sPlyy5aIlLoIkipHdSKWw3ki5HYQ6Lol3/X1VWYueneZP0r8+cO7C6EMcibeonplCPKQn9"
    "x0PKdEejiijxvF0jyuiaV5XIylGTo4LbjQjLVRFDRBN0qcpAody8VEL95xXu5JDtOOYfzc"
    "nlFvLm5WWFVdCqtiQ6SlcvBPpdgOzid1zrfrz++uLsCnm4vzy9vLsBfipaO6mZ2wby7Orv"
    "LBSylb+C7cJL5MiWj/ostsh9Vc7ZipZzXXOGZ6gPVRE8riUTVl8eikQwfLLwijrrtA5QfK"
    "U3eHtc6DuFxDp8FZ5gxWIq6OKkdW/B8A9MBCTMEyugg4O7+7/OVC2v3BXiw8jMq+Kh772l"
    "IbuuZ5D3q+QkV8D3om+mrvZ/s+z8etwymak2pJ/nP8EhynR5ygwxpTvDEIb90gnIz3pggn"
    "Ej0EuOXwvgIr5m3EScpKGltmp22ZSEC4SSen5Vro4o4tw3rWw1ZgU9KZKrNSPVxabyOnS7"
    "Dy0yb05cR6qJu2QuhTb2Y9QNcvsWbXGEVycsYs0sQsYuxPX4/9qWuIv6wByjCDDTPYMIML"
    "5ryfEHI+QHY/KDHmxfeGdaY8SUVVgQMbWvLuEh7shNL7e4SWAuXThEfrjMFeHIExDoKoiL"
    "WvhmC8ZD4RLQqdRP3ZXJRNkY8z5rxtNTQi/hKodNOYp3JKMyFKCZKSAixXxlCj5PTH8+v3"
    "F38O0ziHM3p8UbXuyMzSUwBHJLQcyTTZ8onCtNiRMZEDWe16HKeSVpIymGMUqkpcU/xloU"
    "DEA3ninQGaTpHtDUcEcskxxkT0yZMTPav/NRRaVL4dLfaytNRs5L4mOuykWoedhDqsJsBU"
    "+bK4jgdctSLeaaLkM/CAO+JfSTRiyYycUZfVU3KscfSdK9FhBxnlDrqAoRnmHmL74AOSye"
    "R5nISeLsVkMw6vzvFyLGPY8lqnSht1N3SmPGAxJ4f6VrpRhuD3gWwvZhEb38qL+1YYmiJW"
    "fs6hjlaVEuqdQtkCD5MuFj7RY2ImIj3cd27FhrXAYr3n64CcSPQQ4zcNEH5Tie+bAv9eP8"
    "fZU5ObdRvfrVi9jR92y8dIdiRY7MF2V/Kt0Vmj5eNGfs+CcA/92z0OueEvZb9s0vFZSdPr"
    "Xen1Eh94+PSlX7yeZ7Yg2Ed91T/fbMeYB1v2GAaYPcFvWFlB/2gf7e+TA/DE1nfpb6ZYSi"
    "swlKruqJPiKiJM3UHKc5bX2djzksbUrmVqz4XcSBtrNVjWabEeKvSjJlv86g1+IUB72vqt"
    "s3CqCrzRB4ybkNmrueyHpcdy8pCXLJx0WRI3cUU7hnZTikRmnFXwI8omjRaw/ZSqqqfo5u"
    "bKBvjG+q0NgFXwnh7Dm18MaPN7CrjHydByK5JQ+qe/3SC3KuVOef61nkBfQtOOzxBujlX2"
    "0GIfoRLPJsMGPg2mmHxwKd+0r1AtYtbBE+FK6At9gupZqC/BAKvjv8RDsAEJxkqN/obRSc"
    "NdPFDo51JA7oO7JIexzNuMw3TPqbPDSu6HKDMzXRXJidtpZkQkhUZyAueYe5St98FYtkKJ"
    "nCXHQHIgeZD12kNMMg1FD4tnmvgqf+Vg2Ixgk2e0pq0eJqhoN4OK6htxzdEac+Kj20bbZG"
    "orol0dzygr9fzpX15miG8lnFFqv1I97h+zoual+2RMbY3tEC5LBXqlodHqE0kVhPsEcRv5"
    "o0y0yvQ83SQ56GF1ctDDQnLQJ7jV2neodQ38PnnUzBFMcwSzC2aK4S4dwbx0kFiQeojY6x"
    "tkU1Z68qdYaFhn/MBJceserXWOZmImDQ6Ii44KTBIBeypYp4GF7wV/MCS6Bjlghb15cKpH"
    "ZitJtQtEu8XjQNtposRo8ftAvCpV2pguUWIJFyKBjaLJSUdjsnhJk0XcgY1Z/5FAD1dlW+"
    "H3Zb6MpihnhHqI9HGz0NY1ka3zMMs5RwPgsHgPoT1odHDloObgykHx4AqTR/C5Z80hn+vA"
    "nJfrId4nTbZyJ9VbuZPCVi7Q2to0opRQD2Fuf8awGdrwgENWsof75R094FB1rKUjYQdS3u"
    "qS3UfWl1297cg5z5tEHojTMiayOU8omDK6AGMVj9SSA3cso6+MZWjD4NeeihewktFP5FuV"
    "RnbeVjObuEujKoOwBJnkZsktsyfp5J6EhbyP6FtorgKzcj3UggdNwtwfVIe5PzgpHEm255"
    "S68gk0kM4IPR/MAwno2adPV5fnZ6G7eBchF4thy8EcBol9S2aauvRSReFnTDIVX9nZLFOJ"
    "6ilf9FWM94xU3YJvB2eYOs6GWLAVAvc62vClZZ4I3u4c1SrD7gv2NgkwnRXr4VHD9r2hZm"
    "/3leztjGt0a2HFGiWUrtsW9Tan9EuESjSe6S17posDvgV8e38yK/ONd8rnH0JfYmpLOqXa"
    "zBa8V1MTGwGIeGwdRd9c0qXvRg72KALnWCaEH0dnDJb+xMV2uQP/6dU1MZnJAMhW7DZjyY"
    "8JZt48ZT1L/c4ULbkZ12lsa920rclBo7P3iMr3Lgxo+7HnbKy1qwuLt7Kb6xCuLedWE2tS"
    "7MhYtJYtFQLxpWdB0y9aXkHfgG9/QAdTu42Yh6fYFqBYG4UTfqSaLZkzXq4j2vdUE6X7Yb"
    "m1uC4nQEash+6QFmKLZI6XqaWNbuqFrFQPUX7bZEC/rR7QbwsDWi0TdXHOCBmYG8CcjEwL"
    "ainNgmD/bM5bHNSaYOflDNaPY82DyASN/dVB8R5OGk2c09W+6YJrOr/Vb+bfy0p91e5RB8"
    "ENAMxKfc0u0qV4c61VQSzQv2lzC+kbIbeoNAhacwRduSujDwKeWVn6q8dIKJX1GD6KBh/F"
    "JCwYmIQFxvtvEhaYXi/2eoSRSViwqU14GwcaM75CPYvCs5+6GwyeBef2Tb5Z56yGIcFAXA"
    "exxkkgE66yA+EqPwV5ma8ovfdLT01lCwxrGR1BUctVZTUPTwEY5YgGkN8jB8AJ9T2gbjhw"
    "fRomi8buGthwCVQUKA4coWEwsb2wktLUra3XXxqoIaxctQ/VDKE8+yZKw06wNlK919guko"
    "j0cGFz1MTzd1Tt+jsq+P7Cr6KxxQ6Wqdmvy9b5slyiTo3HdsgXHTmnnNGp5yqe4WOa9zyK"
    "ethU/QZxEhsq4fc5NaenLFUEZtEYYkX121rNIzIif0NLD0wU3wiMc6uNMeBUCEMP2HNk34"
    "vmVVVSlxP0gFik0euSsBe0uNHeRnvv4mxptHcHtHeK4K57oqdMi2/R+fB652eH7ij2IA9T"
    "uTqPczTVKnFVqpniru6Jx88nVOoyWzyVzlQale8dg72V5HXVWkuXnmeYeRr8JbEA1IruFZ"
    "XvIbgHTRYDB9WLgYPCYsCkYdwOVbrmSKpJw9j0vGSTNIwvtDqQRwj5HDlnhK+UTi4uEnJF"
    "6tcKUWELqtIaAZIDgWCHPIdkhsAUic24dHCBuFowpSwTXCzw0whhJ9nGqx17Ydu/hTZGcm"
    "h7CMjN/DqqEctYaJD7TFoSZmJUiLr34BJ/xxF7kPmyvpNt7i/Xr/ZB7AnABBCaNDkic8jl"
    "FUZXqiXMomefUtelKx5EVVvN1VJKllgDmaIqcXAHj+viB1RjWsic1Q+3n8bA0JktRN1SzR"
    "gYtm5gqImA8fWFv2iNrodcPMPyVYuTRx39NC32jGzTlzHdtEg2DWJIaflsUiI9nCeOG8XK"
    "Pq6JlX1cjJW9oMSbu2sLLsrzSFWnkCoIbjRpdI3T3sKc0RH7Wbg5KVkYJ9uW6vVwsPI3lr"
    "OXt5y1cmzYWM5exHK2wQHLp56t/Bog3ogYmfEGbE6LTLsedqwrXoQUeRNkclpffPFQOTcj"
    "V+JRtSTLWkgVbmil+ZmugAvZDCkDSmRq+IarrK4czOEDAjNGV+QUjJP4ayGTNo5ataDcA7"
    "bPWPiUGSNN+02MSHgXQLJOGXWkgWUOnX0gj0goCw4QncmRMwSTtaplxcSiOuBvLOA94mmb"
    "0Iiop2Q/BLYk2Z6Kei9exl+IViNqB8zkFY+fxBNi4lk5/j80IlnjUNgjyj5UYbhpqvtfVi"
    "d1SPe3RdXXzgJefaCvIgf412si6Mxyn9uUoRu/Yskf331kflXlLOY3jiYIRFk5h4w5/hd2"
    "XRBWMT6Vf8lQ5LLuMJeGOvSRjnA5LiOZP73CJ8w9xjj8ksbhksT3TZVAiWgPF9DtH7NXn9"
    "RGJ1Gzkj08ibq7J0+LB46nmIT+Te1+zom20NEds/r1qZ8LGlFnDi0V7l+skqMmgYiOqiMR"
    "HRWz5ESYccspjQlTt4QoETZ81Z3jq97iRRj3+j1m3npQsgrPF6ldivO4sOXEpRssxxNLgb"
    "QDiD252K0TG4X7/eUarCAHHrwXN/bEvIIcZTZgeDaTO3yZbjs5QTwsWZ23Wv+IxGdZiJNU"
    "zYeSWBLZMtT5EwYJF28uXvPVKUiw4UBGiwDYCzYEitsSWV/EVY7cqdkRdP0LrtsRmDQpLa"
    "ZJ6dxU+ZP4pPlZ/VwZlmk6WU5lcQtu3XP5+2AejKxsQMGFuFidT2ChO5ks2iTkmOkk6rPG"
    "s4iZPEpzLJnQm0880DahTCeOXlTcWN3L0mSa+Lpbia9rIvk/TyR/B9kIclS2MqgjlqbFDL"
    "G0ObFUhX/VxDqWMUA3B9qEXNlivhuGXB1sw+J9hHZLWea1lhSxhAG4AcAb55N/sVzyOz8X"
    "y/N+vtZsnEj0cUy3Ph+r17Iq6FQ/uRRWWYuzcjmsp1Jw99xtdXvh68/vri7Ap5uL88vby+"
    "uPWQ+qupkdyzcXZ1f5QytiCkC+zmBOJHo4mN80GMtvKofym/KIBHqLi0iih+i2vNlbpvjj"
    "TfFNy/QQ4RZiw3TTsfFu8Lhj452mY2NiHBvGsWEcG1prDuPYMI4N49jYLSiNY2P317rGsW"
    "EcG30E2jg2jGNjF+3uxrFhHBt9m4uNY8M4Njoxpo1jwzg2dgpd49gwjo0NHRu3Mnrw4HHn"
    "RlBuqOXg4LHMo4fdfp1jex4cOsNcnhjzOQJ7YzgegvFE/EMZIJQgsEbeq6GMOUzkQbHkfF"
    "pw5mwFFjLCThTjBheD+2ypnRFRZ922cT7tyYfTdsXr8kRba7U/JRXoqelslhLp35npgybr"
    "yuplZV5bTHzsehvEIkjLmUAEXQ5EEM5zJRvhOq9wImSOwO/cEfhf0WRO6X3ZwiC6VbsWWA"
    "WFGkae+lXoSZQkNpD5DVUiA64SCix9lRIhG6MuakAGqTsNo0dxJEaKWINGQfhKtP9W2hkR"
    "lcJBfHZYvhEQaOAHmQDhBwCn8vT6FGLXFx+kWGQQ9EVOeh5aLOX/YyD7iwM6nQ7D7A5hi0"
    "pIPLeoXCxKDo/lkXq51lDZlyXMzjZWG9U0g/ZZBo8vOgY/Tn2iIgUA1ZL85/jPg+efsh+l"
    "HZgkCS+YJMFnWpbwsHgPoT183SiwvCxWE1asGFqeI5shrQV0ItFDmA8aoXxQA/JBEWOBl8"
    "TDmmgRGbJSfcS6UZi8g5o4eQfFQHlLn4lZXM++lYj0b0d41GhAH9UM6KPqAa2/M8xKmmiE"
    "nd4cykhOD7qZdBKhZ3SQRsvLnXWQRgv/DT6pnKixt3T5k4o7K8iCpKOmSkSNumqkrjI7ez"
    "1TV0HUGLx0TkKkdElgFymxNFZinxbpDeyt0c5DG5LFy925jwQLzgsbrdFlrZGzLOr2dom4"
    "WXl3rsO75R54Hxi6SyPk5osMG7gLrNByjlFDx8E1QSAcs8CjkeEdQDCBnj2XqSciA7+4G5"
    "vWi5kqnlBPk1OY0esFNvTa05cmRO1LHr3MdlRT10hWyhzEzFMhEediGtEMYJ+V6qFl86TJ"
    "Juakeg9zUtjChDPYRgaCvKzR/Z3T/dkcIGzj7WpRtk9Hdp95y7qbZoPedUO4PNMwHKQk+o"
    "R7eyfW1dkaqzx5cyWqOSmTSLzEih+xgzR9Jhk5c66sudsEMUa1EjfHAsZ03sh07vgsoP0v"
    "dCbgnJSZhLvFAD1DDNvzQYllJ7wzrDPowKTMNgNcPe9Jih2xoWztIMUGqTx7nsLzTZNzja"
    "JUNdvuTeFso/yoNBAOi/cQ3e3Q7CjxSg8D/fX2+mPFTiERyVtFsO2B/6rE8DuIdg24EozM"
    "6ivCdO/D2W95uM+vrt/lbRyygncvrcz++H+SUDKs"
)
