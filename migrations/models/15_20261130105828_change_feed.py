"""The change feed (api/services/feed.py): `published_answers`, the answer last published for
each household member and program; `eligibility_changes`, one row per change of a person's
answer, written in the transaction of the write that caused it and given its `sequence` after
the commit by the feed's sequencer (the partial index finds the changes still waiting for one);
`feed_marks`, the feed's bookkeeping. The tables start empty: `sijill programs apply` records
the answers of a register written before this migration as the baseline, without changes."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

POSTGRES = """
CREATE TABLE IF NOT EXISTS "eligibility_changes" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "sequence" BIGINT UNIQUE,
    "program" VARCHAR(32) NOT NULL,
    "person_id" INT NOT NULL,
    "idcs" VARCHAR(10) NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "cause" VARCHAR(20) NOT NULL,
    "eligible" BOOL NOT NULL,
    "reasons" VARCHAR(400) NOT NULL,
    "monthly_amount" INT,
    "amount_lines" JSONB,
    "threshold" DOUBLE PRECISION NOT NULL,
    "formula_version" VARCHAR(20),
    "household_id" VARCHAR(36)
);
CREATE INDEX IF NOT EXISTS "idx_eligibility_program_1a3496" ON "eligibility_changes" ("program", "sequence");
CREATE INDEX IF NOT EXISTS "idx_eligibility_changes_pending" ON "eligibility_changes" ("id") WHERE "sequence" IS NULL;
CREATE INDEX IF NOT EXISTS "idx_eligibility_changes_at" ON "eligibility_changes" ("at");
COMMENT ON TABLE "eligibility_changes" IS 'One change of a person''s answer for a program, written in the transaction of the write';
CREATE TABLE IF NOT EXISTS "feed_marks" (
    "name" VARCHAR(60) NOT NULL PRIMARY KEY,
    "value" BIGINT NOT NULL
);
COMMENT ON TABLE "feed_marks" IS 'The feed''s bookkeeping: `sequenced` (the last sequence given), `pruned_through` (changes';
CREATE TABLE IF NOT EXISTS "published_answers" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "program" VARCHAR(32) NOT NULL,
    "person_id" INT NOT NULL,
    "eligible" BOOL NOT NULL,
    "reasons" VARCHAR(400) NOT NULL,
    "monthly_amount" INT,
    CONSTRAINT "uid_published_a_person__c16ca3" UNIQUE ("person_id", "program")
);
COMMENT ON TABLE "published_answers" IS 'The answer the change feed last published for a household member and a program: the';
"""

SQLITE = """
CREATE TABLE IF NOT EXISTS "eligibility_changes" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "sequence" BIGINT UNIQUE,
    "program" VARCHAR(32) NOT NULL,
    "person_id" INT NOT NULL,
    "idcs" VARCHAR(10) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "cause" VARCHAR(20) NOT NULL,
    "eligible" INT NOT NULL,
    "reasons" VARCHAR(400) NOT NULL,
    "monthly_amount" INT,
    "amount_lines" JSON,
    "threshold" REAL NOT NULL,
    "formula_version" VARCHAR(20),
    "household_id" VARCHAR(36)
);
CREATE INDEX IF NOT EXISTS "idx_eligibility_program_1a3496" ON "eligibility_changes" ("program", "sequence");
CREATE INDEX IF NOT EXISTS "idx_eligibility_changes_pending" ON "eligibility_changes" ("id") WHERE "sequence" IS NULL;
CREATE INDEX IF NOT EXISTS "idx_eligibility_changes_at" ON "eligibility_changes" ("at");
CREATE TABLE IF NOT EXISTS "feed_marks" (
    "name" VARCHAR(60) NOT NULL PRIMARY KEY,
    "value" BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS "published_answers" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "program" VARCHAR(32) NOT NULL,
    "person_id" INT NOT NULL,
    "eligible" INT NOT NULL,
    "reasons" VARCHAR(400) NOT NULL,
    "monthly_amount" INT,
    CONSTRAINT "uid_published_a_person__c16ca3" UNIQUE ("person_id", "program")
);
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return {"postgres": POSTGRES, "sqlite": SQLITE}[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "feed_marks";
        DROP TABLE IF EXISTS "published_answers";
        DROP TABLE IF EXISTS "eligibility_changes";"""


MODELS_STATE = (
    "eJztXWtz2zbW/isYfakzq7rxNV5nd2ccx228deKs7XQ7G3UoiIQk1BSgAqQVvbv97y8A3q"
    "8mZcqiaHxJLBIHIB+AOAfnPDj4b29GLWTz3TPXws7FAyJO7xT8t0fgDIk/cu72QQ/O59E9"
    "ecGBI1sVh7KcgWRBdQOOuMOgKescQ5sjcclC3GR47mBKpMQ1QeAnBufTf10BOkcMyht9AG"
    "2bLpDVBxYiGFmAMlEBtpG1C87mc0Ss7ymxl6fAmSJgQdE+5AgwNHY5Ug1b1BQtYzJZUxsD"
    "8uXz+7O7iz54f3F1cXcBILHA3c2XT+fi4i4YTiGfDsHfwe2Hs+/3j4535gw9YOpyQ94Afw"
    "EmJJRgE9rgn7fXnwAdq1YYMimzXu3KN3AJ/sNFhkMnSNxi4j2+/iYuY2Khb+Idxc+vPYEs"
    "ZbIwR6IsMVFPFBGXHe9/Jq9yx8BW7zcpO783xhjZVqKHQ1FRQN01nOVc3XmHJ5fE+VFJSE"
    "hHhkltd0bSUvOlM6UkFMPeIJkgIpFGVqzviWvb/lAJLnmvKS44zEXh+1nRBQuNoWvLESSl"
    "veeIrvUM49P1nXF7cWcYvczoCiRig8G/ZFIiRyaW41SiMZGP8P1f9/cPDt7svz44Pjk6fP"
    "Pm6OT1iSirnjd7682f3sNEoHlVKeguf7r8dCcfiIrh730b8sKfSkaMJU9KdWPUFdDJdsJ7"
    "AaGDZyi/GzyJVAdYvshu8Mcq3RFciPoj+oCfoUNKsL27/Hhxe3f28bOsfsb5H7bCSXx38s"
    "6+urpMXd05fpXsjLAS8O/Luw9A/gT/uf50oeCk3Jkw1WJU7u4/PflM0HWoQejCgFYck+By"
    "cEkUjXVr8JUme/Z8CllBrwYCqY4VAG1hV/Zm8JthIzJxpuLn3v7rkr795ezm/MPZzY4ole"
    "qwT/6tfe/enwmEGbW9aT+JsJxa8xEOBdKfDjYd8D9gY77SHNbej0ZCkfheAjx3Pp79mob6"
    "/Or6XfpDkBW8S8E+Z3TC4KzO0I6JrDS4faXQFsSTY/tgv8LQPtgvHNnyVgphl4lOyNHNJQ"
    "hHIh1E+HWV2UOUKsb4dWb2CE3COjAnhPQ8XW2eDkHzoFoF7lCyk5hXgrwE8TTgnpVpcGQj"
    "U4JSQ0X6BqrWkU/Tkd7a0ojQrIp/RlB3wxO6gbuj38UnUKsH4jIa/CeAT13HpLN6830k0s"
    "GJ/qTCPH9SOM2fpGd5xBhlAjyrFsRJqe7ZivuHFVDePyyEWd5KLTMjf1oNnJNSHRzNx1WA"
    "Pi4G+jgD9Jza2FwaD4jxmmZ5VrKDgK9hnRl3T9dbz6cEOwh38+O7Lsoa3BrgmjZGxDFWm6"
    "xzhbunG9eGOrQsYQjmmNmPQh6T1HhXwJu6JCdcVBiwC8uvFK1rG7heuG5/7/DN4cnB8WEY"
    "pQuvlAXngkBcDEzoQJtOXLSKyZEr3L0h3IzRIcPQ4/tY9FNeGEHzfgGZZWTu0H1aVDZ7a7"
    "Y/S1+BBE4UcPIN5fPH+Qz/cpGLksHwnNv9x/kOf8iSquCjdIczMHMd5cj8jgMl7Qf9+2DB"
    "sOMgAjBRXIBYOboQlxgkXFQtroAFFoPLdYAD70X/ydK9VIeuq50BMadifIiyNjXv36oKAi"
    "oAAztDjn/Htm0ElwzV8rAPPnsegltJwCD28hWY0QfEgVjiz+TDWAPiPR0XT+VQVa1qSD7k"
    "CDrmFPE+gJzjCZFPEtSvWBfSOOqrv0T3IEdUK8RnYIoY2gV38pk5Yg9YlJZRPzCDS/UM4P"
    "LT7cXN3SkQ0JiQECoRggIf0TCZIMkGsRidAwhU91ohfrIlx6s2eHHmEq7QUk8uYERMQMTw"
    "ZOpwSQYR9Q6V3NCB2BZ/MuS9Y5IFYrrOgEAmZmorgawYvbORxBfO8Q/+y/AfFLa78+VpVI"
    "0xh8zhVfkjhZSQPJOpjAySayXlKBZ/ftMsEM0C0SwQzQJpOrqoWSCaBdKCsa1ZIJoFoudp"
    "zQLRLJD2Iq5ZIC+yGzQLRLNA2jPRaxaIZoF0ZzRrFsjWrzN15FxHzl8A3jpyriPn2z1Ry4"
    "BiFug79K1gCAflO6EFy4JCF7/ela9bwpjQ1fWnn4Li6cVMEmwZsq0DdlBeg10R7DZxQm69"
    "1X6viBQS3O8/zgqJOw4eJ4b8e4rNqc8x4N+pfBMAEp+6oRJqiJuOy4iXqMIjKVinYNBbTC"
    "ngcAGm1OVoSm0L/DroAcwBJVleyHqaGRB/eEquBFsm8mcAG997bAcvLUjl5BY8gjpKb6E5"
    "C63kLLQlicim9f4zdkbGq1nH8oqJdEJNJQ2uwypBq8PimNXh67ZRFX9BDIvy1meKSxI0JU"
    "tVUFEPvoAxp7hyxqYPdCFuMTBUdZxLmt5QkvBAUFtE3zsFCAp1Y0LbBhOKpK4AY0ZnqoQN"
    "uQNUw2AHEiujqtbUzoCMMRNXzCky7yVXEDqx3EvyT4YAd7CoSjYmb6mcTUI/TqH1qg8kUz"
    "Cs3KvLk90dkDPAxFMrJiAEBE2ggx9iPL4ZZKLJhWpCEfwWCM0BFS/kEQdtS5IJfSZk8CI7"
    "2OEDMoecB9TD4FnFDdHIN0c0SCzRrlC5oozTB0NDtoTYUPInc0mD4j0CvuKAqPfzU1BN8W"
    "SKwlcKrvoNCAzGVGbN4h71k6CFLBvgJNNpiZ/B60o88uwAseR7KkOxLfpGq369l2mdvqpw"
    "gq5PCk2JanZo69ihLTEw3iPThj6LKceyiN8uNSmsqGCN3I++508qGhitLb/jgFMT0++FFi"
    "J0hk0Qq30XXCtF6YtyRae/R3NnN2NDrKWFHL31tRdW7Ec+Ao/mb5p0vw1arNB7XYh/sct6"
    "q9eujUUGpM/ZQJZr1iZVZiU7aCvsVSJWlvAqM7RKBRs1TXe+GuJJ0Q5CXonLWkJlzTJZ5a"
    "Qv2q/NY03LabArgO2NT2Iu6yCdEOogzHtVlhx7xUuOvSy9idJZDgvhdgZtu1AZhkJdUoUH"
    "+2+OQy0of5QpwNuPZ1dXWS24EG/NDE5dluesKB63abkuDt3jKkM3vSiLDd3jDANS8tsZNr"
    "GzNGaUOFM7Z64Q6xksxnIBGzK/hvTi2ati169qC3uiBPn3F+eXYizv/LXvMRLEKhk7KN4n"
    "h5mp2Rutq0GekdVgl4M9F+igFcHOyGqwy8EeuQ4UiI2o49iIF6Nerh6La9H6Mok35BzV25"
    "8RSTz/7oze38Yu8XJljFxsO5jwXdneP3rPP7rXsmcDToQyFG/gMmgbNiSWMRUKErK8fdal"
    "E095RU+ehVrG/2t4ErLxA+IONe8N8YJ5X0cp9DnSGu9SvD1P8EpRl5RoB6MuPZkl55oI9e"
    "UNgy2JwvgjtjRFR9h5o1o+hpRYF5dq69gGno6YJOH+8uXyfbHzLC6Xwtt1sbUrpbcQ9RKQ"
    "PZK493HEh7160xyyUg7OWZB/pAzhCfkZLRXUl+JhYD4/wg8GfojXtZ3gRlejWYHBRRiRy4"
    "wvgYKXWEzevBFzzM3luTBbNxOsvbDxBI+w0GHLc8XN7eWEbLOF+mWBWxQVNzzCb434bZAt"
    "TQZX54hxL+Ec4QvEwJgyedVL9pJJPBfPNBfQjJjUzaneXFMzA6KoXyYUvS2pVG/BMOAHDS"
    "WteSLMJgLg2PHJWV6uOjBaerwvhFQIOUgB1w+ao8xCTNYdPDMHI2SK/gEPmGOBeCqLm6xI"
    "8rEq06JjuXM0LbpYf7UiqrwhmlraOn8xPbHRpFRt03drz0qlpuFc461waCdkuuT7aow2gS"
    "2z1h7goHwHh2zzFAmdWrMz5Ml4t95jUitVQVC+g99M87QLZSDXQTcU0PBWgNdbfNl5JiKl"
    "NoKkKFAdiaVwHgm5LQS6zOS7vr5KzEXvLtNbib98fHchlEHKxZtVrwxB7vOTq47nmEgHR/"
    "RhpVyahyW5NA+zuTT9AKcBZzVzbWQFddKNnCCpQsewMamX7zgt96SAacswfu7IqDMVNwu8"
    "qjaFRbkh4lIp+MdSbAvnk7Lg2/WXd1cX4PPNxfnl7aXfC6HpqG4mJ+ybi7OrdPJSymauDV"
    "fJL5Mj2r3sMuthNRcHZspZzSWBmQ5gfVCFsnhQTFk8OG7RxvILwqhtz1D+hvLY3X5p8CAs"
    "VzFocJbYgxWJq63KgRf/LYAOmIkpWGYXAWfnd5e/XEi/P9gJhftB2VfZbV9raqOue96Bjq"
    "tQEd9DPRd9cfSz+Zjn497hGM1JtST/OdwEx+mRIGi/xBWvHcJrdwhH470qwpFEBwFuOL2v"
    "wIo5K3GSkpLal9lqXyYSEK7SyXG5Brq4ZWZYx3rY8HxKdabKpFQHTet1nOniWX61CX0psQ"
    "7qprUQ+tSbGQ/QdnO82SVOkZScdotUcYto/9PL8T+1DfHNOqA0M1gzgzUzOOPO+xEh6yNk"
    "970cZ154r1/mypNUVJU4sKIn7y7iwY4ovb9HaC5QPo14tNYQ7IQZGMMkiIpY+6oPhnPmEt"
    "Gi0EnUnUxF2Rj5OOHOW1dDA+LOgTpuGvPYmdJMiFKCpKQAy5Y51Cg5/dv59fuLf/jHOPsz"
    "enhRtW7Jk6XHAA6I7zmSx2TLJ/KPxQ6ciRzIapfD8ChpJSmTOQapqsQ1xV8WCkQ8kCPeGa"
    "DxGJlOf0AglxxjTESfPPmgZ/V/DYUWlG9Gi22WlprM3FdFhx0X67BjX4eVJJjKN4vLeMBF"
    "FvFWEyWfgQfckvhKpBFzZuSEuiyekkONUz+4Emx2kFnuoA0YmmDuILYLPiJ5mDwPD6Gncz"
    "HZDP2rUzwfyhy2vDSo0kTdFYMpD1jMyb6+lWGUPvjak+2FLGIdW9l4bIWhMWL5+xzKaFUx"
    "oc4plDXwMOls5pJ6TMxIpIPrzrX4sGZY2HtuHZAjiQ5ifFQB4aNCfI8y/Pv6Z5w99XCzdu"
    "O7Fq+3jsOueRvJliSL3VuvJd8YnTUwH1eKe2aEOxjf7nDKDXcu+2WVjk9K6l5vS6/nxMD9"
    "p8/94utFZjOCXdRX3YvNtox5sOaIoYfZE+KGhRV0j/bR/DrZA08sfefuaooltwJNqWqPOs"
    "laEf7RHST/zPIyH3taUrvaa7naUyk34s7aGizruFgHFfpBlSV+8QI/k6A97v2uYzgVJd7o"
    "AsZVyOzFXPb93G05achzDKe6LImbsKItQ7sqRSIxzgr4EXmTRgPYfo5V1VF0U3NlBXxD/d"
    "YEwCp5T4fhTRsDtfk9GdzDw9BSFokv/ePPN8guOnIn//y1jkCfQ9MO9xCujlVy02IXoRLP"
    "JtMGPg2mkHxwKd+0q1DNQtbBE+GK6AtdgupZqC/eACvjv4RDsAIJxoiN/orZSf1VPFDop4"
    "6A3AV30RnG8txm7B/3HNs7rOTeBicz00WWnLieZgZEUmgkJ3CKuUPZchcMZSuUyFlyCCQH"
    "knunXjuISaah6GHxTCNXnV/Z61cj2KQZrXGvh04q2s6kovWduHprjd7x0W6nbTS1ZdEuzm"
    "eUlHr+4182M8TXks4otl4pHvePeVHT0l1ypjbGdvDNUoFebmq08oOkMsJdgriJ86N0tsr4"
    "PF3lcND94sNB9zOHgz4hrNZ8QK1t4Hcpoqa3YOotmG1wU/S3aQvmpYWEQeogYi5vkElZ7s"
    "6fbKF+mfMDR8WNe7SsszUTM+lwQFx0lOeS8NhTnp0GZq7j/cGQ6BpkgQV2pt6uHnlaSaxd"
    "INrNbgdaTxM5TouvPfGqVGljOkeRJ1yIeD6KKjsdtctiky6LsAMrs/4DgQ5aZWvh9yW+jK"
    "ooJ4Q6iPRhtdTWJZmt0zDLOacGwH7xDkK7V2njyl7JxpW97MYVJrfgc8eYQj6tA3NaroN4"
    "H1dZyh0XL+WOM0s5T2vXphHFhDoIc/MzhsnQihsckpIdXC9v6QaHom0tLUk7EItW56w+kr"
    "Hs4mVHKnheJfNAeCxjJJuKhIIxozMwVPlIDTlwhzL7ylCmNvR+7ah8AQuZ/US+VW5m53U1"
    "s0q4NKjSS0uQONwsuqXXJK1ckzCf9xF8C9VVYFKug1pwr0qa+73iNPd7x5ktyeaUUls+QQ"
    "2kE0LPB3NPAnr2+fPV5fmZHy7eRsiFMWxYmEPvYN+cmabseKms8DMeMhVe2dpTpiLVk2/0"
    "FYz3hFSZwbeFM0wZZ0MYbJnEvVZt+OIyTwRve7Zq5WH3DTurJJhOinVwq2Hz0VC9tnshaz"
    "sdGl1bWrFKB0qXLYs6e6b0JlIl6sj0miPT2QHfAL6d35mV+MZbFfP3oc9xtUWdUuxm896r"
    "qouNAEQctgyyb87p3LWDAHuQgXMoD4QfBnsM5u7IxmZ+AP/p1VVxmckEyEYYNmPRjxFmzj"
    "TmPYv9ThTNuRnWqX1r7fStyUFTZ+0RlO9cGtDmc8+ZuNaqzi/eyGquRbg2fLaasEmxJXPR"
    "GqZUCMSVkYWacdH8CroGfPMD2pvaTcQcPMamAMVYKZ3wI9WsyZ2xuY5oPlJNlO6H+d7isj"
    "MBEmIdDIc0kFsksb1MmTZ1j15ISnUQ5ZMqA/qkeECfZAa0MhPr4pwQ0jBXgDkamQaspTQz"
    "gt3zOa9xUNcEOy2nsX4ca+5lJqgcr/aKd3DSqBKcLo5NZ0LT6aV+tfheUupFh0ctBFcAMC"
    "n1kkOkc/HmtayCUKB70+Yajm+E3KDSIWhMEbTlqow+CHgmecdfPUZCKaxH81Fq8FH0gQU9"
    "fWCBjv7rAwt0r2d7PcBIH1iwqk94HRsaE7HCeh6FZ9911+s9C87Nu3yTwdkajgQNcRnENX"
    "YC6XSVLUhX+dk7l/mK0ns3d9dUskC/lNHhFTVsVbbm5ikAgzOiAeT3yAJwRF0HqBsWXJ76"
    "h0VjewlMOAcqCxQHltAwmJiOX0nu0a2N15+bqMGvXLUP1QyhIvs6S8NWsDZivVfZLxKJdN"
    "CwOagS+TsoDv0dZGJ//ldR2WMH89Tsy/J1bpZL1Krx2Az5oiX7lBM69VzlM3xM854HWQ+r"
    "ql8vT2JFJfw+pebqKUuVgVk0hlhW/TZW84AMyM9o7oCR4huBYcraGAJOhTB0gDlF5r1oXl"
    "UldTlBD4gFGr3sEPaMFtfaW2vvbZwttfZugfaOEdzr7ujJ0+JrDD683vrZoT2K3TuHKV+d"
    "h2c0lSpxVaqa4i7uicf3JxTqMlM8VZ2pNCjfOQZ7I4fXFWutuvQ8zcyrwV8SBmCt7F5B+Q"
    "6Cu1fFGNgrNgb2MsaAPoZxPVTpki2p+hjGqvslqxzDuCHrQG4h5FNknRG+UDo5aySkipTb"
    "CkFhA6rSNRIkewLeCnkKyQSBMRKLcRngAmG1YExZIrmYF6cRwla0jFcr9syyfw1tDOTQdh"
    "CQi/llUCOWudAgd5n0JEzEqBB178A5/oEj9iDPy/pBtrk7X77aBWEkABNAaNTkgEwhl1cY"
    "XaiWMAuefUxtmy64l1VtMVWmlCyxBPKIqijA7T2ujR9QiWshsVffX35qB0NrlhBlppp2MK"
    "zdwVCSAePlpb9ojK6HbDzB8lWzk0cZ/TQu9oxs0824bhokm3o5pGrFbGIiHZwnDivlyj4s"
    "yZV9mM2VPaPEmdpLA87yz5EqPkIqI7jSpNE2TnsDc0ZL/Gf+4iTHMI6WLcX2sGf5a8/Z5j"
    "1njWwb1p6zjXjOVthg+dS9lS8B4pWIkYlowOq0yHjoYcu6YiOkyBvvJKflxTcH5XMzUiUe"
    "VUuyrIFU4Ypemg90AWzIJkg5UAJXw3dcnerKwRQ+IDBhdEFOwTDKv+YzacOsVTPKHWC6jP"
    "lPmXDSNN/EgPh3ASTLmFNHOlim0NoFcouE8uAA0ZkcWX0wWqpaFkwY1R5/YwbvEY/7hAZE"
    "PSV76/mSZHsq6714GXcmWg2oHTBxrnj4JI4QE8/K8f+hAUk6h/weUf6hAsdNVd2/WZ3UIt"
    "3fFFW/9ingxRv6Cs4Af7kugtaY+9ykDN24BSZ/ePeR+VWVM5hbOZsgEGXlHDLk+Hds28Cv"
    "Yngq/5KpyGXd/lkaatNHPMPlMI9k/vQKnzD3aOfwJp3DOQffV1UCOaIdNKCb32avPqmVdq"
    "ImJTu4E3V7d55mNxyPMfHjm7X7OSXaQEe3zOvXpX7OaMQ6c2iucPdylRxUSUR0UJyJ6CB7"
    "Sk6AGTes3JwwZSZEjrDmq24dX/UMMWxOeznGt3+n1PCGUZmNuNtrxYo7ZvM+MUJcsriub8"
    "V23Ho9Oqpivh4dFduv8l5y7pUfVQ2E/eIdRHcthymLFgO3bBLhf95efyoKxYUiaVsRmw74"
    "n/KJbiHaJeBKMBIWYoDpzsezX9Nwn19dv0ubfrKCd5tWZn/+PwyNr8E="
)
