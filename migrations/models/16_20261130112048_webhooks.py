"""Webhooks (api/services/webhooks.py): `webhooks`, where a program's changes are pushed and how
far they have been delivered; `webhook_deliveries`, one row per attempt."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

POSTGRES = """
CREATE TABLE IF NOT EXISTS "webhooks" (
    "id" UUID NOT NULL PRIMARY KEY,
    "program" VARCHAR(32) NOT NULL,
    "url" VARCHAR(2000) NOT NULL,
    "secret" VARCHAR(100) NOT NULL,
    "created_by" VARCHAR(120) NOT NULL,
    "purpose" VARCHAR(300),
    "created_at" TIMESTAMPTZ NOT NULL,
    "active" BOOL NOT NULL,
    "disabled_at" TIMESTAMPTZ,
    "disabled_reason" VARCHAR(300),
    "last_sequence" BIGINT NOT NULL,
    "attempts" INT NOT NULL,
    "failing_since" TIMESTAMPTZ,
    "next_attempt_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "webhooks" IS 'Where a program''s changes are pushed (api/services/webhooks.py): `last_sequence` is the';
CREATE TABLE IF NOT EXISTS "webhook_deliveries" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "webhook_id" UUID NOT NULL,
    "message_id" VARCHAR(60) NOT NULL,
    "attempted_at" TIMESTAMPTZ NOT NULL,
    "first_sequence" BIGINT NOT NULL,
    "last_sequence" BIGINT NOT NULL,
    "changes" INT NOT NULL,
    "status_code" INT,
    "delivered" BOOL NOT NULL,
    "error" VARCHAR(300),
    "duration_ms" INT NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_webhook_del_webhook_e4005d" ON "webhook_deliveries" ("webhook_id", "id");
COMMENT ON TABLE "webhook_deliveries" IS 'One attempt to deliver a batch of changes to a webhook.';
"""

SQLITE = """
CREATE TABLE IF NOT EXISTS "webhooks" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "program" VARCHAR(32) NOT NULL,
    "url" VARCHAR(2000) NOT NULL,
    "secret" VARCHAR(100) NOT NULL,
    "created_by" VARCHAR(120) NOT NULL,
    "purpose" VARCHAR(300),
    "created_at" TIMESTAMP NOT NULL,
    "active" INT NOT NULL,
    "disabled_at" TIMESTAMP,
    "disabled_reason" VARCHAR(300),
    "last_sequence" BIGINT NOT NULL,
    "attempts" INT NOT NULL,
    "failing_since" TIMESTAMP,
    "next_attempt_at" TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS "webhook_deliveries" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "webhook_id" CHAR(36) NOT NULL,
    "message_id" VARCHAR(60) NOT NULL,
    "attempted_at" TIMESTAMP NOT NULL,
    "first_sequence" BIGINT NOT NULL,
    "last_sequence" BIGINT NOT NULL,
    "changes" INT NOT NULL,
    "status_code" INT,
    "delivered" INT NOT NULL,
    "error" VARCHAR(300),
    "duration_ms" INT NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_webhook_del_webhook_e4005d" ON "webhook_deliveries" ("webhook_id", "id");
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return {"postgres": POSTGRES, "sqlite": SQLITE}[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "webhooks";
        DROP TABLE IF EXISTS "webhook_deliveries";"""


MODELS_STATE = (
    "eJztXW1z2za2/isYfakzV3XjlzhZp7czjuM23jpx1nHazlYdCiIhCTUFsABpRXe3//0C4P"
    "urSZmyKAZfEovEAcgHIM7BOQ8O/jNYUAvZfP/Ms7B7cY+IOzgF/xkQuEDij4K7QzCAjhPf"
    "kxdcOLFVcSjLGUgWVDfghLsMmrLOKbQ5EpcsxE2GHRdTIiWuCQI/MejM/3UFqIMYlDeGAN"
    "o2XSJrCCxEMLIAZaICbCNrH5w5DiLWt5TYq1PgzhGwoGgfcgQYmnocqYYtaoqWMZltqI0R"
    "+fzx7dntxRC8vbi6uL0AkFjg9ubzh3NxcR+M55DPx+B/wad3Z98evjjZcxi6x9TjhrwB/g"
    "eYkFCCTWiDf366/gDoVLXCkEmZ9WxfvoFH8F8eMlw6Q+IWE+/x+x/iMiYW+iLeUfz8fSCQ"
    "pUwW5kiUJSYaiCLisuv/z+RV7hrYGvwhZZ07Y4qRbaV6OBIVBdRdw1056s4bPLsk7o9KQk"
    "I6MUxqewuSlXJW7pySSAz7g2SGiEQaWYm+J55tB0MlvOS/prjgMg9F72fFFyw0hZ4tR5CU"
    "9p8jvjYwjA/Xt8ani1vDGORGVyiRGAzBJZMSOTKxHKcSjZl8hG//cXh4dPTy8PnRyasXxy"
    "9fvnj1/JUoq543f+vl3/7DxKD5VSnoLn+6/HArH4iK4e9/G/LC30pGjCVfSnVj3BXQzXfC"
    "WwGhixeouBt8iUwHWIHIfvjHOt0RXoj7I/6An6BDKrC9vXx/8en27P1HWf2C879shZP47u"
    "SdQ3V1lbm6d/Is3RlRJeDXy9t3QP4E/77+cKHgpNydMdViXO723wP5TNBzqUHo0oBWEpPw"
    "cnhJFE10a/iVpnv2fA5ZSa+GApmOFQDtYFcOFvCLYSMyc+fi58Hh84q+/eXs5vzd2c2eKJ"
    "XpsA/BrUP/3t8phBm1/Wk/jbCcWosRjgSynw42XfBfYGO+1hzW3Y9GQpH6XkI8996f/ZaF"
    "+vzq+k32Q5AVvMnA7jA6Y3DRZGgnRNYa3IFS6Ari6bF9dFhjaB8dlo5seSuDsMdEJxTo5g"
    "qEY5EeIvy8zuwhSpVj/Dw3e0QmYROYU0J6nq43T0eg+VCtA3ck2UvMa0FegXgWcN/KNDiy"
    "kSlBaaAiAwNV68jH6Uh/bWnEaNbFPyeou+ER3cC9yZ/iE2jUA0kZDf4jwKeea9JFs/k+Fu"
    "nhRP+qxjz/qnSaf5Wd5RFjlAnwrEYQp6X6ZyseHtdA+fC4FGZ5K7PMjP1pDXBOS/VwNJ/U"
    "AfqkHOiTHNAOtbG5Mu4R4w3N8rxkDwHfwDoz6Z5utp7PCPYQ7vbHd1OUNbgNwDVtjIhrrD"
    "dZFwr3TzduDHVoWcIQLDCzH4Q8IanxroE39UhBuKg0YBeVXyta1zVw/XDd4cHxy+NXRyfH"
    "UZQuulIVnAsDcQkwoQttOvPQOiZHoXD/hnA7RocMQ0/vEtFPeWECzbslZJaRu0MPaVnZ/K"
    "3F4SJ7BRI4U8DJN5TPn+Qz/MtDHkoHwwtuDx/mO/wlS6qCD9IdzsDCc5Uj8xsOlHQQ9B+C"
    "JcOuiwjARHEBEuXoUlxikHBRtbgCllgMLs8FLrwT/SdLDzIduql2RsSci/EhytrUvHutKg"
    "ipAAzsjTn+E9u2EV4yVMvjIfjoewg+SQIGsVfPwILeIw7EEn8hH8YaEf/puHgql6pqVUPy"
    "ISfQNeeIDwHkHM+IfJKwfsW6kMbRUP0luge5olohvgBzxNA+uJXPzBG7x6K0jPqBBVypZw"
    "CXHz5d3NyeAgGNCQmhEiEo8BENkxmSbBCLUQdAoLrXivCTLbl+teGLM49whZZ6cgEjYgIi"
    "hmdzl0syiKh3rOTGLsS2+JMh/x3TLBDTc0cEMjFTWylkxehdTCS+0MHfBS/Dv1PY7jur07"
    "gaw4HM5XX5I6WUkCKTqYoMUmglFSiWYH7TLBDNAtEsEM0CaTu6qFkgmgXSgbGtWSCaBaLn"
    "ac0C0SyQ7iKuWSBfZTdoFohmgXRnotcsEM0C6c9o1iyQnV9n6si5jpx/BXjryLmOnO/2RC"
    "0Dinmgb9GXkiEclu+FFqwKCl38dlu9boliQlfXH34Ki2cXM2mwZci2CdhheQ12TbC7xAn5"
    "5K/2B2WkkPD+8GFWSNJx8DAx5Nc5NucBx4B/o/JNAEgC6oZKqCFuuh4jfqIKn6RgnYLRYD"
    "mngMMlmFOPozm1LfDbaAAwB5TkeSGbaWZEguEpuRJslcqfAWx857Md/LQgtZNb8BjqOL2F"
    "5ix0krPQlSQi29b7T9gZOa9mE8srIdILNZU2uI7rBK2Oy2NWx8+7RlX8BTEsylsfKa5I0J"
    "QuVUNF3QcChkNx7YxN7+hS3GJgrOo4lzS9sSThgbC2mL53ChAU6saEtg1mFEldAaaMLlQJ"
    "G3IXqIbBHiRWTlVtqJ0RmWImrphzZN5JriB0E7mX5J8MAe5iUZVsTN5SOZuEfpxD69kQSK"
    "ZgVLlfly+7PyJngImnVkxACAiaQRffJ3h8C8hEk0vVhCL4LRFyABUv5BMHbUuSCQMmZPgi"
    "e9jlI+JAzkPqYfis4oZo5IsrGiSWaFeoXFHGHYKxIVtCbCz5k4WkQfEeIV9xRNT7BSmo5n"
    "g2R9ErhVeDBgQGUyqzZnGf+knQUpYNcZLptMTP8HUlHkV2gFjyPZah2BV9o1W/3su0SV9V"
    "NEE3J4VmRDU7tHPs0I4YGG+RacOAxVRgWSRvV5oUVlywQe7HwPMnFQ2M15bfcMCpiem3Qg"
    "sRusAmSNS+D66VogxEuaLT3yHH3c/ZEBtpoUBv/T6IKg4iH6FH8w9Nut8FLVbqvS7Fv9xl"
    "vdNr19YiA9LnbCDLMxuTKvOSPbQVDmoRKyt4lTlapYKNmqbnrId4WrSHkNfislZQWfNMVj"
    "npi/Yb81izchrsGmD745OYqyZIp4R6CPNBnSXHQfmS4yBPb6J0UcBC+LSAtl2qDCOhPqnC"
    "o8OXJ5EWlD+qFOCn92dXV3ktuBRvzQxOPVbkrCgft1m5Pg7dkzpDN7soSwzdkxwDUvLbGT"
    "axuzIWlLhzu2CuEOsZLMZyCRuyuIbs4tmvYj+oagd7ogL5txfnl2Is7/1j6DMSxCoZuyjZ"
    "J8e5qdkfretBnpPVYFeD7Qh00Jpg52Q12NVgTzwXCsQm1HVtxMtRr1aP5bVofZnGG3KOmu"
    "3PiCWefnfG4PupR/xcGRMP2y4mfF+298Pg6Uf3RvZswJlQhuINPAZtw4bEMuZCQUJWtM+6"
    "cuKprujRs1DH+H8tT0I2vkfcpeadIV6w6OuohL5AWuNdibfvCV4r6pIR7WHUZSCz5FwTob"
    "78YbAjUZhgxFam6Ig6b9LIx5AR6+NSbRPbwLMRkzTcnz9fvi13niXlMnh7Hrb2pfQOol4B"
    "sk8S9z+O5LBXb1pAVirAOQ/yj5QhPCM/o5WC+lI8DCzmRwTBwHfJunYT3PhqPCswuIwicr"
    "nxJVDwE4vJmzdijrm5PBdm63aCtRc2nuEJFjpsda64uYOCkG2+0LAqcIvi4oZP+G0Qvw2z"
    "pcngqoMY9xPOEb5EDEwpk1f9ZC+5xHPJTHMhzYhJ3ZzpzQ01MyKK+mVC0duSSvUajEN+0F"
    "jSmmfCbCIATt2AnOXnqgOTlc/7QkiFkMMUcMOwOcosxGTd4TNzMEGm6B9wjzkWiGeyuMmK"
    "JB+rNi06kTtH06LL9VcnospboqllrfOvpie2mpSqa/pu41mp1DRcaLyVDu2UTJ98X63RJr"
    "BlNtoDHJbv4ZBtnyKhU2v2hjyZ7NY7TBqlKgjL9/CbaZ92oQzkJuhGAhreGvD6iy+7yESk"
    "1EaQlAWqY7EMzhMht4NAV5l819dXqbnozWV2K/Hn928uhDLIuHjz6pUhyAN+ct3xnBDp4Y"
    "g+rpVL87gil+ZxPpdmEOA04KJhro28oE66URAkVegYNibN8h1n5R4VMO0Yxk8dGXXn4maJ"
    "V9WmsCw3RFIqA/9Uiu3gfFIVfLv+/ObqAny8uTi//HQZ9EJkOqqb6Qn75uLsKpu8lLKFZ8"
    "N18ssUiPYvu8xmWM3lgZlqVnNFYKYHWB/VoSwelVMWj046tLH8gjBq2wtUvKE8cXdYGTyI"
    "ytUMGpyl9mDF4mqrcujFfw2gCxZiCpbZRcDZ+e3lLxfS7w/2IuFhWPZZftvXhtpo6p53oe"
    "spVMT30MxFXx79bD/m+bB3OEFzUi3Jf463wXF6IAg6rHDFa4fwxh3C8Xivi3As0UOAW07v"
    "K7Bi7lqcpLSk9mV22peJBITrdHJSroUu7pgZ1rMeNnyfUpOpMi3VQ9N6E2e6+JZfY0JfRq"
    "yHumkjhD71ZsY9tL0Cb3aFUyQjp90iddwi2v/09fifuob4dh1QmhmsmcGaGZxz5/2IkPUe"
    "srtBgTMvujescuVJKqpKHFjTk3cb82AnlN7dIeQIlE9jHq01BntRBsYoCaIi1j4bgrHDPC"
    "JaFDqJerO5KJsgH6fceZtqaEQ8B6jjpjFPnCnNhCglSEoKsGyZQ42S0+/Pr99e/BAc4xzM"
    "6NFF1bolT5aeAjgigedIHpMtnyg4Fjt0JnIgq12No6OklaRM5himqhLXFH9ZKBDxQK54Z4"
    "CmU2S6wxGBXHKMMRF98uiDntX/DRRaWL4dLbZdWmo6c18dHXZSrsNOAh1WkWCq2Cyu4gGX"
    "WcQ7TZR8Ah5wR+IrsUYsmJFT6rJ8So40TvPgSrjZQWa5gzZgaIa5i9g+eI/kYfI8OoSeOm"
    "KyGQdX59gZyxy2vDKo0kbdNYMp91jMyYG+lWGUIfh9INuLWMQ6trL12ApDU8SK9zlU0aoS"
    "Qr1TKBvgYdLFwiPNmJixSA/XnRvxYS2wsPe8JiDHEj3E+EUNhF+U4vsix79vfsbZYw836z"
    "a+G/F66zjshreR7Eiy2IPNWvKt0VlD83GtuGdOuIfx7R6n3PAc2S/rdHxaUvd6V3q9IAYe"
    "PH3hF98sMpsT7KO+6l9stmPMgw1HDH3MHhE3LK2gf7SP9tfJPnhi6et46ymWwgo0pao76i"
    "RvRQRHd5DiM8urfOxZSe1qb+Rqz6TcSDprG7Csk2I9VOhHdZb45Qv8XIL2pPe7ieFUlnij"
    "DxjXIbOXc9kPC7flZCEvMJyasiRuoop2DO26FInUOCvhRxRNGi1g+zFRVU/RzcyVNfCN9F"
    "sbAKvkPT2GN2sMNOb35HCPDkPLWCSB9I8/3yC77Mid4vPXegJ9AU072kO4PlbpTYt9hEo8"
    "m0wb+DiYIvLBpXzTvkK1iFgHj4Qrpi/0Caonob74A6yK/xINwRokGCMx+mtmJw1W8UChnz"
    "kCch/cxmcYy3ObcXDcc2LvsJJ7HZ7MTJd5cuJmmhkRSaGRnMA55i5lq30wlq1QImfJMZAc"
    "SO6feu0iJpmGoofFM008dX7lYFiPYJNltCa9HjqpaDeTijZ34uqtNXrHR7edtvHUlke7PJ"
    "9RWurpj3/ZzhDfSDqjxHqlfNw/5EXNSvfJmdoa2yEwSwV6hanRqg+Sygn3CeI2zo/S2SqT"
    "83Sdw0EPyw8HPcwdDvqIsFr7AbWugd+niJregqm3YHbBTTHcpS2YlxYSBqmLiLm6QSZlhT"
    "t/8oWGVc4PHBc37tCqydZMzKTDAXHRUb5LwmdP+XYaWHiu/wdDomuQBZbYnfu7euRpJYl2"
    "gWg3vx1oM00UOC1+H4hXpUobUwfFnnAh4vso6ux01C6Lbbosog6szfoPBXpolW2E35f6Mu"
    "qinBLqIdLH9VJbV2S2zsIs55wGAAfFewjtQa2NKwcVG1cO8htXmNyCz11jDvm8CcxZuR7i"
    "fVJnKXdSvpQ7yS3lfK3dmEaUEOohzO3PGCZDa25wSEv2cL28oxscyra1dCTtQCJaXbD6SM"
    "eyy5cdmeB5ncwD0bGMsWwmEgqmjC7AWOUjNeTAHcvsK2OZ2tD/tafyBSxl9hP5VoWZnTfV"
    "zDrh0rBKPy1B6nCz+JZek3RyTcIC3kf4LdRXgWm5HmrBgzpp7g/K09wfnOS2JJtzSm35BA"
    "2QTgk9HcwDCejZx49Xl+dnQbh4FyEXxrBhYQ79g30LZpqq46Xywk94yFR0ZWdPmYpVT7HR"
    "VzLeU1JVBt8OzjBVnA1hsOUS91qN4UvKPBK83dmqVYTdF+yuk2A6LdbDrYbtR0P12u4rWd"
    "vp0OjG0orVOlC6alnU2zOlt5EqUUemNxyZzg/4FvDt/c6s1DfeqZh/AH2Bqy3ulHI3m/9e"
    "dV1sBCDislWYfdOhjmeHAfYwA+dYHgg/DvcYON7ExmZxAP/x1dVxmckEyEYUNmPxjwlm7j"
    "zhPUv8ThUtuBnVqX1r3fStyUHTZO0Rlu9dGtD2c8+ZuNGqLijeymquQ7i2fLaasEmxJXPR"
    "GqZUCMSTkYWGcdHiCvoGfPsD2p/aTcRcPMWmAMVYK53wA9VsyJ2xvY5oP1JNlO6Hxd7iqj"
    "MBUmI9DIe0kFsktb1MmTZNj15IS/UQ5Vd1BvSr8gH9KjeglZnYFOeUkIa5BszxyDRgI6WZ"
    "E+yfz3mDg7oh2Fk5jfXDWHM/M0HteLVfvIeTRp3gdHlsOheazi7168X30lJfdXjUQnANAN"
    "NSX3OI1BFv3sgqiAT6N21u4PhGyA0qHYLGHEFbrsrovYBnVnT81UMklNJ6NB+lAR9FH1gw"
    "0AcW6Oi/PrBA93q+10OM9IEF6/qEN7GhMRUrbOZRePJdd4PBk+Dcvss3HZxt4EjQEFdB3G"
    "AnkE5X2YF0lR/9c5mvKL3zCndNpQsMKxkdflHDVmUbbp4CMDwjGkB+hywAJ9RzgbphwdVp"
    "cFg0tlfAhA5QWaA4sISGwcR0g0oKj25tvf7CRA1B5ap9qGYIFdnXWRp2grWR6L3afpFYpI"
    "eGzVGdyN9ReejvKBf7C76K2h47WKRmvy5f53a5RJ0aj+2QLzqyTzmlU89VPsOHNO95mPWw"
    "rvr18yTWVMJvM2qumbJUGZhFY4jl1W9rNY/IiPyMHBdMFN8IjDPWxhhwKoShC8w5Mu9E86"
    "oqqcsJukcs1OhVh7DntLjW3lp77+JsqbV3B7R3guDedEdPkRbfYPDh+c7PDt1R7P45TMXq"
    "PDqjqVKJq1L1FHd5Tzy8P6FUl5niqZpMpWH53jHYWzm8rlxrNaXnaWZeA/6SMAAbZfcKy/"
    "cQ3IM6xsBBuTFwkDMG9DGMm6FKV2xJ1ccw1t0vWecYxi1ZB3ILIZ8j64zwpdLJeSMhU6Ta"
    "VggLG1CVbpAg2RfwV8hzSGYITJFYjMsAF4iqBVPKUsnF/DiNELbiZbxaseeW/RtoYySHto"
    "uAXMyvwhqxzIUGucekJ2EmRoWoew86+DuO2L08L+s72ea+s3q2D6JIACaA0LjJEZlDLq8w"
    "ulQtYRY++5TaNl1yP6vacq5MKVliBeQRVXGA239cG9+jCtdCaq9+sPzUDobOLCGqTDXtYN"
    "i4g6EiA8bXl/6iNboesvEMy1fNTx5V9NOk2BOyTbfjummRbOrnkGoUs0mI9HCeOK6VK/u4"
    "Ilf2cT5X9oISd26vDLgoPkeq/AipnOBak0bXOO0tzBkd8Z8Fi5MCwzhetpTbw77lrz1n2/"
    "ectbJtWHvOtuI5W2OD5WP3Vn4NEK9FjExFA9anRSZDDzvWFVshRd74JzmtLr64qJibkSnx"
    "oFqSZQ2kCtf00ryjS2BDNkPKgRK6Gr7h6lRXDubwHoEZo0tyCsZx/rWASRtlrVpQ7gLTYy"
    "x4ypSTpv0mRiS4CyBZJZw60sEyh9Y+kFsklAcHiM7kyBqCyUrVsmTCqPb5Gwt4h3jSJzQi"
    "6inZa9+XJNtTWe/Fy3gL0WpI7YCpc8WjJ3GFmHhWjv8PjUjaORT0iPIPlThu6ur+7eqkDu"
    "n+tqj6jU8BL9/QV3IG+NfrIuiMuc9NytCNV2LyR3cfmF9VOYN5tbMJAlFWziFjjv/Etg2C"
    "Ksan8i+ZilzWHZyloTZ9JDNcjotI5o+v8BFzj3YOb9M5XHDwfV0lUCDaQwO6/W326pNaay"
    "dqWrKHO1F3d+dpfsPxFJMgvtm4nzOiLXR0x7x+fernnEZsMocWCvcvV8lRnURER+WZiI7y"
    "p+SEmHHDKswJU2VCFAhrvurO8VV/RZM5pXeDAus7vFVpei/9QjXN7l+FWYtiVofc3KFYHF"
    "yxKRxP8UHSC/SwAblCPw1MZy6PPCUmCj0QOWt8Q+2MiOKviMkPq0zhAg18L9kfrwGcupIt"
    "ArHtiWlxCMYEfXGF6nHRwpH/j4HsLy5WCNNhQG0JWlRC4rlF5ZSBw2PpwmBctqjOoLKRtY"
    "nFQflJHe2fz/HwCmHw/dQjpsJUtST/Of5h8PSK88EDOzRDZIsMEY/ZTeANivcQ2sPntaLq"
    "sljFmiofV+fIZKjA0q5K+xhK9BDmjZzzHZ5+1SyVTlqqj1hvIo+O4zExizdLdhiL9HAJUW"
    "tAH1UM6KPyAa0Pguv1El0Y9sLYLVgjVtEIY6EnJBGG5uXOkghDw3+NTyojqr1eXf6kos5q"
    "fmBpgahWV7XUVWpl38zllRPVDq8mAbSELvH9IgWkplLskyK9gb01ln/gQzI4LhzUD0RKss"
    "Jaa3RZa2Q8i017u0BcW96d6/BuhQfe+o7u1aA8TBAVGdYIFxiB5xzXzHIxuCYIBGMWuDR0"
    "vAMIJtA155J3Ezr4xd3ItZ6n6TyinjrnfYav5/vQxb/6jM5uMnbSHVU3NJKW0keYZ3dlIc"
    "7FNNIwep+W6qFn86TOIuakfA1zklvCBDPYWg6CrKzW/Z3T/flM8OstV/OyfaI/P/GSdTfd"
    "Br3rhsA8a+A4SEj0CffWXAcyp4rHjeKdq6WoZqT0LuoCL37IDmoYM0nJ6dwL9cMmiDHaaN"
    "dqJKBd57Vc55bH1D5TY9FkAs5I6Um4WwzQM8SwOR8UeHaCO8Mqhw6My2wl4UKjbEE986E8"
    "UlNVbK9svo+p5/uXXryoQ7d78aKcbSfvZVbxjtME4aB4D9HdDM2OknBjfhrhf366/lCyUo"
    "hFsl4RbLrgv2pX/A6iXQGuBCNlfYWY7r0/+y0L9/nV9Zusj0NW8Gbbyuzv/wc0fBM+"
)
