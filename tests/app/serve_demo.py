"""Serve the app on the seeded memory store, to look at it in a browser (until the TinyDB store opens).

    .venv/bin/python tests/app/serve_demo.py --server.port 8599 --server.headless true

Sign in as ana@acme.example (or ben@, chen@, dora@) with the password in seed.PASSWORD.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import seed  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from streamlit.web import cli  # noqa: E402

from hub_app.catalog import load_catalog  # noqa: E402
from hub_app.partners import accounts  # noqa: E402
from hub_app.ui.web import context  # noqa: E402

if __name__ == "__main__":
    accounts.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # seeding in a second
    hub = seed.build(load_catalog(context.project_root()))
    context.open_store = lambda path: hub.store
    sys.argv = ["streamlit", "run", str(HERE.parents[1] / "hub_app" / "app.py"), *sys.argv[1:]]
    sys.exit(cli.main())
