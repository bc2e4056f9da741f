"""The audit history in the reports: the change headline, "baru" badges, the Pemda's trend
chart and the national distribution over runs, all email-safe (tables, inline styles)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd
from reports_test_builders import NationBuilder, Page, assert_no_script_or_external_loads

from core.i18n import Translator
from reports import render_index, render_pemda

ID = Translator("id")
KAB = "35.04"


def audited_again(builder: NationBuilder, tmp_path, *, baru=2, selesai=5, tetap=3, selisih=1.25, new_rows=1):
    """The builder's result as a run with a previous one: what changed (as the job hands it
    over), the first `new_rows` findings of the Pemda marked new."""
    result = builder.build(tmp_path)
    changes = pd.DataFrame([{"kode_pemda": KAB, "temuan_baru": baru, "temuan_selesai": selesai, "temuan_tetap": tetap,
                             "selisih_skor_terverifikasi": selisih, "selisih_persen_bermasalah": -2.5,
                             "run_sebelumnya": "20261130T010000.000Z-nasional"}])
    result.perubahan = changes
    mine = result.findings.index[result.findings["kode_pemda"] == KAB][:new_rows]
    result.findings = result.findings.assign(_baru=result.findings.index.isin(mine))
    return result


def trend(*points: tuple[str, float, float]) -> pd.DataFrame:
    """Trend rows of 35.04: (start time 'HH:MM' on 30 Nov 2026, verified score, problem share)."""
    rows = [{"kode_pemda": KAB, "run_id": f"r{i}", "as_of": date(2026, 11, 30),
             "started_at": datetime(2026, 11, 30, int(hm[:2]), int(hm[3:]), tzinfo=timezone.utc),
             "skor_terverifikasi": s, "persen_indikator_bermasalah": p} for i, (hm, s, p) in enumerate(points)]
    return pd.DataFrame(rows)


def html_of(result, tmp_path) -> str:
    return render_pemda(result, KAB, tmp_path).html.read_text(encoding="utf-8")


def test_headline_says_what_was_fixed_and_what_is_new(tulungagung, tmp_path):
    text = Page(html_of(audited_again(tulungagung, tmp_path), tmp_path)).text
    assert ID("laporan.perubahan.ringkas", selesai="5", baru="2", tetap="3") in text
    assert ID("laporan.perubahan.ringkas_skor", selisih="+1,25") in text
    assert ID("laporan.perubahan.judul") in text and "−2,50" in text  # problem share down 2.5 points


def test_no_change_is_said_plainly_and_a_first_audit_shows_no_change_section(tulungagung, tmp_path):
    same = Page(html_of(audited_again(tulungagung, tmp_path, baru=0, selesai=0, selisih=0.0, new_rows=0),
                        tmp_path)).text
    assert ID("laporan.perubahan.tidak_berubah") in same
    assert "; " + ID("laporan.perubahan.ringkas_skor", selisih="0,00") not in same  # not in the headline
    first = Page(html_of(tulungagung.build(tmp_path / "b"), tmp_path / "b")).text
    assert ID("laporan.perubahan.judul") not in first
    assert ID("laporan.tren.judul") not in first


def test_changes_whose_baseline_retention_dropped_are_unknown_not_unchanged(tulungagung, tmp_path):
    """`store.history` leaves the counts empty when the previous run's findings were dropped:
    the report says the change is unknown and shows "—", never "nothing fixed or new"."""
    result = audited_again(tulungagung, tmp_path, baru=pd.NA, selesai=pd.NA, tetap=pd.NA, selisih=1.25, new_rows=0)
    text = Page(html_of(result, tmp_path)).text
    assert ID("laporan.perubahan.tak_diketahui") in text
    assert ID("laporan.perubahan.tidak_berubah") not in text
    assert ID("laporan.perubahan.ringkas_skor", selisih="+1,25") in text  # the score change is still known
    assert f"{ID('laporan.perubahan.baru')} {ID('umum.tidak_ada')}" in text
    assert f"{ID('laporan.perubahan.selesai')} {ID('umum.tidak_ada')}" in text


def test_a_new_finding_carries_the_baru_badge_and_old_ones_do_not(tulungagung, tmp_path):
    badge = f">{ID('laporan.perubahan.lencana_baru')}</span>"
    one_new = html_of(audited_again(tulungagung, tmp_path, new_rows=1), tmp_path)
    none_new = html_of(audited_again(tulungagung, tmp_path / "b", baru=0, new_rows=0), tmp_path / "b")
    assert one_new.count(badge) == 2  # the finding, and the legend under the change table
    assert none_new.count(badge) == 0


def test_trend_chart_has_a_bar_per_distinct_run_email_safe(tulungagung, tmp_path):
    result = audited_again(tulungagung, tmp_path)
    result.tren = trend(("08:00", 36.85, 35.88), ("14:30", 38.1, 33.38))
    html = html_of(result, tmp_path)
    text = Page(html).text
    assert ID("laporan.tren.judul") in text
    assert "30 Nov 2026" in text and "30 Nov 2026 (2)" in text  # by audit date, the second of the day numbered
    assert "36,85" in text and "38,10" in text
    assert 'width="37%"' in html and 'width="38%"' in html  # bars on a 0-100 scale
    assert_no_script_or_external_loads(html)
    assert "<svg" not in html.lower() and "<img" not in html.lower()
    assert len(html.encode()) < 100_000


def test_a_rerun_after_a_run_that_died_draws_the_same_report(tulungagung, tmp_path):
    """The dead run never reached the history; its rerun starts later, the same day, over the
    same data: the report must be the same bytes, or the send ledger would mail it again."""
    first = audited_again(tulungagung, tmp_path / "a")
    first.tren = trend(("08:00", 36.85, 35.88), ("14:30", 38.1, 33.38))
    rerun = audited_again(tulungagung, tmp_path / "b")
    rerun.tren = trend(("08:00", 36.85, 35.88), ("14:47", 38.1, 33.38))
    assert html_of(first, tmp_path / "a") == html_of(rerun, tmp_path / "b")


def test_a_single_point_is_no_trend(tulungagung, tmp_path):
    result = audited_again(tulungagung, tmp_path)
    result.tren = trend(("08:00", 38.1, 33.38))
    assert ID("laporan.tren.judul") not in Page(html_of(result, tmp_path)).text


def test_index_shows_the_national_distribution_over_runs(tulungagung, tmp_path):
    result = tulungagung.build(tmp_path)
    names = [p.nama for p in result.catalog.predikat]
    result.tren_nasional = pd.DataFrame([
        {"run_id": "malam-1", "started_at": datetime(2026, 11, 29, 19, 0, tzinfo=timezone.utc), "as_of": date(2026, 11, 30),
         "kode_pemda": KAB, "skor_terverifikasi": 30.0, "persen_indikator_bermasalah": 40.0,
         "predikat_terverifikasi": names[2]},
        {"run_id": "malam-2", "started_at": datetime(2026, 11, 30, 19, 0, tzinfo=timezone.utc), "as_of": date(2026, 12, 1),
         "kode_pemda": KAB, "skor_terverifikasi": 45.0, "persen_indikator_bermasalah": 20.0,
         "predikat_terverifikasi": names[1]},
    ])
    html = render_index(result, {}, tmp_path).read_text(encoding="utf-8")
    text = Page(html).text
    assert ID("indeks.tren.judul") in text
    assert "29 Nov 2026 19.00" in text and "30 Nov 2026 19.00" in text
    assert "40,0 %" in text and "20,0 %" in text  # the median problem share of each night
    assert f'title="{names[2]}: 1"' in html and f'title="{names[1]}: 1"' in html
    assert "<svg" not in html.lower()
