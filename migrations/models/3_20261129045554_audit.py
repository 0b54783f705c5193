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
    "denied_fields" JSONB NOT NULL,
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
    "denied_fields" JSON NOT NULL,
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
    "eJztXVtz2zYW/isYvcSZdTyxfImb7u6M7CiNto6dtZ2206ZDQSRkoqYIFiTterr57wvwfg"
    "FpQiJlCeGLxyJwQPI7IM4VB38PFsRAlrs38g3sje+R7Q3egr8HNlwg9o+gdRcMoOOkbfyC"
    "B2dW0B3yfhriHYMGOHM9CnU+5hxaLmKXDOTqFDseJjanuLQR+IFCx/zvOSAOopA37AJoWe"
    "QBGbvAQDZGBiCUDYAtZOyBkeMg23hFbOvxLfBMBAzI7g9dBCia+y4KbmwQnd0Z27cd3eOL"
    "/fnTu9HNeBe8G5+Pb8YA2ga4ufp8ccYu7oGpCV1zCv4Frj+MXg2Pjncciu4x8V2NN4B/AB"
    "3axMY6tMB/ri8vAJkHd6FIJ9R4ucffwLfxnz7SPHKLWBNl7/Hb7+wytg30F3tH9vO3AUOW"
    "UN7ZRayvraMB68Iue4PfeV/nTptjZBk5jiZdWYegVfMenaDlFN9ObO99QMEhnGk6sfyFXa"
    "RyHj2T2AkZDifFLbI5ssjI8Nr2LSuaGvGl8LXYBY/6KHkfI71goDn0LT5jOHX4HOm1gaZd"
    "XN5o1+MbTRuUZlNMkWF+dEknNp+JmM9LjsYtf4RX3w2HBwdvhq8Pjk+ODt+8OTp5fcL6Bs"
    "9bbnrzNXyYFLRwqAC6yQ+Tixv+QIRN9/Bb4Be+BjRs7oRUAdtSVkCvzIR3DEIPL5CYDSFF"
    "gQFGRLIX/7MMO+ILKT/SD3YNDKnB9mbycXx9M/r4iQ+/cN0/rQAn9p3xlmFw9bFwdef4ZZ"
    "4ZySDg58nNB8B/gl8vL8YBnMT1bmlwx7Tfza8D/kzQ94hmkwcNGllM4svxJdY1w9b4q8xz"
    "9syEtIKrMUGBsQygLWTlYAH/0ixk33om+7k/fF3D259GV2cfRlc7rFeBYRdR0zBs+5pDmB"
    "IrXObzCPOlVIxwQlD8dLDugf8BC7tLrWGb+9FwKHLfS4znzsfRL0Woz84vT4sfAh/gtAC7"
    "Q8kthQuZqZ0hWWpyR0JhUxAvzO3jJlO7uBRlZvZxcWI7PmVMEMjmGoRTEvUQPnjdZPVgvS"
    "oxDtryICcqoAzMOaJ+nW62TieghVAtA3dCqSTmjSCvQbwIeKhlai6ykM5BkRCRkYLay8jV"
    "ZGRoS2opmk3xLxH2bFiBDa4/+4N9AlIcyNL04K8APvE9nSzk1vuURMGF/qTBOn9SucyfFF"
    "d5RCmhDDxDCuI8lXq64vCwAcrDw0qYeVPBzOROL9fTsECQVuOcp1JwNh83Afq4GujjEtAO"
    "sbD+qN0j6kqq5WVKBQE/aKInHlTriQclPTHnjpaz5wuECsLd/vyWRbkH9wlweXRjfpdxqv"
    "MLM6jfPUDKdOhiCxmSqr7lpsVwUbwCbXgbAMffkD9/Nix2HaqNg6qwWdy++3TgLKuBPh06"
    "+9nEuhnFjNwXQYgKQBsEQ4EgBscaPZ/aYWxLN6HN3uIt+DJ4MAlw4QMw2ZeMTGIZ4JcvA4"
    "BdQGxUip51c5svdjQdAZuk9DEXcmN69h0KAmJhJLFxPMxNoU4jYpWRMJFYr4uBCQW6IPoV"
    "aUl98Ks2+LUpccjnXh3XyIySeSwjkzIkCoqlwybez8Nq5+fh6w0SS++QbsHIWy2QStnmWq"
    "FkpB0lsjkiXZznNMB06X/hApfomLxicsQmC6yDzOh74NIyEI1JXQApAnfI8fZK0qiTOwhk"
    "y2+DZODIkottjN8LYqeXLxspXyqNyUr8q43IrRYtw/3DN4cnB8eHCfzJlTrUy0LDRNDQkO"
    "Hr0sGzMqWCImS/UQCtJn5WCp8FsBFd953lEM+TKgh5o5hlTciyHLHkiz67v3S8skjXg90A"
    "7HB+2vqjVKQgS6QgzPtNHCT71Q6S/bIbm5CFIBB2vYCWVSkMEyKVROHB8M1xIgX5jzoBeP"
    "1xdH5eloIP7K2p5hKfimzX6nlbpFNx6raeDxXkMVCsY+9RWxDbMy3BWsHsGczmckXUSzxC"
    "Mb4bDrEXDbWFnKhB/t34bMLm8s53u2GIwP3Twh7K8uSwtDSHs3U5yEu0Pdj1YDsMHbQk2C"
    "XaHux6sGe+BxliM+J5FnKrUa8Xj9Wj9PIyjzd0XSSXh5NSrD8LZ/DPuW/rHC4w87HlYdvd"
    "4/f792D9s7uT3Bx4y4QhewOfQkuzoG1oJhOQkIry6WsXnvqBVl6FNizVpOVFyML3yPWIfq"
    "exFxR9HbXQC6h7vGvxDj3ByNDkt1wVSBXcezWgCBqXNhNf4TTYkr1Y0Yyt3YqVMG8m5WMo"
    "kKloqnWR7l+MmOTh/vx58q7aeZalK+Dt+9jY49RbiHoNyGHWVvhxZKd98KaCWKIA5zLI7w"
    "lF+Nb+ET0GUE/Yw0BxuDwKBn7IjrWd4KZX01WBwockIleaXwwF9u4oFBpXbI25mpwxtfV5"
    "grVjmxLLWlRsvM+07taFalHSr2GkdpQLnKbkANsAgmjb3vcAemDB5ibP2AGjs5vJT2PgIA"
    "p2EuLduO/Lcqy2o3s0yQTK7DtkX4DnB6gw7stlA1UvWe0vVE+HbDO2SXAn/ufwOQyTJ1au"
    "3Zqo7DNsId20Vatrn2k63xun9iQUCgLc8t4LhhX1ljIk8pQK2hFbYjfEmNQaDohBuAyTs3"
    "QtsHh7rPJt5LDGDF9XLq8iT6XeJqpONtyHmp+0FV4gU1A2dWKFB2+m3UPLF8Sn31sEVqUf"
    "5ukKcM854RYCXudIvPx8ej4Gn67GZ5PrSeRrT9aooDHvX7waj84LYHsmW5IqTPFqqHNUPd"
    "BNgJ4TuvAtuMweQQGpgmtJN7lwvTuvd+etGdztduelDBB483LcqXbmJS8o78uLK0nynRDQ"
    "AhTdYtdDdA98RIsZW/+CfQ+8A3GQDabRVRM7U0DJg1vrw2tj7Ia+u3vMZnnEXu6141Ut+f"
    "0Yq9OLvSvvWV15FM0RFe/gqyuOkCFqRwo/716XjmWwThYL35aCOEOioJrTicm0wBZGvgzI"
    "KYWCGB81QPioEt+jIrrQMNiqIuWRzpAoiG8nTpbe7d/xbqwt2VC43xW8Le8mjNXHpdzsJW"
    "IFwykKp2X5DufLMozPU/Zc3xSuC0Iu0dMLv3i5QECJUEV5pV4oYMMCXR07qEPMVnBTVw6g"
    "XpSxfTs5BI+Zvo6/nGARDtBH8DdHnFQld0NbXKCzrtJKkVKlPVtrriRVcNZKJPVlyRQU6A"
    "dNTPxqA79cizbj/ZZRnBIiBTFuUhe1uizqUFiyqwh5C0G5q2SgLUO7aUQuN88qwnGiRaMF"
    "bD9lhlIU3cJa2QDfRL61ATBTRJWevEVlQDqcXMI9KZhX0Egi6vc/XiGrqiyTuEafItALsg"
    "KTLSvLY5XfI6MiVOzZsC7aoS0DU5J8MOFvqipUiyTrYEW40vQFlaBaS+pLOMHq8l+SKdgg"
    "CUbLzP5mFUhjKx4E6BfKhO6BGxMBGz0g1+N5KbweNU9ayW5VC+i+ByQoGcpzVwYF1Du6zR"
    "ebp9BgzwUmdj3Cy2JP+V2IzVfJKbhDyHEBgroJPEQXbAjGYfZMMz+ocTrYbZZgU0ygyno9"
    "+nLZG1rOVNqJ22dy9wnGm+20TZe2MtrV5YHyVP1BXSsdVpdYGdXz/ikvapFaJWdqa9kOkV"
    "rK0PNFVnl9sbESsUoQt1FjTIe+3KG5CYGK63Tr56CtEFZrP6C2aeCrFFHrd/z0O342wU2x"
    "u007fiYGYgqph2z98So4JGsg8HyUO+3WOT9w2l27Q48NfR/c4zDHlDsckMsYFbokwuypUE"
    "8DC98L/6GIsQYZ4AF7Zrirhz0wyNwXsPuWtwN1cwvh+SvsVUkgjXNHrzOS/gSW7XBZJAxs"
    "nPUfEyiolXWS35f7MpqinCNSEOl2jvLKwszXHAmAo+4KQrvfaOPKfs3Glf3yxpX4vGTZQ1"
    "KLdAri3f5JtKHUlk4jyhApCHP7K4ZO0ZIbHPKUCtrLW7rBoWpbS8nKex4jJBOtFlgf+Vh2"
    "tdlRCJ43qTzgBOlBL1yQ0hYioWBOyQJMg/J3Gp+4U+ARMOWVtMJfO0G9gAeT/eFvJSwk2t"
    "VtlgmXxkOGZQnCJys19TbJRtokNMr7iL+F5iIwT6egFOygEqluEmLxJ5BAOke0PpgHHNDR"
    "p0/nk7NRFC7eRsiZMqwZ2IUzbGFPYLWcMmwRtCvcuCXiAv4zRt0VA5Ir63Xinl5enufUi9"
    "NJYVG5+PzxdMzYUDhsQnCodiJ6xEpfxXzPUdUpfFu4wtTlbDCFrVQn0pCGL0uzInjbs1VL"
    "hN1f2FumnmmeTMGthu1HQ3vb7hux7frQaGdlxTJ7gbL2U3OzKEemUj7MGgykPjK97sh0ec"
    "K3gK/yO7Ny3/hGxfwj6AWutpQp1W628L2authsgGyPPsbVNx3i+FYcYI8rcE6xobvTeI+B"
    "488srIsD+KsP97TLrPd9baTvizNVxjaI+ytXprP92nA6lrK6ou6tWFsbhGvLR+0wnREbvF"
    "aspvMF2/a5518ybikeQDXg25/QM0w9U9MR9fAc6wwUbalyv08Mo567of1Qsh0IZyh251Yj"
    "XyBTMF7RQvGP3P4vntWoBb8kYM5TKYjySZMJfVI9oU/KZ1/DJXDOEfUwN4A5nZkalJKaJU"
    "L1VukOJ7Uk2EW6HuunsXbD0gGNA8phdwUXjSbR4+rgcSl2HCprsgG4PNU3Hb80EFwCwDzV"
    "txzDdNibS2kFCYF6y2YHx3lBVyPcY6eZCFrcLCP3DJ5bAeJPZolUjtMnjEgkjPQnCgz6Ew"
    "X68Hx/okDP9TLXY4z6EwWWdQq3teNQYotDX4dvA+rwJSVxReHpTLncmgB11KtZiLoajRVC"
    "xTp7KqmQWtRfuWBlK3XEq4PCso7Y3gcr4am6Y+8lA27cX0Fw95uEa/ar4zX7pYBNXxG/m6"
    "BYTXZgXxG/aepak4r4z5O6FkEv0A1SplRrBuF79XrB8+sFrYS/e73gWfSCJQKFq8YIvwWI"
    "lzJUc7bO8maqgueQdGqkXrFnZVrDlV8hipLWJ8RR0E+jfuN0asD68uTnqYv/wJYFoiGmb/"
    "l/fC8mHzsqJhBE57Mp/lNRbYLVB+xTqrc0pbovGr72MGbwSS3l6c9TKujp317PfjmgM8c2"
    "ds2l+Fwg7Q/x3GQ+lySizBoqJFYvF+SgSaLXQXWm10G5TEiMmasZwpybOhVCQLy+ZITXW6"
    "9PSFgpXSrgI0Sxbg4EynfUUqt4w7TPs7iBROvEt6LzrpgwU3PGkLwWq7j2enTURH09OqrW"
    "X3lbfu3lH5UEwlF3BdHtpJosPxANiY5YqTtQKCHpTxOSPE3oWYXZ1/8D2ow9xw=="
)
