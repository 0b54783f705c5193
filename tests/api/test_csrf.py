"""CSRF: a browser form cannot run a mutation (no form-encoded or multipart operations)."""

import pytest

from api.models import Person

pytestmark = pytest.mark.e2e

MUTATION = ('mutation { registerPerson(input: {firstName: "Csrf", lastName: "Form", sex: MALE, '
            'birthDate: "1990-01-01", nationality: "MA", cin: "CS123456"}) { idcs } }')


@pytest.mark.parametrize("content_type", [
    "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"])
async def test_form_posts_run_nothing(http, tokens, content_type):
    if content_type.startswith("multipart"):
        body = ('--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
                '{"query": ' + repr(MUTATION).replace("'", '"') + '}\r\n--x--\r\n')
    elif content_type.startswith("application/x-www"):
        body = "query=" + MUTATION
    else:
        body = '{"query": "' + MUTATION.replace('"', '\\"') + '"}'
    response = await http.post("/graphql", content=body, headers={
        "content-type": content_type, "Authorization": f"Bearer {tokens.admin()}"})
    assert response.status_code in (400, 415), response.text
    assert await Person.filter(cin="CS123456").count() == 0


async def test_get_cannot_run_the_mutation(http, tokens):
    response = await http.get("/graphql", params={"query": MUTATION},
                              headers={"Authorization": f"Bearer {tokens.admin()}"})
    assert response.status_code == 405
    assert await Person.filter(cin="CS123456").count() == 0
