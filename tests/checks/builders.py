"""Builders of ingested exports for the rule tests: every default is CLEAN per the 2026
catalog, so a test only states what it changes.

    export = (ExportBuilder()
              .pemda("35.04", "Kab. Tulungagung")
              .inovasi(judul="Layanan Aduan Warga", tahapan_inovasi="Penerapan")
              .indikator("16", parameter="3", nomor_dokumen="Peraturan Bupati Tulungagung Nomor 12 Tahun 2024")
              .build())

Tables follow the `core.tables` docstring: canonical snake_case columns, `baris`,
`kode_pemda`, `id_inovasi`; missing text is None; dates datetime64; numbers float;
`no_indikator` and `parameter` strings; allowed-set values in catalog spelling.

A clean Pemda needs ≥ k (12) innovations covering ≥ 5 of the 6 urusan wajib (LKP-08/09), so
`build()` pads every Pemda with clean filler innovations unless `lengkapi=False`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from core.catalog import load_catalog
from ingest.export import Export
from synthetic.evidence import jpeg_bytes, png_bytes

CATALOG = load_catalog(2026)

#: Titles different enough from each other (rapidfuzz token_sort_ratio well below 90).
JUDUL = [
    "Layanan Kesehatan Ibu Hamil Keliling",
    "Sekolah Rakyat Digital Terpadu",
    "Bank Sampah Berbasis Masjid",
    "Aplikasi Izin Mendirikan Bangunan Kilat",
    "Posko Tanggap Bencana Desa",
    "Rumah Singgah Lansia Terlantar",
    "Pasar Tani Organik Mingguan",
    "Dasbor Keuangan Desa Terbuka",
    "Perpustakaan Apung Nelayan",
    "Jembatan Gantung Swadaya Warga",
    "Klinik Hewan Ternak Bergerak",
    "Sistem Antrean Puskesmas Pintar",
    "Kartu Pelajar Yatim Berprestasi",
    "Patroli Keamanan Kampung Malam",
    "Sanitasi Komunal Bantaran Sungai",
    "Kelas Bahasa Isyarat Aparatur",
]

URUSAN_WAJIB = list(CATALOG.urusan_wajib)

DEFAULT_INOVASI = {
    "admin_opd": "Dinas Komunikasi dan Informatika",
    "inisiator": "OPD",
    "nama_inisiator": "Budi Santoso",
    "bentuk_inovasi": "Inovasi pelayanan publik",
    "jenis": "Digital",
    "asta_cipta": "Asta Cita 4",
    "urusan_lain_yang_beririsan": None,
    "kematangan": 80.0,
    "tahapan_inovasi": "Penerapan",
    "tanggal_input": pd.Timestamp("2025-03-01"),
    "tanggal_uji_coba": pd.Timestamp("2024-01-10"),
    "tanggal_penerapan": pd.Timestamp("2024-06-01"),
    "tanggal_pengembangan": pd.Timestamp("2025-01-15"),
    "koordinat": "-8.0654, 111.9025",
    "video": "Ada",
    "tujuan": "Mempercepat layanan",
    "manfaat": "Warga terlayani lebih cepat",
    "hasil_inovasi": "Waktu layanan turun",
    "anggaran": 50000000.0,
}

DATE_COLUMNS = ("tanggal_input", "tanggal_uji_coba", "tanggal_penerapan", "tanggal_pengembangan",
                "tanggal_dokumen", "tanggal_unggah")
NUMBER_COLUMNS = ("kematangan", "anggaran", "ukuran_file_kb")


def rancang_bangun(judul: str, kata: int = 320) -> str:
    """A narrative of exactly `kata` words, unique to `judul`."""
    words = judul.split()
    body = [f"langkah{i}" for i in range(max(kata - len(words), 0))]
    return " ".join((words + body)[:kata])


def _sha(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _file_type(no: str) -> str:
    types = CATALOG.indicator(no).jenis_file
    if no == "35":
        return "link"
    return "pdf" if "pdf" in types else types[0]


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF whose text pypdf can extract (Helvetica, ASCII)."""
    safe = text.encode("latin-1", "replace").decode("latin-1").replace("\\", " ").replace("(", " ").replace(")", " ")
    stream = f"BT /F1 12 Tf 72 720 Td ({safe}) Tj ET".encode("latin-1")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def blank_pdf() -> bytes:
    """A PDF with one page and neither text nor image."""
    from io import BytesIO

    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=612, height=792)
    buf = BytesIO()
    w.write(buf)
    return buf.getvalue()


class ExportBuilder:
    """Fluent builder; `.pemda()` selects a Pemda, `.inovasi()` an innovation of it, then
    `.indikator()` changes (or with `hapus=True` removes) that innovation's SID row."""

    def __init__(self, *, lengkapi: bool = True, tahun: int = 2026):
        self.lengkapi = lengkapi
        self.tahun = tahun
        self._pemda: dict[str, str] = {}
        self._daftar: list[dict] = []
        self._sid: list[dict] = []
        self._spd: list[dict] = []
        self._kode: str | None = None
        self._inov: dict | None = None
        self._drop_columns: dict[str, set[str]] = {}
        self._tables: set[str] = {"daftar_inovasi", "indikator_inovasi", "indikator_pemda", "profil_pemda"}

    # --- regions --------------------------------------------------------------------------
    def pemda(self, kode: str, nama: str, *, spd: bool = True) -> "ExportBuilder":
        self._kode = kode
        self._inov = None
        if kode not in self._pemda:
            self._pemda[kode] = nama
            if spd:
                for ind in CATALOG.spd:
                    self._spd.append(self._spd_row(kode, nama, ind.no))
        return self

    def _spd_row(self, kode: str, nama: str, no: str) -> dict:
        return {
            "kode_pemda": kode, "pemda": nama, "no_indikator": no, "indikator": CATALOG.indicator(no).nama,
            "parameter": "2", "informasi": "Parameter 2", "data_pendukung": f"{kode}_spd_{no}.pdf",
            "jenis_file": "pdf", "ukuran_file_kb": 120.0, "sha256": _sha(kode, "spd", no),
            "nomor_dokumen": f"100.3/{no}/2025", "tanggal_dokumen": pd.Timestamp("2025-02-01"),
            "tanggal_unggah": pd.Timestamp("2025-03-01"),
        }

    def spd(self, no: str, *, hapus: bool = False, **values) -> "ExportBuilder":
        """Change (or remove) the current Pemda's SPD row `no`; adds it when absent."""
        rows = [r for r in self._spd if r["kode_pemda"] == self._kode and r["no_indikator"] == no]
        if hapus:
            self._spd = [r for r in self._spd if r not in rows]
            return self
        if not rows:
            row = self._spd_row(self._kode, self._pemda[self._kode], no)
            self._spd.append(row)
            rows = [row]
        for r in rows:
            r.update(values)
        return self

    # --- innovations ----------------------------------------------------------------------
    def inovasi(self, judul: str | None = None, *, indikator: bool = True, **values) -> "ExportBuilder":
        """A clean innovation of the current Pemda with all 20 SID rows; `values` override."""
        if "tahapan" in values:  # short alias used in the brief
            values["tahapan_inovasi"] = values.pop("tahapan")
        kode = self._kode
        if kode is None:
            self.pemda("35.04", "Kab. Tulungagung")
            kode = self._kode
        mine = [r for r in self._daftar if r["kode_pemda"] == kode]
        n = len(mine) + 1
        used = {r["judul_inovasi"] for r in mine}
        if judul is None:
            judul = next(j for j in JUDUL if j not in used)
        id_inovasi = values.pop("id_inovasi", f"{kode}-{n:04d}")
        row = {
            "no": float(n), "judul_inovasi": judul, "pemda": self._pemda[kode], **DEFAULT_INOVASI,
            "urusan_utama": URUSAN_WAJIB[(n - 1) % len(URUSAN_WAJIB)],
            "link_video": f"https://www.youtube.com/watch?v={id_inovasi}",
            "id_inovasi": id_inovasi, "kode_pemda": kode,
            "rancang_bangun": rancang_bangun(f"{judul} {id_inovasi}"),
        }
        row.update(values)
        self._daftar.append(row)
        self._inov = row
        if indikator:
            for ind in CATALOG.sid:
                self._sid.append(self._sid_row(row, ind.no))
        return self

    def _sid_row(self, inov: dict, no: str) -> dict:
        tipe = _file_type(no)
        iid = inov["id_inovasi"]
        data = f"https://www.youtube.com/watch?v={iid}" if tipe == "link" else f"{iid}_{no}.{tipe}"
        row = {
            "id_inovasi": iid, "kode_pemda": inov["kode_pemda"], "pemda": inov["pemda"], "no_indikator": no,
            "indikator": CATALOG.indicator(no).nama, "parameter": "2", "informasi": "Parameter 2",
            "basis": "a" if no == "33" else None, "data_pendukung": data, "jenis_file": tipe,
            "ukuran_file_kb": None if tipe == "link" else 150.0,
            "sha256": None if tipe == "link" else _sha(iid, no),
            "nomor_dokumen": f"Peraturan Bupati Nomor {int(no)} Tahun 2024" if no == "16" else f"800/{no}/2025",
            "tanggal_dokumen": pd.Timestamp("2025-02-01"), "tanggal_unggah": pd.Timestamp("2025-03-01"),
        }
        return row

    def indikator(self, no: str, *, hapus: bool = False, **values) -> "ExportBuilder":
        """Change (or remove) the current innovation's SID row `no`; adds it when absent."""
        iid = self._inov["id_inovasi"]
        rows = [r for r in self._sid if r["id_inovasi"] == iid and r["no_indikator"] == no]
        if hapus:
            self._sid = [r for r in self._sid if r not in rows]
            return self
        if not rows:
            row = self._sid_row(self._inov, no)
            self._sid.append(row)
            rows = [row]
        for r in rows:
            r.update(values)
        return self

    def tanpa_kolom(self, table: str, *columns: str) -> "ExportBuilder":
        self._drop_columns.setdefault(table, set()).update(columns)
        return self

    def tanpa_tabel(self, *tables: str) -> "ExportBuilder":
        self._tables -= set(tables)
        return self

    # --- build ----------------------------------------------------------------------------
    def _pad(self) -> None:
        k = CATALOG.pembagi_minimum
        for kode, nama in list(self._pemda.items()):
            n = sum(1 for r in self._daftar if r["kode_pemda"] == kode)
            cur_kode, cur_inov = self._kode, self._inov
            self._kode = kode
            for _ in range(max(k - n, 0)):
                self.inovasi()
            self._kode, self._inov = cur_kode, cur_inov

    @staticmethod
    def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
        df = pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
        for c in df.columns:
            if c in DATE_COLUMNS:
                df[c] = pd.to_datetime(df[c])
            elif c in NUMBER_COLUMNS or c == "no":
                df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
            else:
                df[c] = df[c].astype(object).where(df[c].notna(), None)
        df["baris"] = range(1, len(df) + 1)
        return df

    def build(self, bukti_dir: Path | None = None) -> Export:
        """The Export. With `bukti_dir`, writes a real, valid file for every file evidence row
        (PDF text names the innovation) and sets its SHA256/size from the file, except where a
        test set them; rows whose `_berkas` is False get no file, `_isi` overrides the PDF text,
        `_bytes` the raw content."""
        if self.lengkapi:
            self._pad()
        daftar_cols = ["no", "judul_inovasi", "pemda", *DEFAULT_INOVASI.keys(), "urusan_utama", "link_video",
                       "id_inovasi", "kode_pemda", "rancang_bangun"]
        sid_cols = ["id_inovasi", "kode_pemda", "pemda", "no_indikator", "indikator", "parameter", "informasi",
                    "basis", "data_pendukung", "jenis_file", "ukuran_file_kb", "sha256", "nomor_dokumen",
                    "tanggal_dokumen", "tanggal_unggah"]
        spd_cols = [c for c in sid_cols if c not in ("id_inovasi", "basis")]
        if bukti_dir is not None:
            self._write_bukti(Path(bukti_dir))
        tables = {
            "daftar_inovasi": self._frame(self._daftar, daftar_cols),
            "indikator_inovasi": self._frame(self._sid, sid_cols),
            "indikator_pemda": self._frame(self._spd, spd_cols),
            "profil_pemda": self._frame(
                [{"kode_pemda": k, "pemda": v, "tahun_penilaian": self.tahun} for k, v in self._pemda.items()],
                ["kode_pemda", "pemda", "tahun_penilaian"]),
        }
        tables["daftar_inovasi"]["id_inovasi_diturunkan"] = False
        tables = {k: v for k, v in tables.items() if k in self._tables}
        for t, cols in self._drop_columns.items():
            if t in tables:
                tables[t] = tables[t].drop(columns=[c for c in cols if c in tables[t].columns])
        return Export(source=Path("builder"), kind="bundle", tables=tables, bukti_dir=bukti_dir,
                      tahun_penilaian=self.tahun)

    def _write_bukti(self, d: Path) -> None:
        d.mkdir(parents=True, exist_ok=True)
        titles = {r["id_inovasi"]: r["judul_inovasi"] for r in self._daftar}
        for r in [*self._sid, *self._spd]:
            name = r.get("data_pendukung")
            if not name or r.get("jenis_file") == "link" or str(name).startswith("http") or r.get("_berkas") is False:
                continue
            if "/" in str(name) or "\\" in str(name):
                raise ValueError(f"builder writes only plain names inside bukti/, not {name!r}")
            if "_bytes" in r:
                data = r["_bytes"]
            elif str(name).endswith(".pdf"):
                isi = r.get("_isi") or f"Dokumen {r.get('nomor_dokumen') or ''} berkas {name} tentang {titles.get(r.get('id_inovasi'), 'Pemda')}"
                data = minimal_pdf(isi)
            elif str(name).endswith(".png"):
                data = png_bytes([str(name)], 0)  # a real gradient image; the name keeps every file distinct
            else:
                data = jpeg_bytes([str(name)], 0)
            (d / name).write_bytes(data)
            if not r.get("_sha_tetap"):
                r["sha256"] = hashlib.sha256(data).hexdigest()
        for r in [*self._sid, *self._spd]:
            for k in ("_berkas", "_isi", "_bytes", "_sha_tetap"):
                r.pop(k, None)


def daftar_only(builder: ExportBuilder) -> Export:
    """What the real IID app exports today: only the innovation list (19 columns)."""
    from core.tables import DAFTAR_INOVASI, REAL_EXPORT_COLUMNS

    export = builder.build()
    names = {c.display: c.name for c in DAFTAR_INOVASI.columns}
    keep = [names[c] for c in REAL_EXPORT_COLUMNS] + ["id_inovasi", "kode_pemda", "baris", "id_inovasi_diturunkan"]
    daftar = export.tables["daftar_inovasi"]
    export.tables = {"daftar_inovasi": daftar[[c for c in keep if c in daftar.columns]]}
    export.kind = "daftar"
    export.tahun_penilaian = None
    return export
