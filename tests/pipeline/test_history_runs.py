"""The Pemda's loop end to end: audit, fix a few things in a copy of the export, audit again
the same day; every output says what was fixed. And a rerun with nothing changed is the same
email, not a new one."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pandas as pd
import pytest
from fixed_copy import SAMPLE, fixed_copy

from core.i18n import Translator
from core.settings import Settings
from delivery.message import format_angka
from job.pipeline import JobRequest, run_job
from store.db import open_db
from store.history import list_runs

ID = Translator("id")
KAB = "35.04"
HARI = date(2026, 11, 30)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(state_dir=tmp_path / "state")


def audit(settings, source: Path, out: Path, region: str | None = None):
    return run_job(JobRequest(source=str(source), out=out, region=region, as_of=HARI), settings)


def ringkasan_of(out: Path, kode: str = KAB) -> pd.Series:
    r = pd.read_csv(out / "ringkasan.csv", dtype={"kode_pemda": str})
    return r[r["kode_pemda"] == kode].iloc[0]


def page_text(out: Path) -> str:
    import re
    from html import unescape

    html = next((out / "laporan").glob(f"{KAB}-*.html")).read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def pending_subjects(out: Path) -> list[str]:
    return [str(message_from_bytes(p.read_bytes(), policy=default_policy)["Subject"])
            for p in sorted((out / "outbox").glob(f"{KAB}_*.eml"))]


def test_a_national_night_then_a_fixed_copy_audited_the_same_day_shows_what_was_fixed(settings, tmp_path):
    night = audit(settings, SAMPLE, tmp_path / "malam")
    again = audit(settings, fixed_copy(tmp_path / "perbaikan"), tmp_path / "kab", region=KAB)
    assert again.run_id != night.run_id  # same day, same Pemda: two runs

    before, now = ringkasan_of(tmp_path / "malam"), ringkasan_of(tmp_path / "kab")
    assert pd.isna(before["run_sebelumnya"])  # the night had nothing before it
    assert now["run_sebelumnya"] == night.run_id  # the national night is the region's previous run
    assert (now["temuan_selesai"], now["temuan_baru"]) == (3, 0)  # two BKT-01 and one LKP-05 fixed
    delta = round(now["skor_terverifikasi"] - before["skor_terverifikasi"], 2)
    assert delta > 0 and now["selisih_skor_terverifikasi"] == pytest.approx(delta)

    text = page_text(tmp_path / "kab")
    assert ID("laporan.perubahan.ringkas", selesai="3", baru="0", tetap=str(int(now["temuan_tetap"]))) in text
    assert ID("laporan.tren.judul") in text
    day = ID.date_short(date.fromisoformat(night.as_of))
    # two points of the same audit date, each a bar in both series: the day's first and "(2)"
    assert text.count(f"{day} (2)") == 2 and text.count(day) == 4

    [subject] = pending_subjects(tmp_path / "kab")
    assert subject.endswith(f"naik {format_angka(delta)} sejak audit sebelumnya")

    engine = open_db(settings.database_url)
    runs = list_runs(engine, region=KAB)
    engine.dispose()
    assert [r["run_id"] for r in runs] == [again.run_id, night.run_id]
    assert (runs[0]["temuan_selesai"], runs[0]["temuan_baru"], runs[0]["cakupan"]) == (3, 0, KAB)
    assert runs[1]["cakupan"] == "nasional" and runs[1]["sidik_ekspor"] != runs[0]["sidik_ekspor"]


def test_a_region_run_is_the_previous_run_of_the_next_national_night(settings, tmp_path):
    fixed = fixed_copy(tmp_path / "perbaikan")
    kab = audit(settings, fixed, tmp_path / "kab", region=KAB)
    night = audit(settings, fixed, tmp_path / "malam")
    assert ringkasan_of(tmp_path / "malam")["run_sebelumnya"] == kab.run_id
    assert (ringkasan_of(tmp_path / "malam")[["temuan_selesai", "temuan_baru"]] == 0).all()
    assert pd.isna(ringkasan_of(tmp_path / "malam", "35.79")["run_sebelumnya"])  # Kota Batu: first audit
    assert night.run_id > kab.run_id


def test_audits_with_nothing_changed_keep_the_same_report_and_one_pending_email(settings, tmp_path):
    fixed = fixed_copy(tmp_path / "perbaikan")
    out = tmp_path / "kab"
    first = audit(settings, SAMPLE, out, region=KAB)
    audit(settings, fixed, out, region=KAB)  # 3 fixed
    second = next((out / "laporan").glob(f"{KAB}-*.html")).read_bytes()
    shown = ringkasan_of(out)["selisih_skor_terverifikasi"]  # the change the second report shows
    assert shown > 0
    third = audit(settings, fixed, out, region=KAB)  # nothing changed since the one before
    ring = ringkasan_of(out)
    assert (ring["temuan_selesai"], ring["temuan_baru"], ring["selisih_skor_terverifikasi"]) == (0, 0, 0)
    assert ring["run_sebelumnya"] != first.run_id  # exactly: against the second run
    # the report still shows the last change (3 fixed): the same bytes, so it is not a new email
    assert next((out / "laporan").glob(f"{KAB}-*.html")).read_bytes() == second
    assert third.delivery["outbox"] == 1 and len(pending_subjects(out)) == 1
    # still mailed (the second was never sent): its subject says the change its body repeats,
    # not the 0 against the second run
    [subject] = pending_subjects(out)
    assert subject.endswith(f"naik {format_angka(shown)} sejak audit sebelumnya")
    assert ID("laporan.perubahan.ringkas_skor", selisih=f"+{format_angka(shown)}") in page_text(out)
    assert len(list((out / "outbox" / "diganti").glob("*.eml"))) == 1  # the first report, kept
