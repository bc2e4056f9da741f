"""Email size budget (measured after CSS inlining) and the findings attachment."""

from __future__ import annotations

import openpyxl
from reports_test_builders import NationBuilder, Page, assert_no_script_or_external_loads

from core.settings import REPORT_BODY_BUDGET_BYTES
from reports import render_pemda
from reports.i18n import Translator

ID = Translator("id")


def big_pemda() -> NationBuilder:
    """A Pemda with 180 innovations and 1,500 findings: far more than an email can hold."""
    b = NationBuilder().pemda("35.05", "Kabupaten Blitar", innovations=180)
    b.many_findings("35.05", 1500)
    # the two costliest problems sit deep in the list: they must be shown anyway
    b.finding("BKT-07", "35.05", inovasi=170, no="16", pesan="MAHAL-1 Regulasi tidak membuktikan Perda")
    b.finding("BKT-01", "35.05", inovasi=171, no="35", pesan="MAHAL-2 Video tanpa data pendukung")
    b.slot("35.05", inovasi=170, no="16", status="error", poin=1.5)
    b.slot("35.05", inovasi=171, no="35", status="error", poin=1.2)
    return b


def test_budget_respected_with_many_findings_and_attachment_holds_all(tmp_path):
    files = render_pemda(big_pemda().build(tmp_path), "35.05", tmp_path)
    body = files.html.read_bytes()
    assert len(body) == files.body_bytes
    assert files.body_bytes <= REPORT_BODY_BUDGET_BYTES
    assert files.findings_total == 1502
    assert 0 < files.findings_shown < files.findings_total
    html = body.decode("utf-8")
    assert_no_script_or_external_loads(html)
    text = Page(html).text
    assert "MAHAL-1" in text and "MAHAL-2" in text
    assert text.index("MAHAL-1") < text.index("MAHAL-2")
    assert files.attachment is not None and files.attachment.is_file()
    assert files.attachment.name in text  # the reader is told where the rest is
    assert ID("laporan.temuan.terpotong", shown=files.findings_shown, total="1.502",
              lampiran=files.attachment.name) in text

    wb = openpyxl.load_workbook(files.attachment, read_only=True)
    ws = wb[ID("lampiran.lembar_temuan")]
    rows = list(ws.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert len(data) == 1502
    pesan = {r[header.index(ID("lampiran.kolom.pesan"))] for r in data}
    assert {f"Temuan nomor {i}: " + "x" * 160 for i in range(1500)} <= pesan
    assert data[0][header.index(ID("lampiran.kolom.pesan"))] == "MAHAL-1 Regulasi tidak membuktikan Perda"


def test_a_cut_report_fills_its_budget_and_shows_no_trace_of_the_measuring(tmp_path):
    """The cut is computed from what each finding, matrix row and innovation costs once
    inlined: the email is filled to within a few findings of the budget, not left half empty,
    and the comments used to measure never reach the reader."""
    for budget in (REPORT_BODY_BUDGET_BYTES, 45_000):
        files = render_pemda(big_pemda().build(tmp_path / str(budget)), "35.05", tmp_path / str(budget), budget=budget)
        html = files.html.read_text(encoding="utf-8")
        assert budget * 0.97 <= files.body_bytes <= budget, (budget, files.body_bytes)
        assert "<!--iid:" not in html and 0 < files.findings_shown < 1502


def test_smaller_budget_is_respected_too(tmp_path):
    b = NationBuilder().pemda("35.05", "Kabupaten Blitar", innovations=40)
    b.many_findings("35.05", 300)
    files = render_pemda(b.build(tmp_path), "35.05", tmp_path, budget=45_000)
    assert files.body_bytes <= 45_000
    assert files.findings_shown < 300



def test_attachment_cells_are_formula_safe_strings(tmp_path):
    b = NationBuilder().pemda("35.04", "Kabupaten Tulungagung", innovations=1)
    b.finding("KNS-07", "35.04", inovasi=1, kolom="koordinat", nilai='=HYPERLINK("http://evil","x")')
    b.finding("LKP-05", "35.04", inovasi=1, kolom="telepon", nilai="+6281234567890")
    b.finding("LKP-05", "35.04", inovasi=1, kolom="nama", nilai="@SUM(A1)")
    b.finding("LKP-05", "35.04", inovasi=1, kolom="x", nilai="-1+2")
    b.finding("LKP-05", "35.04", inovasi=1, kolom="y", nilai="\tTAB")
    b.finding("LKP-05", "35.04", inovasi=1, kolom="z", nilai="0812")
    files = render_pemda(b.build(tmp_path), "35.04", tmp_path)
    wb = openpyxl.load_workbook(files.attachment)
    ws = wb[ID("lampiran.lembar_temuan")]
    header = [c.value for c in ws[1]]
    col = header.index(ID("lampiran.kolom.nilai")) + 1
    cells = [ws.cell(row=r, column=col) for r in range(2, ws.max_row + 1)]
    values = {c.value for c in cells}
    assert all(c.data_type == "s" for c in cells), [c.data_type for c in cells]
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in values
    assert "'+6281234567890" in values
    assert "'@SUM(A1)" in values and "'-1+2" in values and "'\tTAB" in values
    assert "0812" in values  # leading zero kept: a string, not a number


def test_a_text_longer_than_a_cell_is_marked_as_cut_in_the_attachment(tmp_path):
    from reports.attachment import CUT_MARK, XLSX_CELL_MAX_CHARS

    b = NationBuilder().pemda("35.04", "Kabupaten Tulungagung", innovations=1)
    b.finding("LKP-05", "35.04", inovasi=1, kolom="judul", nilai="A" * 100_000)
    files = render_pemda(b.build(tmp_path), "35.04", tmp_path)
    ws = openpyxl.load_workbook(files.attachment)[ID("lampiran.lembar_temuan")]
    col = [c.value for c in ws[1]].index(ID("lampiran.kolom.nilai")) + 1
    cut = ws.cell(row=2, column=col).value
    assert len(cut) == XLSX_CELL_MAX_CHARS and cut.endswith(CUT_MARK) and cut.startswith("A" * 1000)


def test_no_attachment_without_findings(tmp_path):
    b = NationBuilder().pemda("35.79", "Kota Batu", innovations=2)
    files = render_pemda(b.build(tmp_path), "35.79", tmp_path)
    assert files.attachment is None and files.findings_total == 0
    assert ID("laporan.temuan.tidak_ada") in Page(files.html.read_text(encoding="utf-8")).text


def test_matrix_is_cut_before_it_crowds_out_findings(tmp_path):
    """600 innovations: the matrix alone would blow the budget; findings still get room."""
    b = NationBuilder().pemda("35.15", "Kabupaten Sidoarjo", innovations=600)
    b.many_findings("35.15", 200)
    files = render_pemda(b.build(tmp_path), "35.15", tmp_path)
    assert files.body_bytes <= REPORT_BODY_BUDGET_BYTES
    assert files.findings_shown >= 20
    text = Page(files.html.read_text(encoding="utf-8")).text
    assert "600" in text and files.attachment.name in text
    wb = openpyxl.load_workbook(files.attachment, read_only=True)
    assert len(list(wb[ID("lampiran.lembar_matriks")].iter_rows())) == 601


def test_small_report_shows_every_finding(tulungagung, tmp_path):
    files = render_pemda(tulungagung.build(tmp_path), "35.04", tmp_path)
    assert files.findings_shown == files.findings_total == 5
    text = Page(files.html.read_text(encoding="utf-8")).text
    cut_note_start = ID("laporan.temuan.terpotong", shown="\0", total="", lampiran="").split("\0")[0]
    assert cut_note_start not in text
    assert ID("laporan.temuan.lampiran", total="5", lampiran=files.attachment.name) in text


def test_attachment_bytes_do_not_depend_on_the_clock(tmp_path):
    """The send ledger compares report bytes: a workbook stamped with the wall clock would look
    changed on every run and be emailed again. Its timestamp is the audit date."""
    import zipfile

    b = NationBuilder().pemda("35.04", "Kabupaten Tulungagung", innovations=1)
    b.finding("LKP-05", "35.04", inovasi=1, kolom="koordinat", nilai="-")
    result = b.build(tmp_path)
    first = render_pemda(result, "35.04", tmp_path / "a").attachment.read_bytes()
    second = render_pemda(result, "35.04", tmp_path / "b").attachment.read_bytes()
    assert first == second
    core = zipfile.ZipFile(render_pemda(result, "35.04", tmp_path / "c").attachment).read("docProps/core.xml").decode()
    assert f">{result.as_of.isoformat()}T00:00:00Z<" in core


def test_the_attachment_names_severities_in_the_reports_language(tmp_path):
    b = NationBuilder().pemda("35.04", "Kabupaten Tulungagung", innovations=1)
    b.finding("LKP-05", "35.04", inovasi=1, kolom="judul", nilai="x")
    files = render_pemda(b.build(tmp_path), "35.04", tmp_path)
    ws = openpyxl.load_workbook(files.attachment)[ID("lampiran.lembar_temuan")]
    col = [c.value for c in ws[1]].index(ID("lampiran.kolom.severity")) + 1
    assert ws.cell(row=2, column=col).value == ID("keparahan.warning") != "warning"


def test_a_cut_from_the_measuring_render_is_the_render_of_that_cut(tmp_path):
    """`fit_to_budget` makes the cut report from its measuring render (dropping what the
    cut leaves out, writing anew what it changes) instead of rendering again: for every kind
    of cut (no finding, one, some; the matrix whole, cut, gone; innovations unfolding or not;
    the Pemda's own findings kept or left out), the bytes are those of rendering the cut."""
    from reports.render import PemdaReport, _from_measured

    b = NationBuilder().pemda("35.05", "Kab. Blitar & <Sekitarnya>", innovations=[
        "Inovasi A & B", "Layanan <Cepat>", "Satu\u00a0Pintu", "Empat", "Lima", "Enam"])
    sid = b.catalog.sid_numbers
    for i in range(36):
        b.finding("BKT-05" if i % 3 else "KNS-02", "35.05", inovasi=(i % 6) + 1, no=sid[i % len(sid)],
                  severity="warning" if i % 4 == 0 else None, nilai=f"bukti-{i}.pdf", pesan=f"Temuan {i} & <x>")
    for i in range(4):
        b.finding("LKP-05", "35.05", kolom=f"kolom {i}", nilai=f"nilai & {i}")  # the Pemda's own
    for n in range(1, 7):
        b.slot("35.05", inovasi=n, no=sid[n], status="error", poin=0.1 * n)
    result = b.build(tmp_path)
    report = PemdaReport(result, "35.05", ID, None)
    total, rows = len(report.findings), report.matrix(None)["total"]
    measured = report.html(total, None, "35.05-temuan.xlsx", measure=True)
    cuts = [(shown, m) for shown in (0, 1, 2, 3, 7, 20, total - 1, total) for m in (0, 1, rows - 1, rows)]
    for shown, m in cuts:
        assert _from_measured(report, measured, shown, m, "35.05-temuan.xlsx") == \
            report.html(shown, m, "35.05-temuan.xlsx"), (shown, m)
    no_attachment = report.html(total, None, None, measure=True)
    assert _from_measured(report, no_attachment, 5, 2, None) == report.html(5, 2, None)


def test_measuring_only_the_first_matrix_rows_gives_the_cut_of_measuring_them_all(tmp_path, monkeypatch):
    """The measuring render shows at most `REPORT_MEASURE_MATRIX_ROWS` rows of the matrix: a
    report fitting whole (the matrix's share then does not apply), one whose matrix is cut to
    its share, and one with room for more rows than were measured come out the same bytes as
    when every row is measured."""
    import reports.render as render
    from reports.render import PemdaReport, fit_to_budget

    b = NationBuilder().pemda("35.15", "Kabupaten Sidoarjo", innovations=40)
    b.many_findings("35.15", 30)
    result = b.build(tmp_path)

    def cut(rows: int, budget: int) -> tuple[str, int]:
        monkeypatch.setattr(render, "REPORT_MEASURE_MATRIX_ROWS", rows)
        return fit_to_budget(PemdaReport(result, "35.15", ID, None), "35.15-temuan.xlsx", budget)

    whole, _ = cut(10_000, 10**7)
    for budget in (10**7, len(whole.encode()) - 1, 40_000, 20_000):
        every_row = cut(10_000, budget)
        assert cut(5, budget) == every_row, budget
        assert cut(39, budget) == every_row, budget
    assert cut(5, 10**7)[0] == whole and "Matriks menampilkan" not in whole
    assert "Matriks menampilkan" in cut(5, 20_000)[0]  # the smallest budget does cut the matrix
