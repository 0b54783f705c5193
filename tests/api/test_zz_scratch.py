import pytest
from tests.api.test_enrollments import poor_household

async def test_scratch(gql, tokens, http):
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    asd = tokens.program("ASD")
    amo = tokens.program("AMO_TADAMON")
    for q, t, v in [
        ("query($i: String!) { eligibility(program: AMO_TADAMON, idcs: $i) { eligible household { members { person { idcs } } } } }", amo, {"i": h["_head"]}),
        ("query($i: String!) { eligibility(program: AMO_TADAMON, idcs: $i) { eligible } }", asd, {"i": h["_head"]}),
        ("query($i: [String!]!) { eligibilities(program: AMO_TADAMON, idcs: $i) { eligible } }", asd, {"i": [h["_head"]]}),
        ("{ enrollments(program: AMO_TADAMON) { totalCount } }", asd, None),
        ("{ me { subject } }", None, None),
        ("{ programs { code } }", None, None),
        ("{ households { totalCount } }", amo, None),
        ("{ accessPolicy { subject field action } }", amo, None),
    ]:
        r = await gql.raw(q, v, t)
        print(r.status_code, r.text[:400])
    r = await http.post("/graphql", json={"query": "{ person(idcs: \"1234567897\") { phone } }"}, headers={"Authorization": f"Bearer {amo}", "Accept": "application/graphql-response+json"})
    print(r.status_code, r.headers.get("content-type"), r.text[:300])
    r = await gql.raw("{ accessPolicy { subject field action } }", None, tokens.auditor())
    print(r.status_code, r.text[:300])
