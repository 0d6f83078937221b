"""The inter-process write lock of a database: ``flock`` on a lock file this process keeps open.

Every write transaction takes it, so it sits on the path of every acknowledged write. `filelock.FileLock`
opens, locks, unlocks and closes the lock file each time (plus a directory check and a getpid): a fifth
of a durable exam submit. Kept open, taking the lock is one ``flock`` call and releasing it another.
The kernel drops the lock when the holder dies, kill -9 included, like FileLock's.
"""

from __future__ import annotations

import os
from types import TracebackType

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: filelock's portable lock, reopened per use
    fcntl = None  # type: ignore[assignment]


class ProcessLock:
    """An exclusive lock on ``path`` across processes (and across instances within one process).

    Not reentrant and not a thread lock: the storage holds its own mutex around it.
    """

    def __init__(self, path: str):
        self.path = path
        self._fd: int | None = None
        self._portable = None
        if fcntl is None:  # pragma: no cover
            from filelock import FileLock

            self._portable = FileLock(path)

    def __enter__(self) -> None:
        if self._portable is not None:  # pragma: no cover
            self._portable.acquire()
            return
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self._portable is not None:  # pragma: no cover
            self._portable.release()
        elif self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        """Close the lock file (a lock still held is released with it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
