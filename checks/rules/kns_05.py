"""KNS-05: two innovations of one Pemda have near-identical titles (rapidfuzz
`token_sort_ratio` on normalized titles ≥ catalog `ambang.judul_mirip_min_skor`); every member
of such a pair is a finding. Exact duplicates are SKM-05's (the same `id_inovasi`, or the same
normalized title in one Pemda): a pair of identical normalized titles is not reported again
here, so one problem is one finding.

Pandas, not GX: pairwise fuzzy comparison within each Pemda (`process.cdist`, one matrix per
Pemda: a loop over Pemda, not rows; `token_sort_ratio` computed as `ratio` of the titles' sorted
words, sorted once per title).
"""

from core.findings import Severity
from checks.registry import PandasRule


def check(ctx):
    import numpy as np
    import pandas as pd
    from rapidfuzz import fuzz, process

    from checks.context import rows_to_findings
    from ingest.normalize import normalize_title

    cutoff = float(ctx.catalog.ambang.judul_mirip_min_skor)
    df = ctx.table("daftar_inovasi")
    df = df[df["judul_inovasi"].notna() & df["kode_pemda"].notna() & df["id_inovasi"].notna()].drop_duplicates("id_inovasi")
    norm = normalize_title(df["judul_inovasi"])
    # `token_sort_ratio` is `ratio` of the titles' words sorted and joined by one space: sorted
    # here once per title, not per pair (a normalized title's words are runs of `\w` between
    # single spaces, which both split alike), and rapidfuzz compares them many at a time
    words_sorted = np.asarray([" ".join(sorted(t.split(" "))) for t in norm], dtype=object)
    hit_pos, other_pos = [], []
    pos = np.arange(len(df))
    for _kode, idx in df.groupby("kode_pemda", sort=False).indices.items():
        if len(idx) < 2:
            continue
        titles = norm.iloc[idx].tolist()
        sorted_idx = words_sorted[idx].tolist()
        m = process.cdist(sorted_idx, sorted_idx, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.uint8, workers=1)
        arr = np.asarray(titles, dtype=object)
        m[np.equal.outer(arr, arr)] = 0  # identical: SKM-05 says it (and the diagonal)
        hit = m.max(axis=1) > 0
        if hit.any():
            hit_pos.append(pos[idx][hit])
            other_pos.append(pos[idx][m.argmax(axis=1)][hit])
    if not hit_pos:
        return pd.DataFrame()
    h, o = np.concatenate(hit_pos), np.concatenate(other_pos)
    rows = df.iloc[h]
    out = rows_to_findings(rows, "daftar_inovasi", "KNS-05", kolom="Judul Inovasi",
                           nilai=pd.Series(df["judul_inovasi"].to_numpy()[o], index=rows.index), with_row=True)
    out["id_mirip"] = df["id_inovasi"].to_numpy()[o]
    return out


RULE = PandasRule(
    id="KNS-05",
    severity=Severity.WARNING,
    key=("kode_pemda", "id_inovasi"),
    judul_id="Judul inovasi hampir sama",
    judul_en="Near-identical innovation titles",
    pesan_id=(
        "Inovasi '{judul_inovasi}' berjudul hampir sama dengan inovasi '{nilai}' ({id_mirip}) di Pemda yang sama. "
        "Bila keduanya inovasi yang sama, gabungkan menjadi satu; bila berbeda, bedakan judulnya agar tidak "
        "dianggap ganda oleh verifikator."
    ),
    pesan_en=(
        "Innovation '{judul_inovasi}' has nearly the same title as '{nilai}' ({id_mirip}) in the same Pemda. If "
        "they are one innovation, merge them; if not, make the titles distinct so verifiers do not treat them "
        "as a duplicate."
    ),
    perbaikan_id="Gabungkan inovasi yang sama atau bedakan judulnya dengan jelas.",
    perbaikan_en="Merge identical innovations or give them clearly different titles.",
    needs=("daftar_inovasi.judul_inovasi",),
    cost=0.6,
    check=check,
)
