"""A writer's changes of answers numbered in one statement (PostgreSQL).

`sijill_number_own(lock_key, own)`: what a mutation that wrote changes runs after its commit
(api/services/feed.py `sequence(own=…)`), as one statement instead of a transaction of eight:
under the feed's advisory lock (held to the statement's end), the writer's own changes still
without a sequence and every change newer than the newest numbered one, in id order, get the
sequences after the last one given; the marks `sequenced` and `sequenced_id` follow. Each
statement of the function reads what was committed when it started, after the lock was taken,
as the statements of the transaction it replaces did. Returns how many were numbered.
On SQLite (one writer at a time) the changes are numbered by the Python code as before."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

POSTGRES = r"""
CREATE OR REPLACE FUNCTION sijill_number_own(lock_key BIGINT, own BIGINT[]) RETURNS INTEGER
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    last_id BIGINT;
    last_sequence BIGINT;
    pending BIGINT[];
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    SELECT value INTO last_id FROM feed_marks WHERE name = 'sequenced_id';
    last_id := coalesce(last_id, 0);
    SELECT array_agg(id ORDER BY id) INTO pending FROM (
        SELECT id FROM eligibility_changes WHERE id = ANY(own) AND sequence IS NULL
        UNION
        SELECT id FROM eligibility_changes WHERE id > last_id AND sequence IS NULL) AS waiting;
    IF pending IS NULL THEN
        RETURN 0;
    END IF;
    SELECT value INTO last_sequence FROM feed_marks WHERE name = 'sequenced';
    last_sequence := coalesce(last_sequence, 0);
    UPDATE eligibility_changes c SET sequence = last_sequence + n.ord
        FROM unnest(pending) WITH ORDINALITY AS n(id, ord) WHERE c.id = n.id;
    INSERT INTO feed_marks (name, value)
        VALUES ('sequenced', last_sequence + cardinality(pending)),
               ('sequenced_id', greatest(pending[cardinality(pending)], last_id))
        ON CONFLICT (name) DO UPDATE SET value = excluded.value;
    RETURN cardinality(pending);
END
$$;
"""

SQLITE = "SELECT 1;"


async def upgrade(db: BaseDBAsyncClient) -> str:
    return {"postgres": POSTGRES, "sqlite": SQLITE}[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return {"postgres": "DROP FUNCTION IF EXISTS sijill_number_own(BIGINT, BIGINT[]);",
            "sqlite": SQLITE}[db.capabilities.dialect]


MODELS_STATE = (
    "eJztXW132zay/is4+lLnXNWNX+Jmnd49x3Hc1rtOnLWdtmejHgoiIRE1BagEaUd3t//9YsD3"
    "V5OyZFMMvrQxiSHIBxBmMPPM4D+DObeII3ZPfIt6Z3eEeYNj9J8Bw3Mi/1Fyd4gGeLFI7sEF"
    "D08c1RxDO4NAQ3UDT4TnYhOeOcWOIPKSRYTp0oVHOQOJS0bQTy5e2P+6QHxBXAw3hgg7Dr8n"
    "1hBZhFFiIe7KB1CHWLvoZLEgzPqWM2d5jDybIAvL/rEgyCVTXxDVscVN2TNlsw31MWKfPr47"
    "uTkbondnF2c3ZwgzC91cffpwKi/uorGNhT1G/4uufz75dv/V0c7CJXeU+8KAG+h/kIkZZ9TE"
    "DvrH9eUHxKeqF5eY3LVe7MIX+Iz+6RPD4zMib7nyOz7/Li9TZpEv8hvln58HElnuQmNBZFtm"
    "koFsIi97wf9duCo8g1qD30F2cWtMKXGszAjHorKBumt4y4W685bOzpn3o5IASCeGyR1/zvJS"
    "i6VncxaL0WCSzAgDpImVGnvmO044VaJLwWfKC57rk/j7rOSCRabYd2AGgXTwHsm1gWF8uLwx"
    "rs9uDGNQmF2RRGoyhJdMzmBmUpingMYMXuHbv+3vHxx8v//y4Oj1q8Pvv3/1+uVr2Va9b/HW"
    "938FL5OAFjxKQXf+0/mHG3ghLqd/8NuAC38pGTmXAik1jMlQYK84CO8khB6dk/JhCCRyA2CF"
    "IrvRP1YZjuhCMh7JD/gJBqQG25vz92fXNyfvP8Lj50L86Sic5O8O7uyrq8vc1Z2jF9nBiB+C"
    "fj2/+RnBn+jflx/OFJxceDNX9Zi0u/n3AN4J+x43GL83sJXGJLocXZJNU8Ma/UqzI3tqY7di"
    "VCOB3MBKgLZwKAdz/MVwCJt5tvxzb/9lzdj+cnJ1+vPJ1Y5slRuwD+Gt/eDeXxmEXe4Ey34W"
    "YVhayxGOBfI/HWp66L/IoWKlNay7PxqAIvN7ifDceX/yWx7q04vLt/kfAjzgbQ72hctnLp63"
    "mdopkZUmd6gUuoJ4dm4f7DeY2gf7lTMbbuUQ9l05CCW6uQbhRKSHCL9ssnrIVtUYvyysHrFJ"
    "2AbmjJBep5ut0zFoAVSrwB1L9hLzRpDXIJ4HPLAyDUEcYgIoLVRkaKBqHfk4HRnsLY0Ezab4"
    "FwT1MDxiGIQ/+UP+BFqNQFpGg/8I8LnvmXzebr1PRHq40L9usM6/rlzmX+dXeeK63JXgWa0g"
    "zkr1z1bcP2yA8v5hJcxwK7fNTPxpLXDOSvVwNh81AfqoGuijAtAL7lBzadwRV7Q0y4uSPQR8"
    "A/vMtHu63X4+J9hDuNc/v9uirMFtAa7pUMI8Y7XFulS4f7pxY6hjy5KGYImZ/SDkKUmNdwO8"
    "uc9KwkWVAbu4/UrRuq6BG4Tr9vcOvz98fXB0GEfp4it1wbkoEJcCE3vY4TOfrGJylAr3bwqv"
    "x+iAMPT0NhX9hAsTbN7eY9cyCnf4Pq9qW7w135/nr2CGZwo4+EJ4/zSf4V8+8Uk2GF5ye/gw"
    "3+FPaKkaPkh3OEFz31OOzG8EUtJh0H+I7l3qeYQhyhQXINWO38tLLmZCPlpeQfdUTi7fQx6+"
    "leMHrQe5Ad1UPyNm2nJ+yLYON2/fqAdEVAAX7YwF/YM6jhFdMlTP4yH6GHgIroGAwZzlCzTn"
    "d0QgucWfw8tYIxa8nZBv5XH1WNURvOQEe6ZNxBBhIeiMwZtEz1esCzCOhupfcniIJx8rxefI"
    "Ji7ZRTfwzoK4d1S2hqgfmuOlegd0/uH67OrmGEloTMwYB4SwxEd2zGYE2CCWyxcIIzW8Vowf"
    "9OQFj40+3PWZUGipN5cwEldC5NKZ7Qkgg8jnjpXc2MPUkf90SfCNWRaI6Xsjhl25UlsZZOXs"
    "nU8AX7yg34UfI75T2O4ulsfJY4wFdj3RlD9SSQkpM5nqyCClVlKJYgnXN80C0SwQzQLRLJB1"
    "Rxc1C0SzQDowtzULRLNA9DqtWSCaBdJdxDUL5KscBs0C0SyQ7iz0mgWiWSD9mc2aBbL1+0wd"
    "OdeR868Abx0515Hz7V6oIaBYBPqGfKmYwlH7XmjBuqDQ2W839fuWOCZ0cfnhp6h5fjOTBRtC"
    "tm3AjtprsBuC3SVOyHWw2x9UkUKi+8OHWSFpx8HDxJBfbWraIcdAfKPqTSDMQuqGKqghb3q+"
    "y4JCFQFJwTpGo8G9zZHA98jmviA2dyz022iAqECcFXkhm+lmxMLpCVwJd5mpn4EcehuwHYKy"
    "II2LW4gE6qS8heYsdJKz0JUiIs+t959wMApezTaWV0qkF2oqa3AdNglaHVbHrA5fdo2q+Atx"
    "qWxvfeS0pkBTtlUDFXUXChgLThtXbPqZ38tbLhqrZ5wCTW8MJDwUPS2h7x0jgqW6MbHjoBkn"
    "oCvQ1OVz1cLBwkOqY7SDmVVQVRvqZ8Sm1JVXTJuYt8AVxF6q9hL80yVIeFQ+CjqDW6pmk9SP"
    "NrZeDBEwBeOHB88KZHdH7AS58q0VExAjRmbYo3cpHt8cu7LLe9WFIvjdE7JAXH5QQBx0LCAT"
    "hkzI6EN2qCdGbIGFiKiH0bvKG7KTL57skFmyX6lyZRtviMYG9ETcMfAnS0mD8jsivuKIqe8L"
    "S1DZdGaT+JOiq2EHEoMph6pZIqB+MnIPbSOcoJyW/DP6XMCjzA6QW77HMhS7om+06te5TJv0"
    "VcULdHtSaE5Us0M7xw7tiIHxjpgODllMJZZF+natSWElDVvUfgw9f6BocLK3/EYgwU3Kv5Va"
    "iPE5NVHq6bvoUinKUFQoOv0tWXi7BRtiIz2U6K3Pg/jBYeQj8mj+rkn326DFKr3XlfhXu6y3"
    "eu+6tsgA+JwNYvlma1JlUbKHtsJeI2JlDa+yQKtUsHHT9BerIZ4V7SHkjbisNVTWIpMVFn3Z"
    "f2sea15Og90A7GB+MnPZBumMUA9h3muy5dir3nLsFelNnM9LWAjXc+w4lcowFuqTKjzY//4o"
    "1oLwR50CvH5/cnFR1IL38qtdQ3DfLXNWVM/bvFwfp+5Rk6mb35Slpu5RgQEJ/HaXmtRbGnPO"
    "PNspWSvkfobKuVzBhix/Qn7zHDxiN3zUFo5EDfLvzk7P5Vze+dswYCTIXTL1SHpMDgtLczBb"
    "V4O8IKvBrgd7IdEhK4JdkNVg14M98T0sEZtwz3OIqEa9Xj1WP0XryyzeWAjSLj8jkXj67IzB"
    "D1OfBbUyJj51PMrELvT398HTz+6N5GzgmVSG8gt8FzuGg5ll2FJBYrcsz7p24al/0KNXoY7x"
    "/9a8CDn0jgiPm7eG/MCyX0ct9CXSGu9avANP8EpRl5xoD6MuA6iSc8mk+gqmwZZEYcIZW1ui"
    "Ix68SSsfQ06sj1u1TaSB5yMmWbg/fTp/V+08S8vl8PZ9au2C9BaiXgNyQBIPfhzpaa++tISs"
    "VIJzEeQfuUvojP2TLBXU5/JlcDk/IgwG/px+1naCm1xNVgUX38cRucL8kigEhcXg5pVcY67O"
    "T6XZ+lzB2oXDl3PCgOwlKkO2+UbD+sBt1DzKw2gYv72xCcKmSYRAQcZdHGsl8h9LxGRfaO4r"
    "SpB7R9DO+FaO/Rh9E7T+5sVxIWD7+EeOWIbwlHzc7mK5i34Ni98p8pMcdgQl6XxmhQyshT+R"
    "j4nq4UGNu8cyleD12iiTqP16tMjzRnY34u5bIYZbjbbOEG1biUj+PoS9kmmcl+2hbbwltnAl"
    "I6l8qNtZw3m5Hv6u9hvVn9qvqT+1/7JLFPMzh87ohMqN8fJUJfyUGRXFRrVGBUmaG0EWUQtS"
    "WFSCFRhbC7lEB1VsmbiXanrKXbgaVJArVLNNl6+NuMsubPjzhsZmuhkxxSc3sTQhgZ/9Bo0j"
    "0vEYcqVm9E4+BE+90N4ICuCiyTIgkxOieGlRXdlh1B13pYECz47eWaAJMeX4oDsqqEQ8VxoW"
    "HgQk78a5VqmCfDrXqnoV6ARV7Zm473mX31czEs9a6bLbinADBqZahks9QpVTOyPTp4Da2riY"
    "1DJbFRaJ2vdwyq6fd6nrdfdy//O8jptO/WbWz+VUBnIbdGMBDW8DeIPNl1NmInLuEMyq2G+J"
    "WA7niZTbQqDrTL7Ly4vMWvT2PF+f5NP7t2dSGeTixkX16hIsQqd50/mcEunhjD5s5CA5rHGQ"
    "HBYLdIesKQPPWxbwKgrqSl4lzCuFjuFQ1u4Qhbzco1hYHcP4qelWni1vVoRqHY6rCk6lpXLw"
    "T0FsC9eTOkbP5ae3F2fo49XZ6fn1eTgKsemobmYX7Kuzk4t8RXTuzn0Hr1K0rkS0fyXrNpMq"
    "Vc32qE+VqmF79ADrgyaB0YPqwOjBUZdCCczljgPh9kFZDCG5O6wNHsTtGgYNTjKJ3Ym4qn8S"
    "efHfIOyhuVyCoWQZOjm9Of/lDPz+aCcWHkZtXxRzyTfUR1v3vIc9X6Eifw/tXPTVlKr1E6ke"
    "9g6nuNOqJ/jP4XMQpx9gVg1rXPHaIbxxh3Ay35sinEj0EOA1nxkgsXK9ldgcWUnty+y0L5NI"
    "CFcZ5LTcGoa4Y2ZYz0bYCHxKbZbKrFQPTetNHBQXWH6teVE5sR7qpo1kCagvM+6w45d4s2uc"
    "Ijk57RZp4hbR/qevx//UNcSf1wGl0410upFONyq4834kxHqP3dtBiTMvvjesc+UBFVVVI26R"
    "UxTyYCec394SspAoHyc8WmuMduKyznFlZUWsfTFE44XrM9mj1Encn9mybYp8XMg02kRHI+Yv"
    "kMeRZ9OEyqsKSM44IyApwXKgMCtnxz+cXr47+/tYFXYehyt6fFH1buGlIiiPWOg5grwkeKOx"
    "oH9AkerwskDw2OV4GBeJBkmoEB0lUMlrir8sFYh8IU9+MyLTKTG94YhhARxjyuSYNPVKVroe"
    "1f9bKLSofe8yno6a6LCjah129PLBjKdys7iOB1xlEW81UfIJeMAdia8kGrFkRc6oy+olOdY4"
    "7YMrUbIDlM7FDnLJjAqPuLvoPZlP5Dqj1jmVsbCQi804vGrTxRgK44vaoMo6nt0wmHJH5Zoc"
    "6lsIowzR5wH0F7OIdWzl2WMrLpkStzzPoY5WlRLqnULZAA+Tz+c+a8fETER6uO/ciA9rTqW9"
    "57cBOZHoIcavGiD8qhLfVwX+ffuDUx97Ymq38d2I11vHYTecRrIlFej3NmvJr43OGpmPK8U9"
    "C8I9jG/3uI6Xv4BxWWXgs5J61Lsy6iUx8PDtS3/x7SKzBcE+6qv+xWY7xjzYcMQwwOwRccPK"
    "B/SP9rH+fXIAntz6LvzVFEvpAzSlqjvqpGhFhOeBMa80YFznY89Lald7K1d7ruRG2lnbgmWd"
    "FuuhQj9ossWv3uAXTn1Je7/bGE5VhTf6gHETMns1l32/NC0nD3mJ4dSWJXEVP2jL0G5KkcjM"
    "swp+RNmisQZsP6Ye1VN0c2tlA3xj/bYOgFXxnh7DmzcGWvN7CrjHJ6zmLJJQ+sd/XhGn6hy/"
    "8kNdewJ9CU07ziFcHats0mIfoZLvBmUDHwdTTD44hy/tK1TzmHXwSLgS+kKfoHoS6kswwer4"
    "L/EUbECCMVKzv2F10nAXjxT6uXOldxEQCxm5J8IDXgpU/QTSSjp3WMm9QVydMQ3clUEO9Q11"
    "M2JAoQFOoE2Fx93lLhrLMZS9TnylVMYIaJACEWzayCMukA3TDbIFSUPCzoiFTiXZGGREWIzU"
    "5PA134U3dxfLYzSG+waMmhi/GKoBDgutwo3sByCLA5mScQ/Z+I68UV8Q12GdECkH36LeGCQp"
    "MIQEfNB8wRks+2O0A10pQmT6K17sjtiI3WQ6k/BBT6ZNzFsJ+WQp32ka2DKyB/nqqneAL3oD"
    "zpxlVLg1/FbZi0WGCo/0WMFb2vLV/oCy9eB/DwvOw0DA0EGZ+YC2mTCzVFcMat6jwFqwJKrq"
    "ydErwdDA28IoqPGCR5mQeS7fnE49O5gxLoGXI81zzfN85LTPSpeE7WZJ2PYueJ0YpfN1uu1y"
    "T9bxItrV1aiyUroW1eq1qDKGQcXacuK6eFk1EDnx3Fj0dhDSuOaXns+/l540p7YK1WvLQ3GG"
    "vHSfwg1r4wOFGzeJXmnxwPrzWwvCfYJ4Hce26nquaV142EQXHlbrwsMyXbhi4Hn9Ieeugd+n"
    "mLNOUtZJys/tyIteYHuylM8tIq1+jzBzeUVM7pYmxxUbDev8gzRpbtySZZvsZeoqP4+QIxX5"
    "YIBgGBhqaO57wT9cIseGWMFRhMqLBM6qVL/g5SlmzG2mixLP0OeB/FSu1DFfkCRYJEUCR1CT"
    "ZGDtF3pOv1A8gI0TYyKBHpplG6HAZn4ZTVHOCPUQ6cNm1d9rir/nYYY1pwXAYfMeQrvXKLdr"
    "rya3a6+Y2+VClQrhGTYWdhuY83I9xPuoyV7uqHovd1TYywVauzXTLiXUQ5jXv2KYLlkxBygr"
    "2cMN85bmAFVlfnWkMkeK0FGy+8jSPaq3HTl+SZPiHPHJpYlsjiyApi6fo7Eq2WvAxB1DgaIx"
    "VP8M/tpRJTXuoUAQfFVp8fNNdbNKTDp6ZFC5I3P+X3JL70k6uSdxQ2pU9FtorgKzcj3UgntN"
    "ToLYqz4JYu+okLVv2pw78AYtkM4IPR3MAwD05OPHi/PTkzAmv42QS2PYsKjAwdnXJStN3Qls"
    "ReEnPIctvrK1B7Elqqfc6KuY7xmpOoNvC1eYOmKMNNgKta2t1vClZR4J3vZE+8uw+0K9VWqw"
    "Z8V6mI27/nCo3tt9JXs7HRvdWOW9Rmeu122Lenvs+nNUE9Wh6Q3Xzy5O+DXg2/vkxcxvvFMx"
    "/xD6EldbMijVbrbgu5q62BgizHOXUYHaBV/4ThRgj4rUjqllinGUhrPwJw41ywP4j39cE5cZ"
    "1Ag34rCZm/wxoa5np7xnqb8zTUtuxs/UvrVu+tZg0rTZe0Tte1cpd/3lGU3aalcXNl/Lbq5D"
    "uK75+EFpk1ILyjUbJigE5kNkoWVctPwBfQN+/RM6WNpN4np0Sk0JirFSxe0HHrMhd8bzDcT6"
    "I9VM6X5c7i2uOzYjI9bDcMgayu9kcviUadP2dJKsVA9Rft1kQr+untCvCxNamYltcc4IaZgb"
    "wJzMTAO3UpoFwf75nDc4qVuCnZfTWD+MtQiKdzSOVwfNe7hoNAlOV8emC6Hp/Fa/WXwvK/VV"
    "h0ctglcAMCv1NYdIF/LLW1kFsUD/ls0NnHCKhcHBIWjYBDuwK+N3Ep5Z2QlxD5FQKp+j+Sgt"
    "+Cj6TI+BPtNDR//1mR561IujHmGkz/RY1Se8iYTGTKywnUfhybPuBoMnwXn9Lt9scLaFI0FD"
    "XAdxi0wgXdG1AxVdPwZHl19wfuuXZk1lGwxrGR1BU8NRbVsmTyEcHaOOsID6n3jCfQ+pGxZe"
    "HofnqVNniUy8QKoMlECW1DCUmV74kNLTjdf+/NJCDeHDVf9YrRAqsq+rNGwFayM1eo39IolI"
    "Dw2bgyaRv4Pq0N9BIfYX/ioae+xwmZr9unydz8sl6tR8XA/5oiN5yhmdeqoKGj6keU+jsodN"
    "1W9QKLGhEn6XU3PtlKWqUC47I25R/a7tyVAv/J9k4aGJ4huhcc7aGCPBpTAOC4hDKXB4FOjy"
    "oIZ3qNGhiHhjLa61t9be27haau3dAe2dIri3zegp0+IbDD683PrVoTuKPTiqrFydx8eY1Spx"
    "1aqZ4q4eiYfzEyp1GZyg0WYpjdr3jsG+lvMdq7VWW3qeZua14C9JA7BVda+ofQ/B3WtiDOxV"
    "GwN7BWNAn1S6Gap0TUqqPqm0ab5kk5NKn8k6gBRCYRPrhIl7pZOLRkKuSb2tEDU2sGrdokBy"
    "IBDskG3MZgRNidyMQ4ALxY9F+UO0gjiNOiYr3sarHXth27+BPkYwtT2CYDO/jJ5IoRYaFr4L"
    "noSZnBXy2cHRZ8S9gyPlvoM+dxfLF7sojgRQhhhPuhwxOBlMXnH5/XFwjFn07lPuOHDomKqq"
    "dm8rUwpaLNXZYEmAO3hdh96RGtdCJlc/3H5qB0NnthB1ppp2MGzcwVBTAePrK3+xNroeceiM"
    "wqcWF486+mla7AnZps/julkj2TSoIdUqZpMS6eE6cdioVvZhTa3sw2Kt7Dlnnu0sDTwvP0iq"
    "+gypguBKi0bXOO1rWDM64j+7kqC/9c1bUhoQS92ttYth6IyJatiYhGJixyEuHJ/Lb+FsWyWN"
    "hPzZBkfRBlYnk50F9qXteYvvoCOHzqkXGJifPlxc/vTT2TsU7K9yNJQ19zBiHwOe5/W/Lt4U"
    "TsQdC/oHdRzDw7dgh8oOxw3LllS7BdX7t3IMxhK9cw3uN1rX9mvWtf1oXau2OtW4VZ37WA55"
    "IqIPlW1yqGx7KntvKezbS1kvZirw25YGbyCgTd16U7crVkLgwiyzEGLnZo11oNro+FoHlOjj"
    "PeZ16lPH1zYYX1uhDMNjKzB8DRCvlD6R4QysnjyRJihs2VA8S+rEVXDe4/Lsi9x5lW9Ysy0e"
    "VEvQ1iCqccON68/8HjnYnREVZokCEnKTCWe7C2TjO4JmLr9nx2icVGkN823i2pZzaX4h03fd"
    "8C0zO9f1dzFi4V2E2TIV+oEwjI2tXQSJlGo/jORgCmINYUsLT4FtLglYnnO5sxXpyNGIqbd0"
    "3wQRJ+hPnY0jP8afy14jAmhKJDlJB8knerZ8V0H/j4xYNoQUjojagj9yE/28OqlDun9dCX3V"
    "6v8OO34J1tVp/1F7HUjomrkvTO6SK7/C5I/vPrC+qnaG6zeuOYxkW1hDQmcaCh8xPoZ/wYEl"
    "8OzwxC2VGpqugz0uS0V7/AMfsfboEPJzhpCn3J37DjYq65HUpHYXRXtoQK+/GI/6Sa1UryIr"
    "qZ19nXb2TSkLWVCtxzknuoaB7lhssE/jXNCIbdbQUuH+VTQ7aFKu8KC6XuFB8Sy9CDNhWKWV"
    "4+pMiBJhndWydVkt13Qeno7xjrreclBiheeb1JriIm5sWHHrBuZ44imIwt0C/FXhfn+xRPdY"
    "IIh4syFSrNKQ77njwXG3AbGzysux1qePWDLxXwyRXOOCEL/sbTYDb4MUS9U8GSbJscxK3kMA"
    "UTXyesjXHDGJEBMSJInIMUpQFAiqT8mmXJC0uNpIpJ02iHqCOFO9kej6D79uI9GBM9g6pgJr"
    "IN6GI9g6huZXrN5+lGurOKnXb2GbpgpuCs0NvPFo8+eBHUzBbKnoubxYfVLUvO1kn6+Taq3X"
    "8mjMGi/h+vTM0qVbF1V/ZKmCCXfbVEiOmutISdkB6PrkhI2cnKDPaHqaM5osYhIsSJllUMeg"
    "TItpHmXzlCFV2L8l1rGMBro50LqY3gZPMnSJ0wbbsHkfoW2i9faq1d5eQe8J0w5/1o1NilhC"
    "A9wAYIsKPKHldkW9yssI6rW4+VoMlRz8VqtxItHHOb329Vh9llFBgavJH8vJrZhE1jGP5oZz"
    "yOZyCSB+m8mcSPRwMr9qMJdfVU7lV+W1ptoZF5FED9Fd82ZvkeL8N8U3LdNDhNdQ9a+bgY23"
    "g4cDG29bBjYmOrChAxs6sNHK5tCBDR3Y0IGN7YJSBza239bVgQ0d2Ogj0DqwoQMb2+h314EN"
    "Hdjo21qsAxs6sNGJOa0DGzqwsVXo6sCGDmysGNi4hnMhBg8HN4J2w1YBDhHLPJig+KtNTTtI"
    "FaQqd88XBO2M8XiIxpOxShpknBG0JN6LIZwmwRD1kqzCMPnvHs2hKlJUl4gWUxU31A8kLUrw"
    "N5Ec+OjMwG2JujzS11odT0mlrTZdzVIi/ctz32tiV1ablXltMfGp461QPyItp4tHdLl4RLjO"
    "lWyE66LCiZAuW7B1eZ2/konN+W2ZYRDdqrUF7oNGDauF/Sr1JEmOrIKTq9URVUIdFbXw1WFX"
    "2bqCUQdQWPA4rPgliJwp0gaNCieWaP+N9DNi6nAu+bOj8EVIokHv4GirNwhPoXTAFFPHlz9I"
    "aWQw8gUWPY/MF/D/MYLxEohPp8Pw3K6wRyWkKhfAKV/7h1CcAGwNgZSHySHWJqyNaprB+lkG"
    "Dxsdgx+mPlMlG5DqCf5z+PfB0y/ZD9IO9PFXz3j8le+28oSHzXsI7f7Lpkdr1J6tUSwGR0yX"
    "tDKgE4kewrzXCOW9GpD3ihhLvAAPY9KKyJCV6iPWjUob7tXUNtwrFjdc+K5cxdv5txKR/u0I"
    "DxpN6IOaCX1QPaHb7wyzkrqCZKc3h1BS667tGYmJ0BMGSCPzcmsDpJHhv8JPKieq/S1d/knF"
    "gxWcb9lGTZWIanXVSF1ldvbtXF0FUe3wapMJkT5RTvlFSjyNldinRXoD+9po56EPyRDl4dwH"
    "CjznhbXW6LLWyHkW2452ibi2vDs34N0KD7wLHN2lVY3zTYYNwgVG6DmnpGHg4JIRFM5Z5PHI"
    "8Y4wmmDPtOG4kMjBL+/GrvXi6SKPeE6TLMzo8wIfem32pa4P/Jypl9mBahoayUrpRMw8FZII"
    "IZeRlocOZKV66Nk8arKJOarewxwVtjDhCraSgyAvq3V/53R/9twWd+XtalG2Tym7T7xl3U63"
    "Qe+GITTPWjgOUhJ9wn19Gesqt8YoP3C7EtWcVI9q+q8N2Jgd1DJmkpHTeWXNwybEdXmrw7Zj"
    "Ae06b+Q6t3w3oP3P2yzAOSm9CHeLAXpCXGragxLPTnhnWOfQwUmbTRa4etpMii3xoWwskWKF"
    "41d7fuzqqyZ5jbJVNdvuVSG3EX5ULRAOm/cQ3c3Q7DjzSpOB/nF9+aFip5CI5L0i1PTQf5FD"
    "xTYqqxpwAYyM9RVhuvP+5Lc83KcXl2/zPg54wNvnVmZ//T974ifr"
)
