"""The tables of an IID export, declared as data (`../shared/spec/export-format.md`).

Each table has a canonical snake_case key (`daftar_inovasi`), the display name the IID app
uses (`Daftar Inovasi`), its CSV file name, and its columns. Column `kind` says how ingest
parses the text the app writes:

- `text`: stripped string; the empty markers of `NO_VALUE_MARKERS` (`-`, blank, `Tidak Diisi`,
  `null`, `N/A`, …) become missing (NA).
- `int` / `number`: decimal comma or point; unparseable text → SKM-02, value kept as NA.
- `date`: `DD-MM-YYYY`, `DD/MM/YYYY`, `YYYY-MM-DD`, `27 Februari 2024`; unparseable → SKM-02.
- `code`: text that must keep its exact form (`35.04`, `2a`, `1`): never parsed as a number.

After ingest every table is a DataFrame whose columns are the canonical names of the columns
the file had (missing optional columns are *absent*, so rules know they cannot run), plus:

- `baris`: 1-based data-row number in the source (header excluded) for messages;
- `kode_pemda`: Kemendagri code resolved from `Pemda`/`Kode Pemda` (NA when unknown);
- in `daftar_inovasi`, `id_inovasi` always (derived as `<kode_pemda>-<No>` when absent,
  `id_inovasi_diturunkan` = True then);
- in `indikator_inovasi`, `id_inovasi` always: the `ID Inovasi` text, or the Daftar Inovasi id
  found by (kode_pemda, normalized Judul Inovasi); NA when the innovation is unknown (SKM-06).

Dtypes: text and code columns are object with NaN for missing; `date` datetime64[ns] (NaT);
`number` float64; `int` Int64; `baris` int64; `id_inovasi_diturunkan` bool.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str  # canonical snake_case
    display: str  # as the IID app writes the header
    kind: str = "text"  # text | int | number | date | code
    required: bool = False  # SKM-01 when a present table lacks it
    #: empty markers of this column only, on top of NO_VALUE_MARKERS (case-folded)
    kosong: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    key: str
    display: str
    csv_name: str
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


#: The 19 columns of the real IID innovation-list export, in the app's order.
REAL_EXPORT_COLUMNS: tuple[str, ...] = (
    "No",
    "Judul Inovasi",
    "Pemda",
    "Admin OPD",
    "Inisiator",
    "Nama Inisiator",
    "Bentuk Inovasi",
    "Jenis",
    "Asta Cipta",
    "Urusan Utama",
    "Urusan lain yang beririsan",
    "Kematangan",
    "Tahapan Inovasi",
    "Tanggal Input",
    "Tanggal Penerapan",
    "Tanggal Pengembangan",
    "Koordinat",
    "Video",
    "Link Video",
)

DAFTAR_INOVASI = Table(
    key="daftar_inovasi",
    display="Daftar Inovasi",
    csv_name="daftar_inovasi.csv",
    columns=(
        Column("no", "No", "int"),
        Column("judul_inovasi", "Judul Inovasi", required=True),
        Column("pemda", "Pemda", required=True),
        Column("admin_opd", "Admin OPD"),
        Column("inisiator", "Inisiator"),
        Column("nama_inisiator", "Nama Inisiator"),
        Column("bentuk_inovasi", "Bentuk Inovasi"),
        Column("jenis", "Jenis"),
        Column("asta_cipta", "Asta Cipta"),
        Column("urusan_utama", "Urusan Utama"),
        Column("urusan_lain_yang_beririsan", "Urusan lain yang beririsan"),
        Column("kematangan", "Kematangan", "number"),
        Column("tahapan_inovasi", "Tahapan Inovasi", required=True),
        Column("tanggal_input", "Tanggal Input", "date"),
        Column("tanggal_penerapan", "Tanggal Penerapan", "date"),
        Column("tanggal_pengembangan", "Tanggal Pengembangan", "date"),
        Column("koordinat", "Koordinat", kosong=("tidak ada",)),  # "no location": empty, LKP-05
        Column("video", "Video"),
        Column("link_video", "Link Video"),
        # optional columns of the full export
        Column("id_inovasi", "ID Inovasi", "code"),
        Column("kode_pemda", "Kode Pemda", "code"),
        Column("tanggal_uji_coba", "Tanggal Uji Coba", "date"),
        Column("rancang_bangun", "Rancang Bangun"),
        Column("tujuan", "Tujuan"),
        Column("manfaat", "Manfaat"),
        Column("hasil_inovasi", "Hasil Inovasi"),
        Column("anggaran", "Anggaran", "number"),
    ),
)

_EVIDENCE_COLUMNS: tuple[Column, ...] = (
    Column("indikator", "Indikator"),
    Column("parameter", "Parameter", "code", required=True),
    Column("informasi", "Informasi"),
    Column("data_pendukung", "Data Pendukung", required=True),
    Column("jenis_file", "Jenis File"),
    Column("ukuran_file_kb", "Ukuran File (KB)", "number"),
    Column("sha256", "SHA256", "code"),
    Column("nomor_dokumen", "Nomor Dokumen"),
    Column("tanggal_dokumen", "Tanggal Dokumen", "date"),
    Column("tanggal_unggah", "Tanggal Unggah", "date"),
)

INDIKATOR_INOVASI = Table(
    key="indikator_inovasi",
    display="Indikator Inovasi",
    csv_name="indikator_inovasi.csv",
    columns=(
        Column("id_inovasi", "ID Inovasi", "code"),
        Column("kode_pemda", "Kode Pemda", "code"),
        Column("pemda", "Pemda"),
        Column("judul_inovasi", "Judul Inovasi"),
        Column("no_indikator", "No Indikator", "code", required=True),
        *_EVIDENCE_COLUMNS[:3],
        Column("basis", "Basis"),
        *_EVIDENCE_COLUMNS[3:],
    ),
)

INDIKATOR_PEMDA = Table(
    key="indikator_pemda",
    display="Indikator Pemda",
    csv_name="indikator_pemda.csv",
    columns=(
        Column("kode_pemda", "Kode Pemda", "code"),
        Column("pemda", "Pemda"),
        Column("no_indikator", "No Indikator", "code", required=True),
        *_EVIDENCE_COLUMNS,
    ),
)

PROFIL_PEMDA = Table(
    key="profil_pemda",
    display="Profil Pemda",
    csv_name="profil_pemda.csv",
    columns=(
        Column("kode_pemda", "Kode Pemda", "code"),
        Column("pemda", "Pemda"),
        Column("nama_admin", "Nama Admin"),
        Column("email", "Email"),
        Column("telepon", "Telepon", "code"),
        Column("tahun_penilaian", "Tahun Penilaian", "int"),
    ),
)

TABLES: dict[str, Table] = {t.key: t for t in (DAFTAR_INOVASI, INDIKATOR_INOVASI, INDIKATOR_PEMDA, PROFIL_PEMDA)}

#: Cell texts that mean "no value" in IID exports (compared case-insensitively after strip).
#: Text that means "nothing here", compared case-folded after stripping: what the IID app
#: writes (`-`, `Tidak Diisi`) and what other systems and spreadsheets write for an empty cell
#: (`null`, `None`, `N/A`, `#N/A`, `nan`). One list for every text cell: an empty Koordinat is
#: LKP-05's, never KNS-07's. (`Tidak Ada` is not here: it is an answer, e.g. of `Video`.)
NO_VALUE_MARKERS: frozenset[str] = frozenset({"", "-", "--", "tidak diisi", "null", "none", "nan", "n/a", "#n/a",
                                              "na"})
