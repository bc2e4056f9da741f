"""Deterministic synthetic IID exports at any scale, clean by construction.

`build_tables` draws every value with one numpy Generator, in a fixed order, vectorized
over all innovations and indicator rows (no Python loop over data rows; the only loops are
over the 20 indicators and, for the near-duplicate title check, over Pemda). The result is a
dict of DataFrames whose headers are the display names of `core.tables`, every cell a
string written the way the IID app writes it (`DD-MM-YYYY`, `-` for empty, `Ada`).

A clean export satisfies every rule of `rules.md` (see the invariants in
tests/synthetic/test_clean_invariants.py). Problems are added afterwards, on purpose, by
`synthetic.problems.plant_problems`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from core.catalog import load_catalog
from core.tables import DAFTAR_INOVASI, INDIKATOR_INOVASI, INDIKATOR_PEMDA, PROFIL_PEMDA, REAL_EXPORT_COLUMNS, TABLES
from synthetic import vocab
from synthetic.evidence import evidence_bytes
from synthetic.regions import national_pemda

DEFAULT_AS_OF = date(2026, 7, 1)
EMPTY = vocab.EMPTY
#: Above this many innovations `with_bukti` refuses: evidence files are for small samples.
MAX_BUKTI_INOVASI = 2_000

#: Columns written for each table (display names). The indicator table omits `Judul Inovasi`
#: (`ID Inovasi` is the reference; the title would add ~35 MB at national scale).
DAFTAR_COLUMNS: list[str] = [c.display for c in DAFTAR_INOVASI.columns]
INDIKATOR_INOVASI_COLUMNS: list[str] = [c.display for c in INDIKATOR_INOVASI.columns if c.name != "judul_inovasi"]
INDIKATOR_PEMDA_COLUMNS: list[str] = [c.display for c in INDIKATOR_PEMDA.columns]
PROFIL_COLUMNS: list[str] = [c.display for c in PROFIL_PEMDA.columns]
COLUMNS: dict[str, list[str]] = {
    "daftar_inovasi": DAFTAR_COLUMNS,
    "indikator_inovasi": INDIKATOR_INOVASI_COLUMNS,
    "indikator_pemda": INDIKATOR_PEMDA_COLUMNS,
    "profil_pemda": PROFIL_COLUMNS,
}
assert DAFTAR_COLUMNS[:19] == list(REAL_EXPORT_COLUMNS)

#: Relative chance of each evidence type where the catalog accepts it.
_TYPE_WEIGHT = {"pdf": 6.0, "jpg": 2.5, "png": 1.5, "mp4": 1.5, "link": 8.5}
#: With evidence files: one compiled PDF and one PNG per innovation, video as a link.
_TYPE_WEIGHT_BUKTI = {"pdf": 1.0, "png": 1.0, "jpg": 0.0, "mp4": 0.0, "link": 1.0}
#: Indicators whose evidence is a letter or decree with a number.
_LETTER_INDICATORS = ("17", "20", "23", "24", "31")


@dataclass
class GeneratedExport:
    """What `generate_export` wrote: where, and how many rows of each table."""

    out_dir: Path
    fmt: str
    paths: dict[str, Path]  # table key -> file (for xlsx every key maps to the one workbook)
    n_pemda: int
    n_inovasi: int
    n_indikator_inovasi: int
    n_indikator_pemda: int
    bukti_dir: Path | None = None
    n_bukti: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)  # kode_pemda -> innovations


# ---------------------------------------------------------------------------- helpers


def _days(d: date) -> int:
    return int(np.datetime64(d, "D").astype(np.int64))


def _uniform_days(rng: np.random.Generator, lo, hi) -> np.ndarray:
    """Uniform integer day in [lo, hi] per element (hi < lo collapses to lo)."""
    lo = np.asarray(lo, dtype=np.int64)
    hi = np.maximum(np.asarray(hi, dtype=np.int64), lo)
    return lo + np.floor(rng.random(np.broadcast(lo, hi).shape) * (hi - lo + 1)).astype(np.int64)


def fmt_dates(days: np.ndarray, missing: np.ndarray | None = None) -> np.ndarray:
    """Day numbers → `DD-MM-YYYY` strings through a lookup over the range (fast at 750k rows)."""
    days = np.asarray(days, dtype=np.int64)
    out = np.full(days.shape, EMPTY, dtype=object)
    ok = np.ones(days.shape, bool) if missing is None else ~np.asarray(missing, bool)
    if ok.any():
        d0, d1 = days[ok].min(), days[ok].max()
        lookup = pd.date_range(pd.Timestamp(d0, unit="D"), pd.Timestamp(d1, unit="D"), freq="D").strftime("%d-%m-%Y").to_numpy(object)
        out[ok] = lookup[days[ok] - d0]
    return out


def _pick(rng: np.random.Generator, values: Sequence[str], n: int, p: Sequence[float] | None = None) -> np.ndarray:
    arr = np.asarray(values, dtype=object)
    if p is not None:
        p = np.asarray(p, float) / np.sum(p)
    return arr[rng.choice(len(arr), size=n, p=p)]


def _random_tokens(rng: np.random.Generator, n: int, length: int, alphabet: str) -> np.ndarray:
    """n random strings of `length` characters of `alphabet` (vectorized via fixed-width bytes)."""
    codes = np.frombuffer(alphabet.encode("ascii"), dtype=np.uint8)[rng.integers(0, len(alphabet), size=(n, length))]
    return np.ascontiguousarray(codes).view(f"S{length}").ravel().astype(f"U{length}").astype(object)


def _hex_digests(rng: np.random.Generator, n: int) -> np.ndarray:
    """n random 64-hex-character strings (stand-ins for SHA256 digests of files not written)."""
    return _random_tokens(rng, n, 64, "0123456789abcdef")


def _s(values) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=object))


def _short_name(pemda: pd.Series) -> pd.Series:
    return pemda.str.replace(r"^(Kab\.|Kabupaten|Kota|Provinsi)\s+", "", regex=True)


def _kepala_daerah(jenis: pd.Series, short: pd.Series) -> pd.Series:
    title = jenis.map({"provinsi": "Gubernur", "kabupaten": "Bupati", "kota": "Walikota"})
    return title + " " + short


def _perda_of(jenis: pd.Series, short: pd.Series) -> pd.Series:
    return "Peraturan Daerah " + jenis.map({"provinsi": "Provinsi", "kabupaten": "Kabupaten", "kota": "Kota"}) + " " + short


def _innovation_counts(rng: np.random.Generator, n: int, spread: tuple[int, int] | None) -> np.ndarray:
    """≈ 68 per Pemda on average, right-skewed, never below 12 (the 2026 divisor k)."""
    if spread is not None:
        lo, hi = spread
        return rng.integers(lo, hi + 1, size=n)
    extra = rng.lognormal(mean=np.log(53) - 0.18, sigma=0.6, size=n)
    return 12 + np.minimum(np.rint(extra), 388).astype(np.int64)


# ------------------------------------------------------------------------- titles


def _make_titles(rng: np.random.Generator, urusan_idx: np.ndarray, short: np.ndarray, urusan_names: list[str]) -> np.ndarray:
    n = len(urusan_idx)
    objects = [vocab.URUSAN_INFO[u][2] for u in urusan_names]
    starts = np.cumsum([0] + [len(o) for o in objects])[:-1]
    sizes = np.array([len(o) for o in objects])
    flat = np.array([o for objs in objects for o in objs], dtype=object)
    obj = flat[starts[urusan_idx] + np.floor(rng.random(n) * sizes[urusan_idx]).astype(int)]
    form = _pick(rng, vocab.BENTUK_JUDUL, n)
    suffix = _pick(rng, vocab.AKHIRAN_JUDUL, n)
    local = rng.random(n) < 0.08
    suffix = np.where(local, " " + short.astype(object), suffix)
    acr = _pick(rng, vocab.AKRONIM_AWAL, n) + _pick(rng, vocab.SUKU_KATA, n) + np.where(rng.random(n) < 0.6, _pick(rng, vocab.SUKU_KATA, n), "")
    body = _s(form) + " " + _s(obj) + _s(suffix)
    with_acr = rng.random(n) < 0.6
    return np.where(with_acr, (_s(acr) + ": " + body).to_numpy(object), body.to_numpy(object))


def _dedupe_titles(rng, titles, pidx, urusan_idx, short, urusan_names, cutoff: float) -> np.ndarray:
    """Redraw titles until no two of one Pemda score ≥ cutoff: KNS-05's own comparison
    (`ingest.normalize.normalize_title`, token_sort_ratio), so a clean export stays clean."""
    from ingest.normalize import normalize_title

    titles = titles.copy()
    bounds = np.flatnonzero(np.diff(np.r_[-1, pidx, -2]))  # starts of each Pemda block (+ end)
    for _ in range(50):
        bad: list[np.ndarray] = []
        for a, b in zip(bounds[:-1], bounds[1:]):
            if b - a < 2:
                continue
            low = normalize_title(pd.Series(titles[a:b], dtype=object)).tolist()
            m = process.cdist(low, low, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff, dtype=np.uint8)
            i, j = np.nonzero(np.triu(m, 1))
            if len(j):
                bad.append(a + np.unique(j))
        if not bad:
            return titles
        idx = np.concatenate(bad)
        titles[idx] = _make_titles(rng, urusan_idx[idx], short[idx], urusan_names)
    raise RuntimeError("could not draw distinct titles")  # pragma: no cover


# ---------------------------------------------------------------------------- tables


def select_pemda(rng: np.random.Generator, n_pemda: int, pemda_codes: Sequence[str] | None) -> pd.DataFrame:
    nat = national_pemda()
    if pemda_codes is not None:
        sel = nat.set_index("kode_pemda").loc[list(pemda_codes)].reset_index()
        return sel
    if not 1 <= n_pemda <= len(nat):
        raise ValueError(f"n_pemda must be 1..{len(nat)}")
    if n_pemda == len(nat):
        return nat.copy()
    pick = np.sort(rng.choice(len(nat), size=n_pemda, replace=False))
    return nat.iloc[pick].reset_index(drop=True)


def build_tables(
    *,
    n_pemda: int = 546,
    seed: int = 2026,
    year: int = 2026,
    innovations_per_pemda: tuple[int, int] | None = None,
    with_bukti: bool = False,
    as_of: date = DEFAULT_AS_OF,
    pemda_codes: Sequence[str] | None = None,
    counts: Mapping[str, int] | None = None,
) -> dict[str, pd.DataFrame]:
    """The four tables of a clean export as string DataFrames with display-name headers.

    `pemda_codes` picks exact Pemda (in that order) instead of a random `n_pemda`;
    `counts` fixes the number of innovations of some Pemda (others are drawn).
    """
    cat = load_catalog(year)
    rng = np.random.default_rng(seed)
    pem = select_pemda(rng, n_pemda, pemda_codes)
    P = len(pem)
    cnt = _innovation_counts(rng, P, innovations_per_pemda)
    if counts:
        fixed = pem["kode_pemda"].map(counts)
        cnt = np.where(fixed.notna(), fixed.fillna(0).astype(int), cnt).astype(np.int64)
    N = int(cnt.sum())
    if with_bukti and N > MAX_BUKTI_INOVASI:
        raise ValueError(f"with_bukti is for small exports (≤ {MAX_BUKTI_INOVASI} innovations), got {N}")

    # Pemda-level facts.
    pem = pem.copy()
    pem["short"] = _short_name(pem["pemda"])
    lat_c = pem["lat"].to_numpy() + rng.normal(0, 0.3, P)
    lon_c = pem["lon"].to_numpy() + rng.normal(0, 0.3, P)

    pidx = np.repeat(np.arange(P), cnt)
    seq = np.arange(N) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    kode = pem["kode_pemda"].to_numpy(object)[pidx]
    nama = pem["pemda"].to_numpy(object)[pidx]
    short = pem["short"].to_numpy(object)[pidx]
    jenis_pemda = pem["jenis"].to_numpy(object)[pidx]
    ids = (_s(kode) + "-" + _s(seq + 1).astype(str).str.zfill(4)).to_numpy(object)

    # Urusan: the six urusan wajib pelayanan dasar go to six random innovations of every Pemda.
    wajib = list(cat.urusan_wajib)
    urusan_names = wajib + [u for u in vocab.URUSAN_LAIN if u not in wajib]
    order = np.lexsort((rng.random(N), pidx))
    rank = np.empty(N, np.int64)
    rank[order] = seq
    u_other = np.where(rng.random(N) < 0.45, rng.integers(0, len(wajib), N), rng.integers(len(wajib), len(urusan_names), N))
    urusan_idx = np.where(rank < len(wajib), rank, u_other)
    urusan = np.asarray(urusan_names, dtype=object)[urusan_idx]
    irisan_idx = (urusan_idx + 1 + rng.integers(0, len(urusan_names) - 1, N)) % len(urusan_names)
    irisan = np.where(rng.random(N) < 0.4, EMPTY, np.asarray(urusan_names, dtype=object)[irisan_idx])

    titles = _make_titles(rng, urusan_idx, short, urusan_names)
    titles = _dedupe_titles(rng, titles, pidx, urusan_idx, short, urusan_names, float(cat.ambang.judul_mirip_min_skor))

    opd_name = np.asarray([vocab.URUSAN_INFO[u][0] for u in urusan_names], dtype=object)[urusan_idx]
    opd_abbr = np.asarray([vocab.URUSAN_INFO[u][1] for u in urusan_names], dtype=object)[urusan_idx]
    admin_opd = (_s(opd_name) + " (" + _s(pem["akun"].to_numpy(object)[pidx]) + "." + _s(opd_abbr) + ")").to_numpy(object)

    inisiator = _pick(rng, vocab.INISIATOR, N, vocab.INISIATOR_BOBOT)
    nama_inisiator = (_s(_pick(rng, vocab.NAMA_DEPAN, N)) + " " + _s(_pick(rng, vocab.NAMA_BELAKANG, N)) + _s(_pick(rng, vocab.GELAR, N))).to_numpy(object)
    bentuk = _pick(rng, vocab.BENTUK_INOVASI, N, vocab.BENTUK_INOVASI_BOBOT)
    jenis = _pick(rng, ["Digital", "Non Digital"], N, [0.55, 0.45])
    asta = _pick(rng, vocab.ASTA_CITA, N)
    tahapan = _pick(rng, ["Penerapan", "Uji Coba", "Inisiatif"], N, [0.75, 0.15, 0.10])

    # Dates: uji coba ≤ penerapan ≤ pengembangan ≤ input ≤ as_of; penerapan or pengembangan in the window.
    w0, w1, t_end = _days(cat.jendela_mulai), _days(cat.jendela_selesai), _days(as_of) - 1
    w_hi = min(w1, t_end)
    old = rng.random(N) < 0.25
    penerapan = np.where(old, _uniform_days(rng, w0 - 5 * 365, w0 - 1), _uniform_days(rng, w0, w_hi))
    dev_new = _uniform_days(rng, penerapan + 30, np.full(N, t_end))
    has_dev_new = (rng.random(N) < 0.35) & (penerapan + 30 <= t_end)
    pengembangan = np.where(old, _uniform_days(rng, np.full(N, w0), np.full(N, w_hi)), dev_new)
    has_dev = old | has_dev_new
    uji = penerapan - _uniform_days(rng, 30, 365 * np.ones(N, np.int64))
    last = np.where(has_dev, pengembangan, penerapan)
    tanggal_input = _uniform_days(rng, np.maximum(last, min(_days(date(year, 1, 2)), t_end - 180)), np.full(N, t_end))
    tanggal_input = np.minimum(tanggal_input, t_end)

    lat = np.clip(lat_c[pidx] + rng.normal(0, 0.06, N), cat.ambang.koordinat.lat_min + 0.1, cat.ambang.koordinat.lat_max - 0.1)
    lon = np.clip(lon_c[pidx] + rng.normal(0, 0.06, N), cat.ambang.koordinat.lon_min + 0.1, cat.ambang.koordinat.lon_max - 0.1)
    koordinat = (_s(np.char.mod("%.3f", lat)) + ", " + _s(np.char.mod("%.3f", lon))).to_numpy(object)

    video_id = _random_tokens(rng, N, 11, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    link_video = ("https://www.youtube.com/watch?v=" + _s(video_id)).to_numpy(object)

    # Rancang Bangun: an opening naming the innovation, then 16 distinct stock sentences.
    opening = (
        "Inovasi " + _s(titles) + " merupakan inovasi " + _s(nama) + " yang dikelola oleh " + _s(opd_name)
        + " untuk menjawab permasalahan " + _s(urusan) + " di wilayah " + _s(short) + "."
    )
    pool = np.asarray(vocab.KALIMAT_RANCANG_BANGUN, dtype=object)
    n_sent = int(np.ceil(cat.ambang.rancang_bangun_min_kata / min(len(s.split()) for s in pool))) + 1
    picks = np.argsort(rng.random((N, len(pool))), axis=1)[:, :n_sent]
    rb = opening
    for k in range(n_sent):
        rb = rb + " " + _s(pool[picks[:, k]])
    objek_lc = _s(titles).str.replace(r"^[^:]*:\s*", "", regex=True).str.lower()

    def _fill(templates: Sequence[str]) -> np.ndarray:
        parts = [t.split("{objek}") for t in templates]
        k = rng.integers(0, len(parts), N)
        pre = np.asarray([p[0] for p in parts], dtype=object)[k]
        post = np.asarray([p[1] for p in parts], dtype=object)[k]
        return (_s(pre) + objek_lc + _s(post)).to_numpy(object)

    tujuan, manfaat, hasil = _fill(vocab.TUJUAN), _fill(vocab.MANFAAT), _fill(vocab.HASIL)
    anggaran = (_s(rng.integers(25, 2500, N) * 1_000_000)).astype(str).to_numpy(object)

    # ------------------------------------------------------------ Indikator Inovasi (N x 20)
    sid = cat.sid
    S = len(sid)
    M = N * S
    inn = np.repeat(np.arange(N), S)
    ind = np.tile(np.arange(S), N)
    param = rng.choice([1, 2, 3], size=M, p=[0.3, 0.4, 0.3])
    bobot = np.array([i.bobot for i in sid])
    kematangan = (param.reshape(N, S) * bobot).sum(axis=1).round().astype(np.int64)
    informasi = np.asarray([[i.parameter[p] if len(i.parameter) > p else f"Parameter {p + 1}" for p in range(3)] for i in sid], dtype=object)[ind, param - 1]
    no_sid = np.asarray([i.no for i in sid], dtype=object)[ind]
    nama_sid = np.asarray([i.nama for i in sid], dtype=object)[ind]
    basis_set = list(cat.nilai_sah.get("basis", ("a", "b", "c", "d", "e", "f")))
    basis = np.where(no_sid == "33", _pick(rng, basis_set, M), EMPTY)

    weights = _TYPE_WEIGHT_BUKTI if with_bukti else _TYPE_WEIGHT
    jenis_file = np.empty(M, dtype=object)
    for k, indicator in enumerate(sid):  # loop over the 20 indicators, not rows
        rows = ind == k
        types = [t for t in indicator.jenis_file if weights.get(t, 0) > 0] or list(indicator.jenis_file)
        if indicator.no == "35":  # the video itself: a YouTube/Drive link or an mp4, not a thumbnail
            types = [t for t in types if t in ("link", "mp4")] or types
        if with_bukti and "pdf" in types:
            types = ["pdf"]
        jenis_file[rows] = _pick(rng, types, int(rows.sum()), [max(weights.get(t, 0), 1e-9) for t in types])
    is_link = jenis_file == "link"
    is_35 = no_sid == "35"
    drive = is_link & is_35 & (rng.random(M) < 0.15) & (not with_bukti)
    drive_url = "https://drive.google.com/file/d/" + _s(_random_tokens(rng, M, 33, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")) + "/view"
    ids_rows = _s(ids[inn])
    if with_bukti:
        stem = np.where(jenis_file == "pdf", "_berkas-bukti.", "_tangkapan-layar.")
        file_name = ids_rows + _s(stem) + _s(jenis_file)
    else:
        slugs = np.asarray([slug_indikator(i.nama) for i in sid], dtype=object)[ind]
        file_name = ids_rows + "_" + _s(no_sid) + "_" + _s(slugs) + "." + _s(jenis_file)
    link_target = np.where(drive, drive_url.to_numpy(object), link_video[inn])
    data_pendukung = np.where(is_link, link_target, file_name.to_numpy(object))

    ukuran = _evidence_sizes(rng, jenis_file, small=with_bukti)
    sha = _hex_digests(rng, M)
    if with_bukti:  # one file per (innovation, type): same size and digest on all its rows
        key_first = pd.Series(np.arange(M)).groupby(data_pendukung, sort=False).transform("first").to_numpy()
        ukuran, sha = ukuran[key_first], sha[key_first]
    ukuran_s = np.where(is_link, EMPTY, _s(ukuran).astype(str).to_numpy(object))
    sha = np.where(is_link, EMPTY, sha)

    doc_lo = _days(date(year - int(cat.ambang.dokumen_tertua_tahun_mundur), 1, 1))
    tgl_dok = _uniform_days(rng, np.full(M, doc_lo), np.full(M, t_end - 7))
    tgl_unggah = _uniform_days(rng, tgl_dok, np.full(M, t_end))
    nomor = _nomor_dokumen(rng, no_sid, param, tgl_dok, jenis_pemda[inn], short[inn], opd_abbr[inn])
    nomor = np.where(is_link, EMPTY, nomor)

    ind_inov = pd.DataFrame({
        "ID Inovasi": ids[inn],
        "Kode Pemda": kode[inn],
        "Pemda": nama[inn],
        "No Indikator": no_sid,
        "Indikator": nama_sid,
        "Parameter": param.astype(str).astype(object),
        "Informasi": informasi,
        "Basis": basis,
        "Data Pendukung": data_pendukung,
        "Jenis File": jenis_file,
        "Ukuran File (KB)": ukuran_s,
        "SHA256": sha,
        "Nomor Dokumen": nomor,
        "Tanggal Dokumen": fmt_dates(tgl_dok, is_link),
        "Tanggal Unggah": fmt_dates(tgl_unggah),
    })[INDIKATOR_INOVASI_COLUMNS]

    daftar = pd.DataFrame({
        "No": (np.arange(N) + 1).astype(str).astype(object),
        "Judul Inovasi": titles,
        "Pemda": nama,
        "Admin OPD": admin_opd,
        "Inisiator": inisiator,
        "Nama Inisiator": nama_inisiator,
        "Bentuk Inovasi": bentuk,
        "Jenis": jenis,
        "Asta Cipta": asta,
        "Urusan Utama": urusan,
        "Urusan lain yang beririsan": irisan,
        "Kematangan": kematangan.astype(str).astype(object),
        "Tahapan Inovasi": tahapan,
        "Tanggal Input": fmt_dates(tanggal_input),
        "Tanggal Penerapan": fmt_dates(penerapan),
        "Tanggal Pengembangan": fmt_dates(pengembangan, ~has_dev),
        "Koordinat": koordinat,
        "Video": np.full(N, "Ada", dtype=object),
        "Link Video": link_video,
        "ID Inovasi": ids,
        "Kode Pemda": kode,
        "Tanggal Uji Coba": fmt_dates(uji),
        "Rancang Bangun": rb.to_numpy(object),
        "Tujuan": tujuan,
        "Manfaat": manfaat,
        "Hasil Inovasi": hasil,
        "Anggaran": anggaran,
    })[DAFTAR_COLUMNS]

    # ------------------------------------------------------------ Indikator Pemda (P x 20)
    spd = cat.spd
    Q = len(spd)
    R = P * Q
    prow = np.repeat(np.arange(P), Q)
    sind = np.tile(np.arange(Q), P)
    sparam = rng.choice([1, 2, 3], size=R, p=[0.25, 0.45, 0.30])
    spd_types = list(spd[0].jenis_file)
    sw = _TYPE_WEIGHT_BUKTI if with_bukti else {"pdf": 7.5, "jpg": 0.5, "png": 1.0, "link": 1.0}
    sjenis = _pick(rng, spd_types, R, [sw.get(t, 0.0) + (1e-9 if not with_bukti else 0.0) for t in spd_types])
    s_link = sjenis == "link"
    pk = pem["kode_pemda"].to_numpy(object)[prow]
    s_no = np.asarray([i.no for i in spd], dtype=object)[sind]
    s_dom = pem["domain"].to_numpy(object)[prow]
    tgl_dok_s = _uniform_days(rng, np.full(R, doc_lo), np.full(R, t_end - 7))
    tgl_ung_s = _uniform_days(rng, tgl_dok_s, np.full(R, t_end))
    s_year = pd.DatetimeIndex(pd.to_datetime(tgl_dok_s, unit="D")).year.astype(str).to_numpy(object)
    s_url = ("https://ppid." + _s(s_dom) + "/dokumen/" + _s(s_year) + "/indikator-" + _s(s_no)).to_numpy(object)
    if with_bukti:
        s_file = (_s(pk) + "_spd_berkas-bukti." + _s(sjenis)).to_numpy(object)
    else:
        s_slug = np.asarray([slug_indikator(i.nama) for i in spd], dtype=object)[sind]
        s_file = (_s(pk) + "_spd_" + _s(s_no) + "_" + _s(s_slug) + "." + _s(sjenis)).to_numpy(object)
    s_size = _evidence_sizes(rng, sjenis, small=with_bukti)
    s_sha = _hex_digests(rng, R)
    if with_bukti:
        kf = pd.Series(np.arange(R)).groupby(s_file, sort=False).transform("first").to_numpy()
        s_size, s_sha = s_size[kf], s_sha[kf]
    ind_pemda = pd.DataFrame({
        "Kode Pemda": pk,
        "Pemda": pem["pemda"].to_numpy(object)[prow],
        "No Indikator": s_no,
        "Indikator": np.asarray([i.nama for i in spd], dtype=object)[sind],
        "Parameter": sparam.astype(str).astype(object),
        "Informasi": ("Parameter " + _s(sparam.astype(str))).to_numpy(object),
        "Data Pendukung": np.where(s_link, s_url, s_file),
        "Jenis File": sjenis,
        "Ukuran File (KB)": np.where(s_link, EMPTY, _s(s_size).astype(str).to_numpy(object)),
        "SHA256": np.where(s_link, EMPTY, s_sha),
        "Nomor Dokumen": np.full(R, EMPTY, dtype=object),
        "Tanggal Dokumen": fmt_dates(tgl_dok_s, s_link),
        "Tanggal Unggah": fmt_dates(tgl_ung_s),
    })[INDIKATOR_PEMDA_COLUMNS]

    # ------------------------------------------------------------ Profil Pemda
    admin = (_s(_pick(rng, vocab.NAMA_DEPAN, P)) + " " + _s(_pick(rng, vocab.NAMA_BELAKANG, P))).to_numpy(object)
    mail1 = "admin.iid@" + pem["domain"]
    mail2 = "; inovasi.brida@" + pem["domain"]
    email = np.where(rng.random(P) < 0.35, (mail1 + mail2).to_numpy(object), mail1.to_numpy(object))
    telepon = ("+628" + _s(_random_tokens(rng, P, 10, "0123456789"))).to_numpy(object)
    profil = pd.DataFrame({
        "Kode Pemda": pem["kode_pemda"].to_numpy(object),
        "Pemda": pem["pemda"].to_numpy(object),
        "Nama Admin": admin,
        "Email": email,
        "Telepon": telepon,
        "Tahun Penilaian": np.full(P, str(year), dtype=object),
    })[PROFIL_COLUMNS]

    return {"daftar_inovasi": daftar, "indikator_inovasi": ind_inov, "indikator_pemda": ind_pemda, "profil_pemda": profil}


def slug_indikator(nama: str) -> str:
    """`Regulasi Inovasi Daerah` → `regulasi-inovasi-daerah` (for evidence file names)."""
    import re

    return re.sub(r"[^a-z0-9]+", "-", nama.lower()).strip("-")[:40].rstrip("-")


def _evidence_sizes(rng: np.random.Generator, jenis_file: np.ndarray, *, small: bool = False) -> np.ndarray:
    """Plausible sizes in KB per type, above the BKT-05 minimums (pdf 20, jpg/png 10).

    `small`: just above the minimums, for files that are really written (`with_bukti`).
    """
    n = len(jenis_file)
    if small:
        return np.where(jenis_file == "pdf", rng.integers(21, 24, n), rng.integers(11, 13, n)).astype(np.int64)
    pdf = np.clip(rng.lognormal(np.log(350), 0.9, n), 25, 9_000)
    img = np.clip(rng.lognormal(np.log(400), 0.7, n), 15, 5_000)
    mp4 = np.clip(rng.lognormal(np.log(40_000), 0.6, n), 2_000, 200_000)
    size = np.where(jenis_file == "pdf", pdf, np.where(jenis_file == "mp4", mp4, img))
    return np.rint(size).astype(np.int64)


def _nomor_dokumen(rng, no_sid, param, tgl_dok, jenis_pemda, short, opd_abbr) -> np.ndarray:
    """Document numbers: for indicator 16 one that proves exactly the claimed parameter (BKT-07)."""
    M = len(no_sid)
    yr = _s(pd.DatetimeIndex(pd.to_datetime(tgl_dok, unit="D")).year.astype(str))
    nomor_urut = _s(rng.integers(1, 60, M).astype(str))
    kode_surat = _s(rng.integers(100, 999, M).astype(str)) + "." + _s(rng.integers(10, 99, M).astype(str))
    reg = _s(rng.integers(1, 900, M).astype(str))
    kepala = _kepala_daerah(_s(jenis_pemda), _s(short))
    kep = "Keputusan " + kepala + " Nomor 188.45/" + reg + "/KPTS/" + kode_surat + "/" + yr
    perkada = "Peraturan " + kepala + " Nomor " + nomor_urut + " Tahun " + yr
    perda = _perda_of(_s(jenis_pemda), _s(short)) + " Nomor " + nomor_urut + " Tahun " + yr
    surat = "800.1.11.1/" + reg + "/" + _s(opd_abbr).str.upper() + "/" + yr
    regulasi = np.where(param == 1, kep.to_numpy(object), np.where(param == 2, perkada.to_numpy(object), perda.to_numpy(object)))
    out = np.where(no_sid == "16", regulasi, np.where(np.isin(no_sid, _LETTER_INDICATORS), surat.to_numpy(object), EMPTY))
    return out


# ---------------------------------------------------------------------------- writing


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: Path, fmt: str = "csv", *, workbook_name: str = "ekspor.xlsx") -> dict[str, Path]:
    """Write the tables as the four CSV files, or one workbook with one sheet per table."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        paths = {}
        for key, df in tables.items():
            path = out_dir / TABLES[key].csv_name
            df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
            paths[key] = path
        return paths
    if fmt == "xlsx":
        path = out_dir / workbook_name
        write_workbook({TABLES[k].display: df for k, df in tables.items()}, path)
        return {k: path for k in tables}
    raise ValueError(f"fmt must be 'csv' or 'xlsx', got {fmt!r}")


def write_workbook(sheets: Mapping[str, pd.DataFrame], path: Path) -> None:
    """All cells as text, as the IID app writes them; fixed metadata so bytes are reproducible."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_urls": False, "strings_to_formulas": False})
    wb.set_properties({"created": datetime(2026, 1, 1), "author": "iid-audit synthetic", "title": "Ekspor IID (sintetis)"})
    bold = wb.add_format({"bold": True})
    for name, df in sheets.items():
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, list(df.columns), bold)
        for j, col in enumerate(df.columns):
            values = df[col].fillna("").astype(str).tolist()
            ws.write_column(1, j, values)
    wb.close()


def write_bukti(tables: dict[str, pd.DataFrame], bukti_dir: Path, *, text_override: Mapping[str, list[str]] | None = None, skip: Sequence[str] = ()) -> int:
    """Write every evidence file the indicator tables name, sized by `Ukuran File (KB)`.

    Updates `Ukuran File (KB)` and `SHA256` of every row naming a file to the real file's,
    so they match by construction. PDF/PNG/JPEG text = innovation title, Pemda, indicators
    and document numbers (`text_override[file]` replaces it, e.g. a Regulasi PDF that does
    not mention the innovation). Files in `skip` are not written (a planted missing file).
    Loops over files: small exports only.
    """
    bukti_dir = Path(bukti_dir)
    bukti_dir.mkdir(parents=True, exist_ok=True)
    text_override = dict(text_override or {})
    titles = tables["daftar_inovasi"].drop_duplicates("ID Inovasi").set_index("ID Inovasi")["Judul Inovasi"]
    written = 0
    for key, ref in (("indikator_inovasi", "ID Inovasi"), ("indikator_pemda", "Kode Pemda")):
        df = tables[key]
        dp = df["Data Pendukung"].fillna("")
        is_file = (dp != "") & (dp != EMPTY) & (df["Jenis File"] != "link") & ~dp.str.contains(":", regex=False)
        for name, rows in df[is_file].groupby("Data Pendukung", sort=True):
            first = rows.iloc[0]
            if key == "indikator_inovasi":
                lines = [str(titles.get(first[ref], "")), str(first["Pemda"])]
            else:
                lines = [f"Dokumen pendukung indikator Pemda {first['Pemda']}"]
            lines += [f"Indikator {r['No Indikator']}: {r['Indikator']}" + (f" - {r['Nomor Dokumen']}" if r["Nomor Dokumen"] != EMPTY else "") for _, r in rows.iterrows()]
            lines.append("Dokumen sintetis untuk pengujian iid-audit.")
            if name in text_override:
                lines = text_override[name]
            kb = pd.to_numeric(first["Ukuran File (KB)"], errors="coerce")
            kb = 21 if pd.isna(kb) else int(kb)
            size = kb * 1024 + 100
            ext = name.rsplit(".", 1)[-1] if "." in name else ""
            data = evidence_bytes(ext, lines, size, seed=int(hashlib.sha256(name.encode()).hexdigest()[:6], 16))
            if name not in skip:
                target = bukti_dir / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                written += 1
            df.loc[rows.index, "Ukuran File (KB)"] = str(round(len(data) / 1024))
            df.loc[rows.index, "SHA256"] = hashlib.sha256(data).hexdigest()
    return written


def generate_export(
    out_dir: Path,
    *,
    n_pemda: int = 546,
    seed: int = 2026,
    year: int = 2026,
    fmt: str = "csv",
    innovations_per_pemda: tuple[int, int] | None = None,
    with_bukti: bool = False,
    as_of: date = DEFAULT_AS_OF,
    pemda_codes: Sequence[str] | None = None,
    counts: Mapping[str, int] | None = None,
    problems: float = 0.0,
) -> GeneratedExport:
    """Generate a synthetic export into `out_dir` (deterministic for the arguments): clean, or
    with `problems` > 0 that mean share of indicator rows wrong (`plant_nationwide`)."""
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"fmt must be 'csv' or 'xlsx', got {fmt!r}")
    t0 = time.perf_counter()
    tables = build_tables(
        n_pemda=n_pemda, seed=seed, year=year, innovations_per_pemda=innovations_per_pemda,
        with_bukti=with_bukti, as_of=as_of, pemda_codes=pemda_codes, counts=counts,
    )
    if problems:
        from synthetic.problems import plant_nationwide

        plant_nationwide(tables, share=problems, seed=seed)
    out_dir = Path(out_dir)
    bukti_dir, n_bukti = None, 0
    if with_bukti:
        bukti_dir = out_dir / "bukti"
        n_bukti = write_bukti(tables, bukti_dir)
    paths = write_tables(tables, out_dir, fmt)
    daftar = tables["daftar_inovasi"]
    return GeneratedExport(
        out_dir=out_dir, fmt=fmt, paths=paths,
        n_pemda=len(tables["profil_pemda"]), n_inovasi=len(daftar),
        n_indikator_inovasi=len(tables["indikator_inovasi"]), n_indikator_pemda=len(tables["indikator_pemda"]),
        bukti_dir=bukti_dir, n_bukti=n_bukti, seconds=time.perf_counter() - t0,
        counts=daftar.groupby("Kode Pemda", sort=True).size().astype(int).to_dict(),
    )
