"""The inter-process write lock of a database: ``flock`` on a lock file this process keeps open.

Every write transaction takes it, so it sits on the path of every acknowledged write. `filelock.FileLock`
opens, locks, unlocks and closes the lock file each time (plus a directory check and a getpid): a fifth
of a durable exam submit. Kept open, taking the lock is one ``flock`` call and releasing it another.
The kernel drops the lock when the holder dies, kill -9 included, like FileLock's.

The lock file also keeps the *commit mark*: the number of the last commit a writer acknowledged, written
after the journal record is on disk. A journal whose records end before the mark has lost acknowledged
commits (it was cut short at a record boundary), which its own bytes cannot show.
"""

from __future__ import annotations

import os
from types import TracebackType

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: filelock's portable lock, reopened per use
    fcntl = None  # type: ignore[assignment]


_MARK_SIZE = 20


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
        fcntl.flock(self._file(), fcntl.LOCK_EX)

    def _file(self) -> int:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        return self._fd

    def mark(self) -> int:
        """The last acknowledged commit number kept in the lock file (0 when none was kept)."""
        if self._portable is not None:  # pragma: no cover
            return 0
        text = os.pread(self._file(), _MARK_SIZE, 0)
        return int(text) if text.strip().isdigit() else 0

    def set_mark(self, commits: int) -> None:
        """Keep ``commits`` as the last acknowledged commit (call with the lock held, after the fsync)."""
        if self._portable is None:
            # Not fsynced: after a power loss the mark can only be older than the journal, never newer.
            os.pwrite(self._file(), b"%019d\n" % commits, 0)

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
