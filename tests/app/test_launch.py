"""The app server's launcher opens the store and loads the catalog before Streamlit serves anyone."""

from __future__ import annotations

import sys

from streamlit.web import cli

from hub_app.ui.web import context, launch


def test_the_launcher_warms_the_store_and_catalog_then_runs_streamlit_with_the_same_flags(hub, monkeypatch):
    opened = []
    monkeypatch.setattr(context, "open_store", lambda url: opened.append(url) or hub.store)
    ran = []
    monkeypatch.setattr(cli, "main", lambda: ran.append(list(sys.argv)))
    monkeypatch.setattr(sys, "argv", ["launch", "--server.port", "8765", "--server.headless", "true"])
    launch.main()
    assert ran == [["streamlit", "run", str(launch.APP_SCRIPT), "--server.port", "8765", "--server.headless", "true"]]
    assert len(opened) == 1
    # What the first visitor's session asks for is already there: nothing is opened or loaded again.
    assert context.store() is hub.store
    assert len(opened) == 1


def test_a_failing_warm_up_still_starts_the_server_so_its_pages_can_say_why(hub, monkeypatch, caplog):
    def broken(url):
        raise OSError("the data folder is not readable")

    monkeypatch.setattr(context, "open_store", broken)
    ran = []
    monkeypatch.setattr(cli, "main", lambda: ran.append(True))
    monkeypatch.setattr(sys, "argv", ["launch"])
    launch.main()
    assert ran == [True]
    assert "Warming up the hub app failed (the data folder is not readable)" in caplog.text
