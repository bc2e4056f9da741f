"""The national index page: links, order, distribution, failures, no script."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest
from reports_test_builders import NationBuilder, Page, Tables, assert_no_script_or_external_loads

from reports import render_index, render_pemda
from reports.i18n import Translator

ID = Translator("id")


@pytest.fixture
def nation(tmp_path, run_info):
    b = (
        NationBuilder()
        .pemda("35.04", "Kabupaten Tulungagung", "Jawa Timur", skor=(52.3, 38.1), persen=33.38)
        .pemda("35.79", "Kota Batu", "Jawa Timur", skor=(70.2, 66.1), persen=5.5)
        .pemda("35.05", "Kabupaten Blitar", "Jawa Timur", skor=(45.0, 30.0), persen=61.0)
        .pemda("11.01", "Kabupaten Simeulue", "Aceh", skor=(20.0, 10.0), persen=12.0)
        .pemda("11.02", 'Kab <script>x</script> "Aceh"', "Aceh", skor=(30.0, 30.0), persen=0.0)
    )
    b.finding("BKT-05", "35.04", inovasi=1, no="16")
    result = b.build(tmp_path)
    reports = {k: render_pemda(result, k, tmp_path, run_info=run_info) for k in ["35.04", "35.79", "35.05", "11.02"]}
    failures = [{"kode_pemda": "11.01", "tahap": "render", "pesan": "laporan gagal dibuat"}]
    path = render_index(result, reports, tmp_path, failures=failures, run_info=run_info)
    return path, result


def pemda_rows(table) -> list[tuple[str, list[str]]]:
    """A Pemda table as (name cell, number cells) per Pemda: the header, then two rows each."""
    assert len(table) % 2 == 1, "a header row, then two rows per Pemda"
    return [(name[0][0], [c for c, _ in nums]) for name, nums in zip(table[1::2], table[2::2])]


def test_index_links_resolve_to_existing_reports(nation):
    path, _ = nation
    page = Page(path.read_text(encoding="utf-8"))
    hrefs = [h for h in page.attrs("href") if not h.startswith("#")]
    assert hrefs, "the index links the reports"
    for h in hrefs:
        assert urlsplit(h).scheme == "" and not h.startswith("/"), f"relative link expected: {h}"
        assert (path.parent / unquote(h)).is_file(), h
    assert len({h for h in hrefs}) == 4  # Simeulue has no report


def test_index_has_no_script_and_no_external_resources(nation):
    path, _ = nation
    html = path.read_text(encoding="utf-8")
    assert_no_script_or_external_loads(html)
    assert "<details" in html  # other orders readable without any script
    assert "Kab <script>x</script> \"Aceh\"" in Page(html).text


def test_grouped_by_province_worst_problem_share_first(nation):
    path, _ = nation
    html = path.read_text(encoding="utf-8")
    text = Page(html).text
    assert text.index("Aceh") < text.index("Jawa Timur")  # provinces in name order
    # Jawa Timur's table (3 Pemda): Blitar (61 %), Tulungagung (33,38 %), Batu (5,5 %)
    jatim = pemda_rows(next(t for t in Tables(html).tables if len(t) == 1 + 2 * 3))
    assert [name for name, _ in jatim] == ["Kabupaten Blitar 35.05", "Kabupaten Tulungagung 35.04", "Kota Batu 35.79"]
    assert [nums[0] for _, nums in jatim] == ["61,00 %", "33,38 %", "5,50 %"]


def test_other_orders_are_complete_tables(nation):
    path, result = nation
    tables = Tables(path.read_text(encoding="utf-8")).tables
    # 2 province tables + 3 national orders + the predicate table
    national = [t for t in tables if len(t) == 2 * len(result.ringkasan) + 1]
    assert len(national) == 3
    by_score = [name for name, _ in pemda_rows(national[0])]
    assert by_score[0] == "Kabupaten Simeulue (" + ID("indeks.tanpa_laporan") + ") 11.01"  # lowest verified score, 10,00


def test_predicate_distribution_and_failures(nation):
    path, _ = nation
    text = Page(path.read_text(encoding="utf-8")).text
    assert ID("indeks.distribusi.judul") in text
    for p in ("Sangat Inovatif", "Inovatif", "Kurang Inovatif"):
        assert p in text
    assert ID("indeks.gagal.baris", pemda="Kabupaten Simeulue", kode="11.01", tahap="render",
              pesan="laporan gagal dibuat") in text


def test_index_in_english(nation, tmp_path):
    _, result = nation
    out = render_index(result, {}, tmp_path / "en", lang="en")
    text = Page(out.read_text(encoding="utf-8")).text
    assert Translator("en")("indeks.distribusi.judul") in text
    assert "33.38%" in text


def test_index_lists_the_rules_the_run_could_not_check_where_the_cli_points(tmp_path):
    b = NationBuilder().pemda("35.04", "Kabupaten Tulungagung", "Jawa Timur", skor=(52.3, 38.1), persen=33.38)
    b.not_checked("BKT-09", alasan="Tidak diperiksa: ekspor tidak memuat folder bukti/.")
    b.not_checked("LKP-01", alasan="Tidak diperiksa: ekspor tidak memuat tabel Indikator Inovasi.")
    result = b.build(tmp_path)
    text = Page(render_index(result, {}, tmp_path).read_text(encoding="utf-8")).text
    ID = Translator("id")
    assert f"{ID('laporan.tidak_diperiksa.judul')} (2)" in text
    assert "BKT-09" in text and "folder bukti/" in text and ID.rule_title("LKP-01") in text


def test_index_without_unchecked_rules_has_no_such_section(tmp_path):
    b = NationBuilder().pemda("35.04", "Kabupaten Tulungagung", "Jawa Timur", skor=(52.3, 38.1), persen=33.38)
    text = Page(render_index(b.build(tmp_path), {}, tmp_path).read_text(encoding="utf-8")).text
    assert Translator("id")("laporan.tidak_diperiksa.judul") not in text


def test_the_index_is_a_browser_page_with_one_style_sheet_and_its_classes(nation):
    """Not mailed, so not inlined: 546 rows styled tag by tag would more than double it."""
    path, _ = nation
    html = path.read_text(encoding="utf-8")
    assert html.count("<style>") == 1 and ".td{" in html
    classes = {c for _, attrs in Page(html).tags for c in attrs.get("class", "").split()}
    assert {"td", "num", "th"} <= classes
