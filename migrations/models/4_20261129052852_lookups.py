"""Program lookups: the distinct persons each program asked about per day (the daily cap).
SQL per dialect, as in the initial migration."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

POSTGRES = r"""
CREATE TABLE IF NOT EXISTS "program_lookups" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "program" VARCHAR(16) NOT NULL,
    "day" DATE NOT NULL,
    "idcs" VARCHAR(10) NOT NULL,
    CONSTRAINT "uid_program_loo_program_cf7b8a" UNIQUE ("program", "day", "idcs")
);
COMMENT ON TABLE "program_lookups" IS 'A person a program asked about on a day: the daily cap counts distinct persons.';

"""

SQLITE = r"""
CREATE TABLE IF NOT EXISTS "program_lookups" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "program" VARCHAR(16) NOT NULL,
    "day" DATE NOT NULL,
    "idcs" VARCHAR(10) NOT NULL,
    CONSTRAINT "uid_program_loo_program_cf7b8a" UNIQUE ("program", "day", "idcs")
) /* A person a program asked about on a day: the daily cap counts distinct persons. */;

"""

POSTGRES_DOWN = r"""
DROP TABLE IF EXISTS "program_lookups";
"""

SQLITE_DOWN = r"""
DROP TABLE IF EXISTS "program_lookups";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return {"postgres": POSTGRES, "sqlite": SQLITE}[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return {"postgres": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}[db.capabilities.dialect]


MODELS_STATE = (
    "eJztXVtz2zYW/isYvdSddTyxfImb7u6M7CiNto7ttZ2206ZDQSRkoqYIFiTtarr57wvwfg"
    "FpQiJtCeGLxyJwQPI7IM7BueHvwYIYyHL3Rr6BvfEDsr3BW/D3wIYLxP4RtO6CAXSctI1f"
    "8ODMCrpD3k9DvGPQAGeuR6HOx5xDy0XskoFcnWLHw8TmFJc2Aj9Q6Jj/PQfEQRTyhl0ALY"
    "s8ImMXGMjGyACEsgGwhYw9MHIcZBuviG0t3wLPRMCA7P7QRYCiue+i4MYG0dmdsX3X0T0+"
    "25+u3o1ux7vg3fh8fDsG0DbA7fWnizN2cQ9MTeiaU/AvcPNh9Gp4dLzjUPSAie9qvAH8A+"
    "jQJjbWoQX+c3N5Acg8uAtFOqHGt3v8DXwb/+kjzSN3iDVR9h6//c4uY9tAf7F3ZD9/GzBk"
    "CeWdXcT62joasC7ssjf4nfd17rU5RpaR42jSlXUIWjVv6QQtp/huYnvvAwoO4UzTieUv7C"
    "KVs/RMYidkOJwUd8jmyCIjw2vbt6xoasSXwtdiFzzqo+R9jPSCgebQt/iM4dThc6TXBpp2"
    "cXmr3YxvNW1Qmk0xRYb50SWd2HwmYj4vORp3/BFefTccHhy8Gb4+OD45Onzz5ujk9QnrGz"
    "xvuenNl/BhUtDCoQLoJj9MLm75AxE23cNvgV/4EtCwuRNSBWxLWQG9MhPeMQg9vEBiNoQU"
    "BQYYEcle/M8q7IgvpPxIP9hnYEgNtreTj+Ob29HHKz78wnX/tAKc2HfGW4bB1WXh6s7xt3"
    "lmJIOAnye3HwD/CX69vBgHcBLXu6PBHdN+t78O+DNB3yOaTR41aGQxiS/Hl1jXDFvjrzLP"
    "2TMT0gquxgQFxjKAtpCVgwX8S7OQfeeZ7Of+8HUNb38aXZ99GF3vsF4Fhl1ETcOw7UsOYU"
    "qscJnPI8yXUjHCCUHx08G6B/4HLOyutIZt7kfDoch9LzGeOx9HvxShPju/PC1+CHyA0wLs"
    "DiV3FC5kpnaGZKXJHQmFTUG8MLePm0zt4lKUmdnHxYnt+JQxQSCbaxBOSdRD+OB1k9WD9a"
    "rEOGjLg5yogDIw54j6dbrZOp2AFkK1CtwJpZKYN4K8BvEi4KGWqbnIQjoHRUJERgpqLyPX"
    "k5HhXlJL0WyKf4mwZ8MabHD92R/sE5DiQJamB38N8Inv6WQht96nJAou9CcN1vmTymX+pL"
    "jKI0oJZeAZUhDnqdTTFYeHDVAeHlbCzJsK20xu9HI9DQsEaTXOeSoFZ/NxE6CPq4E+LgHt"
    "EAvrS+0BUVdSLS9TKgj4QRM98aBaTzwo6Yk5c7Tcfr5AqCDc7c9vWZR7cJ8Al3s35vcZoz"
    "q/MIP6/SOkTIcutpAhqepbbloMF8Ur0IZ3AXD8DfnzZ91iN6HaOKhym8Xtu087zrIa6NOu"
    "s59NrJuRz8j9JnBRAWiDYCgQ+OBYo+dTO/Rt6Sa02Vu8BZ8HjyYBLnwEJvuSkUksA/zyeQ"
    "CwC4iNSt6zbm7z2Y6mI2CTlC5zLjemZ9+jwCEWehIb+8PcFOrUI1bpCROJ9TofmFCgC7xf"
    "kZbUO79qnV+b4od86dXxGZlR2h7LyKQMiYJi6bCJ9fOw2vh5+HqDxNI7pFswslYLpFK2uV"
    "YoGWlHiWiOSBfnMQ0wXfq/cYFLdExeMTlikwXWQWb0PXBpGYjGpC6AFIF75Hh7JWnUyR0E"
    "suW3QTJwtJOL9xi/F8ROL182Ur5UbiYr8a/eRG61aBnuH745PDk4PkzgT67UoV4WGiaCho"
    "YMX5d2npUpFRQh+40caDX+s5L7LICN6LrvrIZ4nlRByBv5LGtclmWPJV/02f2l/ZVFuh7s"
    "BmCH89PWl1KegiyRgjDvNzGQ7FcbSPbLZmxCFgJH2M0CWlalMEyIVBKFB8M3x4kU5D/qBO"
    "DNx9H5eVkKPrK3pppLfCrau1bP2yKdilO39XioII6BYh17S21BbM+0BGsF289gNpcrvF7i"
    "EYr+3XCIvWioLeREDfLvxmcTNpd3vtsNXQTunxb2UJYnh6WlOZytq0Feou3BrgfbYeigFc"
    "Eu0fZg14M98z3IEJsRz7OQW416vXisHqWXl3m8oesiuTiclOL5o3AG/5z7ts7hAjMfWx62"
    "3T1+v38Pnn92dxKbA++YMGRv4FNoaRa0Dc1kAhJSUTx97cJTP9Daq9CGhZq0vAhZ+AG5Ht"
    "HvNfaCoq+jFnoBdY93Ld6hJRgZmnzKVYFUwdyrAUXQuLSZ+AqnwZbkYkUztjYVK2HeTMrG"
    "UCBTcavWRbh/0WOSh/vTp8m7auNZlq6At+9jY49TbyHqNSCHUVvhx5Gd9sGbCnyJApzLIL"
    "8nFOE7+0e0DKCesIeBYnd55Az8kB1rO8FNr6arAoWPiUeuNL8YCuzdUSg0rtkacz05Y2rr"
    "yzhrxzYllrWoSLzPtO7WuWpR0q+hp3aUc5ym5ADbAIIobe97AD2wYHOTR+yA0dnt5KcxcB"
    "AFOwnxbtz327KvtqN7NIkEyuQdsi/A8wNUGPflooGql6z2F6qnXbaZvUlwJ/7n8CU2Jk+s"
    "XLs1XtkXSCHdtFWra5tpOt8bh/YkFAoC3HLuBcOKeittJPKUCu4jtmTfEGNSu3FADMJVmJ"
    "yla4HF27Mr30YOa2zj68rFVeSp1Eui6iThPtT8pHfhBTIFZVMnu/DgzbQHaPkC//R7i8Cq"
    "8MM8XQHuOSfcQsDrDImXn07Px+Dqenw2uZlEtvZkjQoa8/bF6/HovAC2Z7IlqWIrXg11jq"
    "oHugnQc0IXvgVXyREUkCq4lnQTC9eb83pz3jODu93mvJQBAmtejjvVxrzkBeVteXElSZ4J"
    "AS1A0R12PUT3wEe0mLH1L8h74B2Ig2wwja6a2JkCSh7dWhteG2M3tN09YDbLI/Zyqx2vas"
    "nvx1idXuxNeS9qyqNojqg4g6+uOEKGqB0p/LK5Lh3LYJ0sFr4tBXGGREE1p5Mt0wJbGPky"
    "IKcUCmJ81ADho0p8j4roQsNgq4qURTpDoiC+nRhZerN/x9lYW5JQuN8VvC1nE8bq40pm9h"
    "Kxgu4UhcOyfIfzZRXG5yl7rm8K1wUul+jphV+8nCOgRKiivFLPFbBhjq6ODdQhZmuYqSsH"
    "UM/L2P4+OQSPbX0dfzXBIhyg9+BvjjipCu6GtrhAZ12llSKlSjlbz1xJqmCslQjqy5IpKN"
    "APmmzxqzf45Vq0Geu3jOKUECmIcZO6qNVlUYfCkl1FyFtwyl0nA20Z2k09crl5VuGOEy0a"
    "LWB7lRlKUXQLa2UDfBP51gbATBFVevIWlQFpd3IJ96RgXkEjiajf/3iNrKqyTOIafYpAL4"
    "gKTFJWVscqnyOjIlTs2bAuytCWgSkJPpjwN1UVqkUSdbAmXGn4gkpQPUvoSzjB6uJfkinY"
    "IAhGy8z+ZhVI4108CNAvlAndA7cmAjZ6RK7H41J4PWoetJJNVQvovgckKBnKY1cGBdQ7us"
    "1nm4fQYM8FJnY9wstiT/ldiM1XySm4R8hxAYK6CTxEF2wIxmH2TDM/qHE62G0WYFMMoMpa"
    "Pfpy2RtazlTaiNtHcvcBxptttE2XtjLa1eWB8lT9QV1rHVaX7DKq5/1TVtQitUrG1NaiHS"
    "K1lKHni3bl9cXGSsQqQdxGjTEd+nKH5iYEKq7TrZ+DtoZbrX2H2qaBr5JHrc/46TN+NsFM"
    "sbtNGT8TAzGF1EO2vrwODskaCCwf5U67dcYPnHbX7tGyoe2DWxzmmHKDA3IZo0KTRBg9Fe"
    "ppYOF74T8UMdYgAzxizwyzetgDg8x9AbtvOR2om1sIz19hr0oCaZw7ep2R9CewbIfJImFg"
    "46j/mEBBrayT+L7cl9EU5RyRgki3c5RXFma+5kgAHHVXENr9Rokr+zWJK/vlxJX4vGTZQ1"
    "KLdAri3f5JtKHUlg4jyhApCHP7K4ZO0YoJDnlKBffLW5rgUJXWUtrlvcwmJOOtFuw+8r7s"
    "6m1HwXnepPKAE4QHfeOClLbgCQVzShZgGpS/0/jEnQKPgCmvpBX+2gnqBTya7A9/K2Eh0a"
    "5us4q7NB4yLEsQPlmpqd+TbOSehEZxH/G30FwE5ukUlIIdVCLVTUIs/gQSSOeIng/mAQd0"
    "dHV1PjkbRe7ibYScKcOagV04wxb2BLuWU4YtgnaFGbdEXMB/xqi7YkBy5XmNuKeXl+c59e"
    "J0UlhULj59PB0zNhQOmxAcqp2IHrHSVzHfc1R1Ct8WrjB1MRtMYSvViTSk4cvSrAne9qRq"
    "ibD7C3ur1DPNkymYati+N7Tf230le7veNdpZWbFMLlB2/9R8W5QjUyke5hk2SL1n+rk90+"
    "UJ3wK+ymdm5b7xjfL5R9ALTG0pU6rNbOF7NTWx2QDZHl3G1Tcd4vhW7GCPK3BOsaG70zjH"
    "wPFnFtbFDvz1h3vaZNbbvjbS9sWZKrM3iPsrV6az/dpwOpbadUXdW9ltbRCuLR+1w3RGbP"
    "BasZrOF2zb55Z/Sb+leADVgG9/Qs8w9UxNR9TDc6wzULSVyv0+MYx65ob2Xcl2IJyh2Jxb"
    "jXyBTEF/RQvFP3L5XzyqUQt+ScCcp1IQ5ZMmE/qkekKflM++hivgnCPqYW4AczozNSglNU"
    "uE6q3SHU5qSbCLdD3WT2PthqUDGjuUw+4KLhpNvMfVzuOS7zhU1mQdcHmqr9p/aSC4AoB5"
    "qq/Zh+mwN5fSChIC9ZbNDo7zgq5GuMVOMxG0+LaMPDB47gSIPxklUjlOHzAiETDSnygw6E"
    "8U6N3z/YkCPdfLXI8x6k8UWNUo3FbGoUSKQ1+HbwPq8F1Rckfh4pyQe1+YDpLvsFvrqg67"
    "albQVzIrBEAQ0QPo3iMDwBnxPRA0GHD5NvAuGxBbS6BDBwTlbVxgsC8T27oXDSI8k7L18Y"
    "UZ6NHgwf1hsEwELtE+/Xwr3N0Z7jXeT6YkKgqE1rMNoq+isaUDimTt12UjetkgjM2aj614"
    "rTckATOpQy+Wt0mN+lpRG/RqJmSrMV8jPktnTyUzOeP+ykUItXJ4R7VokvV+9o5PCffQPX"
    "svGXDj/gqCu98kRmK/OkhivxQl0R9D000kSk1Ifn8MTdN48SbH0LyMdhBBL9ANUqZUawbh"
    "e/V6wcvrBa3EnPV6wYvoBStE56wbmPM1QLySdTi311ndNqzg4V+dWoav2bMyreHarxBFSe"
    "sT4ijop1G/cQ4TYH15xtHUxX9gywLRENO3/D9eAIGPHVXwCULisnl1U5EFeP0B+zymLTXs"
    "9id1PHvsUPBJreRez1Mq6F7fXnd6OYpijm3smivxuUDan5y9yXwuSUSZNVRIrF4A5kETb9"
    "lBtbfsoFybK8bM1QxhoGudCiEgfr4IwNdbr09siJdohCjWzYFA+Y5aahVvmPZ5ETOQaJ34"
    "WnTeNaNUaw72k9diFddej46aqK9HR9X6K2/Lr738o5JAOOquILqdlHDnp5Ai0blmdaf4JS"
    "T9EX6SR/i9qDD78n9X/KLz"
)
