"""Partner Hub's errors: each says what happened and what to do, and keeps its context as attributes."""


class HubError(Exception):
    """Root of Partner Hub's errors; messages say what happened and what to do."""


class DatabaseCorrupt(HubError):
    """A database (or backup) file holds a damaged record before its end."""

    def __init__(self, path: str, offset: int, reason: str):
        super().__init__(
            f"Database file {path} is damaged at byte {offset} ({reason}). "
            "Hint: restore the latest backup; keep the damaged file for inspection."
        )
        self.path, self.offset, self.reason = path, offset, reason


class SchemaTooNew(HubError):
    """The database was written by a newer Partner Hub."""

    def __init__(self, path: str, found: int, supported: int):
        super().__init__(
            f"Database file {path} is newer (schema {found}) than this Partner Hub (schema {supported}). "
            "Hint: upgrade Partner Hub."
        )
        self.path, self.found, self.supported = path, found, supported


class MigrationMissing(HubError):
    """No migration is registered for a schema version the database is at."""

    def __init__(self, path: str, from_version: int):
        super().__init__(
            f"Database file {path} is at schema {from_version}, but no migration from schema "
            f"{from_version} is registered. Hint: register_migration({from_version}, fn) before opening."
        )
        self.path, self.from_version = path, from_version


class RestoreRefused(HubError):
    """A backup failed validation, so the database was left as it was."""

    def __init__(self, source: str, reason: str):
        super().__init__(
            f"Backup {source} was not restored: {reason}. Nothing was replaced. Hint: pick another backup file."
        )
        self.source, self.reason = source, reason


class DataDirNotWritable(HubError):
    """The data directory cannot be created or written to."""

    def __init__(self, path: str):
        super().__init__(f"HUB_DATA_DIR '{path}' is not writable. Hint: create it or set HUB_DATA_DIR.")
        self.path = path


class WriteFailed(HubError):
    """A file could not be written in full (a full disk, a quota): nothing was saved, the old state stands."""

    msgid = (
        "Could not write {path}: {reason}. Nothing was saved. "
        "Hint: free disk space (or fix the file system) and try again."
    )

    def __init__(self, path: str, reason: str):
        super().__init__(self.msgid.format(path=path, reason=reason))
        self.path, self.reason = path, reason
