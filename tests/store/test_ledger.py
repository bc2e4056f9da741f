"""The project database (store.db) and the send ledger on real databases (SQLite; PostgreSQL too when there is a server)."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from core.settings import Settings
from store.db import init_db, make_engine, metadata
from store.ledger import IN_PROGRESS, OUTBOX, SENT, Ledger


def test_make_engine_creates_the_folder_and_uses_wal(tmp_path):
    db = tmp_path / "deep" / "state" / "iid-audit.sqlite"
    engine = make_engine(f"sqlite:///{db}")
    init_db(engine)
    assert db.is_file()
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    assert "send_ledger" in sa.inspect(engine).get_table_names()
    init_db(engine)  # idempotent
    engine.dispose()


def test_default_database_is_in_the_state_dir_not_a_run_folder(tmp_path):
    s = Settings(state_dir=tmp_path / "state")
    assert s.database_url == f"sqlite:///{tmp_path / 'state' / 'iid-audit.sqlite'}"
    assert Settings(db_url="postgresql+psycopg://u@h/db").database_url.startswith("postgresql")


def test_tables_registered_on_the_shared_metadata():
    import store.ledger  # noqa: F401

    assert "send_ledger" in metadata.tables


def test_ledger_survives_a_new_process(tmp_path):
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    first = make_engine(url)
    row = Ledger(first).insert("35.04", "r1", "a" * 64, 0, IN_PROGRESS, "<m@x>")
    Ledger(first).mark_sent(row.id, "<m@x>", ["a@x.go.id"], {"b@x.go.id": [550, "no"]})
    first.dispose()
    again = Ledger(make_engine(url))
    [r] = again.rows()
    assert (r.state, r.accepted, r.refused) == (SENT, ["a@x.go.id"], {"b@x.go.id": [550, "no"]})
    assert again.last_sent("35.04").id == r.id
    assert again.by_message_id("<m@x>").id == r.id


def test_same_key_cannot_be_claimed_twice(engine):
    ledger = Ledger(engine)
    assert ledger.insert("35.04", "r1", "h" * 64, 0, IN_PROGRESS, "<a@x>") is not None
    assert ledger.insert("35.04", "r1", "h" * 64, 0, IN_PROGRESS, "<a@x>") is None
    assert ledger.insert("35.04", "r1", "h" * 64, 1, IN_PROGRESS, "<b@x>") is not None  # a resend


def test_concurrent_claims_of_a_failed_row_one_winner(engine):
    ledger = Ledger(engine)
    row = ledger.insert("35.04", "r1", "h" * 64, 0, IN_PROGRESS, "<a@x>")
    ledger.mark_failed(row.id, 451, "greylisted")
    wins = []
    barrier = threading.Barrier(4)

    def worker():
        barrier.wait()
        wins.append(Ledger(engine).claim(row.id))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False, False, False, True]
    assert ledger.get(row.id).state == IN_PROGRESS and ledger.get(row.id).attempts == 2


def test_transitions_only_from_the_allowed_states(engine):
    ledger = Ledger(engine)
    row = ledger.insert("35.04", "r1", "h" * 64, 0, OUTBOX, "<a@x>", "/tmp/x.eml")
    assert not ledger.mark_sent(row.id, "<a@x>", [], {})  # never claimed: can't be 'sent'
    assert ledger.claim(row.id)
    assert ledger.mark_uncertain(row.id, "lost")
    assert not ledger.claim(row.id)  # possibly delivered: not reusable
    assert ledger.mark_sent(row.id, "<a@x>", ["a@x.go.id"], {})  # a late reply of a live worker wins
    assert ledger.get(row.id).state == SENT
    assert not ledger.mark_failed(row.id, 550, "x")
