"""Sessions kept in the store shared by every process serving the app lose no sign-in and revive no sign-out."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hub_app.partners.records import WEB_SESSIONS
from hub_app.partners.websessions import SessionBook
from hub_app.store.memory import MemoryStore
from hub_app.store.tinydb.backend import TinyDBStore

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)


def test_concurrent_books_on_one_store_lose_no_sign_in(tmp_path: Path):
    path = tmp_path / "hub.json"
    tokens: list[str] = []

    def sign_ins(worker: int) -> None:
        book = SessionBook(TinyDBStore(path))  # one store handle per worker, as one per server process
        for n in range(10):
            tokens.append(book.open(f"user-{worker}-{n}", NOW))
        book.store.close()

    workers = [threading.Thread(target=sign_ins, args=(w,)) for w in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    reader = SessionBook(TinyDBStore(path))
    assert len(tokens) == 40
    assert all(reader.user_id_for(token, NOW) is not None for token in tokens)


def test_a_sign_out_in_one_process_holds_in_the_other(tmp_path: Path):
    path = tmp_path / "hub.json"
    first, second = SessionBook(TinyDBStore(path)), SessionBook(TinyDBStore(path))
    token = first.open("ana", NOW)
    second.close(token)
    first.open("ben", NOW)  # a later write from the first process must not bring Ana's session back
    assert first.user_id_for(token, NOW) is None
    assert second.user_id_for(token, NOW) is None


def test_the_store_keeps_a_digest_of_the_token_never_the_token(tmp_path: Path):
    store = TinyDBStore(tmp_path / "hub.json")
    token = SessionBook(store).open("ana", NOW)
    assert token not in (tmp_path / "hub.json").read_text()
    assert SessionBook(TinyDBStore(tmp_path / "hub.json")).user_id_for(token, NOW) == "ana"


def test_a_new_sign_in_prunes_lapsed_sessions_and_a_lapsed_token_signs_nobody_in():
    book = SessionBook(MemoryStore())
    old = book.open("ana", NOW, ttl=timedelta(hours=1))
    later = NOW + timedelta(hours=2)
    assert book.user_id_for(old, later) is None
    book.open("ben", later)
    assert [s.user_id for s in book.store.select(WEB_SESSIONS)] == ["ben"]
