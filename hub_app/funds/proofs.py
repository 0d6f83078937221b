"""Proof-of-performance uploads: the type read from the bytes (not only the file name), the size limit from
program.yml, the bytes kept in the blob directory under their SHA-256 (the same file uploaded twice is
stored once)."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hub_app.kernel.messages import Message

# The leading bytes of each accepted type; CSV has none, so it is read as UTF-8 text with a header row.
SIGNATURES = {"application/pdf": (b"%PDF-",), "image/png": (b"\x89PNG\r\n\x1a\n",), "image/jpeg": (b"\xff\xd8\xff",)}
EXTENSIONS = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".csv": "text/csv",
}


@dataclass(frozen=True)
class Upload:
    """A file as a person uploaded it: its name and its bytes."""

    filename: str
    data: bytes
    proof: str  # which proof of performance it is (a program.yml funds.proofs id)


def _is_csv(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if "\x00" in text or not text.strip():
        return False
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return False
    return bool(rows) and len(rows[0]) >= 1


def content_type(upload: Upload, max_mb: int) -> tuple[str | None, list[Message]]:
    """The file's type, or the problems that refuse it (its name says which file)."""
    problems: list[Message] = []
    name = upload.filename
    expected = EXTENSIONS.get(Path(name).suffix.lower())
    if len(upload.data) > max_mb * 1024 * 1024:
        problems.append(Message("{file} is larger than {mb} MB", file=name, mb=max_mb))
    if not upload.data:
        problems.append(Message("{file} is empty", file=name))
    if expected is None:
        problems.append(Message("{file} is not a PDF, PNG, JPG or CSV file", file=name))
        return None, problems
    if upload.data:
        matches = _is_csv(upload.data) if expected == "text/csv" else upload.data.startswith(SIGNATURES[expected])
        if not matches:
            problems.append(
                Message(
                    "{file} is named like a {kind} file but its content is not one",
                    file=name,
                    kind=expected.split("/")[1].upper(),
                )
            )
    return (expected if not problems else None), problems


def digest(data: bytes) -> str:
    """The SHA-256 of the bytes, in hex: the file's name in the blob directory."""
    return hashlib.sha256(data).hexdigest()


def blob_path(blob_dir: Path, sha256: str) -> Path:
    """Where a blob lives: <blob dir>/<first two hex digits>/<hash>."""
    return blob_dir / sha256[:2] / sha256


def keep(blob_dir: Path, data: bytes) -> str:
    """Write the bytes under their hash (atomically; an existing blob is kept as it is); the hash."""
    sha = digest(data)
    path = blob_path(blob_dir, sha)
    if path.exists():
        return sha
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
    return sha


def read(blob_dir: Path, sha256: str) -> bytes:
    """The bytes of a stored blob."""
    return blob_path(blob_dir, sha256).read_bytes()
