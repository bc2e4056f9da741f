"""BKT-09: (evidence files present) the file named in `Data Pendukung` is missing from
`bukti/`, unreadable, its SHA256 differs from the export's, or a PDF has no page with text
or an image.

Pandas, not GX: file-system facts. Each distinct file is read and hashed once (cached);
names that escape `bukti/` (`../`) count as missing. Links are not files and are skipped.
"""

from core.findings import Severity
from checks.registry import PandasRule

_MASALAH = {
    "hilang": ("tidak ada di folder bukti/", "is missing from the bukti/ folder"),
    "rusak": ("tidak dapat dibaca (rusak atau terenkripsi)", "cannot be read (corrupt or encrypted)"),
    "kosong": ("adalah PDF tanpa halaman berisi teks atau gambar", "is a PDF with no page holding text or an image"),
    "hash": ("isinya berbeda dari SHA256 di ekspor (berkas diganti atau rusak)",
             "differs from the SHA256 in the export (replaced or damaged)"),
}


def check(ctx):
    import pandas as pd

    from checks.context import rows_to_findings
    from checks.rulekit import distinct_map, evidence_type, file_facts, safe_path, tables_with

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
        masalah[exists & problem.eq("unreadable")] = "rusak"
        masalah[exists & problem.eq("pdf_empty")] = "kosong"
        if "sha256" in rows:
            given = rows["sha256"].astype(object).str.lower().str.strip()
            mismatch = exists & masalah.isna() & given.notna() & digest.notna() & (given != digest)
            masalah[mismatch] = "hash"
        bad = masalah.notna()
        r = rows[bad]
        out = rows_to_findings(r, t, "BKT-09", kolom=masalah[bad].map(lambda m: "SHA256" if m == "hash" else "Data Pendukung"),
                               nilai=r["data_pendukung"])
        out["masalah_id"] = masalah[bad].map(lambda m: _MASALAH[m][0]).to_numpy()
        out["masalah_en"] = masalah[bad].map(lambda m: _MASALAH[m][1]).to_numpy()
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
        "Indikator {no_indikator} ({indikator}) inovasi '{judul_inovasi}': berkas bukti '{nilai}' {masalah_id}, "
        "sehingga tidak dapat diverifikasi. Unggah ulang berkas yang benar dan dapat dibuka."
    ),
    pesan_en=(
        "Indicator {no_indikator} ({indikator}) of innovation '{judul_inovasi}': evidence file '{nilai}' "
        "{masalah_en}, so it cannot be verified. Upload the correct file again, one that opens."
    ),
    perbaikan_id="Unggah ulang file bukti yang utuh dan dapat dibuka.",
    perbaikan_en="Upload an intact evidence file that opens.",
    needs=("bukti", "indikator_inovasi.data_pendukung"),
    check=check,
)
