"""The daily deal expiry while `serve` runs: registrations whose protection ran out become expired.

`serve` also expires them once at start (`_start_jobs`); this thread repeats it every day, so a hub that
runs for weeks never shows a protection that has ended. The channel manager sees them in the console's
deals tab ("Expired in the last 30 days") and in each deal's history.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from hub_app.cli.common import SYSTEM, open_data
from hub_app.deals import registration

DAY = 24 * 60 * 60
log = logging.getLogger(__name__)


def expire_once(data_dir: Path, now: datetime) -> int:
    """Expire what is due in the data directory's store; how many registrations expired."""
    store = open_data(data_dir)
    try:
        return len(registration.expire_deals(store, now, SYSTEM))
    finally:
        store.close()


def start_daily_expiry(
    data_dir: Path, every: float = DAY, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> tuple[threading.Thread, threading.Event]:
    """A daemon thread expiring deals every ``every`` seconds (the first run one period after start)."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every):
            try:
                count = expire_once(data_dir, clock())
            except Exception:  # the app keeps serving; tomorrow's run tries again
                log.exception("daily deal expiry failed")
                continue
            if count:
                log.info("%d deal registration(s) expired", count)

    thread = threading.Thread(target=loop, name="deal-expiry", daemon=True)
    thread.start()
    return thread, stop
