"""The cost of a document counts a household's `members` at the size of the largest household
the register has held, not at the 50 members a household may have (api/services/extents.py):
the table `registry_extents`, one row `household_members` set here from the register's current
memberships and raised by every write that makes a household larger."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQL = """
CREATE TABLE IF NOT EXISTS "registry_extents" (
    "name" VARCHAR(40) NOT NULL PRIMARY KEY,
    "value" INT NOT NULL
);
INSERT INTO "registry_extents" ("name", "value")
SELECT 'household_members', coalesce(max(n), 0) FROM (
    SELECT count(*) AS n FROM "memberships" WHERE "end_date" IS NULL GROUP BY "household_id"
) AS s;
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return SQL


async def downgrade(db: BaseDBAsyncClient) -> str:
    return 'DROP TABLE IF EXISTS "registry_extents";'


MODELS_STATE = (
    "eJztXW132zaW/is4+hLnrOrGr/Gku3uO7biNp06csZ1Oz9Q9FETCEmoKYAHQinam/30B8P"
    "3VpEzZEoMviUXiAuQDEPfi3gcX/x7MqINcvn3sO1icPSAiBu/AvwcEzpD8o+TuEAyg5yX3"
    "1AUBx64uDlU5C6mC+gYcc8Ggreq8gy5H8pKDuM2wJzAlSuKSIPATg970HxeAeohBdWMIoO"
    "vSOXKGwEEEIwdQJivALnK2wbHnIeJ8R4m7eAfEFAEHyvYhR4ChO58j3bBDbdkyJpMVtXFL"
    "vnx+f3xzNgTvzy7Obs4AJA64ufry6VRe3AajKeTTEfgfcP3h+Lvdg8Mtj6EHTH1uqRvgv4"
    "ANCSXYhi74+/XlJ0DvdCsM2ZQ5r7fVG/gE/+kjS9AJkreYfI/ffpeXMXHQV/mO8udvA4ks"
    "ZaowR7IssdFAFpGXRfA/U1e5sLAz+F3JevfWHUauk+nhWFQW0HctsfD0nRM8OSfiRy2hIB"
    "1bNnX9GclLeQsxpSQWw8EgmSCikEZOqu+J77rhUIkuBa8pLwjmo/j9nOSCg+6g76oRpKSD"
    "50iuDSzr0+WNdX12Y1mDwuiKJFKDIbxkU6JGJlbjVKExUY/w3d92d/f23u6+2Ts8Oth/+/"
    "bg6M2RLKuft3jr7V/BwySgBVVp6M5/Ov90ox6IyuEffBvqwl9aRo6lQEp3Y9IVUBQ74b2E"
    "UOAZKu+GQCLXAU4osh39sUx3RBeS/kg+4GfokBpsb84/nl3fHH/8rKqfcf6nq3GS3526s6"
    "uvLnJXtw5fZzsjrgT88/zmA1A/wb8uP51pOCkXE6ZbTMrd/Gugngn6glqEzi3opDGJLkeX"
    "ZNFUt0ZfabZnT6eQVfRqJJDrWAnQBnblYAa/Wi4iEzGVP3d239T07S/HV6cfjq+2ZKlch3"
    "0Kb+0G9/7KIMyoG0z7WYTV1FqOcCyQ/3SwLcB/gIv5UnPY+n40CorM9xLhufXx+Nc81KcX"
    "lyf5D0FVcJKD3WN0wuCszdBOiSw1uEOlsC6IZ8f23m6Dob23Wzmy1a0cwj6TnVCim2sQTk"
    "R6iPCbJrOHLFWN8ZvC7BGbhG1gzgiZebrZPB2DFkC1DNyxZC8xbwR5DeJ5wAMr0+LIRbYC"
    "pYWKDA1UoyOfpiODtaWVoNkU/4Kg6YYndAP3x3/IT6BVD6RlDPhPAJ/6wqazdvN9ItLDif"
    "6owTx/VDnNH+VnecQYZRI8pxXEWan+2Yq7+w1Q3t2vhFndyi0zE39aC5yzUj0czYdNgD6s"
    "BvqwALRHXWwvrAfEeEuzvCjZQ8BXsM5Mu6fbredzgj2Eu/vx3RZlA24LcG0XIyKs5SbrUu"
    "H+6caVoQ4dRxqCJWb2o5CnJA3eDfCmPikJF1UG7OLyS0Xr1g3cIFy3u7P/dv9o73A/jtLF"
    "V+qCc1EgLgUmFNClEx8tY3KUCvdvCHdjdKgw9N19KvqpLoyhfT+HzLEKd+gurSpbvDXbne"
    "WvQAInGjj1hur503yGf/jIR9lgeMnt4eN8hz9VSV3wUbrDMZj5QjsyX3GgpcOg/xDMGRYC"
    "EYCJ5gKkytG5vMQg4bJqeQXMsRxcvgAC3sv+U6UHuQ5dVTu3xJ7K8SHLutS+/0FXEFEBGN"
    "gacfwHdl0rumTplkdD8DnwEFwrAgZxF6/BjD4gDuQSf6YexrklwdNx+VSC6mp1Q+ohx1DY"
    "U8SHAHKOJ0Q9SVS/Zl0o42io/5Ldg4SsVorPwBQxtA1u1DNzxB6wLK2ifmAGF/oZwPmn67"
    "Orm3dAQmNDQqhCCEp8ZMNkghQbxGHUAxDo7nVi/FRLIqg2enHmE67R0k8uYURMQsTwZCq4"
    "IoPIekdabiQgduWfDAXvmGWB2L64JZDJmdrJICtH72ys8IUe/j58Gf69xnbbW7xLqrE8yA"
    "Rvyh+ppISUmUx1ZJBSK6lEsYTzm2GBGBaIYYEYFkjX0UXDAjEskDUY24YFYlggZp42LBDD"
    "AllfxA0L5JvsBsMCMSyQ9ZnoDQvEsED6M5oNC2Tj15kmcm4i598A3iZybiLnmz1Rq4BiEe"
    "gb9LViCEfle6EF64JCZ7/e1K9b4pjQxeWnn6Li+cVMFmwVsm0DdlTegN0Q7HXihFwHq/1B"
    "FSkkuj98nBWSdhw8Tgz55xTb05BjwF/pfBMAkpC6oRNqyJvCZyRIVBGQFJx34HYwn1LA4R"
    "xMqc/RlLoO+PV2ADAHlBR5Iatp5paEw1NxJdgikz8DuPg+YDsEaUEaJ7fgCdRJegvDWVhL"
    "zsK6JBF5ab3/jJ1R8Gq2sbxSIr1QU1mDa79J0Gq/Oma1/2bdqIq/IIZleeczxTUJmrKlGq"
    "ioh1DA8ihunLHpA53LWwyMdB2niqY3UiQ8ENWW0PfeAQSlurGh64IJRUpXgDtGZ7qEC7kA"
    "umGwBYlTUFUraueW3GEmr9hTZN8rriAUqdxL6k+GABdYVqUaU7d0ziapH6fQeT0EiikYVx"
    "7UFchu35JjwORTayYgBARNoMAPKR7fDDLZ5Fw3oQl+c4Q8QOULBcRB11FkwpAJGb3IFhb8"
    "lniQ84h6GD2rvCEb+Spkg8SR7UqVK8uIIRhZqiXERoo/WUoalO8R8RVviX6/MAXVFE+mKH"
    "6l6GrYgMTgjqqsWTygfhI0V2UjnFQ6Lfkzel2FR5kdIJd8T2Uorou+Marf7GVapa8qnqDb"
    "k0JzooYdunbs0DUxMN4j24Uhi6nEskjfrjUpnKRgi9yPoedPKRqYrC1fccCpjel3UgsROs"
    "M2SNW+DS61ogxFuabT3yNPbBdsiJW0UKK3fhvEFYeRj8ij+bsh3W+CFqv0XlfiX+2y3ui1"
    "a2eRAeVztpDj261JlUXJHtoKO42IlTW8ygKtUsNGbdv3lkM8K9pDyBtxWWuorEUmq5r0Zf"
    "uteax5OQN2A7CD8UnsRRukM0I9hHmnyZJjp3rJsVOkN1E6K2EhXM+g61Yqw1ioT6pwb/ft"
    "YawF1Y86BXj98fjioqgF5/KtmcWpz8qcFdXjNi/Xx6F72GTo5hdlqaF7WGBAKn47wzYWC2"
    "tGiZi6JXOFXM9gOZYr2JDlNeQXz0EV22FVG9gTNci/Pzs9l2N562/DgJEgV8lYoHSf7Bem"
    "5mC0Lgd5QdaAXQ+2J9FBS4JdkDVg14M99gWUiI2pEC7i1ajXq8fqWoy+zOINOUft9mckEs"
    "+/O2Pw33c+CXJljH3sCkz4tmrvfwfPP7pXsmcDTqQylG/gM+haLiSONZUKErKyfda1E099"
    "RU+ehdaM/9fxJOTiB8QFte8t+YJlX0ct9CXSBu9avANP8FJRl5xoD6MuA5Ul55JI9RUMgw"
    "2JwoQjtjZFR9x541Y+hpxYH5dqq9gGno+YZOH+8uX8fbXzLC2Xw9v3sbOtpDcQ9RqQA5J4"
    "8HGkh71+0xKyUgnORZB/pAzhCfkZLTTU5/JhYDk/IgwGfkjXtZngJleTWYHBeRyRK4wviU"
    "KQWEzdvJJzzNX5qTRbXyZYe0YYdd1ZxTF9qbvDulAtiss1jNQeZwKnibjmF4EwncsPAAow"
    "k2NTUYLB8enN+S9nwFN5y2LhYVT2dTFWu6I2mlCNU/lo5BcgfI1K7al57aas7ieqx0O2qb"
    "WJbkn9s/8SC5NHZq5hTVT2BVILrdusteqtRMl4b8wdjiV6CHDHe/IlVkwstZDISvZwHbEh"
    "64ZK9lYm8CAhXKaT03IddPHmrMo3sYctufDl7XgVWake7mxdRSK2wPJrvQrPifVQN61kFa"
    "7fzHqArl8Sn/7RpbCKfpiVy8F9pwQ3EPA6R+Lll5OLM/D56uz0/Po89LXHc5S+mfUvXp0d"
    "X+S3Ek/llFSxFK+GOiNlgG4C9B1lM9+FyyQlKBHt4VyyGi6ccecZd94zg7vZ7rykA0q8eZ"
    "neqXbmxS/Y3pcXbe9TOyGgCxiaYC4Q2wYfkTpwgMcHFVAPETAKr06xN1L7HHmtD6+Luhv6"
    "7h6wOmsi6F7ltRuC3waqPdnVyUXjyntRVx5Dd4iVb9msS5qXEupGC7/sXpcV62B1nopPWk"
    "GcEumhmbOSJdMMuxj5bUBOJHqI8UEDhA8q8T3Io7tEHrynJsBbb3xX4mQxbv8V78bakA2F"
    "O6uCt+PdhJH5uJSbvSDcw3BKj2lZvqf6ZZmOz0qaXl+XXi8JuYRPX/rFtwsEFAT7qK/6Fw"
    "pYs0DXih3UAWZPcFNXVtC/KGP36+QAPLn09fzlFEtpBSaCvz7qpIrcDUl5Xvu6TCt5yT7t"
    "2XrmVJU5Z20LUl9arIcKfa/JEr96gV88oyTl/W5jOMVCPcS4CXeymjpZfnx5HvIOgnJXcU"
    "UbhnbTiFxmnFWE48omjQ6w/Zyqqqfo5ubKBvjG+q0LgKUh2uvBmzcGWoeTC7jHCfNyFkko"
    "/ePPV8itSstUnqOvJ9CXsALjLSvLY5XdI9NHqOSzqVy/T4MpJh+cqzftK1SzmHXwRLgS+k"
    "KfoHoW6kswwOr4L/EQbECCsVKjv1kG0mgVDzT6uTSh2+AmyXOtcnvjMCV4aqualvshyt5N"
    "57rtQhrS7pu5JYpCo5KATzEXVJ27MVKtUKJmyRG4R8jjQWZ0gdhMViF7WD7T2Nc5TgfDZg"
    "SbPIEq7fUw53GsaTrT1k5cw+Q2BOP1dtomU1sR7er0QFkpc4Dzkw4xj1cZ1eP+MS9qXrpP"
    "ztTO2A6hWWpVHFVZn2ysINwniLvIMWZDadC0mbFjgT7O052fj/2EsFr3AbV1A79PETWz48"
    "fs+FkHN8Vwk3b8nDtIGqQCEXtxpY/YGpR4PoqFhnXOD5wUt+7RoqHv4yZ1fBmXHRW4JAL2"
    "VGCngZkvgj8Ykl2DnPjMMMDlA4NUu0C2W9wOtJomSs9fka9KtTamHko84VLEnMCyGS6LuA"
    "Mbs/4jgR5aZSvh92W+jKYoZ4R6iHQ3Z4WmYVZzTguAw+I9hHan0caVnZqNKzvFjStMneHI"
    "hdX22MG8XA/x7v74wUBrt6YRpYR6CHP3M4bN0JIbHLKSPVwvb+gGh6ptLYVV3sssQlLR6p"
    "LVRzaWXb3syAXPm2Qe8DQ96BUHiWwuEhocrTzS6e8sNXBHQFAwUpm0gl9bOl/AfCr/UW9V"
    "mkh0Vc0sEy6NqgzSEgRPVrhl1iRruSZhIe8j+haaq8CsXA+1YPenN3F7SqmrnqAF0hmh54"
    "N5oAA9/vz54vz0OAwXbyLk0hi2HMzhGLtYlKxaTiS2CJIKN25BOIf/WEqvqgPiK8/rxD25"
    "vLzImBcn57lJ5dOXjydnshtyh00Uo1CJ6ik3+irGe0aqzuDbwBmmjrMhDbZCnkinNXxpmS"
    "eCtzlbtcqw+4rFMvlMs2I93GrYfTTUrO2+kbWdCY2uLK1Yai9Qev3UfFmUEesTH+YZFkgm"
    "Mv3ckenigO8A397vzMp842sV8w+hL3G1JZ1S7WYL3qupi40ARARbRNk3Per5bhRgjzJwjr"
    "Bj81G0x8Dzxy62ywP4T6+uicvMhVxYcdiMJT/GmImpcZG9tAYY1rjIVN+3WUJE5XuXzbP7"
    "FHI2brU4C4t3sihbI1w7PpFHmpbYUSllLVvN68RXAYKW4c3yCvoGfPcDOpjObcQEvsO2BM"
    "VaKivwI9WsyCvxch3RfcCZaBUOy52+1cDnxHoY1eggRUhml5g2ZvSvFjBnpXqI8lGTAX1U"
    "PaCPiidkwyVwzggZmBvAnIxMC7ZSmgXB/rmOVzioW4KdlzNYP441DxIMNA47B8V7OGk0iT"
    "FXh5gLEebUCr4Ab3WYLiu1+ijnc9p27QJ1DoJL4JeV+pYDnZ5881ZGQSzQv1lzBWd+QW5R"
    "5dazpgi6alFGHyQ8kxLEH6WSVNZjWCUtWCXm2IGBOXbAxPDNsQOm14u9HmFkjh1Y1iW8im"
    "2JmYhfO4fCs++dGwyeBefuPb7ZEGsLP4KBuA7iFvt5TNLJNUg6+ZnRCYOzC0rv/dK9T9kC"
    "w1peRlDUcnXZllugAAShPID8HjkAjqkvgL7hwMU7TaVwIHYXwIYe0LmcOHCkhsHEFmElpQ"
    "ewdl5/abqFsHLdPtQzhA7sm1wLG0HaSPVeY79IItJDw2avSeBvrzryt1cI/YVfRWOPHSxT"
    "s9/Who6XpRKt1XjshnuxJruNMzr1VGclfEzznka5C5uq3yDbYUMl/D6n5topS51HWTaGWF"
    "H9dlbzLbklPyNPgLGmG4FRztoYAU6lMBTAniL7Xjavq1K6nKAHxCKNXneUekGLG+1ttPcm"
    "zpZGe6+B9k7R1NvuyynT4isMPrzZ+NlhfRR7cJpSuTqPT1qqVeK6VDPFXd0Tj+8yqNRltn"
    "yqNlNpVL53BPZOjqCr1lpt2XmGmNeCviQNwFY5uqLyPQR3p4kxsFNtDOwUjAFzmOJqmNI1"
    "G0vNYYpNdz02OUzxZayDEPoS2yDplGrLIHgvYxe8vF3QyZ4IYxe8iF2wBHv8qcTxbwHipc"
    "K+mbXO8kHfHh5hu9KQ71WQbX5x9lWgcs9zrsSjakmVtZAu3NDh/IHOgQvZBGknbcQUesX1"
    "yVMcTOEDAhNG5+QdGCU5IkKeQLyzfka5ALbPWPiUGc9z903ckvAugGSRypw5hao6ZxsoAh"
    "jQzmbZmRw5QzBe6FrmDAsUeKdn8B7xdOLNW6Kfkv0Q+KtVezozp3wZXx3KGjmuYebsw/hJ"
    "hBSTz8rx/6FbsgU9/D1H7EEd+Ph92CPb3qJpss5K3f+yOmmNdH9XRKTWJxVW05Urzinc6C"
    "w+T+Irr4kz8EoiIFdnV36FyR/ffWR+1eUs5jfOeAJkWTWHjDj+A7suCKsYvVN/qXSJqu4w"
    "36+mtKWz8IzKKDRPr/AJc4+Jrb1kbM2c6/nsm4j0J7UUzz4r2UOe/eby6ovbKe4wwXy6VD"
    "/nRDvo6DXbp9enfi5oxDZzaKlw/3Zi7jXZZb1Xvc16r5jJO8KMW07pjtc6E6JE2ETjNy4a"
    "f4wYtqeDEuM7vFNreMOkzIu428vmiW/F5n3idtWaxXV7K7bn1uvBQRPz9eCg2n5V97Jzr/"
    "qoWiAcFu8huis58E22GLllswirI+qrQnGxSN5WxLYA/9E+0Q1EuwZcBUbGQoww3fp4/Gse"
    "7tOLy5O86acqOHlpZfbX/wMXpXDG"
)
