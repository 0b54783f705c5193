"""Release 1.1 audit records: the client's own request id (the record's `requestId` is always the
server's), the client address of refusals before authentication, the count of an aggregated
record, the version of the program catalogue, and the points up to which `auditChain` has verified the chain. Older records keep null
in the new columns, and their canonical JSON leaves those keys out, so their hashes are
unchanged. The PostgreSQL group append takes the new columns."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

POSTGRES = r"""
ALTER TABLE "audit_events" ADD "client_request_id" VARCHAR(64);
ALTER TABLE "audit_events" ADD "client_address" VARCHAR(64);
ALTER TABLE "audit_events" ADD "count" INT;
ALTER TABLE "audit_events" ADD "catalogue_version" VARCHAR(32);
-- program codes of the catalogue are up to 31 characters
ALTER TABLE "audit_events" ALTER COLUMN "program" TYPE VARCHAR(32);
ALTER TABLE "enrollments" ALTER COLUMN "program" TYPE VARCHAR(32);
ALTER TABLE "program_lookups" ALTER COLUMN "program" TYPE VARCHAR(32);
ALTER TABLE "program_lookup_counts" ALTER COLUMN "program" TYPE VARCHAR(32);
CREATE TABLE IF NOT EXISTS "audit_verified_points" (
    "sequence" BIGINT NOT NULL PRIMARY KEY,
    "hash" VARCHAR(64) NOT NULL,
    "verified_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "audit_verified_points" IS 'How far `auditChain` has verified the chain: each call goes on from the last point (and';

DROP FUNCTION IF EXISTS sijill_append_audit(TIMESTAMPTZ[], VARCHAR[], JSONB[], VARCHAR[], VARCHAR[],
    VARCHAR[], VARCHAR[], JSONB[], JSONB[], JSONB[], VARCHAR[], VARCHAR[], VARCHAR[], VARCHAR[],
    TEXT[], TEXT[]);
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
-- (SQLite does not enforce VARCHAR lengths: the program columns need no change.)
ALTER TABLE "audit_events" ADD "client_request_id" VARCHAR(64);
ALTER TABLE "audit_events" ADD "client_address" VARCHAR(64);
ALTER TABLE "audit_events" ADD "count" INT;
ALTER TABLE "audit_events" ADD "catalogue_version" VARCHAR(32);
CREATE TABLE IF NOT EXISTS "audit_verified_points" (
    "sequence" BIGINT NOT NULL PRIMARY KEY,
    "hash" VARCHAR(64) NOT NULL,
    "verified_at" TIMESTAMP NOT NULL
) /* How far `auditChain` has verified the chain: each call goes on from the last point (and */;
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return {"postgres": POSTGRES, "sqlite": SQLITE}[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    raise NotImplementedError("the audit log is never narrowed by a migration")


MODELS_STATE = (
    "eJztXVtT5DYW/iuqfglTy1BDcxky2d0qYEimN8zAApOkElJutS26FdySI9sQKjv/fSX5bs"
    "vGNjZ0a/xC0ZaObH+Sz9G56u/RklrIdrcOfQt7J3eIeKN34O8RgUvE/1G0boIRdJykTVzw"
    "4MyW3aHoZyDRUTbAmesxaIoxb6DtIn7JQq7JsONhSgTFGUHgBwadxX9PAXUQg6JhE0Dbpv"
    "fI2gQWIhhZgDI+ALaRtQUOHQcR6zUl9sM74C0QsCC/P3QRYOjGd5G8sUVNfmdM5j3d45p8"
    "Pn9/eHWyCd6fnJ5cnQBILHB18fnTMb+4BaYL6C6m4F/g8sPh6/He/obD0B2mvmuIBvAPYE"
    "JCCTahDf5zefYJ0Bt5F4ZMyqxXW+INfIL/9JHh0TniTYy/x2+/88uYWOgv/o78528jjixl"
    "orOLeF9iohHvwi97o99FX+fWuMHItjIzGnflHWSr4T04suUIzyfE+15SCAhnhkltf0nyVM"
    "6Dt6AkJsPBopgjIpBFVmquiW/b4dKILgWvxS94zEfx+1jJBQvdQN8WK0ZQB8+RXBsZxqez"
    "K+Py5MowRoXVFFGkJj+8ZFIiViIW61KgMReP8Prb8Xhn5+34zc7+wd7u27d7B28OeF/5vM"
    "Wmt1+Ch0lAC4aS0E1+mHy6Eg9E+XIPvgVx4Yuk4WsnoJLTlkwF9IqT8J5D6OElUk9DQJGb"
    "ACsk2Yr+aTMd0YVkPpIP9hkmpALbq8nHk8urw4/nYvil6/5pS5z4dyZaxvLqQ+7qxv6r7G"
    "TEg4CfJ1cfgPgJfj37dCLhpK43Z/KOSb+rX0fimaDvUYPQewNaaUyiy9El3jU1rdFXmZ3Z"
    "4wVkJbMaEeQmlgO0hlM5WsK/DBuRubfgP7fHbyrm9qfDi+MPhxcbvFduwj6FTeOg7UsGYU"
    "btgM1nERasVI1wTJD/dLDpgf8BG7uteNjqfjQCisz3EuG58fHwlzzUx6dnR/kPQQxwlIPd"
    "YXTO4LLJ0k6RtFrcoVBYFcSza3tnXGNp74xLV7ZoyiHsMz4JCtlcgXBCoiHCb+pwD96rHO"
    "M3Be4RbwGbwJwhGvh0PT4dgxZA1QbumFJLzGtBXoF4HvBgl2m4yEamAKWBiAw3qIOMfJqM"
    "DHRJI0GzLv4FwmEanjANrj/7g38CjWYgTTOA/wTwqe+ZdNmM3yckGjL6gxp8/qCUzR/kuT"
    "xijDIOntUI4iyVfnvF8W4NlMe7pTCLppyaKYxermdghSAtxzlLpeFq3q8D9H450PsFoB1q"
    "Y/PBuEPMbbgtL1JqCHgPembaHN1Mn88Ragh39+u7KcoDuA3ANW2MiGe0Y9ZKYv1kY2+oQ8"
    "viG0HFNvtRyFOUA9418KY+UbiLSh12cf9W3rpVAzdw1423d9/uHuzs78ZeuvhKlXMucsSl"
    "wIQetOncR222HEpi/ZZwN5sO4Ya+uU15P8WFGTRv7yGzjEILHdOyvsWm5XiZvwIJnEvgxB"
    "uK50/HL1wG+v2oLL4hat98PMIhbSp4PMbh5wU2F6Fz3/1GxhIASIAcCshgCd7o+YwEQQjm"
    "AhL+Fu/A9eh+QYEL78GCb7nQgtoW+OV6BLALKJFaXCbMoZ/bXJNwOQK+SNlDJjYC2PgWyc"
    "iFIOSjduCCm0CdhC6UhiyoRHpVsIJSiisYX/j9DVEKlVEKqxIw8tLc8Rkno2DHbCKfUiQa"
    "6g+7ddxUu+Veqt03qyaWfkIM8/7WOcUVwXfZXjVE1F1IYDgU147G+0DveRMDUzkGX2OYTA"
    "HXRkE0mmT2prj+DiDIxY0JbRvMKRKyAtwwupQ9bOh6QN4YbEBiFURVT/e5JjeY8SvmApm3"
    "Lu8BvVRcnfiXIeB6mA8lbiaaZDwel48LaL3aBIR6yeDBWAFtTck2RN2tCgstl2eDMaZHNT"
    "XmOs1jG3OkQ5DjygU5rojUfI9MG4bBOApxmW6ulJNW0rFBsHqo9IuQbZgoTN+4wKUmpq+5"
    "tCB0iU2QGn0LnNkWYhGpCyAXQ7fI8bYKgrGXOyjk1m+jeODQ6BkZM36vK9IGrewlpVip4a"
    "oU/3Jr1VorZJ0ZBRcIWgayfLNxbGCRUsO9wnat+MCK8MBCdKCEjZqm77RDPEuqIeS1QjIr"
    "IjKLAZmC6fP7Nw7HzNMNYNcAO1ifxHxognSGSEOYt+uoHNvlKsd2MUqH0qXCAXm5hLZdKg"
    "xjIp1E4c747X4sBcWPKgF4+fHw9LQoBe/5WzPDpT5TGSvK122eTselu19n6eaVstTS3S8E"
    "8okwbYZN7D0YS0q8ha3gFVyfwXwtlwT1qUfIK8/BEFvhUGs4ExXIvz85nvC1vPHtZuCM5F"
    "oy9lB6TnYLrDlYre0gL9AOYFeD7XB0UEuwC7QD2NVgz3wPcsRm1PNs5JajXi0ey0cZ5GUW"
    "b+i6qFmaQULx/EkGo3/e+MQUcIGZj20PE3dL3O/fo+df3b2kHsA5F4b8DXwGbcOGxDIWXE"
    "BCpkoXrmQ81QM9mQutWOhPx0zIxnfI9ah5a/AXVH0dldArqAe8K/EOLMGtvC45Ug29LiOG"
    "oHVGuPgKlsGaeGHCFVtZaSKevFkjG0OOTEdVrY9s5rzHJAv358+T9+XGszRdDm/fx9aWoF"
    "5D1CtADuJDg48jvezlmyoicBQ4F0H+njKE5+RH9CChnvCHger4iNAZ+CE91nqCm1xNuAKD"
    "97FHrrC+OAr83VEgNC44j7mYHPNt68s4a08Io7a9LKkrlmrdrHLVorhfTU/tYcZxmpADTA"
    "AEYVWS7wD0wJKvTRHnCg6PryY/nQAHMbARE29GfV8VfbU93aNO/GyqrAr/AjxfosJnv1kM"
    "bTnL6p5RPe6yTekm8k7iz+5LKCaPcK7NCq/sC1TIWTWu1XfqYrLeawfExhQaAtxxajnHin"
    "mtFIkspYZ6xJroDaXRWxnHA4ewzSSn6TqY4vXRytdxhg2u+LrN4iqyVBomtfVRTyzY+TXW"
    "wnNkGsqmXrRw+WbGHbR9hX/6e5vCsvDDLF0O7htBuIaAVxkSzz4fnZ6A84uT48nlJLS1xz"
    "xKNmbtixcnh6c5sL0FZ0klqng51BmqAeg6QN9QtvRt2CYfWUGqIS/pJxZuMOcN5rxnBne9"
    "zXnJBCiseZnZKTfmxS/Y3JYXFcoXmRDQBgzNseshtgU+ouWM8z+Z9yA6UAcRMA2vLrAzBY"
    "zeu5U2vC7Grmm7u8N8lYfTK6x2omi/uB+f6uTiYMp7UVMeQzeIqVM2q2q/pYi6kcIvm+vS"
    "sww26XLpk0YQp0g03Ob0ojItsY2R3wTkhEJDjPdqILxXiu9eHt0WJbCeWvtqtfHtxcgymP"
    "17zsZak4TC7b7g7TibMNo+tjKzF4g1dKdoHJblO2Je2kx8lnKY9VWZdYXLJXx65RffzBFQ"
    "INRRXunnClgxR1fPBuoAsyeYqUsH0M/L2L2eHIDHVV/HbydYlAMMHvzVESdlwd2QqEtaV1"
    "VayVPqlLP1zPUXc8baBkF9aTINBfpOHRW/XMEvHrWRsn432TjFRBpiXCd2sjx0Ul1/OQ95"
    "B065i3igNUO7rkcus85K3HEqptEBtuepoTRFN8cra+Aby7cuAOYbUa0Xb34z0NidXMA9Lp"
    "iX25GE1N//eIHssrJM6hp9mkCviAqMU1baY5XNkdERKv5s2FRlaDeBKQ4+mIg31RWqZRx1"
    "8ES4kvAFnaB6ltCXYIFVxb/ES7BGEIyRWv31KpBGWjyQ6OfKhG6BqwUCBN0jUbua3otTHG"
    "Sd61SqmqT7DlBZMlTEroxyqPd0m2siQmiw54IFdj0qDpOYirtQIrjkFNwi5LhBuW8PsSUf"
    "gs8wf6aZL2ucjjbrBdjkA6jSVo/hkIkVLWfa2Ig7RHIPAcarbbRNWFsR7fLyQFmq4RziJ5"
    "3FHWsZ5ev+MStqnlonY2pn0Q7httQoOaWuuthYgVgniLuoMWZCvqFpwrFjAh35dOfHPD/B"
    "rda9Q23VwNfJozZk/AwZP6tgpthcp4yfiYX4htRDxHy4kEdhjRSWj2KnzSrjB066G7fooa"
    "bt4yp1JpfLJyowSQTRU8E+DSx9L/iHIT41yAL32FsEWT38gUHqvoDft5gO1M8tlOev8Fel"
    "UhpTByWWcE4ynMCyHiaLeAJrR/1HBBruynqJ78t8GXVRzhBpiHQ3B2CmYRY8pwHAYXcNod"
    "2ulbiyXZG4sl1MXGHiDEfXM5oeO5in0xDv7o8fDKR24zCiFJGGMHfPMUyGWiY4ZCk11JfX"
    "NMGhLK2loOW9jBKS8lYrtI+sL7tc7cg5z+tUHnBkeNA3Lkhoc57Q4LzgqSx/Z4iFOwUeBV"
    "NRSSv4tSHrBdwv+B/xVspCon3dpo27NBoyKEsQPFmhadBJVlInYWHcR/Qt1BeBWToNpWD3"
    "pze55oJSWzxBA6QzRM8H80gAenh+fjo5PgzdxesIOd8MGxZ24Qzb2FNoLUccWwRJiRm3QJ"
    "zDf8ap+5qA+MrzGnGPzs5OM9uLo0mOqXz6/PHohE9D7rCJohcqET3qTV/Jes9QVW341pDD"
    "VMVs8A1boU6k1Ri+NM0TwVufVC0Vdn9hr0090yyZhqmG3XtDB93uK9HtBtdob2XFUrlAaf"
    "2pvlqUIdMpHuYZFKTBM/3cnunigu8AX+0zszLf+Er5/EPoFaa2ZFLKzWzBe9U1sRGAiMce"
    "ouqbDnV8O3KwRxU4p9gy3WmUY+D4Mxubagf+04d73GQ22L5W0vYlJrWJbhD1165MZ/e14U"
    "zcSOsKu3eiba0Qrh0ftcP3jNgStWINUzBs4gvLf0O/pXoA3YDvfkHPMPMWhomYh2+wyUEx"
    "WpX7fWQY/cwN3buSiRTOUG3OLUc+R6ahv6KD4h+Z/C8R1WjIXw1gzlJpiPJBnQV9UL6gD4"
    "pnX8MWOGeIBphrwJysTAM2kpoFQv24dI+LuiHYeboB68exdoPSAbUdykF3DZlGHe9xufO4"
    "4DsONmtNHXBZqq/af2kh2ALALNXX7MN0+Js32hXEBPqxzR6O84KuQYXFzlggaAu1jN5xeO"
    "YKxB+NEikdZwgYaRAwMpwoMBpOFBjc88OJAsOsF2c9wmg4UaCtUbirjMMGKQ5DHb4VqMN3"
    "zuicweUppbe+Mh0k22Gz0lUddDVs2bdhVgiAIKQH0L1FFoAz6ntANljw4Z30LlsQ2w/AhA"
    "6Q5W1cYPEvExPTCwdRnknZ+fjKDPRwcHl/KNmEdIkO6edr4e5OzV5tfTIh0VAg7NTxmOyU"
    "u0x2Cj6T8KuobemAKln7ddmIXjYIY6XWYzde6xVJwMzI1GNZqO0xyXsclXOrK36DAnA1hf"
    "D7nJhrJixlaVl+M8SK4rezka/JNfkROR6YyUANMM3tNqbApZwYesBcIPOW314OJWQ5QXeI"
    "RRK96nTpghQfpPcgvdeRWw7SewWkdypyt2mqgkqK92i0fbP23GF1BHtwwIxanMeHz1QKcd"
    "mrnuAun4knBF6b/KmasNKov3ahv52cylUutZqGNQ0RTQ3iPvgGsFHZoqi/huBu19kMbJdv"
    "BrYLm4HhfLl+Qkwrcu2G8+XqJoLVOV/uZXYHIfSKvUEyKeU7g+C9hn3By+8LOgkmH/YFL7"
    "IvaBF2+9SI268B4lZu34yu097pq+Gpnr26fC/4s/Jdw4VfIori1kfEkexnML92cjLgfUUq"
    "8dTFf2DbBuEQ03fiP1HZSIwdluaTse7phPmpyrX79AGHBOUVtupUScnhCK5nDwqWn1SruL"
    "kspYZxc+sbJ1cMj7zBBLuLVvOcI+1golcs7l6neS5IxCY8VEmsX2bFTp20qZ3yvKmdYtHN"
    "CDPXsJQZLFVbCAXx4CVaOy/RIWLYXIwUm++wpXLjDZM+L2IGUvGJr2XP+8T0k4oTe5vvYj"
    "Xfve7t1dm+7u2V719FW5b3io+qAcJhdw3R7eVsFnG8OFIdWFp1PG9MMpzN2/Bs3hcVZl/+"
    "D5tFT8Y="
)
