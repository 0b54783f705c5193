"""A browser portal on another origin calls the API (contract §12), in headless Chromium with no
network but loopback: a page served from a second loopback origin named in
`SIJILL_CORS_ORIGINS` sends a query with a bearer token and reads the answer and its request
id; the same page from an origin not named is stopped by the browser. Run with `-m browser`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from api.http.auth import mint_token
from api.settings import Settings
from tests.browser.test_graphiql_browser import (  # noqa: F401 - the browser fixture
    CHROMEDRIVER,
    CHROMIUM,
    SECRET,
    browser,
    free_port,
    pytestmark,
)

PAGE = b"<!doctype html><html><head><title>portal</title></head><body>portal</body></html>"

# What a portal's page does: POST a query with its token, and report what it could read.
CALL = """
const [url, token, done] = arguments;
fetch(url, {method: "POST", headers: {"Content-Type": "application/json",
                                      "Authorization": "Bearer " + token},
            body: JSON.stringify({query: "{ me { subject roles } }"})})
  .then(async r => done({status: r.status, body: await r.json(),
                         requestId: r.headers.get("x-request-id")}))
  .catch(e => done({failed: String(e)}));
"""


class _Page(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def origins():
    """Two loopback origins serving the portal's page: (named in the setting, not named)."""
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), _Page) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield tuple(f"http://127.0.0.1:{s.server_address[1]}" for s in servers)
    finally:
        for server in servers:
            server.shutdown()


@pytest.fixture(scope="module")
def api(tmp_path_factory, origins):
    """`sijill run` on a fresh SQLite file, the first origin named in SIJILL_CORS_ORIGINS."""
    work = tmp_path_factory.mktemp("cors-browser")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("SIJILL_")}
    env.update(DATABASE_URL=f"sqlite://{work / 'sijill.db'}", SIJILL_ENV="development",
               SIJILL_JWT_SECRET=SECRET, SIJILL_CORS_ORIGINS=origins[0])
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


def call_from(browser, page_origin: str, api_base: str) -> dict:  # noqa: F811
    browser.get(f"{page_origin}/index.html")
    token = mint_token(Settings(SIJILL_JWT_SECRET=SECRET), roles=["registrar"],
                       subject="portal-registrar", provinces=["038"])
    browser.set_script_timeout(20)
    return browser.execute_async_script(CALL, f"{api_base}/graphql", token)


def test_a_portal_on_a_named_origin_calls_the_api(browser, origins, api):  # noqa: F811
    answer = call_from(browser, origins[0], api)
    assert answer.get("status") == 200, answer
    assert answer["body"] == {"data": {"me": {"subject": "portal-registrar",
                                              "roles": ["registrar"]}}}
    assert answer["requestId"]  # exposed to the page: a portal quotes it to support


def test_a_page_on_another_origin_is_stopped_by_the_browser(browser, origins, api):  # noqa: F811
    answer = call_from(browser, origins[1], api)
    assert "failed" in answer, json.dumps(answer)
    messages = " ".join(entry["message"] for entry in browser.get_log("browser"))
    assert "CORS" in messages or "Access-Control-Allow-Origin" in messages, messages
