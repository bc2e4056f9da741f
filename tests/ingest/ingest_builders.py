"""Builders for ingest tests: exports written the way the IID app (or a person with Excel)
writes them, and `assert_findings` to say which SKM findings must come out.

Module name is unique on purpose (other test areas have their own `builders.py`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable

import openpyxl
import pandas as pd

from core.tables import REAL_EXPORT_COLUMNS

SID = [str(n) for n in range(16, 36)]


def innovation(**over) -> dict:
    """One clean row of the real 19-column innovation list (display headers), overridable
    by snake-case keyword: `innovation(jenis="Teknologi", pemda="Kota Batu")`."""
    row = {
        "No": "1",
        "Judul Inovasi": "Sistem Antrean Puskesmas",
        "Pemda": "Kab. Tulungagung",
        "Admin OPD": "Dinas Kesehatan (tulungagungkab.dinkes)",
        "Inisiator": "OPD",
        "Nama Inisiator": "-",
        "Bentuk Inovasi": "Inovasi pelayanan publik",
        "Jenis": "Digital",
        "Asta Cipta": "-",
        "Urusan Utama": "kesehatan",
        "Urusan lain yang beririsan": "",
        "Kematangan": "80",
        "Tahapan Inovasi": "Penerapan",
        "Tanggal Input": "27-02-2025",
        "Tanggal Penerapan": "01-03-2024",
        "Tanggal Pengembangan": "-",
        "Koordinat": "-8.06, 111.90",
        "Video": "Ada",
        "Link Video": "https://youtu.be/abc",
    }
    by_snake = {c.lower().replace(" ", "_"): c for c in row}
    by_snake.update({"id_inovasi": "ID Inovasi", "kode_pemda": "Kode Pemda"})
    for k, v in over.items():
        row[by_snake.get(k, k)] = v
    return row


def daftar(*rows: dict) -> pd.DataFrame:
    """Innovation list; `No` renumbered 1..n unless a row sets it."""
    df = pd.DataFrame(list(rows)).fillna("")
    return df


def indikator(id_inovasi: str | None = None, numbers: Iterable[str] = SID, **over) -> pd.DataFrame:
    """Indikator Inovasi rows for one innovation: one per indicator number."""
    rows = []
    for no in numbers:
        row = {
            "ID Inovasi": id_inovasi,
            "No Indikator": no,
            "Parameter": "2",
            "Data Pendukung": f"{id_inovasi}_{no}.pdf",
            "Jenis File": "pdf",
            "Ukuran File (KB)": "120",
            "Tanggal Dokumen": "10-01-2025",
        }
        row.update(over)
        rows.append({k: v for k, v in row.items() if v is not None or k != "ID Inovasi"})
    return pd.DataFrame(rows)


def write_csv(path: Path, df: pd.DataFrame, *, encoding: str = "utf-8", sep: str = ",", bom: bool = False) -> Path:
    """Write exactly these bytes (encoding, delimiter, optional UTF-8 BOM)."""
    text = df.to_csv(index=False, sep=sep, lineterminator="\r\n")
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write_workbook(path: Path, sheets: dict[str, pd.DataFrame | list[list]]) -> Path:
    """An .xlsx with openpyxl (what Excel writes), one sheet per entry; a list of lists is
    written cell by cell (keeps native numbers and dates)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, data in sheets.items():
        ws = wb.create_sheet(name)
        if isinstance(data, pd.DataFrame):
            ws.append(list(data.columns))
            for row in data.itertuples(index=False):
                ws.append(list(row))
        else:
            for row in data:
                ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _matches(df: pd.DataFrame, rule_id: str, fields: dict) -> pd.Series:
    m = df["rule_id"] == rule_id
    for k, v in fields.items():
        col = df[k]
        if k == "baris" and v is not None:
            m &= pd.to_numeric(col, errors="coerce") == v
        elif v is None:
            m &= col.isna()
        else:
            m &= col.astype(object) == v
    return m


def assert_findings(export, expected: list[tuple[str, dict]], *, exact: bool = False) -> None:
    """Each (rule_id, {field: value}) must match at least one finding. With `exact`, the
    export has no other finding of the rules named in `expected`."""
    f = export.findings
    for rule_id, fields in expected:
        assert _matches(f, rule_id, fields).any(), (
            f"missing {rule_id} {fields}; got:\n"
            + f[["rule_id", "tabel", "baris", "kolom", "nilai", "kode_pemda"]].to_string()
        )
    if exact:
        rules = {r for r, _ in expected}
        got = f[f["rule_id"].isin(rules)]
        assert len(got) == len(expected), f"expected exactly {len(expected)} findings, got:\n{got.to_string()}"


def assert_no_finding(export, rule_id: str, **fields) -> None:
    f = export.findings
    hit = f[_matches(f, rule_id, fields)]
    assert hit.empty, f"unexpected {rule_id}:\n{hit.to_string()}"


def real_layout_rows() -> list[list]:
    """The real app's 19 columns with native cells as Excel holds them: text dates, `-`,
    `Teknologi`, both `Kab.`/`Kabupaten` spellings, a province, a kota, a native date cell."""
    header = list(REAL_EXPORT_COLUMNS)
    base = innovation()
    rows = [header]
    specs = [
        dict(No=1, **{"Judul Inovasi": "Jatim Satu Data", "Pemda": "Provinsi Jawa Timur", "Jenis": "Teknologi"}),
        dict(No=2, **{"Judul Inovasi": "Posyandu Remaja", "Pemda": "Kab. Tulungagung", "Tanggal Pengembangan": "-"}),
        dict(No=3, **{"Judul Inovasi": "Bank Sampah Digital", "Pemda": "Kota Batu", "Video": "Tidak Ada", "Link Video": "-"}),
        dict(No=4, **{"Judul Inovasi": "Ronda Malam Online", "Pemda": "Kabupaten Tulungagung",
                      "Tanggal Input": dt.datetime(2025, 1, 15), "Kematangan": 33.5}),
    ]
    for spec in specs:
        r = dict(base)
        r.update(spec)
        rows.append([r[c] for c in header])
    return rows
