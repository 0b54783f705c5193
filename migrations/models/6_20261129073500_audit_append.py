"""The audit log's group append in one statement on PostgreSQL: a function takes a group of
records, serialises appenders with the transaction-scoped advisory lock, continues the hash chain
in SQL and inserts the events and their subjects. Python hands over each record's canonical JSON
cut around its sequence number (api/services/audit.py: canonical_parts), so the hash is the one
`verify_chain` recomputes. Nothing changes on SQLite. (No model changes: the models' state is the
previous migration's.)"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

POSTGRES = r"""
CREATE OR REPLACE FUNCTION sijill_append_audit(
    p_at TIMESTAMPTZ[], p_actor VARCHAR[], p_roles JSONB[], p_program VARCHAR[],
    p_purpose VARCHAR[], p_operation VARCHAR[], p_operation_type VARCHAR[], p_fields JSONB[],
    p_denied_fields JSONB[], p_subjects JSONB[], p_outcome VARCHAR[], p_error_code VARCHAR[],
    p_request_id VARCHAR[], p_policy_version VARCHAR[], p_head TEXT[], p_tail TEXT[]
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
                                  error_code, request_id, policy_version, previous_hash, hash)
        VALUES (seq, p_at[i], p_actor[i], p_roles[i], p_program[i], p_purpose[i], p_operation[i],
                p_operation_type[i], p_fields[i], p_denied_fields[i], p_subjects[i], p_outcome[i],
                p_error_code[i], p_request_id[i], p_policy_version[i], previous, digest);
        INSERT INTO audit_subjects (sequence, subject)
            SELECT seq, s FROM jsonb_array_elements_text(p_subjects[i]) AS s;
        previous := digest;
    END LOOP;
    RETURN first;
END
$$;
"""

POSTGRES_DOWN = r"""
DROP FUNCTION IF EXISTS sijill_append_audit(TIMESTAMPTZ[], VARCHAR[], JSONB[], VARCHAR[], VARCHAR[],
    VARCHAR[], VARCHAR[], JSONB[], JSONB[], JSONB[], VARCHAR[], VARCHAR[], VARCHAR[], VARCHAR[],
    TEXT[], TEXT[]);
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES if db.capabilities.dialect == "postgres" else ""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES_DOWN if db.capabilities.dialect == "postgres" else ""


MODELS_STATE = (
    "eJztXetT47YW/1c0+VI6l2WW8Fi6vffOBMh2c8sCF9i209JxFFtgFcdyZRua6d3//Up+P2"
    "RjBZskWn9hiKUj278j6xydl/4ezImBLHdn5BvYGz8i2xu8B38PbDhH7B9B6zYYQMdJ2/gF"
    "D86soDvk/TTEOwYNcOZ6FOp8zDtouYhdMpCrU+x4mNic4sJG4AcKHfO/Z4A4iELesA2gZZ"
    "EnZGwDA9kYGYBQNgC2kLEDRo6DbOMNsa3Fe+CZCBiQ3R+6CFB057souLFBdHZnbN93dI9b"
    "+/Pl6ehmvA1Ox2fjmzGAtgFurj6fn7CLO2BqQtecgn+B64+jN8ODwy2HokdMfFfjDeAfQI"
    "c2sbEOLfCf64tzQO6Cu1CkE2p8u8PfwLfxnz7SPHKPWBNl7/Hb7+wytg30F3tH9vO3AUOW"
    "UN7ZRayvraMB68Iue4PfeV/nQbvDyDJyHE26sg5Bq+YtnKDlGN9PbO9DQMEhnGk6sfy5Xa"
    "RyFp5J7IQMh5PiHtkcWWRkeG37lhVNjfhS+Frsgkd9lLyPkV4w0B30LT5jOHX4HOm1gaad"
    "X9xo1+MbTRuUZlNMkWF+dEknNp+JmM9LjsY9f4Q33w2He3vvhm/3Do8O9t+9Ozh6e8T6Bs"
    "9bbnr3JXyYFLRwqAC6yQ+T8xv+QIRN9/Bb4Be+BDRs7oRUAdtSVkCvzIRTBqGH50jMhpCi"
    "wAAjItmJ/1mGHfGFlB/pB/sKDKnB9mbyaXx9M/p0yYefu+6fVoAT+854yzC4uihc3Tr8Ns"
    "+MZBDw8+TmI+A/wa8X5+MATuJ69zS4Y9rv5tcBfyboe0SzyZMGjSwm8eX4EuuaYWv8VeY5"
    "e2JCWsHVmKDAWAbQBrJyMId/aRay7z2T/dwdvq3h7U+jq5OPo6st1qvAsPOoaRi2fckhTI"
    "kVLvN5hPlSKkY4ISh+Olj3wP+Ahd2l1rD1/Wg4FLnvJcZz69PolyLUJ2cXx8UPgQ9wXIDd"
    "oeSewrnM1M6QLDW5I6GwLogX5vZhk6ldXIoyM/uwOLEdnzImCGRzDcIpiXoI771tsnqwXp"
    "UYB215kBMVUAbmHFG/TjdbpxPQQqiWgTuhVBLzRpDXIF4EPNQyNRdZSOegSIjISEHtZeTL"
    "ZGS4l9RSNJviXyLs2fACNrj+7A/2CUhxIEvTg/8C8Inv6WQut96nJAou9EcN1vmjymX+qL"
    "jKI0oJZeAZUhDnqdTTFYf7DVAe7lfCzJsK20xu9HI9DQsEaTXOeSoFZ/NhE6APq4E+LAHt"
    "EAvrC+0RUVdSLS9TKgj4XhM9ca9aT9wr6Yk5c7Tcfr5AqCDc7c9vWZR7cJ8Bl3s37h4yRn"
    "V+YQb1hydImQ5dbCFDUtW33DQfzotXoA3vA+D4G/Lnz7rFrkO1cVDlNovbt593nGU10Odd"
    "Zz+bWDcjn5H7TeCiAtAGwVAg8MGxRs+ndujb0k1os7d4D24HTyYBLnwCJvuSkUksA/xyOw"
    "DYBcRGJe9ZN7e5taPpCNgkpYucy43p2Q8ocIiFnsTG/jA3hTr1iFV6wkRivc4HJhToAu9X"
    "pCX1zq9a59e6+CFXvTq+IjNK22MZmZQhUVAs7Texfu5XGz/3366RWDpFugUja7VAKmWba4"
    "WSkXaUiOaIdHEe0wDTpf8bF7hEx+QNkyM2mWMdZEbfAReWgWhM6gJIEXhAjrdTkkad3EEg"
    "W34bJANHO7l4j/F7Qez08mUt5UvlZrIS/+pN5EaLluHu/rv9o73D/QT+5Eod6mWhYSJoaM"
    "jwdWnnWZlSQRGy28iBVuM/K7nPAtiIrvvOcojnSRWEvJHPssZlWfZY8kWf3V/aX1mk68Fu"
    "AHY4P219IeUpyBIpCPNuEwPJbrWBZLdsxiZkLnCEXc+hZVUKw4RIJVG4N3x3mEhB/qNOAF"
    "5/Gp2dlaXgE3trqrnEp6K9a/W8LdKpOHVbj4cK4hgo1rG30ObE9kxLsFaw/Qxmc7nC6yUe"
    "oejfDYfYiYbaQE7UIH86Ppmwubz13XboInD/tLCHsjzZLy3N4WxdDvISbQ92PdgOQwctCX"
    "aJtge7HuyZ70GG2Ix4noXcatTrxWP1KL28zOMNXRfJxeGkFK8fhTP4551v6xwuMPOx5WHb"
    "3eH3+/fg9Wd3J7E58J4JQ/YGPoWWZkHb0EwmICEVxdPXLjz1A714FVqzUJOWFyELPyLXI/"
    "qDxl5Q9HXUQi+g7vGuxTu0BCNDk0+5KpAqmHs1oAgaFzYTX+E02JBcrGjG1qZiJcybSdkY"
    "CmQqbtW6CPcvekzycH/+PDmtNp5l6Qp4+z42djj1BqJeA3IYtRV+HNlpH7ypwJcowLkM8g"
    "dCEb63f0SLAOoJexgodpdHzsCP2bE2E9z0aroqUPiUeORK84uhwN4dhULjiq0xV5MTprau"
    "xlk7timxrHlF4n2mdbvOVYuSfg09taOc4zQlB9gGEERpe98D6IE5m5s8YgeMTm4mP42Bgy"
    "jYSoi3477fln21Hd2jSSRQJu+QfQGeH6DCuC8XDVS9ZLW/UD3vss3sTYI78T/7q9iYPLNy"
    "bdd4ZVeQQrpuq1bXNtN0vjcO7UkoFAS45dwLhhX1ltpI5CkV3EdsyL4hxqR244AYhMswOU"
    "vXAos3Z1e+iRzW2MbXlYuryFOpl0TVScJ9qPlJ78ILZArKpk524cGbaY/Q8gX+6Q8WgVXh"
    "h3m6Atx3nHADAa8zJF58Pj4bg8ur8cnkehLZ2pM1KmjM2xevxqOzAtieyZakiq14NdQ5qh"
    "7oJkDfETr3LbhMjqCAVMG1pJtYuN6c15vzXhnczTbnpQwQWPNy3Kk25iUvKG/LiytJ8kwI"
    "aAGK7rHrIboDPqH5jK1/Qd4D70AcZINpdNXEzhRQ8uTW2vDaGLuh7e4Rs1kesZdb7XhVS3"
    "4/xur0Ym/KW6kpj6I7RMUZfHXFETJE7Ujh1ea6dCyDdTKf+7YUxBkSBdWcTrZMc2xh5MuA"
    "nFIoiPFBA4QPKvE9KKILDYOtKlIW6QyJgvh2YmTpzf4dZ2NtSELhblfwtpxNGKuPS5nZS8"
    "QKulMUDsvyHc6XZRifp+y5vi5cF7hcoqcXfvFyjoASoYrySj1XwJo5ujo2UIeYvcBMXTmA"
    "el7G9vfJIXhs6+v4ywkW4QC9B399xElVcDe0xQU66yqtFClVytl65UpSBWOtRFBflkxBgb"
    "7XZItfvcEv16LNWL9lFKeESEGMm9RFrS6LOhSW7CpC3oJT7ioZaMPQbuqRy82zCnecaNFo"
    "AdvLzFCKoltYKxvgm8i3NgBmiqjSk7eoDEi7k0u4JwXzChpJRP3hxytkVZVlEtfoUwR6QV"
    "RgkrKyPFb5HBkVoWLPhnVRhrYMTEnwwYS/qapQzZOogxfClYYvqATVq4S+hBOsLv4lmYIN"
    "gmC0zOxvVoE03sWDAP1CmdAdcGMiYKMn5Ho8LoXXo+ZBK9lUtYDue0CCkqE8dmVQQL2j29"
    "zaPIQGey4wsesRXhZ7yu9CbL5KTsEDQo4LENRN4CE6Z0MwDrNnmvlBjdPBdrMAm2IAVdbq"
    "0ZfLXtNyptJG3D6Suw8wXm+jbbq0ldGuLg+Up+oP6nrRYXXJLqN63j9nRS1Sq2RMbS3aIV"
    "JLGXq+aFdeX2ysRKwSxG3UGNOhL3dobkKg4jrd+jloL3Crte9QWzfwVfKo9Rk/fcbPOpgp"
    "tjcp42diIKaQesjWF1fBIVkDgeWj3Gm7zviB0+7aA1o0tH1wi8MdptzggFzGqNAkEUZPhX"
    "oamPte+A9FjDXIAE/YM8OsHvbAIHNfwO5bTgfq5hbC81fYq5JAGueOXmck/Qksm2GySBjY"
    "OOo/JlBQK+skvi/3ZTRFOUekINLtHOWVhZmvORIAR90VhHa3UeLKbk3iym45cSU+L1n2kN"
    "QinYJ4t38SbSi1pcOIMkQKwtz+iqFTtGSCQ55Swf3yhiY4VKW1lHZ5q9mEZLzVgt1H3pdd"
    "ve0oOM+bVB5wgvCgb1yQ0hY8oeCOkjmYBuXvND5xp8AjYMoraYW/toJ6AU8m+8PfSlhItK"
    "vbLOMujYcMyxKET1Zq6vcka7knoVHcR/wtNBeBeToFpWAHlUh1kxCLP4EE0jmi14N5wAEd"
    "XV6eTU5Gkbt4EyFnyrBmYBfOsIU9wa7lmGGLoF1hxi0RF/CfMequGJBceV0j7vHFxVlOvT"
    "ieFBaV88+fjseMDYXDJgSHaieiR6z0Vcz3HFWdwreBK0xdzAZT2Ep1Ig1p+LI0LwRvc1K1"
    "RNj9hb1l6pnmyRRMNWzfG9rv7b6SvV3vGu2srFgmFyi7f2q+LcqRqRQP8wobpN4z/dqe6f"
    "KEbwFf5TOzct/4Wvn8I+gFpraUKdVmtvC9mprYbIBsjy7i6psOcXwrdrDHFTin2NDdaZxj"
    "4PgzC+tiB/7Lh3veZNbbvtbS9sWZKrM3iPsrV6az/dpwOpbadUXdW9ltrRGuLR+1w3RGbP"
    "BasZrOF2zb55Z/Sb+leADVgG9/Qs8w9UxNR9TDd1hnoGhLlft9Zhj1zA3tu5LtQDhDsTm3"
    "GvkCmYL+ihaKf+Tyv3hUoxb8koA5T6UgykdNJvRR9YQ+Kp99DZfAOUfUw9wA5nRmalBKap"
    "YI1VulO5zUkmAX6Xqsn8faDUsHNHYoh90VXDSaeI+rnccl33GorMk64PJUX7X/0kBwCQDz"
    "VF+zD9Nhby6lFSQE6i2bHRznBV2NcIudZiJo8W0ZeWTw3AsQfzZKpHKcPmBEImCkP1Fg0J"
    "8o0Lvn+xMFeq6XuR5j1J8osKxRuK2MQ4kUh74O3xrU4buk5J7C+RkhD74wHSTfYbvWVR12"
    "1aygr2RWCIAgogfQfUAGgDPieyBoMODifeBdNiC2FkCHDgjK27jAYF8mtnUvGkR4JmXr4w"
    "sz0KPBg/vDYJkIXKJ9+vlGuLsz3Gu8n0xJVBQIrWcbRF9FY0sHFMnar8tGtNogjPWaj614"
    "rdckATMnU0+CQm3PSd6TuJxbU/EbFoBrKIRPC2JOTlgGpWXZzRAti9/WRr61b+0fkeOBWR"
    "CoAaYFbWMKXMKIoQd0E+kP7PbBUFyW2+gR0Vii150uXZLivfTupfdGrpa99F699M5E7sqm"
    "KoikeIdG27cbvzqsj2APD5gRi/Pk8JlaIR70aia4qznxgsBrnT2VzFIa91cu9LeVU7mqpZ"
    "ZsWFMf0SQR98EUQKmyRXF/BcHdbRL8uFsd/bhbCn/sz5frJsS0JteuP1+uaSJYk/PlVqMd"
    "RNALdIOUKdWaQfhevV6wer2glWDyXi9YiV6wRNjtSyNuvwaIl3L75vY6yzt9FTzVs1OX7x"
    "V7VqY1XPkVoihpfUYcBf006jdOTgasL08lnrr4D2xZIBpi+p7/xysb8bGj0nxBrHs2YX4q"
    "cu2+fMA+QXmNrTp1UrI/guvVg4KDT2qpuLk8pYJxc5sbJ1cOj7zDNnbNpfhcIG2B0WsWd6"
    "8Sn0sSUWYNFRKrl1mx18SRtlftSNsrF92MMXM1Q5jBUqdCCIh7L9HGeYlGiGLdHAiU76il"
    "VvGGaZ+VmIFE68TXovO+MP2k5sReeS1Wce314KCJ+npwUK2/8rb82ss/KgmEo+4KotvJ2S"
    "z8eHEkOrC07njehKQ/m1fybN6VCrMv/wdGlCm5"
)
