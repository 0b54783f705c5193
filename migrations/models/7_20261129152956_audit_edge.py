"""Release 1.1 audit records: the client's own request id (the record's `requestId` is always the
server's), the client address of refusals before authentication, the count of an aggregated
record, and the points up to which `auditChain` has verified the chain. Older records keep null
in the new columns, and their canonical JSON leaves those keys out, so their hashes are
unchanged. The PostgreSQL group append takes the new columns."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

POSTGRES = r"""
ALTER TABLE "audit_events" ADD "client_request_id" VARCHAR(64);
ALTER TABLE "audit_events" ADD "client_address" VARCHAR(64);
ALTER TABLE "audit_events" ADD "count" INT;
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
    p_client_request_id VARCHAR[], p_client_address VARCHAR[], p_count INT[]
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
                                  client_request_id, client_address, count)
        VALUES (seq, p_at[i], p_actor[i], p_roles[i], p_program[i], p_purpose[i], p_operation[i],
                p_operation_type[i], p_fields[i], p_denied_fields[i], p_subjects[i], p_outcome[i],
                p_error_code[i], p_request_id[i], p_policy_version[i], previous, digest,
                p_client_request_id[i], p_client_address[i], p_count[i]);
        INSERT INTO audit_subjects (sequence, subject)
            SELECT seq, s FROM jsonb_array_elements_text(p_subjects[i]) AS s;
        previous := digest;
    END LOOP;
    RETURN first;
END
$$;
"""

SQLITE = r"""
ALTER TABLE "audit_events" ADD "client_request_id" VARCHAR(64);
ALTER TABLE "audit_events" ADD "client_address" VARCHAR(64);
ALTER TABLE "audit_events" ADD "count" INT;
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
    "eJztXW1z2zYS/isYfakz53ji17jp3c3Ijtro6sQ+22k7rTsURMISagpgQdKup5f/fgD4To"
    "I0KZG2hPCLxyKwIPksuIt9weLvwYJayHZ3hr6FvdE9It7gHfh7QOAC8X8UrdtgAB0naRMX"
    "PDi1ZXco+hlIdJQNcOp6DJpizFtou4hfspBrMux4mBJBcU4Q+IFBZ/7fM0AdxKBo2AbQtu"
    "kDsraBhQhGFqCMD4BtZO2AoeMgYr2mxH58B7w5Ahbk94cuAgzd+i6SN7aoye+Myayje9yQ"
    "zxfvh9ejbfB+dDa6HgFILHB9+fnTKb+4AyZz6M4n4F/g6sPw9d7h0ZbD0D2mvmuIBvAPYE"
    "JCCTahDf5zdf4J0Ft5F4ZMyqxXO+INfIL/9JHh0RniTYy/x2+/88uYWOgv/o78528Djixl"
    "orOLeF9iogHvwi97g99FX+fOuMXItjIcjbvyDrLV8B4d2XKCZ2PifS8pBIRTw6S2vyB5Ku"
    "fRm1MSk+FgUswQEcgiK8Vr4tt2ODWiS8Fr8Qse81H8PlZywUK30LfFjBHUwXMk1waG8en8"
    "2rgaXRvGoDCbIooU88NLJiViJmIxLwUaM/EIr7/d29vff7v3Zv/o+PDg7dvD4zfHvK983m"
    "LT2y/BwySgBUNJ6MY/jD9diweifLoH34K48EXS8LkTUEm2JayAXpEJ7zmEHl4gNRsCihwD"
    "rJBkJ/pnGXZEFxJ+JB/sMzCkAtvr8cfR1fXw44UYfuG6f9oSJ/6diZY9efUxd3Xr6FWWGf"
    "Eg4Ofx9QcgfoJfzz+NJJzU9WZM3jHpd/3rQDwT9D1qEPpgQCuNSXQ5usS7ptgafZVZzp7O"
    "ISvhakSQYywHaANZOVjAvwwbkZk35z93995U8Pan4eXph+HlFu+VY9insGkvaPuSQZhROx"
    "DzWYSFKFUjHBPkPx1seuB/wMbuUjJsfT8aAUXme4nw3Po4/CUP9enZ+Un+QxADnORgdxid"
    "MbhoMrVTJEtN7lAprAviubl9VGdq50VRamYf5Se24zPOBIVurkA4IdEP4f03daQH71WKsW"
    "zLghwvAZvAnCHq5XQ9OR2DFkC1DNwxpZaY14K8AvE84MEq03CRjUwBSgMVGS5Qex25mo4M"
    "bEkjQbMu/gXCng0rsMH1p3/wT6ARB9I0PfgrgE99z6SLZvI+IdFQ0B/XkPPHpWL+OC/lEW"
    "OUcfCsRhBnqfRbK+4d1EB576AUZtGUMzOF08v1DKxQpOU4Z6k0nM1HdYA+Kgf6qAC0Q21s"
    "Phr3iLkNl+VFSg0B36+zTtwvXyfuF9aJGXd0M3s+R6gh3O3P76Yo9+A2ANe0MSKesZywVh"
    "Lrpxs7Qx1aFl8IKpbZT0KeouzxroE39YkiXFQasIv7LxWtWzdwg3Dd3u7B24Pj/aODOEoX"
    "X6kKzgWBOBEQvb1LxeHEhSk07x4g42Z3voXu0bK+xabF3iJ/BRI4k0CJNxIPl46kXwWW5q"
    "As0h61bz8da08brU9H23+eY3Mehpndb2RUG0AC5FBAhu15o+czEoTDzTkk/C3egZvBw5wC"
    "Fz6AOVf+aE5tC/xyMwDYBZRIeyITcO/mNjcknH6AT0r2mInSc9P8DskYepB8UDuE7iZQJ0"
    "H00uC5SrlUhc2V+kTxCYbfWx8vr4yXr0vqwnpIw2dhRsGj1kTTp0g0XMke1AmYHJTHSw5k"
    "uGSd1NJPiGHe37qguCINLNurhoq6DwkMh+LaeWEf6ANvYmAix+BzDJMJ4HYRiEaTwt4U19"
    "8BBLm6MaFtgxlFQleAW0YXsocNXQ/IG4MtSKyCquroPjfkFjN+xZwj887lPaCXyvAS/zIE"
    "XA/zocTNRJPMDOP6cQ6tV9uAUC8ZPBgroK2p2fr8r3URoeX6rHcLdGgwxVKneZZdjrRPt1"
    "u7dLs10ZrvkWnDMC1EoS7TzZV60ko6NkibDp3eInkYJgbTNy5wqYnpa64tCF1gE6RG3wHn"
    "toVYROoCyNXQHXK8nYJi7OQOCr312yAeOHS/Rc783+uqtN4qe0ktVhq1KcW/PFqz0QbZSu"
    "6pTLgAQctAlm82zlIrUmq4VtitlalWkahWyFOTsFHT9J3lEM+Sagh5reTAitzAYmqgEPr8"
    "/o0TA/N0Pdg1wA7mJzEfmyCdIdIQ5t06JsduucmxW8wXoXShCIVdLaBtlyrDmEgnVbi/9/"
    "Yo1oLiR5UCvPo4PDsrasEH/tbMcKnPVM6K8nmbp9Nx6ra+8UAmDDNsYu/RWFDizW2FrOD2"
    "DOZzuSS9TD1C3ngOhtgJh9pATlQg/350OuZzeevb7SAXh1vJ2ENpnhwURHMwW5eDvEDbg1"
    "0NtsPRQUuCXaDtwa4Ge+p7kCM2pZ5nI7cc9Wr1WD5Kry+zeEPXRc0S3hOK5093H/zz1iem"
    "gAtMfWx7mLg74n7/Hjz/7O4kCR7OuDLkb+AzaBs2JJYx5woSMtXG1UrBUz3QylJozVJ9Wh"
    "ZCNr5HrkfNO4O/oOrrqIReQd3jXYl34AleKuqSI9Uw6jJgCFrnhKuvYBpsSBQmnLGVNQ9i"
    "5k0b+RhyZDqaal3sq81HTLJwf/48fl/uPEvT5fD2fWztCOoNRL0C5GB7RPBxpKe9fFNFBo"
    "4C5yLI31OG8Iz8iB4l1GP+MFCdHxEGAz+kx9pMcJOriVRg8CGOyBXmF0eBvzsKlMYllzGX"
    "41O+bH2ZYO2IMGrbi5IKV6nW7apQLYr71YzUDjOB04QcYAIgCOtjfAegBxZ8boo8VzA8vR"
    "7/NAIOYmArJt6O+r4qxmo7uked/NlUgQ/+BXi+RIVzv1kObbnIal9QPR2yTdkm8k7iz8FL"
    "GCZPSK7tiqjsC9RqWTep1bXPNJnvtRNiYwoNAW55kzPHinlLGRJZSg3tiA2xG0qztzKBBw"
    "7hMkxO07XA4s2xyjeRwwY3fN1meRVZKv12CHZS2SpY+TW2wnNkGuqmTqxw+WbGPbR9RXz6"
    "e5vCsvTDLF0O7ltBuIGAVzkSzz+fnI3AxeXodHw1Dn3tsYySjVn/4uVoeJYD25tzkVRiip"
    "dDnaHqga4D9C1lC9+GyxTjUJBqKEu6yYXr3Xm9O++Zwd1sd17CAIU3L8Odcmde/ILNfXlR"
    "yXaxEwLagKEZdj3EdsBHtJhy+Sf3PYgO1EEETMKrc+xMAKMPbqUPr42xa/ru7jGf5SF7hd"
    "dOlI8X9+OsTi72rrwXdeUxdIuYestmVRWyFFE7Wvhl97p0rINNulj4pBHEKRINlzmdmEwL"
    "bGPkNwE5odAQ48MaCB+W4nuYR3eJYkyrVmFab3w7cbL0bv+Od2NtyIbC3a7gbXk3YbR8XM"
    "rNXiDWMJyicVqW7wi+LMP4LGXP9XXhuiLkEj698otvFggoEOqor/QLBaxZoKtjB3WA2Qpu"
    "6tIB9Isytm8nB+Bx09fxl1MsygH6CP76qJOy5G5I1MWVqyqt5Cl12rP1zPUXc87aBkl9aT"
    "INFfp+HRO/3MAvHvqQ8n43WTjFRBpiXOcAgvLzB/aUhS7zkLcQlLuMB9owtOtG5DLzrCQc"
    "pxIaLWB7kRpKU3RzsrIGvrF+awNgvhDVevLmFwONw8kF3OOCebkVSUj9/Y+XyC4ry6Su0a"
    "cJ9IqswHjLyvJYZffI6AgVfzZsqnZoN4EpTj4YizfVFapFnHWwIlxJ+oJOUD1L6kswwary"
    "X+IpWCMJxkjN/noVSCMrHkj0c2VCd8D1HAGCHpCoXU0fxCkOss51aquapPsOUFkyVOSuDH"
    "Kod3SbGyJSaLDngjl2PSoOk5iIu1AipOQE3CHkuEG5bw+xBR+Cc5g/09SXNU4H2/USbPIJ"
    "VGmvR3/IxJqWM23sxO0zufsE4/V22iairYh2eXmgLFV/Iu5Kp0LHVkb5vH/Ki5qn1smZ2l"
    "q2Q7gsNUrOS6suNlYg1gniNmqMmZAvaJpI7JhARznd+oHDK4TV2g+orRv4OkXU+h0//Y6f"
    "dXBTbG/Sjp+xhfiC1EPEfLyUR2ENFJ6PYqftKucHTrobd+ixpu/jOnUml8sZFbgkguypYJ"
    "0GFr4X/MMQZw2ywAP25sGuHv7AIHVfwO9b3A7UzS2U56/wV6VSG1MHJZ5wTtKfwLIZLouY"
    "gbWz/iMCDVdlneT3Zb6MuihniDREup0DMNMwC5nTAOCwu4bQ7tbauLJbsXFlt7hxJTrkvu"
    "mxg3k6DfFu//jBQGs3TiNKEWkIc/sSw2RoyQ0OWUoN7eUN3eBQtq2lYOW9jBGSilYrrI9s"
    "LLvc7MgFz+tUHnBketA3Lkhoc5HQ4LzgiSx/Z4iJOwEeBRNRSSv4tSXrBTzM+R/xVspCol"
    "3dZplwaTRkUJYgeLJCU2+TrKVNwsK8j+hbqK8Cs3QaasEOKpGac0pt8QQNkM4QPR/MAwHo"
    "8OLibHw6DMPFmwg5XwwbFnbhFNvYU1gtJxxbBEmJG7dAnMN/yqm7YkB85XmduCfn52eZ5c"
    "XJOCdUPn3+eDLibMgdNlGMQiWqR73oK5nvGaqqBd8GSpiqnA2+YCvUibQaw5emWRG8zdmq"
    "pcLuL+wtU880S6bhVsP2o6G9bfeV2HZ9aLSzsmKpvUBp+6m+WZQh0ykf5hkMpD4y/dyR6e"
    "KEbwFf7XdmZb7xtYr5h9ArXG0JU8rdbMF71XWxEYCIxx6j6psOdXw7CrBHFTgn2DLdSbTH"
    "wPGnNjbVAfzVh3vaZdb7vtbS9yWY2sQ2iPprV6az/dpwJm5kdYXdW7G21gjXlo/a4WtGbI"
    "lasYYpBDbxhee/YdxSPYBuwLc/oaeYeXPDRMzDt9jkoBhLlft9Yhj93A3th5KJVM5Q7c4t"
    "Rz5HpmG8ooXiH5n9XyKr0ZC/GsCcpdIQ5eM6E/q4fEIfF8++hkvgnCHqYa4BczIzDdhIax"
    "YI9ZPSHU7qhmDn6Xqsn8baDUoH1A4oB901FBp1osflweNC7DhYrDUNwGWpvur4pYXgEgBm"
    "qb7mGKbD37zRqiAm0E9sdnCcF3QNKjx2xhxBW5hl9J7DM1Mg/mSWSOk4fcJIg4SR/kSBQX"
    "+iQB+e708U6Lle5HqEUX+iwLJO4bZ2HDbY4tDX4VuDOnwXjM4YXJxReucrt4NkO2xXhqqD"
    "roYt+zbcFQIgCOkBdO+QBeCU+h6QDRZ8fCejyxbE9iMwoQNkeRsXWPzLxMT0wkGUZ1K2Pr"
    "5yB3o4uLw/lGJChkT77ecbEe5Oca+2PZmQ6KgQWt9tEH4VtT0dUKVrvy4f0csmYazXfGwl"
    "ar0mGzAzOvVUFmp7SvOeRuXc6qrfoABcTSX8PqfmmilLWVqW3wyxovptbeQbckN+RI4Hpj"
    "JRA0xyq40JcCknhh4w58i847eXQwldTtA9YpFGrzpduqDFe+3da++NlJa99n557Z3K3G26"
    "VUGlxTt02r7ZeOmwPoo9OGBGrc7jw2cqlbjsVU9xl3NihcRrkz9VE1Ea9dcu9beVU7nKtV"
    "bTtKY+o6lB3gdfADYqWxT11xDc3TrJj7vl2Y+7hfTH/ny5blJMK/ba9efL1d0IVud8uZdZ"
    "HYTQK9YGCVPKVwbBe/XrgpdfF7SSTN6vC15kXbBE2u2qGbdfA8RLhX0zts7yQV8NT/XsNO"
    "R7yZ+Vrxou/RJVFLc+oY5kP4P5tTcnA95XbCWeuPgPbNsgHGLyTvwnKhuJscPSfDLXPb1h"
    "fqIK7a4+YL9BeY29OlVasj+C69mTguUntVTeXJZSw7y5zc2TK6ZH3mKC3flSfM6RtsDoNc"
    "u714nPBY3YRIYqifXbWbFfJ5C2Xx5I2y8W3Ywwcw1LuYOlagmhIO6jRBsXJRoihs35QLH4"
    "DlsqF94w6fMibiCVnPha1rwrbj+pOLG3+SpW89Xr4WGd5evhYfn6VbRlZa/4qBogHHbXEN"
    "1OzmYRx4sj1YGlVcfzxiT92bwNz+Z9UWX25f+1rdbd"
)
