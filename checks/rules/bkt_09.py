"""BKT-09: (evidence files present) the file named in `Data Pendukung` is missing from
`bukti/`, unreadable, its SHA256 differs from the export's, or a PDF has no page with text
or an image; a warning when it is too large to be read at all (`MAX_EVIDENCE_BYTES`).

Pandas, not GX: file-system facts. Each distinct file is read and hashed once (cached);
names that escape `bukti/` (`../`) count as missing. Links are not files and are skipped.
"""

from core.findings import Severity
from checks.registry import PandasRule, Variant

_MASALAH = {
    "hilang": ("tidak ada di folder bukti/", "is missing from the bukti/ folder"),
    "rusak": ("tidak dapat dibaca (rusak atau terenkripsi)", "cannot be read (corrupt or encrypted)"),
    "kosong": ("adalah PDF tanpa halaman berisi teks atau gambar", "is a PDF with no page holding text or an image"),
    "hash": ("isinya berbeda dari SHA256 di ekspor (berkas diganti atau rusak)",
             "differs from the SHA256 in the export (replaced or damaged)"),
    "besar": ("terlalu besar untuk diperiksa (lebih dari {mb} MB)", "is too large to check (over {mb} MB)"),
}


def check(ctx):
    import pandas as pd

    from checks.context import rows_to_findings
    from checks.rulekit import (PDF_EMPTY, TOO_LARGE, UNREADABLE, distinct_map, evidence_type, file_facts,
                                safe_path, tables_with)
    from core.settings import MAX_EVIDENCE_BYTES

    bukti = ctx.export.bukti_dir
    parts = []
    for t in tables_with(ctx, "data_pendukung"):
        df = ctx.table(t)
        tipe = evidence_type(df)
        rows = df[df["data_pendukung"].notna() & tipe.ne("link")]
        if rows.empty:
            continue

        def facts(name):
            p = safe_path(bukti, name)
            return (False, None, None) if p is None else file_facts(str(p))

        f = distinct_map(rows["data_pendukung"].astype(str), facts)
        exists = f.map(lambda x: x[0]).astype(bool)
        digest = f.map(lambda x: x[1])
        problem = f.map(lambda x: x[2])
        masalah = pd.Series(None, index=rows.index, dtype=object)
        masalah[~exists] = "hilang"
        masalah[exists & problem.eq(UNREADABLE)] = "rusak"
        masalah[exists & problem.eq(PDF_EMPTY)] = "kosong"
        masalah[exists & problem.eq(TOO_LARGE)] = "besar"
        if "sha256" in rows:
            given = rows["sha256"].astype(object).str.lower().str.strip()
            mismatch = exists & masalah.isna() & given.notna() & digest.notna() & (given != digest)
            masalah[mismatch] = "hash"
        bad = masalah.notna()
        r = rows[bad]
        out = rows_to_findings(r, t, "BKT-09", kolom=masalah[bad].map(lambda m: "SHA256" if m == "hash" else "Data Pendukung"),
                               nilai=r["data_pendukung"])
        mb = str(MAX_EVIDENCE_BYTES // (1024 * 1024))
        out["masalah_id"] = masalah[bad].map(lambda m: _MASALAH[m][0].format(mb=mb)).to_numpy()
        out["masalah_en"] = masalah[bad].map(lambda m: _MASALAH[m][1].format(mb=mb)).to_numpy()
        out["varian"] = masalah[bad].map({"besar": "terlalu_besar"}).to_numpy()
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
    },
    needs=("bukti", "indikator_inovasi.data_pendukung"),
    check=check,
)
