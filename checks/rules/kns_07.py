"""KNS-07: `Koordinat` unparseable, or outside Indonesia (catalog `ambang.koordinat`: lat
−11..6, lon 95..141, ends inclusive). Empty coordinates are LKP-05's, not this rule's.

GX: derived latitude/longitude (parsed vectorized by `rulekit.parse_koordinat`), then
`expect_column_values_to_be_between` on each, and a derived "readable" flag expected in
{True}; one finding per innovation.
"""

from core.findings import Severity
from checks.registry import Rule


def check(ctx):
    import great_expectations.expectations as gxe

    from checks.gx_engine import GxCheck
    from checks.rulekit import parse_koordinat

    b = ctx.catalog.ambang["koordinat"]

    def lat(df):
        return parse_koordinat(df["koordinat"])["lat"]

    def lon(df):
        return parse_koordinat(df["koordinat"])["lon"]

    def readable(df):
        p = parse_koordinat(df["koordinat"])
        return (df["koordinat"].isna() | (p["lat"].notna() & p["lon"].notna())).astype(bool)

    kw = dict(kolom="Koordinat", nilai="koordinat")
    return [
        GxCheck("daftar_inovasi", gxe.ExpectColumnValuesToBeInSet(column="_kns07_terbaca", value_set=[True]),
                derived={"_kns07_terbaca": readable}, **kw),
        GxCheck("daftar_inovasi", gxe.ExpectColumnValuesToBeBetween(
            column="_kns07_lat", min_value=float(b["lat_min"]), max_value=float(b["lat_max"])),
            derived={"_kns07_lat": lat}, **kw),
        GxCheck("daftar_inovasi", gxe.ExpectColumnValuesToBeBetween(
            column="_kns07_lon", min_value=float(b["lon_min"]), max_value=float(b["lon_max"])),
            derived={"_kns07_lon": lon}, **kw),
    ]


RULE = Rule(
    id="KNS-07",
    severity=Severity.WARNING,
    key=("kode_pemda", "id_inovasi"),
    judul_id="Koordinat tidak terbaca atau di luar Indonesia",
    judul_en="Coordinates unreadable or outside Indonesia",
    pesan_id=(
        "Inovasi '{judul_inovasi}': Koordinat '{nilai}' tidak dapat dibaca atau berada di luar wilayah Indonesia "
        "(lintang {lat_min}..{lat_max}, bujur {lon_min}..{lon_max}). Isi dengan format 'lintang, bujur' "
        "berdesimal titik, mis. -8.0654, 111.9025, dari lokasi inovasi."
    ),
    pesan_en=(
        "Innovation '{judul_inovasi}': Koordinat '{nilai}' cannot be read or lies outside Indonesia (latitude "
        "{lat_min}..{lat_max}, longitude {lon_min}..{lon_max}). Enter 'latitude, longitude' with decimal points, "
        "e.g. -8.0654, 111.9025, for the innovation's location."
    ),
    perbaikan_id="Isi koordinat sebagai 'lintang, bujur' di wilayah Indonesia, misalnya -7.607, 112.540.",
    perbaikan_en="Enter coordinates as 'latitude, longitude' within Indonesia, e.g. -7.607, 112.540.",
    needs=("daftar_inovasi.koordinat",),
    engine="gx",
    check=check,
    extra=lambda catalog: dict(catalog.ambang["koordinat"]),
)
