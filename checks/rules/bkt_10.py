"""BKT-10: (evidence files present) the Regulasi PDF (indicator 16) does not mention the
innovation's name. Fuzzy: rapidfuzz `partial_ratio` of the normalized title (and of its part
after a `:` acronym prefix) against the normalized PDF text must reach catalog
`ambang.regulasi_judul_min_skor` (default 85, `core.catalog.Ambang`).

Pandas, not GX: PDF text extraction (pypdf), once per distinct file and, through the
evidence cache (`checks.evidence`), once across nights while the file is unchanged. Unreadable or missing
files are BKT-09's finding, not this one's.
"""

from core.findings import Severity
from checks.registry import PandasRule

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
    return rows_to_findings(r, "indikator_inovasi", "BKT-10", kolom="Data Pendukung", nilai=r["data_pendukung"])


RULE = PandasRule(
    id="BKT-10",
    severity=Severity.WARNING,
    key=("kode_pemda", "id_inovasi", "no_indikator"),
    judul_id="Regulasi tidak menyebut nama inovasi",
    judul_en="Regulation does not name the innovation",
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
    perbaikan_id="Unggah regulasi yang menyebut nama inovasi ini.",
    perbaikan_en="Upload a regulation that names this innovation.",
    needs=("bukti", "indikator_inovasi.data_pendukung", "daftar_inovasi"),
    check=check,
)
