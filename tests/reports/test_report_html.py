"""The per-Pemda report as its reader sees it: content, language, safety."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pandas as pd
import pytest
from reports_test_builders import NationBuilder, Page, Tables, assert_no_script_or_external_loads

from checks.registry import all_rules, get_rule
from reports import render_pemda, render_pemda_html
from reports.i18n import Translator

ID = Translator("id")
EN = Translator("en")


def report_html(builder: NationBuilder, tmp_path, kode="35.04", **kw) -> str:
    files = render_pemda(builder.build(tmp_path), kode, tmp_path, **kw)
    return files.html.read_text(encoding="utf-8")


def test_report_is_parseable_html_without_scripts_or_external_resources(tulungagung, tmp_path, run_info):
    html = report_html(tulungagung, tmp_path, run_info=run_info)
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert_no_script_or_external_loads(html)
    assert '<html lang="id"' in html


def test_hostile_titles_are_shown_as_text_never_as_markup(tulungagung, tmp_path):
    html = report_html(tulungagung, tmp_path)
    page = Page(html)
    assert [t for t, _ in page.tags if t == "script"] == []
    assert 'Layanan <script>alert("x")</script> Sehat' in page.text
    assert 'Si Cepat" onmouseover="alert(1)' in page.text
    assert all("onmouseover" not in attrs for _, attrs in page.tags)


def test_javascript_video_link_is_text_not_href(tulungagung, tmp_path):
    html = report_html(tulungagung, tmp_path)
    page = Page(html)
    for href in page.attrs("href"):
        assert href.startswith("#") or urlsplit(href).scheme in ("http", "https"), href
    assert "javascript:alert(document.cookie)" in page.text
    assert ID("laporan.temuan.video_bukan_tautan") in page.text


def test_http_links_from_data_stay_clickable(tulungagung, tmp_path):
    page = Page(report_html(tulungagung, tmp_path))
    assert "https://www.youtube.com/watch?v=abc" in page.attrs("href")


@pytest.mark.parametrize("value, href", [
    ("https://youtu.be/abc", "https://youtu.be/abc"),
    ("  HTTP://Drive.Google.com/x?id=1 ", "HTTP://Drive.Google.com/x?id=1"),
    ("http://a", "http://a"),
    ("http:/a", None), ("https://", None), ("http:///path", None), ("https://?q", None),
    ("ftp://host/file", None), ("www.youtube.com/x", None), ("javascript:alert(1)", None),
    ("bukti.pdf", None), ("http://a b", None), ("http://a\tb", None), ("", None), (None, None), (3.0, None),
    ("https://host.example:8080/x", "https://host.example:8080/x"), ("https://[::1]/x", "https://[::1]/x"),
    ("https://[bad/x", None), ("https://user@host.example", "https://user@host.example"), ("https:///", None),
])
def test_only_http_urls_with_a_host_become_links(value, href):
    from reports.data import safe_href

    assert safe_href(value) == href


def test_report_records_are_the_records_pandas_gives():
    """`as_records` builds the finding records column by column: the same values, of the same
    types, as `to_dict("records")` for every kind of column a result frame holds."""
    import numpy as np

    from reports.data import as_records

    frame = pd.DataFrame({
        "baris": pd.array([3, None, 5], dtype="Int64"), "poin": [1.5, np.nan, 0.0], "_sev": [2, 1, 0],
        "nilai": ["x", np.int64(7), None], "_baru": [True, False, True], "campur": [np.float32(2.5), "a", pd.NA],
        "teks": pd.array(["a", None, "c"], dtype="string"), "tanggal": pd.to_datetime(["2026-01-02", None, "2026-03-04"]),
        "jenis": pd.Categorical(["bukti", "urusan", "bukti"]), "ya": pd.array([True, None, False], dtype="boolean"),
    })

    def typed(records):
        return [[(k, type(v).__name__, repr(v) if not pd.isna(v) else "missing") for k, v in r.items()] for r in records]

    assert typed(as_records(frame)) == typed(frame.to_dict("records"))
    assert as_records(frame.iloc[0:0]) == [] and as_records(frame[[]]) == frame[[]].to_dict("records")


def test_headline_numbers_and_dates_in_indonesian(tulungagung, tmp_path, run_info):
    text = Page(report_html(tulungagung, tmp_path, run_info=run_info)).text
    assert "52,30" in text and "38,10" in text
    assert "33,38 %" in text
    assert "27 Februari 2024" in text  # export date
    assert "2 Maret 2026" in text  # audit date
    assert "Inovatif" in text and "Kurang Inovatif" in text
    assert ID("laporan.skor.terverifikasi") in text


def test_english_variant(tulungagung, tmp_path, run_info):
    html = report_html(tulungagung, tmp_path, lang="en", run_info=run_info)
    text = Page(html).text
    assert '<html lang="en"' in html
    assert "52.30" in text and "33.38%" in text
    assert "27 February 2024" in text
    assert EN("laporan.skor.terverifikasi") in text
    assert ID("laporan.skor.terverifikasi") not in text


def matrix_rows(html: str) -> tuple[list[str], dict[str, list]]:
    """The innovation matrix: its header (16..35) and, per "#n", the row of 20 status cells
    (rows come in pairs: the innovation's title row, then its cells)."""
    matrix = next(t for t in Tables(html).tables if t and [c for c, _ in t[0]][:2] == ["16", "17"])
    header = [c for c, _ in matrix[0]]
    cells = {}
    for title, row in zip(matrix[1::2], matrix[2::2]):
        assert len(title) == 1 and len(row) == len(header)
        cells[title[0][0].split()[0]] = row
    return header, cells


def test_matrix_shows_error_and_empty_slots(tulungagung, tmp_path):
    header, cells = matrix_rows(report_html(tulungagung, tmp_path))
    # innovation 1 loses most (0.45 points), so it is #1; innovation 3 keeps builder order (#3)
    inv1, inv3 = cells["#1"], cells["#3"]
    err = inv1[header.index("16")]
    empty = inv3[header.index("20")]  # 20 (Bimtek) is not mandatory
    ok = inv1[header.index("17")]
    assert err[0] == ID("status.error.simbol")
    assert empty[0] == ID("status.kosong.simbol")
    assert ok[0] == ID("status.ok.simbol")
    # colour as well as the symbol, and not the same colour
    assert "background" in err[1].get("style", "") and "background" in empty[1].get("style", "")
    assert err[1]["style"] != empty[1]["style"]


def test_missing_mandatory_indicator_is_red_in_the_matrix_and_a_fix(tulungagung, tmp_path):
    # innovation 3 leaves 17 (Ketersediaan SDM, mandatory) unanswered: LKP-01, an error
    tulungagung.finding("LKP-01", "35.04", inovasi=3, no="17", severity="error", pesan="Indikator 17 wajib kosong")
    tulungagung.slot("35.04", inovasi=3, no="17", status="kosong")
    html = report_html(tulungagung, tmp_path)
    header, cells = matrix_rows(html)
    wajib, optional = cells["#3"][header.index("17")], cells["#3"][header.index("20")]
    err = cells["#1"][header.index("16")]
    assert wajib[0] == ID("status.wajib.simbol") != optional[0]
    assert wajib[1]["style"] == err[1]["style"]  # red, as an error
    assert wajib[1]["style"] != optional[1]["style"]  # an optional empty one is not
    fix = Page(html).text.split(ID("laporan.perbaiki.judul"), 1)[1].split(ID("laporan.keparahan.judul"))[0]
    # 17 has bobot 2; at Parameter 1, / k = MAX(12, 3) = 12 → 2 / 12 / 250 × 100 = 0.0667
    assert ID("laporan.perbaiki.kembali_minimal", n="0,07") in fix
    assert ID("laporan.temuan.indikator", no="17", nama="Ketersediaan dan peran SDM") in fix
    assert "LKP-01" in fix


def test_one_legend_colours_by_meaning_each_with_symbol_and_word(tulungagung, tmp_path):
    page = Page(report_html(tulungagung, tmp_path))
    legend = page.text.split(ID("laporan.matriks.legenda") + ":", 1)[1]
    statuses = ("error", "wajib", "warning", "kosong", "ok", "tidak_diperiksa")
    for s in statuses:  # never colour alone: the symbol and the word beside it
        assert f"{ID(f'status.{s}.simbol')} {ID(f'status.{s}.nama')}" in legend
    html = report_html(tulungagung, tmp_path / "b")
    style = {s: re.search(r'<span style="([^"]*)">' + re.escape(ID(f"status.{s}.simbol")) + " ", html).group(1)
             for s in statuses}
    background = {s: re.search(r"background:(#[0-9a-f]+)", v).group(1) for s, v in style.items()}
    assert background["error"] == background["wajib"]  # red: a loss
    assert len({background[s] for s in ("error", "warning", "ok", "tidak_diperiksa")}) == 4
    assert background["kosong"] not in (background["error"], background["ok"])


def test_spd_indicator_status_listed(tulungagung, tmp_path):
    html = report_html(tulungagung, tmp_path)
    spd = next(t for t in Tables(html).tables if t and t[0][0][0] == ID("laporan.matriks.nomor"))
    by_no = {row[0][0]: row for row in spd[1:]}
    assert ID("status.wajib.nama") in by_no["8"][2][0]  # Opini BPK is mandatory
    assert ID("status.ok.nama") in by_no["1"][2][0]
    assert len(by_no) == 20  # SPD 1..15 with a/b variants, from the 2026 catalog


def test_not_checked_rules_listed_for_run_and_this_pemda_only(tulungagung, tmp_path):
    text = Page(report_html(tulungagung, tmp_path)).text
    assert ID("laporan.tidak_diperiksa.judul") in text
    assert "BKT-09" in text and "folder bukti/ tidak ada di ekspor" in text
    assert "LKP-06" in text
    assert "KNS-06" not in text  # recorded for another Pemda


def test_each_finding_shows_indicator_name_message_value_and_fix(tulungagung, tmp_path):
    text = Page(report_html(tulungagung, tmp_path)).text
    assert ID("laporan.temuan.indikator", no="16", nama="Regulasi Inovasi Daerah") in text
    assert "Bukti Regulasi terlalu kecil (3 KB)" in text
    assert "sk.pdf" in text
    assert get_rule("BKT-05").perbaikan_id in text
    assert ID("laporan.temuan.indikator", no="8", nama="Opini BPK") in text  # SPD finding, region level


def test_fix_first_orders_by_points_regained(tmp_path):
    b = NationBuilder().pemda("35.04", "Kabupaten Tulungagung", innovations=3)
    b.finding("BKT-02", "35.04", inovasi=1, no="19", pesan="Jenis file salah")
    b.finding("BKT-07", "35.04", inovasi=2, no="16", pesan="Regulasi tidak membuktikan parameter")
    b.slot("35.04", inovasi=1, no="19", status="error", poin=0.2)
    b.slot("35.04", inovasi=2, no="16", status="error", poin=0.9)
    text = Page(report_html(b, tmp_path)).text
    first = text.index(ID("laporan.perbaiki.kembali_tepat", n="0,90"))
    second = text.index(ID("laporan.perbaiki.kembali_tepat", n="0,20"))
    assert first < second
    # and innovation sections follow the same order: the one losing 0.9 points first
    assert text.index("#1 Inovasi 2 Kabupaten Tulungagung") < text.index("#2 Inovasi 1 Kabupaten Tulungagung")


def test_too_few_urusan_wajib_is_the_first_fix_worth_the_jumlah_inovasi(tmp_path):
    # Kota Surabaya: 28 innovations, 3 of 6 urusan wajib covered (5 needed), nothing else wrong
    b = NationBuilder().pemda("35.78", "Kota Surabaya", innovations=28, skor=(38.0, 38.0), persen=0.0, urusan=3)
    b.finding("LKP-09", "35.78", kolom="Urusan Utama", nilai="3")
    text = Page(report_html(b, tmp_path, kode="35.78")).text
    fix = text.split(ID("laporan.perbaiki.judul"), 1)[1].split(ID("laporan.keparahan.judul"))[0]
    assert ID("laporan.perbaiki.kosong") not in fix
    # Jumlah Inovasi = MIN(28, 200) × 0.38 = 10.64 of 250 → 4.256 IID points
    assert ID("laporan.perbaiki.kembali_tepat", n="4,26") in fix
    assert ID("laporan.perbaiki.urusan", n="3", total="6", minimum="5") in fix
    assert get_rule("LKP-09").perbaikan_id in fix
    # what if: 38.00 + 4.256 = 42.26, over the 40.01 bound of Inovatif
    assert ID("laporan.perbaiki.jika_satu", dari="38,00", ke="42,26", predikat="Inovatif") in fix
    assert ID("laporan.perbaiki.naik", dari="Kurang Inovatif", ke="Inovatif") in fix


def test_the_app_list_export_still_shows_the_jumlah_inovasi_fix(tmp_path):
    # the IID app's own export has no indicator tables: no scores, but LKP-09's loss is known
    b = NationBuilder().pemda("35.78", "Kota Surabaya", innovations=28, urusan=3).without_indicator_tables()
    b.finding("LKP-09", "35.78", kolom="Urusan Utama", nilai="3")
    text = Page(report_html(b, tmp_path, kode="35.78")).text
    assert ID("laporan.skor.tidak_dapat") in text
    fix = text.split(ID("laporan.perbaiki.judul"), 1)[1].split(ID("laporan.keparahan.judul"))[0]
    assert ID("laporan.perbaiki.kembali_tepat", n="4,26") in fix  # 28 × 0.38 / 250 × 100
    assert "→" not in fix  # no "what if" without a verified score


def test_clean_pemda_has_nothing_to_fix(tmp_path):
    b = NationBuilder().pemda("35.79", "Kota Batu", innovations=12, skor=(49.21, 49.21), persen=0.0, urusan=6)
    text = Page(report_html(b, tmp_path, kode="35.79")).text
    fix = text.split(ID("laporan.perbaiki.judul"), 1)[1].split(ID("laporan.keparahan.judul"))[0]
    assert fix.strip() == f"{ID('status.ok.simbol')} {ID('laporan.perbaiki.kosong')}"


def test_severity_counts(tulungagung, tmp_path):
    html = report_html(tulungagung, tmp_path)
    # 3 errors (BKT-05, BKT-08, LKP-03), 2 warnings (LKP-02, KNS-07), 0 info
    counts = Page(html).text.split(ID("laporan.keparahan.judul"), 1)[1]
    assert f"{ID('keparahan.error')} 3 {ID('keparahan.warning')} 2 {ID('keparahan.info')} 0" in counts


def test_scores_that_cannot_be_computed_are_explained(tmp_path):
    b = NationBuilder().pemda("35.06", "Kabupaten Kediri", innovations=2).without_indicator_tables()
    b.finding("LKP-07", "35.06", inovasi=1, severity="error", pesan="Tidak ada video")
    text = Page(report_html(b, tmp_path, kode="35.06")).text
    assert ID("laporan.skor.tidak_dapat") in text
    assert ID("laporan.skor.tidak_dapat_alasan") in text
    assert ID("laporan.matriks.tidak_tersedia") in text
    assert "nan" not in text.lower().split()
    assert "Tidak ada video" in text


def test_footer_says_how_the_audit_was_made(tulungagung, tmp_path):
    result = tulungagung.build(tmp_path)
    text = Page(render_pemda(result, "35.04", tmp_path).html.read_text(encoding="utf-8")).text
    cat = result.catalog
    assert ID("laporan.kaki.cara", tahun=cat.tahun, pedoman=cat.pedoman, n=len(all_rules()),
              total_maksimum="250") in text


def test_render_pemda_html_is_the_same_body_for_email(tulungagung, tmp_path):
    result = tulungagung.build(tmp_path)
    files = render_pemda(result, "35.04", tmp_path)
    html = render_pemda_html(result, "35.04", attachment_name=files.attachment.name)
    assert html == files.html.read_text(encoding="utf-8")
    assert_no_script_or_external_loads(html)
    assert "Kabupaten Tulungagung" in Page(html).text


def test_unknown_pemda_is_a_clear_error(tulungagung, tmp_path):
    from core.outcomes import UsageError

    with pytest.raises(UsageError, match="99.99"):
        render_pemda(tulungagung.build(tmp_path), "99.99", tmp_path)


def test_finding_without_severity_is_shown_and_counted_as_info(tmp_path):
    b = NationBuilder().pemda("35.15", "Kab. Sidoarjo", innovations=1)
    b.finding("SKM-03", "35.15", inovasi=1, kolom="jenis", nilai="Teknologi", pesan="Nilai di luar pilihan resmi")
    result = b.build(tmp_path)
    result.findings["severity"] = None
    text = Page(render_pemda(result, "35.15", tmp_path).html.read_text(encoding="utf-8")).text
    assert "Nilai di luar pilihan resmi" in text
    assert f"{ID('keparahan.error')} 0 {ID('keparahan.warning')} 0 {ID('keparahan.info')} 1" in text


RED, GREEN = "#b91c1c", "#047857"


def _colour_of(html: str, text: str) -> str:
    """The inline colour of the element whose own text is `text` (CSS is inlined for email)."""
    import re

    m = re.search(r'<(\w+)[^>]*style="([^"]*)"[^>]*>\s*' + re.escape(text) + r"\s*<", html)
    assert m, f"{text!r} not found as an element's text"
    colour = re.search(r"color:\s*(#[0-9a-fA-F]{6})", m.group(2))
    return colour.group(1).lower() if colour else ""


def test_colours_follow_meaning_a_clean_share_is_green_a_problem_share_red(tmp_path):
    clean = NationBuilder().pemda("35.79", "Kota Batu", "Jawa Timur", innovations=1, skor=(70.2, 70.2), persen=0.0)
    assert _colour_of(report_html(clean, tmp_path / "a", kode="35.79"), "0,00 %") == GREEN
    bad = NationBuilder().pemda("35.04", "Kabupaten Tulungagung", "Jawa Timur", innovations=1, skor=(52.3, 38.1),
                                persen=33.38)
    assert _colour_of(report_html(bad, tmp_path / "b"), "33,38 %") == RED


def test_points_lost_are_red_never_green(tulungagung, tmp_path):
    import re

    html = report_html(tulungagung, tmp_path)
    lost = re.findall(r'style="([^"]*)"[^>]*>\s*−[0-9.,]+ poin IID', html)
    assert lost and all(RED in s for s in lost), lost


def test_plain_text_part_is_the_top_of_the_report(tmp_path):
    b = NationBuilder().pemda("35.78", "Kota Surabaya", innovations=28, skor=(38.0, 38.0), persen=12.5, urusan=3)
    b.finding("LKP-09", "35.78", kolom="Urusan Utama", nilai="3")
    files = render_pemda(b.build(tmp_path), "35.78", tmp_path)
    text = files.text
    assert text.startswith(ID("surel.judul", tahun=2026) + "\nKota Surabaya (35.78)\n")
    assert "38,00 (Kurang Inovatif)" in text and "12,50 %" in text  # as the HTML formats them
    assert "1. " + ID("laporan.perbaiki.kembali_tepat", n="4,26") in text
    assert ID("laporan.perbaiki.jika_satu", dari="38,00", ke="42,26", predikat="Inovatif") in text
    assert files.attachment.name in text
    assert "<" not in text and "&#" not in text  # text, not escaped markup
