"""`python -m hub_app.ui.web.launch [streamlit flags]`: the hub app server, ready before its first visitor.

`streamlit run hub_app/app.py` imports the pages' libraries, loads the catalog and opens the store when
the first browser connects, so the first person after a restart waits for all of it (seconds at program
scale). This launcher does that work first, in the server's own process — the catalog and the store are
`st.cache_resource` values, shared by every session the server then runs — and only then starts
Streamlit's own command line with the same flags. `partnerhub serve` starts the app this way; `streamlit
run hub_app/app.py` still works, and pays on the first request instead.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys
import time
from pathlib import Path
from typing import Any

import hub_app
from hub_app.store.base import Kind

APP_SCRIPT = Path(__file__).resolve().parents[2] / "app.py"
log = logging.getLogger("hub_app.launch")


def declared_kinds() -> list[Kind[Any]]:
    """Every record kind of every room (each room's `records.KINDS`)."""
    kinds: list[Kind[Any]] = []
    for module in pkgutil.walk_packages(hub_app.__path__, "hub_app."):
        if module.name.endswith(".records"):
            kinds.extend(importlib.import_module(module.name).KINDS)
    return kinds


def warm_up() -> float:
    """Import what pages use, load the catalog, open the store, build its indexes and derive the boards'
    totals; seconds taken."""
    started = time.perf_counter()
    # Outside a script run Streamlit warns that there is no ScriptRunContext; here that is expected.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    import altair  # noqa: F401 - the charts of the leaderboards, console and certificates pages
    import pandas  # noqa: F401 - their tables

    import hub_app.ui.parts.console  # noqa: F401 - the largest pages' parts and everything they import
    import hub_app.ui.parts.exam  # noqa: F401
    import hub_app.ui.parts.leaderboards  # noqa: F401
    from hub_app import store as stores
    from hub_app.partners import directory
    from hub_app.recognition import tallies
    from hub_app.ui.web import context

    context.check_start_up()
    catalog, store = context.catalog(), context.store()
    context.sessions()
    stores.warm(store, declared_kinds())
    directory.of(store)
    tallies.of(store, catalog.program.program.timezone)
    return time.perf_counter() - started


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        seconds = warm_up()
    except Exception as e:  # noqa: BLE001 - the app's own pages word any start-up problem for its visitors
        log.warning("Warming up the hub app failed (%s); the first visitor will see why.", e)
    else:
        log.info("Hub app warmed up in %.1f s: catalog, store and leaderboard totals are ready.", seconds)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP_SCRIPT), *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
