"""GraphiQL in headless Chromium, with no network but loopback: the page is served by a live
`sijill run`, renders its editors, runs `{ __typename }`, and sends a pasted bearer token.
Run with `-m browser` (it is excluded from the default run)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from api.http.auth import mint_token
from api.settings import Settings

CHROMIUM = os.environ.get("SIJILL_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("SIJILL_CHROMEDRIVER", "/usr/bin/chromedriver")
SECRET = "a-browser-test-secret-of-enough-length-0123456789"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)),
        reason=f"needs Chromium ({CHROMIUM}) and chromedriver ({CHROMEDRIVER}): "
               "apt-get install -y chromium chromium-driver",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`sijill run` on a fresh SQLite file, in a subprocess; yields its base URL."""
    work = tmp_path_factory.mktemp("graphiql-browser")
    port = int(os.environ.get("SIJILL_BROWSER_TEST_PORT") or free_port())
    env = {key: value for key, value in os.environ.items() if not key.startswith("SIJILL_")}
    env.update(DATABASE_URL=f"sqlite://{work / 'sijill.db'}", SIJILL_ENV="development",
               SIJILL_JWT_SECRET=SECRET)
    cli = [sys.executable, "-m", "api.cli"]
    root = Path(__file__).resolve().parents[2]
    subprocess.run([*cli, "migrate"], env=env, cwd=root, check=True, capture_output=True)
    log = (work / "server.log").open("w")
    process = subprocess.Popen([*cli, "run", "--host", "127.0.0.1", "--port", str(port)],
                               env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the server did not start:\n" + (work / "server.log").read_text())
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1280,900", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps",
        # No network but loopback: every other host name fails to resolve, and anything that
        # would still connect goes to a proxy on the discard port, which refuses it.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=127.0.0.1",
    ]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def wait_for(driver, script: str, timeout: float = 20):
    """Poll a JavaScript expression until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(f"return ({script});")
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {script!r}")


def editor(selector: str) -> str:
    """The CodeMirror instance of one of GraphiQL's editors."""
    return f"document.querySelector('{selector} .CodeMirror').CodeMirror"


QUERY = ".graphiql-query-editor"
RESPONSE = ".graphiql-response"
# The Headers tab, open when the page loads: the shown editor of the tools section.
HEADERS = "section.graphiql-editor-tool[aria-label=Headers] .graphiql-editor:not(.hidden)"


def run(driver, query: str, headers: str | None = None) -> dict:
    if headers is not None:
        driver.execute_script(f"{editor(HEADERS)}.setValue(arguments[0]);", headers)
    driver.execute_script(f"{editor(QUERY)}.setValue(arguments[0]);", query)
    driver.execute_script(f"{editor(RESPONSE)}.setValue('');")
    driver.find_element("css selector", ".graphiql-execute-button").click()
    return json.loads(wait_for(driver, f"{editor(RESPONSE)}.getValue()"))


def requested_urls(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def test_graphiql_renders_and_runs_a_query_without_any_outside_network(server, browser):
    browser.get(f"{server}/graphql")
    wait_for(browser, "document.querySelector('.graphiql-query-editor .CodeMirror')")
    assert browser.find_element("css selector", ".graphiql-container")
    assert browser.title == "Sijill GraphiQL"

    assert run(browser, "{ __typename }") == {"data": {"__typename": "Query"}}

    urls = requested_urls(browser)
    assert any(u.endswith("/graphql") for u in urls)
    outside = [u for u in urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")
               and urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []
    messages = [entry["message"] for entry in browser.get_log("browser")]
    assert not [m for m in messages if "Content Security Policy" in m], messages
    assert not [m for m in messages if "Failed to load resource" in m], messages


def test_graphiql_sends_the_pasted_bearer_token(server, browser):
    browser.get(f"{server}/graphql")
    wait_for(browser, "document.querySelector('.graphiql-query-editor .CodeMirror')")
    query = "{ me { subject roles } }"

    anonymous = run(browser, query, headers="{}")
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    token = mint_token(Settings(SIJILL_JWT_SECRET=SECRET), roles=["admin"], subject="dev-1")
    answer = run(browser, query, headers=json.dumps({"Authorization": f"Bearer {token}"}))
    assert answer == {"data": {"me": {"subject": "dev-1", "roles": ["admin"]}}}


def introspections(driver) -> list[dict]:
    """The introspection requests the page sent since the last call, with their headers."""
    sent = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] != "Network.requestWillBeSent":
            continue
        request = message["params"]["request"]
        if request["url"].endswith("/graphql") and "IntrospectionQuery" in request.get(
                "postData", ""):
            sent.append({k.lower(): v for k, v in request["headers"].items()})
    return sent


def test_graphiql_fetches_the_schema_again_when_the_token_changes(server, browser):
    """The explorer and completion show the caller's own view: pasting a token re-runs the
    introspection with it, without pressing Re-fetch."""
    browser.get(f"{server}/graphql")
    wait_for(browser, "document.querySelector('.graphiql-query-editor .CodeMirror')")
    deadline = time.monotonic() + 20
    first: list[dict] = []
    while not first and time.monotonic() < deadline:
        first = introspections(browser)
        time.sleep(0.1)
    assert first and all("authorization" not in h for h in first)

    token = mint_token(Settings(SIJILL_JWT_SECRET=SECRET), roles=["registrar"],
                       subject="agent-1", provinces=["038"])
    browser.execute_script(f"{editor(HEADERS)}.setValue(arguments[0]);",
                           json.dumps({"Authorization": f"Bearer {token}"}))
    again: list[dict] = []
    deadline = time.monotonic() + 20
    while not again and time.monotonic() < deadline:
        again = [h for h in introspections(browser) if h.get("authorization")]
        time.sleep(0.1)
    assert again and again[-1]["authorization"] == f"Bearer {token}"
    # an unfinished header text changes nothing
    browser.execute_script(f"{editor(HEADERS)}.setValue(arguments[0]);", '{"Authorization": "Be')
    time.sleep(1.5)
    assert introspections(browser) == []
