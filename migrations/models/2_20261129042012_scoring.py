"""Scoring and programs: index history, the current index on households, enrollments,
restartable rescore runs. SQL per dialect, as in the initial migration."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

POSTGRES = r"""
CREATE TABLE IF NOT EXISTS "rescore_runs" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "formula_version" VARCHAR(20) NOT NULL,
    "started_at" TIMESTAMPTZ NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "last_household_id" VARCHAR(36),
    "households_done" BIGINT NOT NULL
);
COMMENT ON TABLE "rescore_runs" IS 'A run of `sijill rescore`: restartable from `last_household_id`.';
        CREATE TABLE IF NOT EXISTS "enrollments" (
    "id" UUID NOT NULL PRIMARY KEY,
    "program" VARCHAR(16) NOT NULL,
    "status" VARCHAR(8) NOT NULL,
    "started_at" TIMESTAMPTZ NOT NULL,
    "ended_at" TIMESTAMPTZ,
    "end_reason" VARCHAR(300),
    "enrolled_by" VARCHAR(120) NOT NULL,
    "index_value" DOUBLE PRECISION NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "formula_version" VARCHAR(20) NOT NULL,
    "household_id" UUID NOT NULL REFERENCES "households" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_enrollments_program_e89b2d" ON "enrollments" ("program", "status", "id");
COMMENT ON TABLE "enrollments" IS 'A household''s enrollment in a program; at most one ACTIVE per (household, program).';
        CREATE TABLE IF NOT EXISTS "household_indices" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "value" DOUBLE PRECISION NOT NULL,
    "formula_version" VARCHAR(20) NOT NULL,
    "components" JSONB NOT NULL,
    "declaration_version" INT NOT NULL,
    "members_count" SMALLINT NOT NULL,
    "cause" VARCHAR(24) NOT NULL,
    "computed_at" TIMESTAMPTZ NOT NULL,
    "household_id" UUID NOT NULL REFERENCES "households" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_household_i_househo_6972b1" ON "household_indices" ("household_id", "computed_at");
COMMENT ON TABLE "household_indices" IS 'One computed index of a household. The newest row is the household''s index; older rows';
        ALTER TABLE "households" ADD "index_value" DOUBLE PRECISION;
        ALTER TABLE "households" ADD "index_computed_at" TIMESTAMPTZ;
        ALTER TABLE "households" ADD "index_formula_version" VARCHAR(20);

-- A household is enrolled in a program at most once at a time.
CREATE UNIQUE INDEX IF NOT EXISTS "uq_enrollments_active" ON "enrollments" ("household_id", "program") WHERE "status" = 'ACTIVE';
"""

SQLITE = r"""
CREATE TABLE IF NOT EXISTS "rescore_runs" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "formula_version" VARCHAR(20) NOT NULL,
    "started_at" TIMESTAMP NOT NULL,
    "finished_at" TIMESTAMP,
    "last_household_id" VARCHAR(36),
    "households_done" BIGINT NOT NULL
) /* A run of `sijill rescore`: restartable from `last_household_id`. */;
        CREATE TABLE IF NOT EXISTS "enrollments" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "program" VARCHAR(16) NOT NULL,
    "status" VARCHAR(8) NOT NULL,
    "started_at" TIMESTAMP NOT NULL,
    "ended_at" TIMESTAMP,
    "end_reason" VARCHAR(300),
    "enrolled_by" VARCHAR(120) NOT NULL,
    "index_value" REAL NOT NULL,
    "threshold" REAL NOT NULL,
    "formula_version" VARCHAR(20) NOT NULL,
    "household_id" CHAR(36) NOT NULL REFERENCES "households" ("id") ON DELETE RESTRICT
) /* A household's enrollment in a program; at most one ACTIVE per (household, program). */;
CREATE INDEX IF NOT EXISTS "idx_enrollments_program_e89b2d" ON "enrollments" ("program", "status", "id");
        CREATE TABLE IF NOT EXISTS "household_indices" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "value" REAL NOT NULL,
    "formula_version" VARCHAR(20) NOT NULL,
    "components" JSON NOT NULL,
    "declaration_version" INT NOT NULL,
    "members_count" SMALLINT NOT NULL,
    "cause" VARCHAR(24) NOT NULL,
    "computed_at" TIMESTAMP NOT NULL,
    "household_id" CHAR(36) NOT NULL REFERENCES "households" ("id") ON DELETE RESTRICT
) /* One computed index of a household. The newest row is the household's index; older rows */;
CREATE INDEX IF NOT EXISTS "idx_household_i_househo_6972b1" ON "household_indices" ("household_id", "computed_at");
        ALTER TABLE "households" ADD "index_computed_at" TIMESTAMP;
        ALTER TABLE "households" ADD "index_formula_version" VARCHAR(20);
        ALTER TABLE "households" ADD "index_value" REAL;

-- A household is enrolled in a program at most once at a time.
CREATE UNIQUE INDEX IF NOT EXISTS "uq_enrollments_active" ON "enrollments" ("household_id", "program") WHERE "status" = 'ACTIVE';
"""

POSTGRES_DOWN = r"""
ALTER TABLE "households" DROP COLUMN "index_value";
        ALTER TABLE "households" DROP COLUMN "index_computed_at";
        ALTER TABLE "households" DROP COLUMN "index_formula_version";
        DROP TABLE IF EXISTS "rescore_runs";
        DROP TABLE IF EXISTS "household_indices";
        DROP TABLE IF EXISTS "enrollments";
"""

SQLITE_DOWN = r"""
ALTER TABLE "households" DROP COLUMN "index_computed_at";
        ALTER TABLE "households" DROP COLUMN "index_formula_version";
        ALTER TABLE "households" DROP COLUMN "index_value";
        DROP TABLE IF EXISTS "household_indices";
        DROP TABLE IF EXISTS "enrollments";
        DROP TABLE IF EXISTS "rescore_runs";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return {"postgres": POSTGRES, "sqlite": SQLITE}[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return {"postgres": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}[db.capabilities.dialect]


MODELS_STATE = (
    "eJztXWtv2zgW/SuEv0wKZILYec4DCzhpuvVOHkWSzi6mW8i0RFvcSKJHopoGs/3vQ+r9IB"
    "XJkRyb1Zcglngo6VzqkvfBq78GNjGQ5e29RboFXUgxcQY/g78GDrQR+0d0ehcM4HKZnuQH"
    "KJxZQXsjbRicgDOPulCn7NwcWh7a5U083cXL6FKDGweBL8j12E9A5gACk/geMoll/OABj+"
    "iY/Ih04hAb6yDT+x64sQzkxlAPQBeBB7Ske/yyBtHZdbGz6OwKvoP/9JFGyQJRE7nsOp8+"
    "DZKONWzwRhF08Pkz+4EdA31FHm/Jfy4ftDlGlpGjO4QFxzX6tAyOneHFxKHvgrb80WaaTi"
    "zfdtL2yydqEicBYIfyowvkIPYkiF+Buj6n3vEtK5JULI3wOdIm4V1mMAaaQ9/iAuTo8AbS"
    "YwNNu7651+4u7jVtUBJujMhIIzrE+OYDg92qFxCw4Lfw40+j0cHByWj/4Pj06PDk5Oh0/5"
    "S1De63fOrkW3gzKVthVwFnk39Oru/5DRE2+sKhyQ98CzCQwhAVCCNlPxZXSQRS/jOI54UQ"
    "U14lhfhAKob0tVmfHEbDw5PD04Pjw4T+5EgV6zHDKaMmgoaGDF9PVEee2HMTumJmy8gCwe"
    "y2t5FgG37VLOQsqMl+Dvcr2Px9fHv+fny7M9x/kx/I19GZUXBKQDjRdX+5GuN5qIKUj+pQ"
    "PpJTPipTzpQ+u37IUhO+C7ie7Bpkh+PT0Z+aMJ0DKUjz8LCOGjmUq5HDIs0uIbZXpvjOhp"
    "YlnQwTkEpT4cHo5DiZBfmPqgnw7mp8eVmeBR/ZU7uaR3xXb6QhijgVh+5xnaF7LB+6x8Wh"
    "iyykszvQMX3SbOJQ0xLoCmbPYDaWxbRLeiiwb4Rd7EVdbaEkKph/e3E+YWN556fdUUC996"
    "eFKcrK5LCkmsPRuhrlJWxPdjXZS8YOWpHsErYnu5rsmU8hY2xGKLWQJ2e9enqU99LPl3m+"
    "oechKlh+/Ovu5lrMbYoojmWsU/B/YGGvM04Hv859R+d0gZmPLYodb49f7x+D9Y9uzhDv2f"
    "bYuM7OlDtX4/8UJ9Hzy5uzgDLi0YUb9BJ0cFYUx4JNhuwJfBdamgUdQzPZBAk5opniqe7o"
    "xVooclhtygvRshKy8BfkUaI/aOwBRW9HJfUCdM93Jd+hJxgZGqQCrhkrFNtITHYBWiQ6wu"
    "7F/2yjsncRNG4cNn2Fw6CC+/vJ1cXd/fjqQ04vvR3fX/Azo+DoU+HoTnHBn3QC/j25fw/4"
    "T/DHzfVFUX0l7e7/GPB7gj4lmkMeNWhkXNrx0Zg1sdxnjXwMBZiKplotb86wwp0zFDvPsh"
    "GTPN0fP07eyp1nWVyBb9/Hxh5HbyHrFSQHDB+EL0d22AdP+u0bDyvNH4ShjYSvMsnviIvw"
    "wvkNPQVUT9jNQEfocIiCge+zfW0nuenRVCu48DGJyJXGF2OBPTsKJ41bpmNuJ+ds2coZn0"
    "H94RG6hpajnp8hI1I4krQtn7JHdvEIdOAioIg/C7/zSAAXjkssy0bB3ZditZmzu1WhWpS0"
    "qxmpHecCpykcYAdAsHTJwoX2LwBSYLOxCZiRCcbn95PfL8ASuWAnAe/Gbd+UY7UdXUMQrS"
    "2EZD8NIkCwPqCQ+gErTPqfG0Vr5SqrfUX1fMg2Y5sEV+J/Dl/DMHlGc+1WRGUzcqk7GWcg"
    "Kk7ErftM0/Fel+EUoSDBpzX4PZXSeypg16UrGRJ5pIJ2xJbYDTEnlYYDYhSuIuQsrgURb4"
    "9Vvo0S1pjh6zXLq8ijVlKXGybTvLY82K9jF7JWUo0ZnCtE8YKVX2MrvABTcG7qxAoPnkz7"
    "Ai1fEJ9+ZxEoSz/M4wp0zzlwCwmvciTefDy7vAAfbi/OJ3eTyNee6KjgZN6/eHsxviyQTU"
    "2mkiSmuJzqHKonug7Rc+LavgU1aVqnXI8IoArqkm5y4Xp3Xu/OWzO52+3OSwUg8OblpCN3"
    "5iUP2NyXx/dEUBMFOyGgBVy0wB5F7h64QvaM6b9g3wNvQJbIAdPoqImXU+CSR6/Sh9dG3z"
    "V9d18wG+WReLnXbhd8GvDrMVGnB3tX3qu68lw0Ry5ymmVB5kDtzMKvu9el4zlYJ7btO40o"
    "zkAUXOZ0YjLZ2MLIb0JyilCQ46MaDB9J+T0qsgsNg2mVRh7pDERBfjtxsvRu/453Y23Jhs"
    "JhV/S2vJswXj6u5GYvgRUMpyicluUvuVxWEXwe2Ut9U6QuCLlEdy9845sFAkpAFecr9UIB"
    "Gxbo6thBHXL2Aje1tAP1oozt28khecz0XfqrTSzCDvoI/uZMJ7LkbuhQYXyiqtJKEanSnq"
    "21lF3JJfRlnbUNkvqyMAUn9IM6Jr7cwC9t4s96v5ssnBKQghyP6kwj8lnkTXVcLmSvhaDc"
    "bdLRlrFdNyKXG2eScJxIabTA7YdMV4qyW9CVNfhN5rc2CGYLUaUHb3Ex0DicXOI9KZhXWJ"
    "FE6He/3SJLVpZJXKNPEeoFWYHJlpXVucrvkVGRKnZvWBft0G5CU5J8MOFPqipVdpJ18EK6"
    "0vQFlahaS+pLOMCq8l+SIVgjCUbLjP56FUhjKx4E7BfKhO6BexMBBz0ij/K8FIC9IGklu1"
    "UtwP0CSFAylOeuDAqsd3SZ/zo8hQZTD5jYo8R92gNTfhXicC05BQ8ILT2AoG4CilybdcEk"
    "zO5p5gc1Tge79RJsiglUWa9Hs6yavpxpu3Z1RTnTxk7cPpO7TzDebKdtqtrKbMvLA+VR6y"
    "8R9DpDvJNiQBl7RT7un/OiFtEqOVNby3aIlqWMPV9klVcXGyuBVaK4jRpjOmQLmiYaOwGo"
    "qKfrFJAdyQvIjkoFZF8QVms/oLZp5KsUUet3/PQ7fjbBTbG7TTt+JgZiC1KKHP3pFunEFe"
    "78KTfarXJ+4LS59oCeavo+uMdhjl3ucEAeE1Tokgizp8J1GrB9Gv7jIiYaZIBHTM1wVw+7"
    "YZC5LmDXLW8H6uYSwu+vsEclwWxMlij1hDNI/wWW7XBZJAKsnfUfAxRclXWS35d7M+qynA"
    "MpyPRhHaIP5TyXq4dyndOA4Ki5gtQOa21cGVZsXBmWN664iD2pRzUTemYTmos4Bfk+rmPK"
    "HctNuePyt0CCWbtxGlEGpCDN7WsM3UUrbnDIIxW0l7d0g4NsW0vJynsdIyQTrRZYH/lYtt"
    "zsKATP61QeWAbpQT94IMUWIqFg7hIbTIPydxofuFNACZjySlrhr52gXsCjyf7wpxIWEu3q"
    "MquES+Muw7IE4Z2VTvU2yUbaJG6U9xG/C/WnwDxOwVmwg0qkukmIxe+gAdM50PpoHnBCxx"
    "8+XE7Ox1G4eBspZ4thzcAenGELU4HVcsa4RdCRuHFL4AL/M4buSgDJkfU6cc9ubi5zy4uz"
    "SUGpXH+8OrtgYih8bKIchUqnHvGiTzLec6iqBd8WapiqnA22YCvViTQa05fFvJC87dmqJe"
    "LuK6ar1DPNwxTcath+NLS37b4T264PjXZWViyzFyhrP9U3i3IwlfJh1mAg9ZHpdUemywO+"
    "BX6V35mVe8c3KuYfUS9wtaVCkbvZwueq62JzAHKo+xRX31ySpW/FAfa4AucUG7o3jfcYLP"
    "2ZhXVxAP/l3T3vMut9Xxvp++JCbWIbxO2VK9PZfm04HTeyuqLmrVhbG8Rry5/aYWtGbPBa"
    "sZrOFbbjc89/w7iluAPViG9/QM+wS01NRy7Fc6wzUrSVyv0+04167ob2Q8lOMDlDsTtXzn"
    "wBpmC8ooXiH7n9XzyrUQt+NaA5j1KQ5dM6A/pUPqBPy9++hivwnAP1NNegOR2ZGmw0a5aA"
    "6mnpDgd1Q7KLuJ7r57n2wtIBtQPKYXMFlUad6LE8eFyKHYeLtaYBuDzqu45fGgiuQGAe9T"
    "3HMJfsyRutChKAemqzg895QU8j3GOnmQha3CwjXxg9CwHjz2aJSPvpE0YaJIz0XxQY9F8U"
    "6MPz/RcFeqmXpR5z1H9RYFWncFs7Dhtscejr8G1AHb6kJK4oPJ0pl1sRoI5a1QtRy9l4Qa"
    "hYZ3fVKKQWtVcuWNlKHXF5ULipI7b3wTbwVD2w52pCbtxeQXKHdcI1Q3m8ZlgK2PQV8bsJ"
    "ilVkB/YV8eumrtWpiP86qWsR9YK1QSoU+cogfK5+XfD664JWwt/9uuBV1gUrBApfGiP8Hi"
    "heyVDN2Tqrm6kKfoekUyP1lt0rWzXc+pKpKDn7zHQUtNNcv3Y6NWBtefLz1MP/w5YFoi6m"
    "P/P/+F5M3ndUTCCIzmdT/Kei2gQv77BPqd7SlOq+aPjaw5jBK7WSpz+PVNDTv72e/XJAZ4"
    "4d7JkrybkA7T/iuclyLs2ITXSoEKxeLshBnUSvA3mm10G5TEjMmacZwpybqiWEALy+ZIT9"
    "rV9PNLBSulyAj5GLdXMgWHxHZyoX3jBt8ypuIJGe+F7WvC9MmKn4xlDzVaziq9ejozrL16"
    "Mj+fqVn8vrXv5SNWA4aq4gu51Uk+UfREOiT6xUfVAogfRfE2r4NaFXncy+/Q3KSHO7"
)
