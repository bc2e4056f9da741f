"""Small builders of ingested exports and findings for the region-metrics tests.

Tables follow the `core.tables` docstring: canonical snake_case columns, `kode_pemda`,
`id_inovasi`, `no_indikator` / `parameter` as text, `urusan_utama` lower-case.

    export = (ExportBuilder()
              .spd("35.04", spd_answers(default=2, **{"12": 1}))
              .innovations("35.04", 20, answers=sid_answers(default=2, **{"35": 1}))
              .build())
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.catalog import load_catalog
from core.findings import Finding, findings as make_findings
from ingest.export import Export

CATALOG = load_catalog(2026)

#: The six urusan wajib pelayanan dasar as the IID app writes Urusan Utama (lower case).
URUSAN_WAJIB = list(CATALOG.urusan_wajib)
#: An urusan that is not one of the six.
URUSAN_LAIN = "pariwisata"


def sid_answers(default: int | None = 2, **params: int | None) -> dict[str, int | None]:
    """Parameter per SID indicator 16..35: `default` everywhere, overridden per number."""
    out = {no: default for no in CATALOG.sid_numbers}
    out.update({str(k): v for k, v in params.items()})
    return out


def spd_answers(default: int | None = 2, **params: int | None) -> dict[str, int | None]:
    out = {no: default for no in CATALOG.spd_numbers}
    out.update({str(k): v for k, v in params.items()})
    return out


class ExportBuilder:
    def __init__(self, kind: str = "bundle"):
        self.kind = kind
        self.daftar: list[dict] = []
        self.ind_inovasi: list[dict] = []
        self.ind_pemda: list[dict] = []
        self.profil: list[dict] = []
        self._count: dict[str, int] = {}
        self.with_indikator_pemda = True
        self.with_indikator_inovasi = True

    def name_of(self, kode: str | None) -> str:
        return f"Pemda {kode}"

    def innovation(self, kode: str | None, *, urusan: str = "kesehatan", tahapan: str = "Penerapan",
                   answers: dict[str, int | None] | None = None, id_inovasi: str | None = None,
                   judul: str | None = None, pemda_text: str | None = None) -> str:
        """Add one innovation (and its indicator rows; None = row present but no Parameter)."""
        i = self._count.get(kode or "", 0) + 1
        self._count[kode or ""] = i
        iid = id_inovasi or f"{kode}-{i:03d}"
        self.daftar.append({
            "baris": len(self.daftar) + 1, "no": i, "id_inovasi": iid, "kode_pemda": kode,
            "pemda": pemda_text or self.name_of(kode), "judul_inovasi": judul or f"Inovasi {iid}",
            "urusan_utama": urusan, "tahapan_inovasi": tahapan,
        })
        for no, p in (answers or {}).items():
            self.ind_inovasi.append({
                "baris": len(self.ind_inovasi) + 1, "id_inovasi": iid, "kode_pemda": kode,
                "no_indikator": str(no), "parameter": None if p is None else str(p),
                "data_pendukung": f"{iid}-{no}.pdf",
            })
        return iid

    def innovations(self, kode: str, n: int, *, answers: dict[str, int | None] | None = None,
                    urusan: list[str] | str | None = None, tahapan: str = "Penerapan") -> list[str]:
        """n innovations with the same answers; urusan cycles through the given list
        (default: the six urusan wajib, so all six are covered when n ≥ 6)."""
        cycle = [urusan] if isinstance(urusan, str) else (urusan or URUSAN_WAJIB)
        return [self.innovation(kode, urusan=cycle[j % len(cycle)], tahapan=tahapan, answers=answers) for j in range(n)]

    def spd(self, kode: str, answers: dict[str, int | None]) -> "ExportBuilder":
        for no, p in answers.items():
            self.ind_pemda.append({
                "baris": len(self.ind_pemda) + 1, "kode_pemda": kode, "pemda": self.name_of(kode),
                "no_indikator": str(no), "parameter": None if p is None else str(p),
                "data_pendukung": f"{kode}-spd-{no}.pdf",
            })
        return self

    def profile(self, kode: str, tahun: int = 2026) -> "ExportBuilder":
        self.profil.append({"baris": len(self.profil) + 1, "kode_pemda": kode, "pemda": self.name_of(kode),
                            "email": "admin@example.go.id", "tahun_penilaian": tahun})
        return self

    def without_indikator_pemda(self) -> "ExportBuilder":
        self.with_indikator_pemda = False
        return self

    def build(self) -> Export:
        tables = {"daftar_inovasi": _frame(self.daftar, ["baris", "no", "id_inovasi", "kode_pemda", "pemda",
                                                         "judul_inovasi", "urusan_utama", "tahapan_inovasi"])}
        if self.kind != "daftar":
            if self.with_indikator_inovasi:
                tables["indikator_inovasi"] = _frame(self.ind_inovasi, ["baris", "id_inovasi", "kode_pemda",
                                                                        "no_indikator", "parameter", "data_pendukung"])
            if self.with_indikator_pemda:
                tables["indikator_pemda"] = _frame(self.ind_pemda, ["baris", "kode_pemda", "pemda", "no_indikator",
                                                                    "parameter", "data_pendukung"])
            if self.profil:
                tables["profil_pemda"] = _frame(self.profil, ["baris", "kode_pemda", "pemda", "email",
                                                              "tahun_penilaian"])
        return Export(source=Path("export"), kind=self.kind, tables=tables)


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    for c in columns:
        if c not in ("baris", "no", "tahun_penilaian"):
            df[c] = df[c].astype("string")
    return df


def finding(rule_id: str, kode: str | None, *, severity: str = "error", id_inovasi: str | None = None,
            no: str | None = None, kolom: str | None = None, nilai: str | None = None) -> Finding:
    return Finding(rule_id=rule_id, kode_pemda=kode, id_inovasi=id_inovasi, no_indikator=no,
                   kolom=kolom, nilai=nilai, severity=severity, pesan=f"{rule_id} pesan")


def findings(*items: Finding) -> pd.DataFrame:
    return make_findings(list(items))
