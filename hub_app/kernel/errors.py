"""Partner Hub's errors: each says what happened and what to do, and keeps its context as attributes.

Every subclass names a class-level `msgid`: an English template with {placeholders}, which is also the
gettext id of its translations (`kernel/locales/*.po`). It passes the params to `HubError.__init__` as
keywords, typed as `hub_app.kernel.messages` describes (`Moment`, `Day`, `Course`, `Tier`, `Number`,
`Items`, a nested `Message`...), so `str(e)` is the English text and a page words the same facts in the
reader's language: `hub_app.ui.words.messages.error_text(e, lang, tz, catalog)`.
"""

from __future__ import annotations

from typing import ClassVar

from hub_app.kernel.messages import Message


class HubError(Exception):
    """Root of Partner Hub's errors; messages say what happened and what to do."""

    msgid: ClassVar[str]

    def __init__(self, **params: object):
        self.params = params
        super().__init__(self.msgid.format(**params))

    @property
    def message(self) -> Message:
        """The msgid and params, for wording in any language."""
        return Message(self.msgid, **self.params)


class DatabaseCorrupt(HubError):
    """A database (or backup) file holds a damaged record before its end."""

    msgid = (
        "Database file {path} is damaged at byte {offset} ({reason}). "
        "Hint: restore the latest backup; keep the damaged file for inspection."
    )

    def __init__(self, path: str, offset: int, reason: str):
        super().__init__(path=path, offset=offset, reason=reason)
        self.path, self.offset, self.reason = path, offset, reason


class SchemaTooNew(HubError):
    """The database was written by a newer Partner Hub."""

    msgid = (
        "Database file {path} is newer (schema {found}) than this Partner Hub (schema {supported}). "
        "Hint: upgrade Partner Hub."
    )

    def __init__(self, path: str, found: int, supported: int):
        super().__init__(path=path, found=found, supported=supported)
        self.path, self.found, self.supported = path, found, supported


class MigrationMissing(HubError):
    """No migration is registered for a schema version the database is at."""

    msgid = (
        "Database file {path} is at schema {from_version}, but no migration from schema "
        "{from_version} is registered. Hint: register_migration({from_version}, fn) before opening."
    )

    def __init__(self, path: str, from_version: int):
        super().__init__(path=path, from_version=from_version)
        self.path, self.from_version = path, from_version


class RestoreRefused(HubError):
    """A backup failed validation, so the database was left as it was."""

    msgid = "Backup {source} was not restored: {reason}. Nothing was replaced. Hint: pick another backup file."

    def __init__(self, source: str, reason: str):
        super().__init__(source=source, reason=reason)
        self.source, self.reason = source, reason


class DataDirNotWritable(HubError):
    """The data directory cannot be created or written to."""

    msgid = "HUB_DATA_DIR '{path}' is not writable. Hint: create it or set HUB_DATA_DIR."

    def __init__(self, path: str):
        super().__init__(path=path)
        self.path = path


class StoreWriteFailed(HubError):
    """A write to a database (or backup) file did not reach the disk whole: nothing was acknowledged."""

    msgid = (
        "Could not write {path} ({reason}). Nothing was saved; the data as it was before is intact. "
        "Hint: free disk space (or fix the disk) and try again."
    )

    def __init__(self, path: str, reason: str):
        super().__init__(path=path, reason=reason)
        self.path, self.reason = path, reason
