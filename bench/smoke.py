"""HUB_BENCH_SMOKE=1 (make bench-smoke): every benchmark at a tiny scale, so `make test` catches a benchmark
that no longer runs. The figures still print beside their references, but at this scale they mean little."""

from __future__ import annotations

import os
from typing import TypeVar

T = TypeVar("T")

SMOKE = os.environ.get("HUB_BENCH_SMOKE") == "1"


def scaled(full: T, tiny: T) -> T:
    """``tiny`` under HUB_BENCH_SMOKE=1, else ``full``."""
    return tiny if SMOKE else full
