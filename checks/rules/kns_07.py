"""KNS-07: a `Koordinat` that cannot be placed, or is not in the standard form.

Operators type coordinates the way their screen shows them (degrees with a hemisphere, DMS,
decimal commas, labels, a Google Maps URL), and a verifier reads those fine: calling them
errors buried the real problems. `checks.koordinat.read_coordinates` reads what people type;
this rule reports, per innovation:

- nothing for the standard `lat, lon` decimal inside Indonesia (catalog `ambang.koordinat`:
  lat −11..6, lon 95..141, ends inclusive), nor for an empty one (LKP-05's);
- **info** `nonstandar`: a point was read from another form; the message carries the standard
  value to paste, so the fix is one copy;
- **warning** `tidak_terbaca` (no point: an address, a short link, a Plus Code, whole degrees,
  one number), `di_luar` (outside Indonesia; `di_luar_saran` when a dropped minus sign or
  swapped order puts it inside, named in the message) and `ambigu` (two readings, both named).

GX: the reading is a derived column; `expect_column_values_to_be_in_set(standar, kosong)`;
the unexpected rows carry their case (`varian`) and the standard value as message fields.
"""

from core.findings import Severity
from checks.registry import GxRule, Variant

#: The reading's status that are fine: nothing to report.
DIAM = ["standar", "kosong"]


def check(ctx):
    import great_expectations.expectations as gxe

    from checks.gx_engine import GxCheck
    from checks.koordinat import read_coordinates

    b = {k: float(v) for k, v in ctx.catalog.ambang.koordinat.model_dump().items()}
    memo = {}

    def reading(df):
        if "r" not in memo:  # the derived columns below share one reading of the column
            memo["r"] = read_coordinates(df["koordinat"], **b)
        return memo["r"]

    def varian(df):
        r = reading(df)
        return r["status"].where(~((r["status"] == "di_luar") & r["saran"].notna()), "di_luar_saran")

    return [
        GxCheck("daftar_inovasi", gxe.ExpectColumnValuesToBeInSet(column="_kns07_status", value_set=DIAM),
                derived={"_kns07_status": lambda df: reading(df)["status"], "_kns07_varian": varian,
                         "_kns07_standar": lambda df: reading(df)["nilai_standar"],
                         "_kns07_saran": lambda df: reading(df)["saran"],
                         "_kns07_alternatif": lambda df: reading(df)["alternatif"]},
                extras={"varian": "_kns07_varian", "nilai_standar": "_kns07_standar", "saran": "_kns07_saran",
                        "alternatif": "_kns07_alternatif"},
                kolom="Koordinat", nilai="koordinat"),
    ]


_WILAYAH_ID = "lintang {lat_min}..{lat_max}, bujur {lon_min}..{lon_max}"
_WILAYAH_EN = "latitude {lat_min}..{lat_max}, longitude {lon_min}..{lon_max}"

RULE = GxRule(
    id="KNS-07",
    severity=Severity.WARNING,
    key=("kode_pemda", "id_inovasi"),
    judul_id="Koordinat tidak terbaca atau di luar Indonesia",
    judul_en="Coordinates unreadable or outside Indonesia",
    pesan_id=(
        "Inovasi '{judul_inovasi}': Koordinat '{nilai}' tidak dapat dibaca sebagai satu titik. Isi dengan "
        "format 'lintang, bujur' berdesimal titik, mis. -8.0654, 111.9025, dari lokasi inovasi."
    ),
    pesan_en=(
        "Innovation '{judul_inovasi}': Koordinat '{nilai}' cannot be read as one point. Enter 'latitude, "
        "longitude' with decimal points, e.g. -8.0654, 111.9025, for the innovation's location."
    ),
    perbaikan_id="Isi koordinat sebagai 'lintang, bujur' di wilayah Indonesia, misalnya -7.607, 112.540.",
    perbaikan_en="Enter coordinates as 'latitude, longitude' within Indonesia, e.g. -7.607, 112.540.",
    variants={
        "nonstandar": Variant(
            Severity.INFO,
            "Inovasi '{judul_inovasi}': Koordinat '{nilai}' terbaca sebagai {nilai_standar}, tetapi tidak dalam "
            "format standar. Salin nilai ini ke kolom Koordinat: {nilai_standar}",
            "Innovation '{judul_inovasi}': Koordinat '{nilai}' reads as {nilai_standar} but is not in the standard "
            "form. Paste this value into Koordinat: {nilai_standar}",
        ),
        "tidak_terbaca": Variant(
            Severity.WARNING,
            "Inovasi '{judul_inovasi}': Koordinat '{nilai}' tidak dapat dibaca sebagai satu titik (alamat, tautan "
            "pendek, Plus Code, derajat bulat, atau hanya satu angka). Isi 'lintang, bujur' berdesimal titik dari "
            "lokasi inovasi, mis. -8.0654, 111.9025 (di Google Maps: klik kanan pada lokasi, salin angkanya).",
            "Innovation '{judul_inovasi}': Koordinat '{nilai}' cannot be read as one point (an address, a short "
            "link, a Plus Code, whole degrees or a single number). Enter 'latitude, longitude' with decimal points "
            "for the innovation's location, e.g. -8.0654, 111.9025 (in Google Maps: right-click the place, copy "
            "the numbers).",
        ),
        "di_luar": Variant(
            Severity.WARNING,
            "Inovasi '{judul_inovasi}': Koordinat '{nilai}' berada di luar wilayah Indonesia ("
            + _WILAYAH_ID + "). Periksa lokasi inovasi dan isi ulang 'lintang, bujur'.",
            "Innovation '{judul_inovasi}': Koordinat '{nilai}' lies outside Indonesia ("
            + _WILAYAH_EN + "). Check the innovation's location and enter 'latitude, longitude' again.",
        ),
        "di_luar_saran": Variant(
            Severity.WARNING,
            "Inovasi '{judul_inovasi}': Koordinat '{nilai}' berada di luar wilayah Indonesia ("
            + _WILAYAH_ID + "). Kemungkinan tanda minus hilang atau lintang dan bujur tertukar: {saran} berada "
            "di Indonesia. Jika itu lokasinya, isi Koordinat dengan {saran}",
            "Innovation '{judul_inovasi}': Koordinat '{nilai}' lies outside Indonesia ("
            + _WILAYAH_EN + "). A minus sign was probably dropped or latitude and longitude swapped: {saran} is in "
            "Indonesia. If that is the place, enter {saran} as Koordinat",
        ),
        "ambigu": Variant(
            Severity.WARNING,
            "Inovasi '{judul_inovasi}': Koordinat '{nilai}' dapat dibaca dua cara: {alternatif}. Tulis ulang "
            "sebagai 'lintang, bujur' dengan titik desimal agar hanya ada satu arti.",
            "Innovation '{judul_inovasi}': Koordinat '{nilai}' can be read two ways: {alternatif}. Write it again "
            "as 'latitude, longitude' with decimal points so it has one meaning.",
        ),
    },
    needs=("daftar_inovasi.koordinat",),
    check=check,
    extra=lambda catalog: {k: f"{v:g}" for k, v in catalog.ambang.koordinat.model_dump().items()},
)
