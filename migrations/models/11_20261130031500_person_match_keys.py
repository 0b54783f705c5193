"""Finding duplicates of persons registered without an identity document (`possibleDuplicates`,
`registerPerson`'s refusal): each person gets the consonant keys of their names
(`first_key`, `last_key`, computed by api/services/matching.py and kept by every write), an
index on (last_key, first_key, birth_date) and one on birth_date. The keys of the persons
already registered are computed here in batches (`duplicates.rekey`): on a register of 13.6
million persons this takes several minutes, then the indexes take a minute or two; the
migration holds the table for that time."""

from tortoise import BaseDBAsyncClient

from api.services.duplicates import rekey

RUN_IN_TRANSACTION = True

COLUMNS = (
    'ALTER TABLE "persons" ADD COLUMN "first_key" VARCHAR(40) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "persons" ADD COLUMN "last_key" VARCHAR(40) NOT NULL DEFAULT \'\'',
)

INDEXES = """
CREATE INDEX IF NOT EXISTS "idx_persons_birth_d_c8b9d0" ON "persons" ("birth_date");
CREATE INDEX IF NOT EXISTS "idx_persons_last_ke_06c728" ON "persons" ("last_key", "first_key", "birth_date");
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    for statement in COLUMNS:
        await db.execute_script(statement)
    await rekey(db)
    return INDEXES


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
DROP INDEX IF EXISTS "idx_persons_last_ke_06c728";
DROP INDEX IF EXISTS "idx_persons_birth_d_c8b9d0";
ALTER TABLE "persons" DROP COLUMN "last_key";
ALTER TABLE "persons" DROP COLUMN "first_key";
"""


MODELS_STATE = (
    "eJztXW1T3Di2/iuq/jKkbg8bXsNm7r1VhDATdgiwQGandphyq23RrcEteSQZQu2d/34l+f"
    "0Vu7Gh29GXhLZ1JPuRrHN0zqOj/4wW1EEu3zz0HSyO7xERo/fgPyMCF0j+UXJ3DEbQ85J7"
    "6oKAU1cXh6qchVRBfQNOuWDQVnXeQpcjeclB3GbYE5gSJXFOEPiJQW/+z1NAPcSgujEG0H"
    "XpA3LGwEEEIwdQJivALnI2waHnIeJ8T4n7+B6IOQIOlO1DjgBDtz5HumGH2rJlTGY9tXFD"
    "vlx8PLw+HoOPx6fH18cAEgdcX345O5IXN8FkDvl8Av4HXH06/H57b3/DY+geU59b6gb4L2"
    "BDQgm2oQv+cXV+BuitboUhmzLnzaZ6A5/gP31kCTpD8haT7/Hb7/IyJg76Kt9R/vxtJJGl"
    "TBXmSJYlNhrJIvKyCP5n6ioXFnZGvytZ7866xch1Mj0ci8oC+q4lHj195wOenRDxo5ZQkE"
    "4tm7r+guSlvEcxpyQWw8EgmSGikEZOqu+J77rhUIkuBa8pLwjmo/j9nOSCg26h76oRpKSD"
    "50iujSzr7Pzaujq+tqxRYXRFEqnBEF6yKVEjE6txqtCYqUf4/u/b2zs777bf7uwf7O2+e7"
    "d38PZAltXPW7z17q/gYRLQgqo0dCc/nZxdqweicvgH34a68JeWkWMpkNLdmHQFFMVO+Cgh"
    "FHiByrshkMh1gBOKbEZ/LNMd0YWkP5IP+AU6pAbb65PPx1fXh58vVPULzv90NU7yu1N3tv"
    "XVx9zVjf032c6IKwH/Orn+BNRP8O/zs2MNJ+VixnSLSbnrf4/UM0FfUIvQBws6aUyiy9El"
    "WTTVrdFXmu3ZozlkFb0aCeQ6VgK0hl05WsCvlovITMzlz63ttzV9+8vh5dGnw8sNWSrXYW"
    "fhre3g3l8ZhBl1g2k/i7CaWssRjgXynw62Bfg/4GK+1By2uh+NgiLzvUR4bnw+/DUP9dHp"
    "+Yf8h6Aq+JCD3WN0xuCizdBOiSw1uEOlsCqIZ8f2znaDob2zXTmy1a0cwj6TnVCim2sQTk"
    "QGiPDbJrOHLFWN8dvC7BGbhG1gzgiZebrZPB2DFkC1DNyx5CAxbwR5DeJ5wAMr0+LIRbYC"
    "pYWKDA1UoyOfpyODtaWVoNkU/4Kg6YZndAP3p3/IT6BVD6RlDPjPAJ/6wqaLdvN9IjLAif"
    "6gwTx/UDnNH+RnecQYZRI8pxXEWanh2Yrbuw1Q3t6thFndyi0zE39aC5yzUgMczftNgN6v"
    "Bnq/ALRHXWw/WveI8ZZmeVFygID3sM5Mu6fbredzggOEu/vx3RZlA24LcG0XIyKs5SbrUu"
    "Hh6cbeUIeOIw3BEjP7SchTkgbvBnhTn5SEiyoDdnH5paJ1qwZuEK7b3tp9t3uws78bR+ni"
    "K3XBuSgQlwITCujSmY+WMTlKhYc3hLsxOlQY+vYuFf1UF6bQvnuAzLEKd+g2rSpbvLXYXu"
    "SvQAJnGjj1hur503yGf/rIR9lgeMnt8dN8hz9VSV3wSbrDIVj4Qjsyv+NAS4dB/zF4YFgI"
    "RAAmmguQKkcf5CUGCZdVyyvgAcvB5Qsg4J3sP1V6lOvQvtq5IfZcjg9Z1qX23Q+6gogKwM"
    "DGhOM/sOta0SVLtzwZg4vAQ3ClCBjEfXwDFvQecSCX+Av1MM4NCZ6Oy6cSVFerG1IPOYXC"
    "niM+BpBzPCPqSaL6NetCGUdj/ZfsHiRktVJ8AeaIoU1wrZ6ZI3aPZWkV9QML+KifAZycXR"
    "1fXr8HEhobEkIVQlDiIxsmM6TYIA6jHoBAd68T46daEkG10Yszn3CNln5yCSNiEiKGZ3PB"
    "FRlE1jvRchMBsSv/ZCh4xywLxPbFDYFMztROBlk5ehdThS/08N/Cl+F/09hueo/vk2osDz"
    "LBm/JHKikhZSZTHRmk1EoqUSzh/GZYIIYFYlgghgXSdXTRsEAMC2QFxrZhgRgWiJmnDQvE"
    "sEBWF3HDAvkmu8GwQAwLZHUmesMCMSyQ4YxmwwJZ+3WmiZybyPk3gLeJnJvI+XpP1CqgWA"
    "T6Gn2tGMJR+UFowbqg0PGv1/XrljgmdHp+9lNUPL+YyYKtQrZtwI7KG7Abgr1KnJCrYLU/"
    "qiKFRPfHT7NC0o6Dp4kh/5pjex5yDPh3Ot8EgCSkbuiEGvKm8BkJElUEJAXnPbgZPcwp4P"
    "ABzKnP0Zy6Dvj1ZgQwB5QUeSH9NHNDwuGpuBLsMZM/A7j4LmA7BGlBGie34AnUSXoLw1lY"
    "Sc7CqiQReW29/4KdUfBqtrG8UiKDUFNZg2u3SdBqtzpmtft21aiKvyCGZXnnguKaBE3ZUg"
    "1U1H0oYHkUN87Y9Ik+yFsMTHQdR4qmN1EkPBDVltD33gMEpbqxoeuCGUVKV4BbRhe6hAu5"
    "ALphsAGJU1BVPbVzQ24xk1fsObLvFFcQilTuJfUnQ4ALLKtSjalbOmeT1I9z6LwZA8UUjC"
    "sP6gpkN2/IIWDyqTUTEAKCZlDg+xSPbwGZbPJBN6EJfg8IeYDKFwqIg66jyIQhEzJ6kQ0s"
    "+A3xIOcR9TB6VnlDNvJVyAaJI9uVKleWEWMwsVRLiE0Uf7KUNCjfI+Ir3hD9fmEKqjmezV"
    "H8StHVsAGJwS1VWbN4QP0k6EGVjXBS6bTkz+h1FR5ldoBc8j2Xobgq+saofrOXqU9fVTxB"
    "tyeF5kQNO3Tl2KErYmB8RLYLQxZTiWWRvl1rUjhJwRa5H0PPn1I0MFlbfscBpzam30stRO"
    "gC2yBV+yY414oyFOWaTn+HPLFZsCF6aaFEb/02iisOIx+RR/N3Q7pfBy1W6b2uxL/aZb3W"
    "a9fOIgPK52whx7dbkyqLkgO0FbYaEStreJUFWqWGjdq27y2HeFZ0gJA34rLWUFmLTFY16c"
    "v2W/NY83IG7AZgB+OT2I9tkM4IDRDmrSZLjq3qJcdWkd5E6aKEhXC1gK5bqQxjoSGpwp3t"
    "d/uxFlQ/6hTg1efD09OiFnyQb80sTn1W5qyoHrd5uSEO3f0mQze/KEsN3f0CA1Lx2xm2sX"
    "i0FpSIuVsyV8j1DJZjuYINWV5DfvEcVLEZVrWGPVGD/MfjoxM5ljf+Pg4YCXKVjAVK98lu"
    "YWoORutykBdkDdj1YHsSHbQk2AVZA3Y92FNfQInYlArhIl6Ner16rK7F6Mss3pBz1G5/Ri"
    "Lx8rszRv9965MgV8bUx67AhG+q9v539PKju5c9G3AmlaF8A59B13Ihcay5VJCQle2zrp14"
    "6it69iy0Yvy/jichF98jLqh9Z8kXLPs6aqEvkTZ41+IdeIKXirrkRAcYdRmpLDnnRKqvYB"
    "isSRQmHLG1KTrizpu28jHkxIa4VOtjG3g+YpKF+8uXk4/VzrO0XA5v38fOppJeQ9RrQA5I"
    "4sHHkR72+k1LyEolOBdB/pEyhGfkZ/SooT6RDwPL+RFhMPBTuq71BDe5mswKDD7EEbnC+J"
    "IoBInF1M1LOcdcnhxJs/V1grXHhFHXXVQc05e6O64L1aK4XMNI7WEmcJqIa34RCNO5/ACg"
    "AAs5NhUlGBweXZ/8cgw8lbcsFh5HZd8UY7U9tdGEapzKRyO/AOFrVGpPzWs3ZXU/UT0dsk"
    "2tTXRL6p/d11iYPDFzjWuisq+QWmjVZq2+txIl470xdziWGCDAHe/Jl1gxsdRCIis5wHXE"
    "mqwbKtlbmcCDhHCZTk7LddDF67MqX8cetuTCl7fjVWSlBriztY9EbIHl13oVnhMboG7qZR"
    "Wu38y6h65fEp/+0aWwin6YlcvBfasE1xDwOkfi+ZcPp8fg4vL46OTqJPS1x3OUvpn1L14e"
    "H57mtxLP5ZRUsRSvhjojZYBuAvQtZQvfhcskJSgRHeBc0g8XzrjzjDvvhcFdb3de0gEl3r"
    "xM71Q78+IXbO/Li7b3qZ0Q0AUMzTAXiG2Cz0gdOMDjgwqohwiYhFfn2JuofY681ofXRd0N"
    "fXf3WJ01EXSv8tqNwW8j1Z7s6uSiceW9qiuPoVvEyrds1iXNSwl1o4Vfd69LzzpYnafik1"
    "YQp0QGaOb0smRaYBcjvw3IicQAMd5rgPBeJb57eXSXyIP33AR4q41vL04W4/bveTfWmmwo"
    "3OoL3o53E0bm41Ju9oLwAMMpA6Zl+Z7ql2U6Pitpen1Ver0k5BI+fekX3y4QUBAcor4aXi"
    "hgxQJdPTuoA8ye4aaurGB4Ucbu18kBeHLp6/nLKZbSCkwEf3XUSRW5G5LyvPZ1mVbykkPa"
    "s/XCqSpzztoWpL602AAV+k6TJX71Ar94RknK+93GcIqFBohxE+5kNXWy/PjyPOQdBOUu44"
    "rWDO2mEbnMOKsIx5VNGh1ge5GqaqDo5ubKBvjG+q0LgKUhOujBmzcGWoeTC7jHCfNyFkko"
    "/ePPl8itSstUnqNvINCXsALjLSvLY5XdIzNEqOSzqVy/z4MpJh+cqDcdKlSLmHXwTLgS+s"
    "KQoHoR6kswwOr4L/EQbECCsVKjv1kG0mgVDzT6uTShm+A6yXOtcnvjMCV4aqualvshyt5N"
    "H3TbhTSk3TdzQxSFRiUBn2MuqDp3Y6JaoUTNkhNwh5DHg8zoArGFrEL2sHymqa9znI7GzQ"
    "g2eQJV2uthzuNY0XSmrZ24hsltCMar7bRNprYi2tXpgbJS5gDnZx1iHq8yqsf9U17UvPSQ"
    "nKmdsR1Cs9SqOKqyPtlYQXhIEHeRY8yG0qBpM2PHAkOcpzs/H/sZYbXuA2qrBv6QImpmx4"
    "/Z8bMKborxOu34OXGQNEgFIvbjpT5ia1Ti+SgWGtc5P3BS3LpDjw19H9ep48u47KjAJRGw"
    "pwI7DSx8EfzBkOwa5MRnhgEuHxik2gWy3eJ2oH6aKD1/Rb4q1dqYeijxhEsRcwLLergs4g"
    "5szPqPBAZolfXC78t8GU1RzggNEOluzgpNw6zmnBYAh8UHCO1Wo40rWzUbV7aKG1eYOsOR"
    "C6vtsYN5uQHi3f3xg4HWbk0jSgkNEObuZwyboSU3OGQlB7heXtMNDlXbWgqrvNdZhKSi1S"
    "Wrj2wsu3rZkQueN8k84Gl60HccJLK5SGhwtPJEp7+z1MCdAEHBRGXSCn5t6HwBD3P5j3qr"
    "0kSifTWzTLg0qjJISxA8WeGWWZOs5JqEhbyP6FtorgKzcgPUgt2f3sTtOaWueoIWSGeEXg"
    "7mkQL08OLi9OToMAwXryPk0hi2HMzhFLtYlKxaPkhsESQVbtyCcA7/qZTuqwPiKy/rxP1w"
    "fn6aMS8+nOQmlbMvnz8cy27IHTZRjEIlqqfc6KsY7xmpOoNvDWeYOs6GNNgKeSKd1vClZZ"
    "4J3vps1SrD7isWy+QzzYoNcKth99FQs7b7RtZ2JjTaW1qx1F6g9Pqp+bIoIzYkPswLLJBM"
    "ZPqlI9PFAd8BvoPfmZX5xlcq5h9CX+JqSzql2s0WvFdTFxsBiAj2GGXf9Kjnu1GAPcrAOc"
    "GOzSfRHgPPn7rYLg/gP7+6Ji4zF3JhxWEzlvyYYibmxkX22hpgXOMiU33fZgkRlR9cNs/u"
    "U8jZuNXiLCzeyaJshXDt+EQeaVpiR6WUtWw1rxNfBQhahjfLKxga8N0P6GA6txET+BbbEh"
    "RrqazAT1TTk1fi9Tqi+4Az0Socljt9q4HPiQ0wqtFBipDMLjFtzOhfLWDOSg0Q5YMmA/qg"
    "ekAfFE/IhkvgnBEyMDeAORmZFmylNAuCw3Md9zioW4KdlzNYP401DxIMNA47B8UHOGk0iT"
    "FXh5gLEebUCr4Ab3WYLivVf5TzJW27doE6B8El8MtKfcuBTk++eSujIBYY3qzZw5lfkFtU"
    "ufWsOYKuWpTRewnPrATxJ6kklfUYVkkLVok5dmBkjh0wMXxz7IDp9WKvRxiZYweWdQn3sS"
    "0xE/Fr51B48b1zo9GL4Ny9xzcbYm3hRzAQ10HcYj+PSTq5AkknLxidMbg4pfTOL937lC0w"
    "ruVlBEUtV5dtuQUKQBDKA8jvkAPglPoC6BsOfHyvqRQOxO4jsKEHdC4nDhypYTCxRVhJ6Q"
    "Gsnddfmm4hrFy3D/UMoQP7JtfCWpA2Ur3X2C+SiAzQsNlpEvjbqY787RRCf+FX0dhjB8vU"
    "7Le1oeN1qUQrNR674V6syG7jjE490lkJn9K8R1HuwqbqN8h22FAJf8ypuXbKUudRlo0hVl"
    "S/ndV8Q27Iz8gTYKrpRmCSszYmgFMpDAWw58i+k83rqpQuJ+gesUij1x2lXtDiRnsb7b2O"
    "s6XR3iugvVM09bb7csq0eI/Bh7drPzusjmIPTlMqV+fxSUu1SlyXaqa4q3vi6V0GlbrMlk"
    "/VZiqNyg+OwN7JEXTVWqstO88Q81rQl6QB2CpHV1R+gOBuNTEGtqqNga2CMWAOU+yHKV2z"
    "sdQcpth012OTwxRfxzoIoS+xDZJOqbYMgvcydsHr2wWd7IkwdsGr2AVLsMefSxz/FiBeKu"
    "ybWessH/Qd4BG2vYZ8L+WzSqvh0q9QRfHdJ9SRLmcxv/FOfCDLqn3zE47/wK4Lwiom79Vf"
    "Ko2XqjvMQ6mpFunsEJOy0O7zK3yGPjQ+39f0+Zrz5l6c3K4/qaX4n1nJAfI/15fvWaT53m"
    "KC+Xypfs6JdtDRK7Z/ZEj9XNCIbebQUuHh7RDaabL7b6d6+99OMcNshBm3nNKdWHUmRImw"
    "iRKtXZToEDFsz0clxnd4p9bwhkmZV3EDlc0T34rN+8xtVDXHU7e3Ygduve7tNTFf9/aq7V"
    "d1Lzv3qo+qBcJh8QGi28tBRLJFgcpO5607izoWMQdRtzyI+lWV2V//D70npIQ="
)
