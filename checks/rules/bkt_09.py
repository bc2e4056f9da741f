"""BKT-09: (evidence files present) the file named in `Data Pendukung` is missing from
`bukti/`, unreadable (an MP4 without a readable movie header included), its SHA256 differs from
the export's, a PDF has no page with text or an image with content, an image is blank, or a
video lasts 0 seconds; warnings when it is too large to be read at all (`MAX_EVIDENCE_BYTES`),
its type by content (magic bytes) is not the declared `Jenis File`, or some of the PDF pages
read (`MAX_PDF_PAGES_READ`) are blank (variant `halaman_kosong`, naming them).

Pandas, not GX: file facts (`checks.evidence`), each distinct file read once per run and,
through the evidence cache, once across nights while unchanged; names that escape `bukti/`
(`../`) count as missing. Links are not files and are skipped.
"""

from core.findings import Severity
from checks.registry import PandasRule, Variant

_MASALAH = {
    "hilang": ("tidak ada di folder bukti/", "is missing from the bukti/ folder"),
    "rusak": ("tidak dapat dibaca (rusak atau terenkripsi)", "cannot be read (corrupt or encrypted)"),
    "kosong": ("adalah PDF tanpa halaman berisi teks atau gambar", "is a PDF with no page holding text or an image"),
    "gambar_kosong": ("adalah gambar kosong (satu warna, seperti pindaian halaman kosong)",
                      "is a blank image (one colour, like a scan of an empty page)"),
    "video_kosong": ("adalah video berdurasi 0 detik (tanpa rekaman)", "is a video lasting 0 seconds (nothing recorded)"),
    "halaman": ("memuat halaman kosong, tanpa teks maupun gambar berisi: halaman {hal}",
                "holds blank pages, with neither text nor an image with content: page {hal}"),
    "hash": ("isinya berbeda dari SHA256 di ekspor (berkas diganti atau rusak)",
             "differs from the SHA256 in the export (replaced or damaged)"),
    "besar": ("terlalu besar untuk diperiksa (lebih dari {mb} MB)", "is too large to check (over {mb} MB)"),
    "jenis": ("menurut isinya berjenis {isi}, bukan {jenis} seperti tertulis di Jenis File",
              "is by its content a {isi} file, not the {jenis} its Jenis File says"),
}
_VARIAN = {"besar": "terlalu_besar", "jenis": "jenis_berbeda", "halaman": "halaman_kosong"}
_KOLOM = {"hash": "SHA256", "jenis": "Jenis File"}


def check(ctx):
    import pandas as pd

    from checks.context import rows_to_findings
    from checks.evidence import (IMAGE_BLANK, KNOWN_KINDS, PDF_EMPTY, TOO_LARGE, UNREADABLE, VIDEO_EMPTY,
                                 evidence_facts)
    from checks.rulekit import evidence_type, tables_with
    from core.settings import MAX_EVIDENCE_BYTES

    parts = []
    for t in tables_with(ctx, "data_pendukung"):
        df = ctx.table(t)
        tipe = evidence_type(df)
        rows = df[df["data_pendukung"].notna() & tipe.ne("link")]
        if rows.empty:
            continue
        f = evidence_facts(ctx, rows["data_pendukung"].astype(str))
        exists = f.notna()
        field = lambda name: f.map(lambda x: None if x is None else getattr(x, name))  # noqa: E731
        digest, problem, kind = field("sha256"), field("problem"), field("kind")
        declared = tipe[rows.index]
        masalah = pd.Series(None, index=rows.index, dtype=object)
        masalah[~exists] = "hilang"
        masalah[exists & problem.eq(TOO_LARGE)] = "besar"
        masalah[exists & problem.eq(UNREADABLE)] = "rusak"
        # Type by content against the declared one: only types we recognise, only a file we could read.
        wrong_type = (exists & masalah.isna() & declared.isin(KNOWN_KINDS) & problem.ne(TOO_LARGE)
                      & kind.ne(declared).fillna(True))
        masalah[wrong_type] = "jenis"
        masalah[exists & masalah.isna() & problem.eq(PDF_EMPTY)] = "kosong"
        masalah[exists & masalah.isna() & problem.eq(IMAGE_BLANK)] = "gambar_kosong"
        masalah[exists & masalah.isna() & problem.eq(VIDEO_EMPTY)] = "video_kosong"
        if "sha256" in rows:
            given = rows["sha256"].astype(object).str.lower().str.strip()
            mismatch = exists & masalah.isna() & given.notna() & digest.notna() & (given != digest)
            masalah[mismatch] = "hash"
        blank = field("blank_pages")
        hal = blank.map(lambda p: ", ".join(map(str, p)) if p else None)
        masalah[exists & masalah.isna() & hal.notna()] = "halaman"
        bad = masalah.notna()
        r = rows[bad]
        m = masalah[bad]
        out = rows_to_findings(r, t, "BKT-09", kolom=m.map(lambda x: _KOLOM.get(x, "Data Pendukung")),
                               nilai=r["data_pendukung"])
        mb = str(MAX_EVIDENCE_BYTES // (1024 * 1024))
        isi = kind[bad].fillna("")
        jenis = declared[bad].fillna("")
        for lang, i in (("id", 0), ("en", 1)):
            unknown = "tidak dikenal" if lang == "id" else "unrecognised"
            out[f"masalah_{lang}"] = [_MASALAH[x][i].format(mb=mb, isi=k or unknown, jenis=j, hal=h)
                                      for x, k, j, h in zip(m, isi, jenis, hal[bad])]
        out["varian"] = m.map(_VARIAN).to_numpy()
        parts.append(out)
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


RULE = PandasRule(
    id="BKT-09",
    severity=Severity.ERROR,
    key=("kode_pemda", "id_inovasi", "no_indikator"),
    judul_id="Berkas bukti hilang atau rusak",
    judul_en="Evidence file missing or damaged",
    pesan_id=(
        "Indikator {no_indikator} ({indikator}) {subjek}: berkas bukti '{nilai}' {masalah_id}, "
        "sehingga tidak dapat diverifikasi. Unggah ulang berkas yang benar dan dapat dibuka."
    ),
    pesan_en=(
        "Indicator {no_indikator} ({indikator}) of {subject}: evidence file '{nilai}' "
        "{masalah_en}, so it cannot be verified. Upload the correct file again, one that opens."
    ),
    perbaikan_id="Unggah ulang file bukti yang utuh dan dapat dibuka.",
    perbaikan_en="Upload an intact evidence file that opens.",
    variants={
        # Not read at all (memory bounded by design): the verifier may open it, we did not.
        "terlalu_besar": Variant(
            Severity.WARNING,
            "Indikator {no_indikator} ({indikator}) {subjek}: berkas bukti '{nilai}' {masalah_id}, "
            "sehingga tidak diperiksa. Unggah versi yang lebih kecil (pindai ulang dengan resolusi lebih rendah).",
            "Indicator {no_indikator} ({indikator}) of {subject}: evidence file '{nilai}' "
            "{masalah_en}, so it was not checked. Upload a smaller version (scan again at a lower resolution).",
        ),
        # The file opens, but as another type than declared: the IID app and the verifier go by Jenis File.
        # The scan has content, but some pages came out white: a page that did not scan, or one
        # left out. A warning: the pages with content may still prove the indicator.
        "halaman_kosong": Variant(
            Severity.WARNING,
            "Indikator {no_indikator} ({indikator}) {subjek}: berkas bukti '{nilai}' {masalah_id}. "
            "Pindai ulang halaman tersebut (atau buang halaman kosong), lalu unggah ulang berkasnya.",
            "Indicator {no_indikator} ({indikator}) of {subject}: evidence file '{nilai}' {masalah_en}. "
            "Scan those pages again (or remove the blank ones), then upload the file again.",
        ),
        "jenis_berbeda": Variant(
            Severity.WARNING,
            "Indikator {no_indikator} ({indikator}) {subjek}: berkas bukti '{nilai}' {masalah_id}. "
            "Perbaiki Jenis File, atau unggah berkas berjenis yang tertulis.",
            "Indicator {no_indikator} ({indikator}) of {subject}: evidence file '{nilai}' {masalah_en}. "
            "Correct Jenis File, or upload a file of the type it names.",
        ),
    },
    needs=("bukti", "indikator_inovasi.data_pendukung"),
    check=check,
)
