"""Plant known, documented problems into a clean synthetic export (for `sample_data/`).

Every planted problem is logged (rule id, Pemda, innovation, indicator, column, value, what)
so tests of the rules engine and readers of `sample_data/README.md` can check findings
against it. The layout is the sample's: Provinsi Jawa Timur (35), Kab. Tulungagung (35.04,
the worst: about a third of its indicator slots unanswered or in error), Kota Batu (35.79,
clean), Kab. Banyuwangi (35.10), Kota Surabaya (35.78), Provinsi Jawa Tengah (33).
Deterministic: the only randomness is a numpy Generator seeded by `seed`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from synthetic.evidence import jpeg_bytes, mp4_bytes, pdf_bytes, png_bytes
from synthetic.vocab import EMPTY

LOG_COLUMNS = ["rule_id", "severity", "kode_pemda", "pemda", "id_inovasi", "judul_inovasi", "no_indikator", "kolom", "nilai", "masalah"]
SEVERITY = {
    "SKM-02": "error", "SKM-03": "warning", "SKM-04": "error", "SKM-05": "warning", "SKM-06": "error",
    "LKP-01": "error", "LKP-02": "warning", "LKP-03": "error", "LKP-04": "warning", "LKP-05": "warning",
    "LKP-06": "warning", "LKP-07": "error", "LKP-08": "warning", "LKP-09": "warning",
    "BKT-01": "error", "BKT-02": "error", "BKT-03": "error", "BKT-04": "warning", "BKT-05": "warning",
    "BKT-06": "warning", "BKT-07": "error", "BKT-08": "warning", "BKT-09": "error", "BKT-10": "warning", "BKT-11": "error",
    "KNS-01": "error", "KNS-02": "error", "KNS-03": "warning", "KNS-04": "error", "KNS-05": "warning",
    "KNS-06": "warning", "KNS-07": "warning", "-": "-",
}
_EVIDENCE = ["Data Pendukung", "Jenis File", "Ukuran File (KB)", "SHA256"]
_UNANSWERED = ["Parameter", "Informasi", *_EVIDENCE, "Nomor Dokumen", "Tanggal Dokumen", "Tanggal Unggah"]

#: The sample's Pemda and how many innovations each reports.
SAMPLE_PEMDA: dict[str, int] = {"35": 30, "35.04": 30, "35.79": 14, "35.10": 40, "35.78": 28, "33": 8}
CLEAN_PEMDA = "35.79"
WORST_PEMDA = "35.04"
#: Dates a typo put in the future (2026 → 2062): after any plausible audit date.
FUTURE = "15-03-2062"


@dataclass
class PlantedProblems:
    """What `plant_problems` did, and what the evidence writer must do to match it."""

    log: pd.DataFrame
    text_override: dict[str, list[str]] = field(default_factory=dict)  # file -> PDF text lines
    skip: list[str] = field(default_factory=list)  # files named but not written (BKT-09)
    sha_mismatch: list[tuple[str, int]] = field(default_factory=list)  # (table, row) digest ≠ file
    own_bytes: dict[str, bytes] = field(default_factory=dict)  # file -> its exact bytes (blank, wrong type, corrupt)

    def write_own_bytes(self, tables: dict[str, pd.DataFrame], bukti_dir: Path) -> None:
        """Write the files whose bytes are the problem; the rows naming them get their true
        SHA256 and size, so the content is the only thing wrong."""
        sid = tables["indikator_inovasi"]
        for name, data in self.own_bytes.items():
            (Path(bukti_dir) / name).write_bytes(data)
            rows = sid["Data Pendukung"] == name
            sid.loc[rows, "SHA256"] = hashlib.sha256(data).hexdigest()
            sid.loc[rows, "Ukuran File (KB)"] = str(round(len(data) / 1024))

    def apply_after_bukti(self, tables: dict[str, pd.DataFrame]) -> None:
        """Problems that must be planted after the files were written (digest mismatch)."""
        for key, row in self.sha_mismatch:
            tables[key].loc[row, "SHA256"] = hashlib.sha256(b"berkas lain " + str(row).encode()).hexdigest()


def _iid(kode: str, k: int) -> str:
    return f"{kode}-{k:04d}"


class _Planter:
    def __init__(self, tables: dict[str, pd.DataFrame], rng: np.random.Generator):
        self.t = tables
        self.rng = rng
        self.rows: list[dict] = []
        self.out = PlantedProblems(log=pd.DataFrame(columns=LOG_COLUMNS))

    # -- lookups
    @property
    def d(self) -> pd.DataFrame:
        return self.t["daftar_inovasi"]

    @property
    def sid(self) -> pd.DataFrame:
        return self.t["indikator_inovasi"]

    @property
    def spd(self) -> pd.DataFrame:
        return self.t["indikator_pemda"]

    def inn(self, iid: str) -> int:
        idx = self.d.index[self.d["ID Inovasi"] == iid]
        return int(idx[0])

    def srow(self, iid: str, no: str) -> int:
        idx = self.sid.index[(self.sid["ID Inovasi"] == iid) & (self.sid["No Indikator"] == no)]
        return int(idx[0])

    def prow(self, kode: str, no: str) -> int:
        idx = self.spd.index[(self.spd["Kode Pemda"] == kode) & (self.spd["No Indikator"] == no)]
        return int(idx[0])

    def log(self, rule: str, kode: str, masalah: str, *, iid: str = "", no: str = "", kolom: str = "", nilai: str = "",
            severity: str = "") -> None:
        pemda = self.t["profil_pemda"].set_index("Kode Pemda")["Pemda"].get(kode, "")
        judul = ""
        if iid:
            hit = self.d.loc[self.d["ID Inovasi"] == iid, "Judul Inovasi"]
            judul = hit.iloc[0] if len(hit) else ""
        if kode == "31.74":
            pemda = "Kota Jakarta Selatan"
        self.rows.append(dict(rule_id=rule, severity=severity or SEVERITY[rule], kode_pemda=kode, pemda=pemda, id_inovasi=iid,
                              judul_inovasi=judul, no_indikator=no, kolom=kolom, nilai=nilai, masalah=masalah))

    # -- edits
    def set_d(self, iid: str, col: str, value: str) -> None:
        self.d.loc[self.inn(iid), col] = value

    def set_sid(self, iid: str, no: str, **values: str) -> int:
        r = self.srow(iid, no)
        for col, v in values.items():
            self.sid.loc[r, col.replace("_", " ")] = v
        return r

    def own_file(self, iid: str, no: str, ext: str, kb: int) -> str:
        """Give one indicator row its own evidence file (instead of the compiled one)."""
        r = self.srow(iid, no)
        name = f"{iid}_{no}_{self.sid.loc[r, 'Indikator'].lower().split()[0]}.{ext}"
        self.sid.loc[r, ["Data Pendukung", "Jenis File", "Ukuran File (KB)"]] = [name, ext, str(kb)]
        return name

    def unanswer(self, mask: pd.Series, table: str) -> None:
        self.t[table].loc[mask, _UNANSWERED] = EMPTY


def plant_problems(tables: dict[str, pd.DataFrame], *, seed: int = 2026) -> PlantedProblems:
    """Edit `tables` (from `build_tables(..., with_bukti=True)` over `SAMPLE_PEMDA`) in place.

    Returns the log and the evidence-file instructions; call `write_bukti(tables, dir,
    text_override=p.text_override, skip=p.skip)`, then `p.write_own_bytes(tables, dir)` and
    `p.apply_after_bukti(tables)`.
    """
    missing = set(SAMPLE_PEMDA) - set(tables["profil_pemda"]["Kode Pemda"])
    if missing:
        raise ValueError(f"plant_problems needs the sample's Pemda; missing {sorted(missing)}")
    p = _Planter(tables, np.random.default_rng(seed))
    _plant_tulungagung(p)
    _plant_jatim(p)
    _plant_banyuwangi(p)
    _plant_surabaya_jateng(p)
    _plant_structure(p)
    d = p.t["daftar_inovasi"]
    d["No"] = [str(i) for i in range(1, len(d) + 1)]
    p.out.log = pd.DataFrame(p.rows, columns=LOG_COLUMNS)
    return p.out


def _plant_tulungagung(p: _Planter) -> None:
    k = WORST_PEMDA
    tid = lambda i: _iid(k, i)  # noqa: E731
    # Spellings the ingest must resolve to 35.04 (not findings).
    rows = p.d.index[p.d["Kode Pemda"] == k]
    p.d.loc[rows[::3], "Pemda"] = "KABUPATEN TULUNGAGUNG"
    p.d.loc[rows[1::3], "Pemda"] = "Kabupaten Tulungagung"

    for i in (1, 2, 3, 4):
        p.sid.drop(index=p.srow(tid(i), "32"), inplace=True)
        p.log("LKP-01", k, "indikator wajib 32 (Kecepatan penciptaan inovasi) tidak ada barisnya", iid=tid(i), no="32")
    p.set_sid(tid(8), "17", **{c: EMPTY for c in _UNANSWERED})
    p.log("LKP-01", k, "indikator wajib 17 tanpa Parameter", iid=tid(8), no="17", kolom="Parameter", nilai=EMPTY)
    for i in (20, 21, 22):
        p.set_d(tid(i), "Jenis", "Teknologi")
    p.log("SKM-03", k, "3 inovasi dengan Jenis Teknologi (pilihan aplikasi, tidak ada di pedoman): satu info untuk Pemda",
          kolom="Jenis", nilai="Teknologi", severity="info")
    for i in (23, 24):
        p.set_d(tid(i), "Jenis", "Digitalisasi")
        p.log("SKM-03", k, "Jenis bernilai Digitalisasi (bukan pilihan pedoman maupun aplikasi)", iid=tid(i), kolom="Jenis",
              nilai="Digitalisasi")
    p.set_d(tid(7), "Tanggal Input", "31-02-2025")
    p.log("SKM-02", k, "tanggal tidak ada (31 Februari)", iid=tid(7), kolom="Tanggal Input", nilai="31-02-2025")
    p.set_d(tid(9), "Koordinat", EMPTY)
    p.log("LKP-05", k, "Koordinat kosong", iid=tid(9), kolom="Koordinat", nilai=EMPTY)
    p.set_d(tid(10), "Asta Cipta", EMPTY)
    p.log("LKP-05", k, "Asta Cipta kosong", iid=tid(10), kolom="Asta Cipta", nilai=EMPTY)
    p.set_d(tid(11), "Admin OPD", "Tidak Diisi")
    p.log("LKP-05", k, "Admin OPD 'Tidak Diisi'", iid=tid(11), kolom="Admin OPD", nilai="Tidak Diisi")
    rb = p.d.loc[p.inn(tid(12)), "Rancang Bangun"]
    p.set_d(tid(12), "Rancang Bangun", " ".join(rb.split()[:120]))
    p.log("LKP-06", k, "Rancang Bangun hanya 120 kata", iid=tid(12), kolom="Rancang Bangun", nilai="120 kata")
    p.set_d(tid(13), "Video", "Tidak Ada")
    p.set_d(tid(13), "Link Video", EMPTY)
    p.log("LKP-07", k, "Video = Tidak Ada dan Link Video = -", iid=tid(13), kolom="Link Video", nilai=EMPTY)
    p.set_sid(tid(14), "16", Parameter="3", Informasi="Peraturan Daerah", Nomor_Dokumen="Peraturan Bupati Tulungagung Nomor 12 Tahun 2024")
    p.log("BKT-07", k, "Perbup diklaim sebagai Parameter 3 (Peraturan Daerah); dokumen hanya membuktikan 2", iid=tid(14), no="16",
          kolom="Nomor Dokumen", nilai="Peraturan Bupati Tulungagung Nomor 12 Tahun 2024")
    name = p.own_file(tid(15), "16", "pdf", 22)
    p.out.text_override[name] = ["KEPUTUSAN BUPATI TULUNGAGUNG", "tentang Tim Koordinasi Pengelolaan Keuangan Daerah",
                                 "Dokumen sintetis untuk pengujian iid-audit."]
    p.log("BKT-10", k, "PDF Regulasi tidak menyebut nama inovasi", iid=tid(15), no="16", kolom="Data Pendukung", nilai=name)
    i16 = p.inn(tid(16))
    p.d.loc[i16, ["Tanggal Uji Coba", "Tanggal Penerapan"]] = ["20-06-2025", "10-02-2025"]
    p.d.loc[i16, "Tanggal Pengembangan"] = EMPTY
    p.log("KNS-01", k, "Tanggal Penerapan sebelum Tanggal Uji Coba", iid=tid(16), kolom="Tanggal Penerapan", nilai="10-02-2025")
    p.set_d(tid(17), "Kematangan", "140")
    p.log("KNS-04", k, "Kematangan di luar 0..111", iid=tid(17), kolom="Kematangan", nilai="140")
    p.set_d(tid(18), "Koordinat", "35.689, 139.692")
    p.log("KNS-07", k, "Koordinat di luar Indonesia (Tokyo)", iid=tid(18), kolom="Koordinat", nilai="35.689, 139.692")
    # SPD
    p.spd.drop(index=p.prow(k, "8"), inplace=True)
    p.log("LKP-03", k, "indikator Pemda wajib 8 (Opini BPK) tidak ada barisnya", no="8")
    p.unanswer(p.spd.index == p.prow(k, "12"), "indikator_pemda")
    p.log("LKP-04", k, "indikator Pemda 12 tanpa Parameter", no="12", kolom="Parameter", nilai=EMPTY)
    p.spd.loc[p.prow(k, "14"), _EVIDENCE] = EMPTY
    p.log("BKT-01", k, "Parameter dipilih tetapi Data Pendukung kosong", no="14", kolom="Data Pendukung", nilai=EMPTY)

    # Mass: about a third of the remaining SID slots of Tulungagung are unanswered or in error.
    touched = {tid(i) for i in (8, 14, 15)}
    cand = p.sid.index[(p.sid["Kode Pemda"] == k) & ~p.sid["ID Inovasi"].isin(touched) & ~p.sid["No Indikator"].isin(["16", "32"])]
    n = int(round(0.40 * len(cand)))
    pick = np.sort(p.rng.choice(cand.to_numpy(), size=n, replace=False))
    kind = p.rng.choice(3, size=n, p=[0.55, 0.30, 0.15])
    wajib = {"16", "17", "32", "33", "35"}
    for r, kd in zip(pick, kind):  # a few hundred rows of one sample Pemda, each logged
        iid, no = p.sid.loc[r, "ID Inovasi"], p.sid.loc[r, "No Indikator"]
        if kd == 0:
            p.sid.loc[r, _UNANSWERED] = EMPTY
            p.log("LKP-01" if no in wajib else "LKP-02", k, "indikator tidak dijawab (massal)", iid=iid, no=no, kolom="Parameter", nilai=EMPTY)
        elif kd == 1:
            p.sid.loc[r, _EVIDENCE] = EMPTY
            p.log("BKT-01", k, "Parameter tanpa Data Pendukung (massal)", iid=iid, no=no, kolom="Data Pendukung", nilai=EMPTY)
        else:
            if p.sid.loc[r, "Jenis File"] == "link":  # a video link has no document date: leave it unanswered instead
                p.sid.loc[r, _UNANSWERED] = EMPTY
                p.log("LKP-01" if no in wajib else "LKP-02", k, "indikator tidak dijawab (massal)", iid=iid, no=no, kolom="Parameter", nilai=EMPTY)
                continue
            p.sid.loc[r, "Tanggal Dokumen"] = FUTURE
            p.log("BKT-03", k, "Tanggal Dokumen setelah tanggal audit (salah ketik 2062) (massal)", iid=iid, no=no, kolom="Tanggal Dokumen", nilai=FUTURE)


def _plant_jatim(p: _Planter) -> None:
    k = "35"
    jid = lambda i: _iid(k, i)  # noqa: E731
    for i in (20, 21):
        p.set_d(jid(i), "Jenis", "Teknologi")
    p.log("SKM-03", k, "2 inovasi dengan Jenis Teknologi (pilihan aplikasi): satu info untuk Pemda", kolom="Jenis",
          nilai="Teknologi", severity="info")
    i2 = p.inn(jid(2))
    p.d.loc[i2, ["Tahapan Inovasi", "Tanggal Uji Coba", "Tanggal Penerapan", "Tanggal Pengembangan"]] = ["Penerapan", "01-11-2020", "10-03-2021", EMPTY]
    p.log("KNS-03", k, "tahap Penerapan, penerapan 2021 tanpa pengembangan di jendela 2024–2025", iid=jid(2), kolom="Tanggal Penerapan", nilai="10-03-2021")
    p.set_d(jid(3), "Tanggal Input", "20-01-2062")
    p.log("KNS-02", k, "Tanggal Input setelah tanggal audit (salah ketik 2062)", iid=jid(3), kolom="Tanggal Input", nilai="20-01-2062")
    shared = p.sid.loc[p.srow(jid(4), "17"), "Data Pendukung"]
    p.set_sid(jid(5), "17", Data_Pendukung=shared, Jenis_File="pdf")
    for i in (4, 5):
        p.log("BKT-06", k, "SHA256 sama untuk indikator 17 pada dua inovasi", iid=jid(i), no="17", kolom="SHA256", nilai=shared)
    p.set_sid(jid(6), "17", Tanggal_Dokumen="12-05-2022")
    p.log("BKT-04", k, "dokumen bertanggal 2022 (sebelum 1 Januari T-2)", iid=jid(6), no="17", kolom="Tanggal Dokumen", nilai="12-05-2022")
    name = p.own_file(jid(7), "18", "pdf", 15)
    p.log("BKT-05", k, "PDF 15 KB (< 20 KB)", iid=jid(7), no="18", kolom="Ukuran File (KB)", nilai="15")
    name = p.own_file(jid(8), "16", "jpg", 45)
    p.log("BKT-02", k, "jpg untuk indikator 16 (hanya pdf)", iid=jid(8), no="16", kolom="Jenis File", nilai="jpg")
    name = p.own_file(jid(9), "20", "pdf", 30)
    p.out.skip.append(name)
    p.log("BKT-09", k, "berkas tidak ada di bukti/", iid=jid(9), no="20", kolom="Data Pendukung", nilai=name)
    name = p.own_file(jid(10), "21", "pdf", 25)
    p.out.sha_mismatch.append(("indikator_inovasi", p.srow(jid(10), "21")))
    p.log("BKT-09", k, "SHA256 di tabel berbeda dari berkas", iid=jid(10), no="21", kolom="SHA256", nilai=name)
    # Evidence judged from the file's content (checks.evidence): a blank scan, a PNG declared
    # as pdf, a JPEG cut off half-way.
    name = p.own_file(jid(18), "25", "png", 30)
    p.out.own_bytes[name] = png_bytes([name], 30 * 1024, blank=True)
    p.log("BKT-09", k, "pindaian kosong (gambar satu warna)", iid=jid(18), no="25", kolom="Data Pendukung", nilai=name)
    name = p.own_file(jid(19), "20", "pdf", 40)
    p.out.own_bytes[name] = png_bytes([name], 40 * 1024, seed=19)
    p.log("BKT-09", k, "Jenis File pdf, isinya PNG", iid=jid(19), no="20", kolom="Jenis File", nilai=name, severity="warning")
    name = p.own_file(jid(20), "27", "jpg", 20)
    p.out.own_bytes[name] = jpeg_bytes([name], 60 * 1024, seed=20)[: 20 * 1024]
    p.log("BKT-09", k, "JPEG terpotong (rusak)", iid=jid(20), no="27", kolom="Data Pendukung", nilai=name)
    p.set_sid(jid(11), "33", Basis=EMPTY)
    p.log("BKT-11", k, "Kemanfaatan tanpa Basis", iid=jid(11), no="33", kolom="Basis", nilai=EMPTY)
    near = p.d.loc[p.inn(jid(13)), "Judul Inovasi"] + " 2"
    p.set_d(jid(12), "Judul Inovasi", near)
    for i in (12, 13):
        p.log("KNS-05", k, "judul hampir sama dalam satu Pemda", iid=jid(i), kolom="Judul Inovasi", nilai=near)
    rb = p.d.loc[p.inn(jid(15)), "Rancang Bangun"]
    p.set_d(jid(14), "Rancang Bangun", "  ".join(rb.upper().split()))
    for i in (14, 15):
        p.log("KNS-06", k, "Rancang Bangun identik (setelah normalisasi spasi dan huruf)", iid=jid(i), kolom="Rancang Bangun")
    p.sid.drop(index=p.srow(jid(16), "31"), inplace=True)
    p.log("LKP-02", k, "indikator 31 (Replikasi) tidak ada barisnya", iid=jid(16), no="31")
    url = "https://www.example.com/video-inovasi.mp4"
    p.set_sid(jid(17), "35", Data_Pendukung=url, Jenis_File="link")
    p.log("BKT-08", k, "tautan video bukan YouTube/Google Drive/media sosial", iid=jid(17), no="35", kolom="Data Pendukung", nilai=url)
    r = p.prow(k, "13a")
    p.spd.loc[r, _EVIDENCE] = ["www.jawatimurprov.example/kajian-kebijakan", "link", EMPTY, EMPTY]
    p.log("BKT-08", k, "tautan bukti tanpa http(s)://", no="13a", kolom="Data Pendukung", nilai="www.jawatimurprov.example/kajian-kebijakan")


def _plant_banyuwangi(p: _Planter) -> None:
    k = "35.10"
    bid = lambda i: _iid(k, i)  # noqa: E731
    title = "<script>alert('iid')</script> Layanan Aduan Warga"
    p.set_d(bid(1), "Judul Inovasi", title)
    p.log("-", k, "judul berisi <script> (uji escaping laporan; bukan temuan aturan)", iid=bid(1), kolom="Judul Inovasi", nilai=title)
    p.set_d(bid(2), "Link Video", "javascript:alert(1)")
    p.log("BKT-08", k, "Link Video javascript: (bukan http(s))", iid=bid(2), kolom="Link Video", nilai="javascript:alert(1)")
    p.set_d(bid(3), "Koordinat", "Jl. Ahmad Yani 12")
    p.log("KNS-07", k, "Koordinat tidak dapat dibaca", iid=bid(3), kolom="Koordinat", nilai="Jl. Ahmad Yani 12")
    p.unanswer(p.sid.index == p.srow(bid(4), "18"), "indikator_inovasi")
    p.log("LKP-02", k, "indikator 18 tanpa Parameter", iid=bid(4), no="18", kolom="Parameter", nilai=EMPTY)
    p.set_sid(bid(5), "24", Tanggal_Dokumen="03-09-2022")
    p.log("BKT-04", k, "dokumen bertanggal 2022", iid=bid(5), no="24", kolom="Tanggal Dokumen", nilai="03-09-2022")
    # Evidence judged from the file's content: a Regulasi whose text bears another number than
    # Nomor Dokumen, one enacted (by its text) after the audit date, a scan with a blank page,
    # a video of 0 seconds.
    judul = lambda i: p.d.loc[p.inn(bid(i)), "Judul Inovasi"]  # noqa: E731
    nomor = p.sid.loc[p.srow(bid(6), "16"), "Nomor Dokumen"]
    name = p.own_file(bid(6), "16", "pdf", 24)
    p.out.text_override[name] = ["PERATURAN BUPATI BANYUWANGI NOMOR 99 TAHUN 2023", f"tentang {judul(6)}",
                                 "Dokumen sintetis untuk pengujian iid-audit."]
    p.log("BKT-10", k, "teks Regulasi bernomor 99 Tahun 2023, lain dari Nomor Dokumen", iid=bid(6), no="16",
          kolom="Nomor Dokumen", nilai=nomor, severity="warning")
    nomor = p.sid.loc[p.srow(bid(7), "16"), "Nomor Dokumen"]
    name = p.own_file(bid(7), "16", "pdf", 24)
    p.out.text_override[name] = [nomor.upper(), f"tentang {judul(7)}", "Ditetapkan di Banyuwangi",
                                 "pada tanggal 15 Maret 2062", "Dokumen sintetis untuk pengujian iid-audit."]
    p.log("BKT-10", k, "Regulasi ditetapkan (menurut teksnya) setelah tanggal audit (salah ketik 2062)", iid=bid(7),
          no="16", kolom="Tanggal Dokumen", nilai="15 Maret 2062", severity="error")
    name = p.own_file(bid(8), "17", "pdf", 26)
    p.out.own_bytes[name] = pdf_bytes([judul(8), "Surat Keputusan Tim Inovasi", "Dokumen sintetis untuk pengujian iid-audit."],
                                      26 * 1024, blank_pages=1)
    p.log("BKT-09", k, "PDF dengan halaman 2 kosong", iid=bid(8), no="17", kolom="Data Pendukung", nilai=name,
          severity="warning")
    name = p.own_file(bid(9), "35", "mp4", 40)
    p.out.own_bytes[name] = mp4_bytes([judul(9)], 40 * 1024, duration_s=0)
    p.log("BKT-09", k, "video mp4 berdurasi 0 detik", iid=bid(9), no="35", kolom="Data Pendukung", nilai=name)


def _plant_surabaya_jateng(p: _Planter) -> None:
    k = "35.78"
    rows = p.d.index[(p.d["Kode Pemda"] == k) & p.d["Urusan Utama"].isin(
        ["perumahan rakyat dan kawasan permukiman", "ketenteraman, ketertiban umum, dan perlindungan masyarakat", "sosial"])]
    p.d.loc[rows, "Urusan Utama"] = "komunikasi dan informatika"
    p.log("LKP-09", k, "Urusan Utama hanya mencakup 3 dari 6 urusan wajib pelayanan dasar (pendidikan, kesehatan, PUPR)")
    p.log("LKP-08", "33", "hanya 8 inovasi (< k = 12)")


def _plant_structure(p: _Planter) -> None:
    k = WORST_PEMDA
    # SKM-05: the same innovation entered twice (same ID).
    dup = p.d.loc[[p.inn(_iid(k, 5))]].copy()
    p.t["daftar_inovasi"] = pd.concat([p.d, dup], ignore_index=True)
    p.log("SKM-05", k, "inovasi yang sama tercatat dua kali (ID sama); kedua baris", iid=_iid(k, 5), kolom="ID Inovasi", nilai=_iid(k, 5))
    # SKM-06: indicator rows for an unknown innovation and an unknown indicator number.
    orphan = p.sid.loc[[p.srow(_iid(k, 6), "19")]].copy()
    orphan["ID Inovasi"] = _iid(k, 999)
    unknown = p.sid.loc[[p.srow(_iid(k, 6), "34")]].copy()
    unknown["No Indikator"], unknown["Indikator"] = "36", "Indikator tidak dikenal"
    p.t["indikator_inovasi"] = pd.concat([p.sid, orphan, unknown], ignore_index=True)
    p.log("SKM-06", k, "baris indikator merujuk inovasi yang tidak ada", iid=_iid(k, 999), no="19", kolom="ID Inovasi", nilai=_iid(k, 999))
    p.log("SKM-06", k, "nomor indikator tidak dikenal", iid=_iid(k, 6), no="36", kolom="No Indikator", nilai="36")
    # SKM-04: a DKI administrative city is not an autonomous Pemda.
    src = _iid("35.79", 1)
    row = p.d.loc[[p.inn(src)]].copy()
    jak = _iid("31.74", 1)
    row[["Pemda", "Kode Pemda", "ID Inovasi"]] = ["Kota Jakarta Selatan", "31.74", jak]
    row["Admin OPD"] = "Suku Dinas Kesehatan (jakselkota.sudinkes)"
    row["Koordinat"] = "-6.261, 106.810"
    row["Rancang Bangun"] = row["Rancang Bangun"].str.replace("Kota Batu", "Kota Jakarta Selatan").str.replace("Batu", "Jakarta Selatan")
    ind = p.sid[p.sid["ID Inovasi"] == src].copy()
    ind["ID Inovasi"], ind["Kode Pemda"], ind["Pemda"] = jak, "31.74", "Kota Jakarta Selatan"
    ind["Data Pendukung"] = ind["Data Pendukung"].str.replace(src, jak, regex=False)
    ind.loc[ind["Jenis File"] == "link", "Data Pendukung"] = "https://www.youtube.com/watch?v=JKTsel2026a"
    row["Link Video"] = "https://www.youtube.com/watch?v=JKTsel2026a"
    p.t["daftar_inovasi"] = pd.concat([p.d, row], ignore_index=True)
    p.t["indikator_inovasi"] = pd.concat([p.sid, ind], ignore_index=True)
    p.log("SKM-04", "31.74", "Pemda Kota Jakarta Selatan: kota administrasi DKI, bukan Pemda otonom", iid=jak, kolom="Pemda", nilai="Kota Jakarta Selatan")


#: How the mass problems of a nation split, as verifiers meet them (and as Tulungagung's in the
#: sample): an indicator left unanswered, answered without its evidence, a document date typed
#: in the future.
NATIONWIDE_KINDS = (0.55, 0.30, 0.15)
#: The spread of the Pemda's problem shares: Beta(a, a·(1−m)/m) around the mean share m. With
#: a = 1.5 and m = 0.15 half the Pemda have under 12 % of their indicator rows wrong and one in
#: ten over 30 % ("a third of a region's indicators tidak terisi atau tidak sesuai").
NATIONWIDE_SPREAD = 1.5


def plant_nationwide(tables: dict[str, pd.DataFrame], *, share: float, seed: int = 2026) -> None:
    """Edit the tables of a generated export in place so that, on average, `share` of the
    indicator rows of innovations carry a problem, each Pemda its own share (the spread
    above); Indikator Pemda rows and the innovations' profile fields half as often.

    For benchmarks at national scale: the findings, their ordering, the reports' cuts and the
    attachments cost what a real nation's do. Nothing is logged (the sample's
    `plant_problems` is the documented, exact one)."""
    if not 0 < share < 1:
        raise ValueError(f"share must be between 0 and 1, got {share}")
    rng = np.random.default_rng(seed + 1)
    kodes = tables["profil_pemda"]["Kode Pemda"].to_numpy()
    a = NATIONWIDE_SPREAD
    per_pemda = pd.Series(rng.beta(a, a * (1 - share) / share, len(kodes)), index=kodes)

    def hit(df: pd.DataFrame, factor: float = 1.0) -> np.ndarray:
        return rng.random(len(df)) < df["Kode Pemda"].map(per_pemda).fillna(0).to_numpy() * factor

    sid = tables["indikator_inovasi"]
    wrong = hit(sid)
    kind = rng.choice(len(NATIONWIDE_KINDS), size=len(sid), p=NATIONWIDE_KINDS)
    link = (sid["Jenis File"] == "link").to_numpy()  # a link has no document date: unanswered instead
    sid.loc[wrong & ((kind == 0) | ((kind == 2) & link)), _UNANSWERED] = EMPTY
    sid.loc[wrong & (kind == 1), _EVIDENCE] = EMPTY
    sid.loc[wrong & (kind == 2) & ~link, "Tanggal Dokumen"] = FUTURE
    spd = tables["indikator_pemda"]
    spd.loc[hit(spd, 0.5), _UNANSWERED] = EMPTY
    d = tables["daftar_inovasi"]
    empty = hit(d, 0.5)
    field = rng.choice(["Koordinat", "Asta Cipta", "Admin OPD"], size=len(d))
    for col in ("Koordinat", "Asta Cipta", "Admin OPD"):
        d.loc[empty & (field == col), col] = EMPTY
