"""BKT-10: (evidence files present) the Regulasi PDF (indicator 16) does not mention the
innovation's name. Fuzzy: rapidfuzz `partial_ratio` of the normalized title (and of its part
after a `:` acronym prefix) against the normalized PDF text must reach catalog
`ambang.regulasi_judul_min_skor` (default 85, `core.catalog.Ambang`).

From the same text (`checks.regulasi`), two variants: `nomor_berbeda` (warning) when the
export's `Nomor Dokumen` states a number and the regulation's heading names numbers with a year,
none of them that one (same number, and same year when both give one); `tanggal_setelah_audit` (error,
like BKT-03) when the text says it was "ditetapkan"/"diundangkan" on a date after the audit
date. An export stating no number (empty, or a name without one) is compared with nothing; a
text naming no number or no such date is not a finding (a scan without text says nothing).

Pandas, not GX: PDF text extraction (pypdf), once per distinct file and, through the
evidence cache (`checks.evidence`), once across nights while the file is unchanged. Unreadable or missing
files are BKT-09's finding, not this one's.
"""

from core.findings import Severity
from checks.registry import PandasRule, Variant

def check(ctx):
    import pandas as pd
    from rapidfuzz import fuzz

    from checks.context import rows_to_findings
    from checks.evidence import PDF_EMPTY, evidence_facts, regulasi_rows
    from ingest.normalize import normalize_title

    skor_min = float(ctx.catalog.ambang.regulasi_judul_min_skor)
    df = ctx.table("indikator_inovasi")
    rows = regulasi_rows(df)
    daftar = ctx.table("daftar_inovasi").dropna(subset=["id_inovasi"]).drop_duplicates("id_inovasi")
    titles = daftar.set_index("id_inovasi")["judul_inovasi"]
    rows = rows.assign(_judul=rows["id_inovasi"].map(titles))
    rows = rows[rows["_judul"].notna()]
    if rows.empty:
        return pd.DataFrame()
    facts = evidence_facts(ctx, rows["data_pendukung"].astype(str), with_text=True)
    raw = facts.map(lambda f: None if f is None or f.problem not in (None, PDF_EMPTY) else f.text)
    uniq = pd.Series(pd.unique(raw.dropna()), dtype=object)
    norm = dict(zip(uniq, normalize_title(uniq).str.split().str.join(" "))) if len(uniq) else {}
    text = raw.map(norm)
    judul = normalize_title(rows["_judul"])
    inti = normalize_title(rows["_judul"].astype(str).str.split(":", n=1).str[-1])
    pairs = pd.DataFrame({"text": text, "judul": judul, "inti": inti}).dropna(subset=["text"])
    pairs = pairs.drop_duplicates()
    pairs["skor"] = [max(fuzz.partial_ratio(j, t), fuzz.partial_ratio(i, t)) if t else 0.0
                     for t, j, i in zip(pairs["text"], pairs["judul"], pairs["inti"])]
    skor = pd.DataFrame({"text": text, "judul": judul, "inti": inti}).merge(
        pairs, on=["text", "judul", "inti"], how="left")["skor"].to_numpy()
    bad = pd.Series(skor, index=rows.index).lt(skor_min) & text.notna()
    r = rows[bad]
    parts = [rows_to_findings(r, "indikator_inovasi", "BKT-10", kolom="Data Pendukung", nilai=r["data_pendukung"]),
             _nomor_berbeda(rows, raw), _tanggal_setelah_audit(rows, raw, ctx.as_of)]
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _nomor_berbeda(rows, raw):
    """Rows whose `Nomor Dokumen` states a number the regulation's own heading does not name."""
    import pandas as pd

    from checks.context import rows_to_findings
    from checks.regulasi import document_numbers, same_number, show_number, stated_number

    if "nomor_dokumen" not in rows:
        return pd.DataFrame()
    # Only numbers with a year can be a regulation's own ("Nomor 12 Tahun 2025", "188/45/KEP/2025"):
    # "Jalan Ahmad Yani Nomor 1" in a letterhead is not one.
    found: dict[str, list] = {t: [n for n in document_numbers(t) if n[1] is not None] for t in pd.unique(raw.dropna())}
    keep, shown = [], []
    for i, stated, t in zip(rows.index, rows["nomor_dokumen"], raw):
        want = stated_number(stated) if isinstance(stated, str) else None
        have = found.get(t, []) if isinstance(t, str) else []
        if want is not None and have and not any(same_number(want, h) for h in have):
            keep.append(i)
            shown.append(show_number(have[0]))
    r = rows.loc[keep]
    out = rows_to_findings(r, "indikator_inovasi", "BKT-10", kolom="Nomor Dokumen", nilai=r["nomor_dokumen"])
    out["berkas"] = r["data_pendukung"].astype(str).to_numpy()
    out["nomor_teks"] = shown
    out["varian"] = "nomor_berbeda"
    return out


def _tanggal_setelah_audit(rows, raw, as_of):
    """Rows whose regulation says it was enacted (or promulgated) after the audit date."""
    import pandas as pd

    from checks.context import rows_to_findings
    from checks.regulasi import enactment_dates

    latest: dict[str, tuple] = {}
    for t in pd.unique(raw.dropna()):
        dates = enactment_dates(t)
        if dates:
            latest[t] = max(dates)
    keep, shown = [], []
    for i, t in zip(rows.index, raw):
        hit = latest.get(t) if isinstance(t, str) else None
        if hit is not None and hit[0] > as_of:
            keep.append(i)
            shown.append(hit[1])
    r = rows.loc[keep]
    out = rows_to_findings(r, "indikator_inovasi", "BKT-10", kolom="Tanggal Dokumen",
                           nilai=pd.Series(shown, index=r.index, dtype=object))
    out["berkas"] = r["data_pendukung"].astype(str).to_numpy()
    out["tanggal_audit"] = as_of.strftime("%d-%m-%Y")
    out["varian"] = "tanggal_setelah_audit"
    return out


RULE = PandasRule(
    id="BKT-10",
    severity=Severity.WARNING,
    key=("kode_pemda", "id_inovasi", "no_indikator"),
    judul_id="Isi Regulasi tidak sesuai isian",
    judul_en="Regulation text does not match the entry",
    pesan_id=(
        "Indikator 16 ({indikator}) inovasi '{judul_inovasi}': teks dokumen regulasi '{nilai}' tidak memuat nama "
        "inovasi. Verifikator mensyaratkan halaman yang menyebut nama inovasi; unggah regulasi lengkap berikut "
        "halaman depan dan halaman/lampiran yang menyebut '{judul_inovasi}'."
    ),
    pesan_en=(
        "Indicator 16 ({indikator}) of innovation '{judul_inovasi}': the text of regulation '{nilai}' does not "
        "contain the innovation's name. Verifiers require the page naming the innovation; upload the full "
        "regulation with its front page and the page/annex that names '{judul_inovasi}'."
    ),
    perbaikan_id=("Unggah regulasi yang benar: yang menyebut nama inovasi ini, bernomor seperti Nomor Dokumen, "
                  "dan sudah ditetapkan."),
    perbaikan_en=("Upload the right regulation: one that names this innovation, bears the number in Nomor Dokumen, "
                  "and is already enacted."),
    variants={
        # The file is another regulation than the one the export names (or the number is mistyped).
        "nomor_berbeda": Variant(
            Severity.WARNING,
            "Indikator 16 ({indikator}) inovasi '{judul_inovasi}': dokumen regulasi '{berkas}' menurut teksnya "
            "bernomor {nomor_teks}, bukan seperti tertulis di Nomor Dokumen ('{nilai}'). Pastikan berkas yang "
            "diunggah adalah regulasi yang dimaksud, lalu perbaiki Nomor Dokumen atau unggah berkas yang benar.",
            "Indicator 16 ({indikator}) of innovation '{judul_inovasi}': by its text, regulation '{berkas}' is "
            "number {nomor_teks}, not what Nomor Dokumen says ('{nilai}'). Make sure the uploaded file is the "
            "regulation meant, then correct Nomor Dokumen or upload the right file.",
        ),
        # Not in force on the audit date, by its own words: like BKT-03, the verifier rejects it.
        "tanggal_setelah_audit": Variant(
            Severity.ERROR,
            "Indikator 16 ({indikator}) inovasi '{judul_inovasi}': dokumen regulasi '{berkas}' menurut teksnya "
            "ditetapkan pada tanggal {nilai}, setelah tanggal audit {tanggal_audit}. Regulasi yang belum "
            "ditetapkan tidak dapat dinilai; unggah regulasi yang sudah berlaku, atau perbaiki tanggal di dokumen.",
            "Indicator 16 ({indikator}) of innovation '{judul_inovasi}': by its text, regulation '{berkas}' was "
            "enacted on {nilai}, after the audit date {tanggal_audit}. A regulation not yet enacted cannot be "
            "assessed; upload one in force, or correct the date in the document.",
        ),
    },
    needs=("bukti", "indikator_inovasi.data_pendukung", "daftar_inovasi"),
    check=check,
)
