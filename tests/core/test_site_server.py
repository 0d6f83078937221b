"""The site server: public files for anyone, the partner part for signed-in partners, `/hub/auth` for a proxy."""

from __future__ import annotations

import http.client
import json
from dataclasses import replace
from pathlib import Path

import pytest
from core_builders import T0

from hub_app.cli.site_server import ROUTES, Gate, Reply, SiteServer, site_path
from hub_app.partners.records import COMPANIES, USERS
from hub_app.partners.site_access import may_read_partner_pages
from hub_app.partners.websessions import SessionBook
from hub_app.ui.web import cookies

SECRET = "test-secret-key"
PARTNER_PAGE = "<html><body>Partner price 441 USD</body></html>"


def _site(root: Path) -> Path:
    files = {
        "index.html": "<html>Home</html>",
        "404.html": "<html lang='en'>404 Page not found</html>",
        "zh/404.html": "<html lang='zh'>404 找不到页面</html>",
        "program/tiers/index.html": "<html>Tiers</html>",
        "sales-kits/flow/index.html": PARTNER_PAGE,
        "sales-kits/flow/price-list.csv": "sku,partner_price\nflow-team,441\n",
        "search/search_index.json": '{"docs": []}',
        "search/partners/search_index.json": '{"docs": [{"location": "sales-kits/flow/"}]}',
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    partners = [
        "sales-kits/flow/",
        "sales-kits/flow/index.html",
        "sales-kits/flow/price-list.csv",
        "search/partners/search_index.json",
    ]
    (root / ".hub").mkdir()
    (root / ".hub/audiences.json").write_text(json.dumps({"partners": partners}))
    return root


@pytest.fixture
def server(tmp_path, world):
    site = _site(tmp_path / "site")
    gate = Gate(site, lambda: world.store, SECRET, "http://app.test", "http://site.test", now=lambda: T0)
    routes = dict(ROUTES)
    routes["/badges/hello.json"] = lambda request: Reply(200, b'{"hello": true}', {"Content-Type": "application/json"})
    running = SiteServer(site, "127.0.0.1", 0, gate, routes).start()
    yield running
    running.server.shutdown()
    running.server.server_close()


def _cookie_for(world, user) -> str:
    token = SessionBook(world.store).open(user.id, T0)
    return f"{cookies.COOKIE_NAME}={cookies.sign(token, SECRET)}"


def _get(server, path, cookie=None, headers=None, method="GET"):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request(method, path, headers={**({"Cookie": cookie} if cookie else {}), **(headers or {})})
    answer = conn.getresponse()
    body = answer.read().decode()
    conn.close()
    return answer.status, dict(answer.getheaders()), body


def test_a_visitor_reads_public_pages(server):
    status, _, body = _get(server, "/program/tiers/")
    assert (status, body) == (200, "<html>Tiers</html>")


@pytest.mark.parametrize(
    "path", ["/sales-kits/flow/", "/sales-kits/flow/index.html", "/sales-kits/flow", "/sales-kits//flow/price-list.csv"]
)
def test_a_visitor_is_sent_to_sign_in_and_back_from_a_partner_file(server, path):
    status, headers, body = _get(server, path)
    assert status == 303 and "441" not in body
    back = "http%3A%2F%2Fsite.test%2F" + site_path(path).replace("/", "%2F")
    assert headers["Location"] == f"http://app.test/?next={back}"


def test_a_signed_in_partner_reads_a_partner_page_kept_out_of_caches_and_search_engines(server, world):
    status, headers, body = _get(server, "/sales-kits/flow/", cookie=_cookie_for(world, world.ana))
    assert (status, body) == (200, PARTNER_PAGE)
    assert headers["Cache-Control"] == "private, no-store"
    assert headers["X-Robots-Tag"] == "noindex, nofollow"


def test_the_partner_search_index_is_served_to_partners_only(server, world):
    assert _get(server, "/search/partners/search_index.json", method="HEAD")[0] == 303
    status, _, body = _get(server, "/search/partners/search_index.json", cookie=_cookie_for(world, world.bob))
    assert status == 200 and "sales-kits/flow/" in body


def test_a_forged_or_signed_out_cookie_opens_nothing(server, world):
    assert _get(server, "/sales-kits/flow/", cookie=f"{cookies.COOKIE_NAME}=forged.value")[0] == 303
    cookie = _cookie_for(world, world.ana)
    token = cookies.unsign(cookie.split("=", 1)[1], SECRET)
    SessionBook(world.store).close(token)
    assert _get(server, "/sales-kits/flow/", cookie=cookie)[0] == 303


def test_people_of_a_deactivated_company_may_not_read_partner_pages(world):
    assert may_read_partner_pages(world.store, world.ana)
    world.store.replace(COMPANIES, replace(world.acme, active=False))
    assert not may_read_partner_pages(world.store, world.ana)
    assert may_read_partner_pages(world.store, world.manager)  # vendor staff read them whatever their company
    world.store.replace(USERS, replace(world.manager, active=False))
    assert not may_read_partner_pages(world.store, world.store.get(USERS, world.manager.id))


@pytest.mark.parametrize(
    ("original", "signed_in", "status"),
    [
        ("/program/tiers/", False, 204),
        ("/sales-kits/flow/price-list.csv", False, 401),
        ("/sales-kits/flow/price-list.csv", True, 204),
        (None, False, 401),
        (None, True, 204),
    ],
)
def test_auth_request_endpoint_answers_for_the_original_uri(server, world, original, signed_in, status):
    headers = {"X-Original-URI": original} if original else {}
    cookie = _cookie_for(world, world.ana) if signed_in else None
    answer, answer_headers, body = _get(server, "/hub/auth", cookie=cookie, headers=headers)
    assert (answer, body) == (status, "")
    assert answer_headers["Cache-Control"] == "no-store"


def test_a_missing_page_gets_the_404_of_its_language(server):
    assert _get(server, "/no/such/page/")[:3:2] == (404, "<html lang='en'>404 Page not found</html>")
    assert _get(server, "/zh/no/such/page/")[:3:2] == (404, "<html lang='zh'>404 找不到页面</html>")


def test_the_build_manifest_is_never_served(server):
    status, _, body = _get(server, "/.hub/audiences.json")
    assert status == 404 and "sales-kits" not in body


def test_a_route_added_to_the_table_answers_its_path(server):
    status, headers, body = _get(server, "/badges/hello.json")
    assert (status, headers["Content-Type"], body) == (200, "application/json", '{"hello": true}')
