"""The sessions file shared by every process serving the app loses no sign-in and revives no sign-out."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from hub_app.partners.websessions import FileSessionBook

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)


def test_concurrent_books_on_one_file_lose_no_sign_in(tmp_path: Path, monkeypatch):
    path = tmp_path / "web_sessions.json"
    load = FileSessionBook._load

    def slow_load(self: FileSessionBook) -> None:  # a slow disk widens the gap between reading and writing
        load(self)
        time.sleep(0.002)

    monkeypatch.setattr(FileSessionBook, "_load", slow_load)
    tokens: list[str] = []

    def sign_ins(worker: int) -> None:
        book = FileSessionBook(path)  # one book per worker, as one per server process
        for n in range(10):
            tokens.append(book.open(f"user-{worker}-{n}", NOW))

    workers = [threading.Thread(target=sign_ins, args=(w,)) for w in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    reader = FileSessionBook(path)
    assert len(tokens) == 40
    assert all(reader.user_id_for(token, NOW) is not None for token in tokens)


def test_a_sign_out_in_one_process_holds_in_the_other(tmp_path: Path):
    path = tmp_path / "web_sessions.json"
    first, second = FileSessionBook(path), FileSessionBook(path)
    token = first.open("ana", NOW)
    second.close(token)
    first.open("ben", NOW)  # a later write from the first process must not bring Ana's session back
    assert first.user_id_for(token, NOW) is None
    assert second.user_id_for(token, NOW) is None
