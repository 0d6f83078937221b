"""`partnerhub serve-site`: the built site with its partner gate and routes, without the app.

In production it runs beside the reverse proxy as the `auth_request` endpoint (`/hub/auth`, see
docs/deploy.md), and can serve the site itself. It reads the same settings as the app: HUB_STORE (the
sessions), HUB_SECRET_KEY (the cookie's signature), HUB_APP_URL (the sign-in) and HUB_SITE_URL.
"""

from __future__ import annotations

from pathlib import Path

import typer

from hub_app import store as stores
from hub_app.cli.site_server import MANIFEST, Gate, SiteServer
from hub_app.kernel import settings as hub_settings
from hub_app.kernel.errors import HubError
from hub_app.ui.web import cookies

SITE = typer.Option(Path("site"), help="The built site (mkdocs build output).")
HOST = typer.Option("127.0.0.1", help="Address to listen on.")
PORT = typer.Option(8590, help="Port to listen on.")


def serve_site(site_dir: Path = SITE, host: str = HOST, port: int = PORT) -> None:
    """Serve the built site, its partner pages only to signed-in partners, and /hub/auth for a proxy."""
    try:
        hub = hub_settings.read()
    except HubError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e
    if not (site_dir / MANIFEST).is_file():
        missing = site_dir / MANIFEST
        typer.echo(f"{missing} does not exist. Hint: build the site first (mkdocs build --strict).", err=True)
        raise typer.Exit(1)
    if not hub.secret_key and not hub.store_url.startswith(("tinydb:", "memory:")):
        typer.echo("HUB_STORE is a shared store: set HUB_SECRET_KEY to the value the app replicas use.", err=True)
        raise typer.Exit(1)
    gate = Gate(
        site_dir.resolve(),
        lambda: stores.open_store(hub.store_url),
        cookies.secret_key(hub.data_dir, hub.secret_key),
        app_url=hub.app_url or "http://127.0.0.1:8501",
        site_url=hub.site_url or f"http://{host}:{port}",
    )
    server = SiteServer(site_dir.resolve(), host, port, gate).start()
    typer.echo(f"Site and /hub/auth on http://{host}:{port}/ (Ctrl-C to stop).")
    try:
        server.thread.join()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
