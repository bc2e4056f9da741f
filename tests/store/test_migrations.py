"""The schema is made by Alembic migrations: from an empty database, and from a database
the pre-migration code made (`create_all`), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from history_builders import KAB, KOTA, bukti_kecil, metrics_for, record, row, run_record
from schema_before_migrations import NIGHT, REGION, installed_database

from core.findings import findings as make_findings
from store.db import SCHEMA_HEAD, downgrade, head_revision, init_db, make_engine, schema_revision, upgrade
from store.history import compare_with_previous, finding_keys, list_runs, record_run
from store.ledger import SENT, Ledger


def columns(engine, table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns(table)}


def test_an_empty_database_is_migrated_to_the_newest_schema(engine):
    assert schema_revision(engine) is None
    init_db(engine)
    assert schema_revision(engine) == head_revision() == "0004"
    assert {"audit_run", "audit_pemda", "audit_finding", "send_ledger", "alembic_version"} <= set(
        sa.inspect(engine).get_table_names())
    assert {"scope", "export_hash", "code_version", "finished_at"} <= columns(engine, "audit_run")
    assert {"predikat_terverifikasi", "jumlah_error"} <= columns(engine, "audit_pemda")
    assert {"sha256", "blank_pages", "duration_s"} <= columns(engine, "evidence_facts")
    assert upgrade(engine) == "0004"  # again: nothing to do


def test_the_stated_newest_revision_is_alembics_head():
    """`SCHEMA_HEAD` lets a current database be recognised without Alembic: a new migration
    must move it too, or databases would be taken as current one revision too early."""
    assert SCHEMA_HEAD == head_revision()


def test_a_database_at_an_older_revision_is_still_migrated_by_a_new_engine(engine):
    """The quick check reads the stamp: an older stamp (or none) goes to Alembic, which migrates."""
    assert upgrade(engine, "0003") == "0003"
    fresh = make_engine(engine.url.render_as_string(hide_password=False))  # a new engine: not yet seen by `init_db` in this process
    try:
        init_db(fresh)
        assert schema_revision(fresh) == SCHEMA_HEAD
        assert "duration_s" in columns(fresh, "evidence_facts")
    finally:
        fresh.dispose()


def test_a_database_of_the_previous_schema_is_upgraded_keeping_its_history_and_ledger(engine):
    # yesterday's region run had two findings; today one of them is fixed
    old_keys = finding_keys(make_findings([bukti_kecil(KAB, "35.04-1", "16"), bukti_kecil(KAB, "35.04-1", "17")]))
    installed_database(engine, {REGION: list(zip(old_keys["kode_pemda"], old_keys["finding_key"].astype(int)))})
    assert schema_revision(engine) is None

    assert upgrade(engine) == head_revision()
    with engine.connect() as c:
        scopes = dict(c.execute(sa.text("SELECT run_id, scope FROM audit_run")).all())
    assert scopes == {NIGHT: "nasional", REGION: KAB}  # read back from the day-based ids
    [sent] = Ledger(engine).rows(state=SENT)
    assert (sent.kode_pemda, sent.run_id, sent.message_id) == (KAB, REGION, "<m1@pemda>")

    record_run(engine, run_record("20261130T010000.000Z-pemda-35.04", scope=KAB),
               metrics_for(**{"35_04": (50.0, 42.5, 30.0)}), make_findings([bukti_kecil(KAB, "35.04-1", "17")]))
    r = row(compare_with_previous(engine, "20261130T010000.000Z-pemda-35.04"), KAB)
    assert r["run_sebelumnya"] == REGION
    assert (r["temuan_baru"], r["temuan_selesai"], r["temuan_tetap"]) == (0, 1, 1)
    assert r["selisih_skor_terverifikasi"] == 1.5
    assert [x["run_id"] for x in list_runs(engine)] == ["20261130T010000.000Z-pemda-35.04", REGION, NIGHT]


def test_a_database_with_only_the_ledger_gets_the_history_tables(engine):
    from schema_before_migrations import old

    old.create_all(engine, tables=[old.tables["send_ledger"]])
    init_db(engine)
    assert {"audit_run", "audit_pemda", "audit_finding"} <= set(sa.inspect(engine).get_table_names())
    assert "scope" in columns(engine, "audit_run")


def _rows(engine) -> dict[str, int]:
    with engine.connect() as c:
        return {t: c.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar()
                for t in ("audit_run", "audit_pemda", "audit_finding", "send_ledger")}


def test_a_migration_that_fails_midway_leaves_the_previous_revision_intact(engine):
    """0002 adds columns, fills scopes, then creates an index: an index of that name already
    there (a real error of the database) fails it at its last step. Its ALTERs must be undone
    with it (on SQLite too, where pysqlite would commit DDL at once), so the database is at
    0001, unchanged, and the upgrade can simply be run again."""
    from schema_before_migrations import installed_database

    installed_database(engine, {})
    assert upgrade(engine, "0001") == "0001"
    with engine.begin() as c:
        c.execute(sa.text("CREATE INDEX ix_audit_run_tahun_order ON send_ledger (seq)"))
    before = (_rows(engine), columns(engine, "audit_run"), columns(engine, "audit_pemda"),
              columns(engine, "audit_finding"))

    with pytest.raises(sa.exc.SQLAlchemyError):
        upgrade(engine)
    assert schema_revision(engine) == "0001"
    assert (_rows(engine), columns(engine, "audit_run"), columns(engine, "audit_pemda"),
            columns(engine, "audit_finding")) == before
    assert "evidence_facts" not in sa.inspect(engine).get_table_names()

    with engine.begin() as c:
        c.execute(sa.text("DROP INDEX ix_audit_run_tahun_order"))
    assert upgrade(engine) == "0004"  # nothing half-done is in the way
    assert _rows(engine) == before[0]


def test_downgrading_to_the_baseline_keeps_every_run_score_and_finding(engine):
    """0002's downgrade rebuilds each table on SQLite (batch mode). Rebuilding `audit_run`
    drops the old one, which with foreign keys on would cascade into `audit_pemda` and
    `audit_finding`: the children must keep their rows."""
    init_db(engine)
    m = metrics_for(**{"35_04": (50.0, 40.0), "35_79": (30.0, 20.0)})
    record(engine, "pagi", m, [bukti_kecil(KAB, "35.04-1", "16"), bukti_kecil(KOTA, "35.79-1", "16")])
    record(engine, "siang", m, [bukti_kecil(KAB, "35.04-1", "17")], minutes=60)
    before = _rows(engine)
    assert before == {"audit_run": 2, "audit_pemda": 4, "audit_finding": 3, "send_ledger": 0}

    assert downgrade(engine, "0001") == "0001"
    assert _rows(engine) == before
    assert "scope" not in columns(engine, "audit_run") and "evidence_facts" not in sa.inspect(
        engine).get_table_names()
    if engine.dialect.name == "sqlite":
        with engine.connect() as c:
            assert c.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1  # on again for the app
            assert c.connection.dbapi_connection.isolation_level == ""  # pysqlite's own handling back
            assert c.execute(sa.text("PRAGMA foreign_key_check")).all() == []
            fks = c.execute(sa.text("PRAGMA foreign_key_list(audit_pemda)")).all()
        assert [(fk[2], fk[6]) for fk in fks] == [("audit_run", "CASCADE")]  # still cascades on purpose

    assert upgrade(engine) == "0004"
    assert _rows(engine) == before
    assert [r["run_id"] for r in list_runs(engine)] == ["siang", "pagi"]


def test_evidence_facts_of_schema_0003_survive_the_upgrade_and_are_recomputed_by_version(engine):
    """0004 adds blank pages and a video's duration to the remembered facts: rows written at
    0003 stay (no data lost on SQLite's table copy) and, being of the older facts version, are
    not returned as current facts (the next night reads those files again)."""
    from datetime import datetime, timezone

    from checks.evidence import FACTS_VERSION
    from store.evidence import DbFactsCache

    assert upgrade(engine, "0003") == "0003"
    with engine.begin() as c:
        c.execute(sa.text("INSERT INTO evidence_facts (name, size, mtime_ns, version, sha256, kind, pages, text_read, "
                          "read_at) VALUES ('a.pdf', 10, 5, 2, :sha, 'pdf', 3, false, :t)"),
                  {"sha": "ab" * 32, "t": datetime(2026, 11, 29, tzinfo=timezone.utc)})
    assert upgrade(engine) == "0004"
    with engine.connect() as c:
        assert c.execute(sa.text("SELECT name, pages, blank_pages, duration_s FROM evidence_facts")).all() == [
            ("a.pdf", 3, None, None)]
    assert DbFactsCache(engine).get(["a.pdf"], FACTS_VERSION) == {}
    assert DbFactsCache(engine).get(["a.pdf"], 2)["a.pdf"].blank_pages == ()
