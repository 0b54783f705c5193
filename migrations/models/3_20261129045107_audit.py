"""The audit log: events and their subjects, append-only on both engines (triggers refuse
UPDATE, DELETE and TRUNCATE). SQL per dialect, as in the initial migration."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

POSTGRES = r"""
CREATE TABLE IF NOT EXISTS "audit_events" (
    "sequence" BIGINT NOT NULL PRIMARY KEY,
    "at" TIMESTAMPTZ NOT NULL,
    "actor" VARCHAR(120) NOT NULL,
    "roles" JSONB NOT NULL,
    "program" VARCHAR(16),
    "purpose" VARCHAR(300),
    "operation" VARCHAR(120) NOT NULL,
    "operation_type" VARCHAR(12) NOT NULL,
    "fields" JSONB NOT NULL,
    "subjects" JSONB NOT NULL,
    "outcome" VARCHAR(8) NOT NULL,
    "error_code" VARCHAR(24),
    "request_id" VARCHAR(64) NOT NULL,
    "policy_version" VARCHAR(32) NOT NULL,
    "previous_hash" VARCHAR(64) NOT NULL,
    "hash" VARCHAR(64) NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_audit_event_actor_72fbea" ON "audit_events" ("actor", "sequence");
CREATE INDEX IF NOT EXISTS "idx_audit_event_at_d387df" ON "audit_events" ("at");
COMMENT ON TABLE "audit_events" IS 'One GraphQL operation, allowed, denied or failed. Append-only: the database refuses';
        CREATE TABLE IF NOT EXISTS "audit_subjects" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "sequence" BIGINT NOT NULL,
    "subject" VARCHAR(40) NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_audit_subje_subject_cc7e2c" ON "audit_subjects" ("subject", "sequence");
COMMENT ON TABLE "audit_subjects" IS 'Which records'' data an audit event returned or changed: \"who saw household X\" is one';

-- Append-only: not even a bug in the service can rewrite history.
CREATE OR REPLACE FUNCTION "sijill_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = '42501';
END $$;
CREATE TRIGGER "tg_audit_events_append_only" BEFORE UPDATE OR DELETE ON "audit_events"
    FOR EACH ROW EXECUTE FUNCTION "sijill_audit_append_only"();
CREATE TRIGGER "tg_audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
    FOR EACH STATEMENT EXECUTE FUNCTION "sijill_audit_append_only"();
CREATE TRIGGER "tg_audit_subjects_append_only" BEFORE UPDATE OR DELETE ON "audit_subjects"
    FOR EACH ROW EXECUTE FUNCTION "sijill_audit_append_only"();
CREATE TRIGGER "tg_audit_subjects_no_truncate" BEFORE TRUNCATE ON "audit_subjects"
    FOR EACH STATEMENT EXECUTE FUNCTION "sijill_audit_append_only"();
"""

SQLITE = r"""
CREATE TABLE IF NOT EXISTS "audit_events" (
    "sequence" BIGINT NOT NULL PRIMARY KEY,
    "at" TIMESTAMP NOT NULL,
    "actor" VARCHAR(120) NOT NULL,
    "roles" JSON NOT NULL,
    "program" VARCHAR(16),
    "purpose" VARCHAR(300),
    "operation" VARCHAR(120) NOT NULL,
    "operation_type" VARCHAR(12) NOT NULL,
    "fields" JSON NOT NULL,
    "subjects" JSON NOT NULL,
    "outcome" VARCHAR(8) NOT NULL,
    "error_code" VARCHAR(24),
    "request_id" VARCHAR(64) NOT NULL,
    "policy_version" VARCHAR(32) NOT NULL,
    "previous_hash" VARCHAR(64) NOT NULL,
    "hash" VARCHAR(64) NOT NULL
) /* One GraphQL operation, allowed, denied or failed. Append-only: the database refuses */;
CREATE INDEX IF NOT EXISTS "idx_audit_event_actor_72fbea" ON "audit_events" ("actor", "sequence");
CREATE INDEX IF NOT EXISTS "idx_audit_event_at_d387df" ON "audit_events" ("at");
        CREATE TABLE IF NOT EXISTS "audit_subjects" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "sequence" BIGINT NOT NULL,
    "subject" VARCHAR(40) NOT NULL
) /* Which records' data an audit event returned or changed: "who saw household X" is one */;
CREATE INDEX IF NOT EXISTS "idx_audit_subje_subject_cc7e2c" ON "audit_subjects" ("subject", "sequence");

-- Append-only (SQLite has no TRUNCATE; a DELETE without WHERE fires these triggers too).
CREATE TRIGGER IF NOT EXISTS "tg_audit_events_no_update" BEFORE UPDATE ON "audit_events"
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE on audit_events refused'); END;
CREATE TRIGGER IF NOT EXISTS "tg_audit_events_no_delete" BEFORE DELETE ON "audit_events"
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE on audit_events refused'); END;
CREATE TRIGGER IF NOT EXISTS "tg_audit_subjects_no_update" BEFORE UPDATE ON "audit_subjects"
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE on audit_subjects refused'); END;
CREATE TRIGGER IF NOT EXISTS "tg_audit_subjects_no_delete" BEFORE DELETE ON "audit_subjects"
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE on audit_subjects refused'); END;
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return {"postgres": POSTGRES, "sqlite": SQLITE}[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    raise NotImplementedError("the audit log is never dropped by a migration")


MODELS_STATE = (
    "eJztXW1z2zYS/isYfYkz53hiyXbc9O5mZEdpdHXsnO20nTYdCiIhEzVFsCBp19PLfz+A7y"
    "8gTUikLSH84rEILEg+ALHYfRaLvwdLYiDL3Rv7BvYmd8j2Bm/B3wMbLhH7R1C6CwbQcdIy"
    "fsGDcyuoDnk9DfGKQQGcux6FOm9zAS0XsUsGcnWKHQ8Tm0tc2Aj8QKFj/vcMEAdRyAt2Ab"
    "Qsco+MXWAgGyMDEMoawBYy9sDYcZBtvCK29fAWeCYCBmT3hy4CFC18FwU3NojO7oztm47u"
    "8cX+/Ond+HqyC95NzibXEwBtA1xffj4/ZRf3wMyErjkD/wJXH8avhodHOw5Fd5j4rsYLwD"
    "+ADm1iYx1a4D9XF+eALIK7UKQTarzc42/g2/hPH2keuUGsiLL3+O13dhnbBvqLvSP7+duA"
    "IUsor+wiVtfW0YBVYZe9we+8rnOrLTCyjFyPJlVZhaBU8x6coOQE30xt730gwSGcazqx/K"
    "VdlHIePJPYiRgOB8UNsjmyyMj0te1bVjQ04kvha7ELHvVR8j5GesFAC+hbfMRw6fA50msD"
    "TTu/uNauJteaNiiNplgi0/nRJZ3YfCRiPi45Gjf8EV59NxyORm+Gr0dHx4cHb94cHr8+Zn"
    "WD5y0XvfkaPkwKWthUAN30h+n5NX8gwoZ7+C3wC18DGTZ2Qqmg29KugF65E94xCD28ROJu"
    "CCUKHWBEInvxP6t0R3wh7Y/0g32CDqnB9nr6cXJ1Pf74iTe/dN0/rQAn9p3xkmFw9aFwde"
    "foZb4zkkbAz9PrD4D/BL9enE8COInr3dDgjmm9618H/Jmg7xHNJvcaNLKYxJfjS6xqplvj"
    "rzLfs6cmpBW9GgsUOpYBtIVdOVjCvzQL2TeeyX7uD1/X9O1P48vTD+PLHVar0GHnUdEwLP"
    "uaQ5gSK5zm8wjzqVSMcCJQ/HSw7oH/AQu7K81hm/vRcChy30uM587H8S9FqE/PLk6KHwJv"
    "4KQAu0PJDYVLmaGdEVlpcEdKYVMQL4ztoyZDuzgVZUb2UXFgOz5lnSDQzTUIpyLqITx63W"
    "T2YLUqMQ7K8iAnS0AZmHNC/TzdbJ5OQAuhWgXuRFJJzBtBXoN4EfBwlam5yEI6B0VCRUYL"
    "1F5HrqcjXX/+B8NeanWSlenBXwN84ns6WcpNNKmIgjPMcYMJ5rhyfjkuTi+IUkIZeIYUxH"
    "kp9RYpw4MGKA8PKmHmRQX7hntbXE/Dghm8Gue8lIKj+agJ0EfVQB+VgHaIhfUH7Q5RV3I9"
    "WJZUEPBRkwXKqHqBMiotUHJ+UDlDsiCoINztj29ZlHtwHwGXu9UXtxlvLr8wh/rtPaSGVi"
    "ohQ1JVt1y0HC6LV6ANbwLg+Bvy58/yMVfhsnFQxdfE5buPMzbZFejjnM3PJtbNiKxwXwTc"
    "CIA2CJoCAfnDCj2f2iGpopvQZm/xFnwZ3JsEuPAemOxLRiaxDPDLlwHALiA2KtE23dzmix"
    "0NR8AGKX3IcT1snX2LAiYmpLAaEzFuCnVKxVRSMCK1Xke+CBW6gHaJVkk961LLumwKAfbc"
    "s+MTdkbJPJbRSRkRBdXSQRO320G11+3g9QappXdIt2DkJhVopWxxrVIy0ooSYQTRWpyT6T"
    "Cd+l+4wCU6Jq+YHrHJEusg0/oeuLAMRGNRF0CKwC1yvL2SNurkDgLd8tsgaTiy5GIb4/eC"
    "2un1y0bql0pjshL/aiNyq1XLcP/gzcHx6OgggT+5Uod6WWmYCBoaMnxdmrUpSyqoQvYbMT"
    "c1xE2JtwlgI7ruO6shnhdVEPJGZFkNV1amyvikz+4vTZQV5XqwG4Adjk9bf5BiCrJCCsK8"
    "38RBsl/tINkvu7EJWQqIsKsltKxKZZgIqaQKR8M3R4kW5D/qFODVx/HZWVkL3rO3pppLfC"
    "qyXavHbVFOxaHbeiBOQKBTrGPvQVsS2zMtwVzB7BnMxnIF6yVuocjvhk3sRU1tYU/UIP9u"
    "cjplY3nnu92QInD/tLCHsn1yUJqaw9G6GuQl2R7serAdhg5aEeySbA92Pdhz34MMsTnxPA"
    "u51ajXq8fqVnp9mccbui6Si8NJJZ4+Cmfwz4Vv6xwuMPex5WHb3eP3+/fg6Ud3J7E58IYp"
    "Q/YGPoWWZkHb0EymICEVBXLXTjz1Da09C21YqEnLk5CF75DrEf1WYy8o+jpqoRdI93jX4h"
    "16gpGhye/1KYgquOlnQBE0LmymvsJhsCWbgKIRW7sHKOm8uZSPoSCmoqnWRZx5kTHJw/35"
    "8/RdtfMsK1fA2/exsceltxD1GpDDqK3w48gO++BNBVyiAOcyyO8JRfjG/hE9BFBP2cNAMV"
    "0ekYEfsm1tJ7jp1XRWoPA+YeRK44uhwN4dhUrjks0xl9NTtmx9HrJ2YlNiWcuKHd+Z0t06"
    "qhYl9RoyteMccZqKA2wDCKL9Yt8D6IElG5s8YgeMT6+nP02AgyjYSYR347ovy1xtR/doEg"
    "mU2fDGvgDPD1BhvS8XDVQ9ZbU/UT1O2WZsk+BO/M/Bcxgmj8xcuzWs7DPsXdy0Watrn2k6"
    "3huH9iQSCgLc8t4LhhX1VjIk8pIK2hFbYjfEmNQaDohBuEonZ+Va6OLtscq3sYc1Zvi6cn"
    "EVeSn1NlF1stM7XPlJW+EFMQV1UydWePBm2h20fAE//d4isCr8MC9XgHvBBbcQ8DpH4sXn"
    "k7MJ+HQ5OZ1eTSNfezJHBYV5/+LlZHxWANsz2ZRUYYpXQ52T6oFuAvSC0KVvwVX2CApEFZ"
    "xLuomF6915vTvvicHdbnde2gECb16ud6qdeckLyvvy4hSGfCcEtABFN9j1EN0DH9Fyzua/"
    "YN8Dr0AcZINZdNXEzgxQcu/W+vDaaLuh7+4Os1EedS/32vF0ivx+rKvTi70r71ldeRQtEB"
    "Xv4KtLjpARakcLP+9el451sE6WS9+WgjgjouAypxOTaYktjHwZkFMJBTE+bIDwYSW+h0V0"
    "oWGwWUXKI50RURDfTpwsvdu/491YW7KhcL8reFveTRgvH1dys5eEFaRTFA7L8h3eL6t0fF"
    "6y7/VN6XUB5RI9vfCLlyMCSoIq6iv1qIANI7o6dlCHmK3hpq5sQD2WsX07OQSPmb6Ov5pi"
    "ETbQM/ibo06qgruhLU7QWZdppSip0p6tJ84kVXDWSgT1ZcUUVOijJiZ+tYFfzkWb8X7LLJ"
    "wSIQUxbpIXtTot6lCYsqsIeQuk3GXS0Jah3ZSRy42zCjpONGm0gO2nTFOKoluYKxvgm+i3"
    "NgBmC1GlB29xMSBNJ5dwTxLmFVYkkfT7Hy+RVZWWSZyjTxHoBVGByZaV1bHK75FRESr2bF"
    "gX7dCWgSkJPpjyN1UVqmUSdbAmXGn4gkpQPUnoSzjA6uJfkiHYIAhGy4z+ZhlIYyseBOgX"
    "0oTugWsTARvdI9fjcSk8HzUPWsluVQvkvgckSBnKY1cGBdQ7us0Xm4fQYM8FJnY9wtNiz/"
    "hdiM1nyRm4RchxAYK6CTxEl6wJ1sPsmeZ+kON0sNsswKYYQJX1evTpsjc0nam0E7eP5O4D"
    "jDfbaZtObWW0q9MD5aX6g7rWSAaUsVeqx/1jXtSitErO1NaiHaJlKUPPF1nl9cnGSsIqQd"
    "xGjjEd+nKntSYCKs7TrZ+Dtgat1j6htmngq8So9Tt++h0/m+Cm2N2mHT9TA7EFqYds/eEy"
    "OCRrIPB8lCvt1jk/cFpdu0UPDX0f3OOwwJQ7HJDLOip0SYTRU+E6DSx9L/yHItY1yAD32D"
    "PDXT3sgUHmvoDdt7wdqJtbCM9fYa9KAm2cO/ObifQnsGyHyyLpwMZR/7GAgquybg92l0E5"
    "J6Qg0u0c5ZWFmc85EgBH1RWEdr/RxpX9mo0r++WNK/F5ybKHpBblFMS7/ZNoQ60tHUaUEV"
    "IQ5vZnDJ2iFTc45CUVtJe3dIND1baWkpX3PEZIhq0WWB95Lrva7CiQ500yDzhBeNALF6Sy"
    "BSYULChZglmQ/k7jA3cGPAJmPJNW+GsnyBdwb7I//K2EiUS7us0qdGncZJiWIHyyUlFvk2"
    "ykTUKjuI/4W2iuAvNyCmrBDjKR6iYhFn8CCaRzQk8H84ADOv706Wx6Oo7o4m2EnC2GNQO7"
    "cI4t7AmslhOGLYJ2hRu3JFzAf86ku+qA5MrTOnFPLi7OcsuLk2lhUjn//PFkwrqhcNiE4F"
    "DtRPWIF30V4z0nVbfg28IZpi5mgy3YSnkiDWn4sjJrgrc9W7VE2P2FvVXymebFFNxq2D4b"
    "2tt234ht11OjnaUVy+wFytpPzc2inJhK8TBPYCD1zPRTM9PlAd8CvsrvzMp94xvF+UfQC1"
    "xtaadUu9nC92rqYrMBsj36EGffdIjjWzHBHmfgnGFDd2fxHgPHn1tYFxP46zf3uMus931t"
    "pO+Ld6qMbRDXVy5NZ/u54XQsZXVF1VuxtjYI15aP2mFrRmzwXLGazids2+eef0neUtyAas"
    "C3P6DnmHqmpiPq4QXWGSjaSul+H2lGPXdD+1SyHShnKHbnViNfEFOQr2gh+Udu/xePatSC"
    "XxIw56UURPm4yYA+rh7Qx+Wzr+EKOOeEepgbwJyOTA1Kac2SoHqzdIeDWhLsolyP9eNYu2"
    "HqgMaEclhdwUmjCXtcTR6XuONwsSZLwOWlvmn+0kBwBQDzUt8yh+mwN5daFSQC6k2bHRzn"
    "BV2NcI+dZiJocbOM3DF4bgSIPxolUtlOHzAiETDSnygw6E8U6On5/kSBvtfLvR5j1J8osK"
    "pTuK0dhxJbHPo8fBuQhy9JiSuipzPpcmsI6qhWM4q6Go01qGKdPZUUpRbVV46sbCWPeDUp"
    "LOuI7X2wEp6qW/ZeMuDG9RUEd78JXbNfzdfslwibPiN+N6RYTXRgnxG/aehak4z4zxO6Fk"
    "EvWBuknVK9Mgjfq18XPP+6oBX6u18XPMu6YAWicF2O8FuAeCVDNWfrrG6mKngOSadG6iV7"
    "VrZquPQrVFFS+og6Cupp1G8cTg1YXR78PHPxH9iyQNTE7C3/j+/F5G1HyQQCdj4b4j8T5S"
    "ZYv8E+pHpLQ6r7pOFPTmMGn9RKnv68pIKe/u317JcJnQW2sWuu1M8F0f4Qz03u55JGlJlD"
    "hcLqxYKMmgR6jaojvUblNCExZq5mCGNu6pYQAuGnC0Z4vfXrCQkrpcsF+BhRrJsDweI7Kq"
    "ldeMO0zrO4gUTzxLey5l0zYKbmjCH5Vaziq9fDwybL18PD6vUrL8vPvfyjkkA4qq4gup1k"
    "k+UHoiHRESt1BwolIv1pQpKnCT2rMvv6fzomwSM="
)
