"""The inter-process write lock of a database: ``flock`` on a lock file this process keeps open.

Every write transaction takes it, so it sits on the path of every acknowledged write. `filelock.FileLock`
opens, locks, unlocks and closes the lock file each time (plus a directory check and a getpid): a fifth
of a durable exam submit. Kept open, taking the lock is one ``flock`` call and releasing it another.
The kernel drops the lock when the holder dies, kill -9 included, like FileLock's.

The lock file also keeps the number of the last acknowledged commit (written after the journal record
is fsynced, so it is never ahead of the journal): a journal that ends before it was cut short.
"""

from __future__ import annotations

import os
import struct
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
        self.held = False
        self._portable = None
        if fcntl is None:  # pragma: no cover
            from filelock import FileLock

            self._portable = FileLock(path)

    def __enter__(self) -> None:
        if self._portable is not None:  # pragma: no cover
            self._portable.acquire()
        else:
            fcntl.flock(self._opened(), fcntl.LOCK_EX)
        self.held = True

    def _opened(self) -> int:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        return self._fd

    def acknowledged(self) -> int:
        """The last commit a writer acknowledged (0 when none was recorded: a lock file of format 1)."""
        data = os.pread(self._opened(), 8, 0)
        return struct.unpack("<Q", data)[0] if len(data) == 8 else 0

    def acknowledge(self, commit: int) -> None:
        """Record ``commit`` as acknowledged (hold the lock). Not fsynced: after a crash it may lag, never lead."""
        os.pwrite(self._opened(), struct.pack("<Q", commit), 0)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.held = False
        if self._portable is not None:  # pragma: no cover
            self._portable.release()
        elif self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        """Close the lock file (a lock still held is released with it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
