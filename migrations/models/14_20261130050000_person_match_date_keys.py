"""The duplicate search's second block (same birth date, or its swap, and the same first or last
name key) read only the matching persons: indexes on (birth_date, first_key) and (birth_date,
last_key) in place of the one on birth_date, which made the search fetch every person born that
day (about 1 200 on the national register) to compare their keys. Each index takes a minute or
so to build on 13.6 million persons."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQL = """
CREATE INDEX IF NOT EXISTS "idx_persons_birth_d_374316" ON "persons" ("birth_date", "first_key");
CREATE INDEX IF NOT EXISTS "idx_persons_birth_d_d23222" ON "persons" ("birth_date", "last_key");
DROP INDEX IF EXISTS "idx_persons_birth_d_c8b9d0";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return SQL


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
CREATE INDEX IF NOT EXISTS "idx_persons_birth_d_c8b9d0" ON "persons" ("birth_date");
DROP INDEX IF EXISTS "idx_persons_birth_d_d23222";
DROP INDEX IF EXISTS "idx_persons_birth_d_374316";
"""


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
    "Bj81G0x8Dzxy62ywP4T6+uicvMhVxYcdiMJT/GmIlpynuW+p0pWnIzrtP41tbTt6YGTZu1"
    "R1S+d2lAu889Z+NWq7qweCeruTXCteOjfKRNih2Vi9aylUIgvoostIyLllfQN+C7H9DB1G"
    "4jJvAdtiUo1lLphB+pZkXujJfriO4j1UTrfljuLa4GPifWw3BIB7lFMtvLtGmjf7WAOSvV"
    "Q5SPmgzoo+oBfVQ8WhsugXNGyMDcAOZkZFqwldIsCPbP57zCQd0S7LycwfpxrHmQmaBxvD"
    "oo3sNJo0lwujo2XQhN55f6zeJ7WalvOjzqILgEgFmpbzlE6sk3b2UVxAL9mzZXcFoY5BZV"
    "DkFriqCrVmX0QcIzKUH8URJKZT2Gj9KCj2IOLBiYAwtM9N8cWGB6vdjrEUbmwIJlfcKr2N"
    "CYiRW28yg8+667weBZcO7e5ZsNzrZwJBiI6yBusRPIpKtcg3SVnxmdMDi7oPTeL901lS0w"
    "rGV0BEUtV5dtuXkKQBDKA8jvkQPgmPoC6BsOXLzTJAwHYncBbOgBnQWKA0dqGExsEVZSen"
    "Rr5/WXJmoIK9ftQz1D6Mi+ydKwEayNVO819oskIj00bPaaRP72qkN/e4XYX/hVNPbYwTI1"
    "+235Ol+WS7RW47Eb8sWa7FPO6NRTnc/wMc17GmU9bKp+gzyJDZXw+5yaa6csdQZm2RhiRf"
    "XbWc235Jb8jDwBxppvBEY5a2MEOJXCUAB7iux72byuSulygh4QizR63SHsBS1utLfR3ps4"
    "WxrtvQbaO0Vwb7ujp0yLrzD48GbjZ4f1UezBOUzl6jw+o6lWietSzRR3dU88vj+hUpfZ8q"
    "naTKVR+d4x2Ds5vK5aa7Wl5xlmXgv+kjQAW2X3isr3ENydJsbATrUxsFMwBswxjKuhStds"
    "STXHMDbdL9nkGMaXsQ5C6Etsg6RTqi2D4L2MXfDydkEnmyKMXfAidsES9PGnMse/BYiXCv"
    "tm1jrLB317ePjtSkO+V0Ge+sXZV4HKPc+5Eo+qJVXWQrpwQ4fzBzoHLmQTpJ20EVPoFddn"
    "VnEwhQ8ITBidk3dglGSXCHkC8Z78GeUC2D5j4VNmPM/dN3FLwrsAkkUq5+YUquqcbaAIYE"
    "A7m2VncuQMwXiha5kzLFDgnZ7Be8TTKTtviX5K9kPgr1bt6Zye8mV8dZxr5LiGmVMT4ycR"
    "Ukw+K8f/h27JFvTw9xyxB3VU5Pdhj2x7i6ZpPit1/8vqpDXS/V0RkVqfcVhNV6444XCj8/"
    "88ia+8Js7AK4mAXJ1d+RUmf3z3kflVl7OY3zhXCpBl1Rwy4vgP7LogrGL0Tv2lEi2qusNM"
    "wZrSls7fMyqj0Dy9wifMPSa29pKxNXMi6LNvItKf1FI8+6xkD3n2m8urL26nuMME8+lS/Z"
    "wT7aCj12yfXp/6uaAR28yhpcL924m512Sb9V71Puu9Yg7wCDNuOaU7XutMiBJhE43fuGj8"
    "MWLYng5KjO/wTq3hDZMyL+JuL5snvhWb94nbVWsW1+2t2J5brwcHTczXg4Nq+1Xdy8696q"
    "NqgXBYvIforuSoONli5JbNIqwOt68KxcUieVsR2wL8R/tENxDtGnAVGBkLMcJ06+Pxr3m4"
    "Ty8uT/Kmn6rg5KWV2V//D7F8hBk="
)
