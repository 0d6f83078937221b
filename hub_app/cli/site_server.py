"""The enablement site over HTTP: the built files, the partner part behind the hub's sign-in, a few routes.

`partnerhub serve` runs it in threads of its own process. Each request is one of:

- a **route** (`ROUTES`, by exact path, or by prefix for a key ending in "/"): dynamic answers such as
  `/hub/auth`, the `auth_request` endpoint a reverse proxy asks before serving a partner page in production
  (docs/deploy.md), and `/badges/` (the Open Badges JWKS, status list, issuer and achievements);
- a **partner file** (listed by the site build in `.hub/audiences.json`): served to a person with a live
  hub session who may read partner pages, else a redirect to the app's sign-in that comes back here;
- anything else: the public static file, or the 404 page of its language.

The session is the app's own: its signed `hub_session` cookie (`ui.web.cookies`) and the record it points
to in the store (`partners.websessions`), so signing out of the app closes the partner pages too.
"""

from __future__ import annotations

import functools
import json
import posixpath
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from hub_app.partners.records import User
from hub_app.partners.site_access import partner_reader
from hub_app.store.base import Store
from hub_app.ui.web import cookies

MANIFEST = ".hub/audiences.json"  # written by the site build (publishing.audiences); never served


@dataclass(frozen=True)
class Reply:
    """What a route answers: a status, a body and its headers."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SiteRequest:
    """One request, as a route sees it."""

    method: str
    path: str  # decoded, without the query
    query: str
    headers: dict[str, str]  # lower-cased names
    gate: Gate


Route = Callable[[SiteRequest], Reply]


def partner_paths(site_dir: Path) -> frozenset[str]:
    """The site-relative paths of every partner file, as the build listed them (none if never built)."""
    manifest = site_dir / MANIFEST
    if not manifest.is_file():
        return frozenset()
    return frozenset(json.loads(manifest.read_text(encoding="utf-8"))["partners"])


def site_path(raw: str) -> str:
    """A request path as the manifest names files: decoded, normalised, no leading slash ("" for the root)."""
    decoded = unquote(urlsplit(raw).path)
    normal = posixpath.normpath("/" + decoded).lstrip("/")
    normal = "" if normal == "." else normal
    return normal + "/" if decoded.endswith("/") and normal else normal


class Gate:
    """Which paths are partner-only, and whether a request's cookie belongs to someone who may read them."""

    def __init__(
        self,
        site_dir: Path,
        open_store: Callable[[], Store],
        secret: str,
        app_url: str,
        site_url: str,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.site_dir, self.secret, self.now = site_dir, secret, now
        self.app_url, self.site_url = app_url.rstrip("/"), site_url.rstrip("/")
        self._open_store, self._lock = open_store, threading.Lock()
        self._store: Store | None = None
        self._partner_paths: frozenset[str] | None = None

    def store(self) -> Store:
        """The hub's store, opened on the first partner request (a public-only visit never opens it)."""
        with self._lock:
            if self._store is None:
                self._store = self._open_store()
            return self._store

    def close(self) -> None:
        """Close the store if it was opened."""
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def is_partner(self, path: str) -> bool:
        """True when `path` (as `site_path` gives it) is a partner page or file."""
        if self._partner_paths is None:
            self._partner_paths = partner_paths(self.site_dir)
        paths = self._partner_paths
        bare = path.rstrip("/")
        return path in paths or f"{bare}/" in paths or f"{bare}/index.html" in paths

    def reader(self, cookie_header: str | None) -> User | None:
        """The partner reader a Cookie header signs in, or None."""
        value = _cookie(cookie_header, cookies.COOKIE_NAME)
        token = cookies.unsign(value, self.secret) if value else None
        return partner_reader(self.store(), token, self.now()) if token else None

    def sign_in_url(self, path: str, query: str) -> str:
        """The app's sign-in, told to come back to this page afterwards."""
        back = f"{self.site_url}/{path}" + (f"?{query}" if query else "")
        return f"{self.app_url}/?next={quote(back, safe='')}"


def _cookie(header: str | None, name: str) -> str | None:
    if not header:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None else None


def auth_route(request: SiteRequest) -> Reply:
    """`auth_request` endpoint: 204 when the original URI (X-Original-URI) is public or the cookie's person
    may read partner pages, else 401. Without X-Original-URI it answers for the partner part as a whole."""
    original = request.headers.get("x-original-uri")
    if original is not None and not request.gate.is_partner(site_path(original)):
        return Reply(HTTPStatus.NO_CONTENT, headers={"Cache-Control": "no-store"})
    reader = request.gate.reader(request.headers.get("cookie"))
    if reader is None:
        return Reply(HTTPStatus.UNAUTHORIZED, headers={"Cache-Control": "no-store"})
    # For the proxy to pass on (auth_request_set): a partner page is kept out of caches and search engines.
    private = {"X-Hub-Cache": "private, no-store", "X-Hub-Robots": "noindex, nofollow"}
    return Reply(HTTPStatus.NO_CONTENT, headers={"Cache-Control": "no-store", "X-Hub-User": reader.id, **private})


ROUTES: dict[str, Route] = {"/hub/auth": auth_route}


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files from the site folder, the partner part gated, routes answered, 404s in their language."""

    gate: Gate
    routes: dict[str, Route]

    def __init__(self, *args: Any, gate: Gate, routes: dict[str, Route], **kwargs: Any) -> None:
        self.gate, self.routes = gate, routes
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # one line per request would drown the sign-in instructions

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def _answer(self, head: bool) -> None:
        self._private = False
        split = urlsplit(self.path)
        route = self.routes.get(unquote(split.path)) or next(
            (r for prefix, r in self.routes.items() if prefix.endswith("/") and unquote(split.path).startswith(prefix)),
            None,
        )
        if route is not None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            self._reply(route(SiteRequest(self.command, unquote(split.path), split.query, headers, self.gate)), head)
            return
        path = site_path(self.path)
        if any(part.startswith(".") for part in path.split("/")):
            self._not_found(path, head)
            return
        if self.gate.is_partner(path):
            if self.gate.reader(self.headers.get("Cookie")) is None:
                location = self.gate.sign_in_url(path, split.query)
                self._reply(Reply(HTTPStatus.SEE_OTHER, headers={"Location": location, "Cache-Control": "no-store"}))
                return
            self._private = True
        if not Path(self.translate_path(self.path)).exists():
            self._not_found(path, head)
            return
        super().do_HEAD() if head else super().do_GET()

    _private = False

    def end_headers(self) -> None:
        if self._private:  # a partner page: no shared cache keeps it, no search engine lists it
            self.send_header("Cache-Control", "private, no-store")
            self.send_header("X-Robots-Tag", "noindex, nofollow")
        super().end_headers()

    def _reply(self, reply: Reply, head: bool = False) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if reply.body and not head:
            self.wfile.write(reply.body)

    def _not_found(self, path: str, head: bool) -> None:
        page = self.gate.site_dir / ("zh/404.html" if path.startswith("zh/") else "404.html")
        body = page.read_bytes() if page.is_file() else b"404 Not Found"
        self._reply(Reply(HTTPStatus.NOT_FOUND, body, {"Content-Type": "text/html; charset=utf-8"}), head)


class SiteServer:
    """The site on host:port, served from threads of this process."""

    def __init__(self, site_dir: Path, host: str, port: int, gate: Gate, routes: dict[str, Route] | None = None):
        handler = functools.partial(SiteHandler, directory=str(site_dir), gate=gate, routes=routes or ROUTES)
        self.gate = gate
        self.server = ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="site", daemon=True)

    @property
    def port(self) -> int:
        """The port it listens on (useful when it was asked for port 0)."""
        return int(self.server.server_address[1])

    def start(self) -> SiteServer:
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the store."""
        self.server.shutdown()
        self.server.server_close()
        self.gate.close()
