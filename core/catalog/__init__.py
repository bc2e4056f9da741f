"""Year-versioned IID catalog: indicators, weights, allowed values, thresholds, formula.

The facts live in `core/catalog/<year>.yaml`; this module loads them into frozen pydantic
models (validated: a year file with a wrong value is one clear error naming it), with the
thresholds as typed fields (`catalog.ambang.judul_mirip_min_skor`). A year file may say
`dasar: <year>` to inherit what it does not restate (used for 2023, whose weights were not
recovered).
"""

from __future__ import annotations

import copy
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.outcomes import UsageError

CATALOG_DIR = Path(__file__).parent


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Indicator(_Model):
    no: str
    nama: str
    bobot: float = Field(ge=0)
    wajib: bool
    kelompok: Literal["SPD", "SID"]
    jenis_file: tuple[str, ...]
    variabel: str = ""
    parameter: tuple[str, ...] = ()
    bukti: str = ""


class Predicate(_Model):
    nama: str
    min: float


class Rentang(_Model):
    min: float
    max: float


class Wilayah(_Model):
    """Bounds of a point in Indonesia (inclusive)."""

    lat_min: float
    lat_max: float
    lon_min: float
    lon_max: float


class Ambang(_Model):
    """The thresholds of the rules, by the rule that uses each (YAML `ambang:`)."""

    rancang_bangun_min_kata: int = Field(gt=0)  # LKP-06
    ukuran_min_kb: dict[str, float]  # BKT-05, per file type
    dokumen_tertua_tahun_mundur: int = Field(ge=0)  # BKT-04: before 1 January of T - this
    kematangan: Rentang  # KNS-04
    koordinat: Wilayah  # KNS-07
    judul_mirip_min_skor: float = Field(gt=0, le=100)  # KNS-05
    video_host: tuple[str, ...]  # BKT-08
    #: BKT-10: rapidfuzz partial_ratio of the innovation's name in the regulation's text
    regulasi_judul_min_skor: float = Field(default=85, gt=0, le=100)


class Catalog(_Model):
    tahun: int
    pedoman: str
    spd: tuple[Indicator, ...]
    sid: tuple[Indicator, ...]
    pembagi_minimum: int
    jumlah_inovasi_faktor: float
    jumlah_inovasi_batas: int
    urusan_minimum: int
    total_maksimum: float
    predikat: tuple[Predicate, ...]
    jendela_mulai: date
    jendela_selesai: date
    urusan_wajib: tuple[str, ...]
    nilai_sah: dict[str, tuple[str, ...]]
    #: values the IID app offers beyond `nilai_sah` (per column; SKM-03 reports them once per Pemda)
    nilai_aplikasi: dict[str, tuple[str, ...]] = {}
    ambang: Ambang
    basis: dict[str, str]
    raw: dict[str, Any] = Field(repr=False)

    @property
    def indicators(self) -> dict[str, Indicator]:
        return {i.no: i for i in (*self.spd, *self.sid)}

    def indicator(self, no: str) -> Indicator:
        return self.indicators[str(no)]

    @property
    def sid_numbers(self) -> list[str]:
        return [i.no for i in self.sid]

    @property
    def spd_numbers(self) -> list[str]:
        return [i.no for i in self.spd]

    def predikat_for(self, skor: float) -> str:
        """Highest band whose lower bound the (rounded) score reaches."""
        s = round(float(skor), 2)
        for p in self.predikat:
            if s >= p.min:
                return p.nama
        return self.predikat[-1].nama


def available_years() -> list[int]:
    return sorted(int(p.stem) for p in CATALOG_DIR.glob("*.yaml") if p.stem.isdigit())


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _raw(year: int) -> dict[str, Any]:
    path = CATALOG_DIR / f"{year}.yaml"
    if not path.is_file():
        years = ", ".join(map(str, available_years()))
        raise UsageError(
            f"Katalog tahun {year} tidak tersedia (tersedia: {years})",
            f"No catalog for year {year} (available: {years})",
        )
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "dasar" in data:
        data = _merge(_raw(int(data["dasar"])), {k: v for k, v in data.items() if k != "dasar"})
    return data


@lru_cache(maxsize=None)
def load_catalog(year: int) -> Catalog:
    """The catalog of assessment year `year`; UsageError for a year without a file."""
    d = _raw(int(year))
    spd_types = tuple(d.get("spd_jenis_file", ["pdf"]))
    spd = tuple(
        Indicator(
            no=str(i["nomor"]), nama=i["nama"], bobot=float(i["bobot"]), wajib=bool(i["wajib"]),
            kelompok="SPD", jenis_file=tuple(i.get("jenis_file", spd_types)), variabel=i.get("variabel", ""),
        )
        for i in d["spd"]
    )
    renamed = {str(k): v for k, v in (d.get("sid_nama") or {}).items()}
    sid = tuple(
        Indicator(
            no=str(i["nomor"]), nama=renamed.get(str(i["nomor"]), i["nama"]), bobot=float(i["bobot"]),
            wajib=bool(i["wajib"]), kelompok="SID", jenis_file=tuple(i["jenis_file"]),
            parameter=tuple(i.get("parameter", ())), bukti=i.get("bukti", ""),
        )
        for i in d["sid"]
    )
    basis = next((i.get("basis", {}) for i in d["sid"] if "basis" in i), {})
    try:
        return _catalog(d, spd, sid, basis)
    except ValidationError as exc:
        raise UsageError(f"Katalog tahun {year} tidak sah: {_problems(exc)}",
                         f"The {year} catalog is not valid: {_problems(exc)}") from None


def _problems(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])


def _catalog(d: dict, spd: tuple, sid: tuple, basis: dict) -> Catalog:
    f = d["formula"]
    w = f["jendela_kelayakan"]
    return Catalog(
        tahun=int(d["tahun"]),
        pedoman=d.get("pedoman", ""),
        spd=spd,
        sid=sid,
        pembagi_minimum=int(f["pembagi_minimum"]),
        jumlah_inovasi_faktor=float(f["jumlah_inovasi"]["faktor"]),
        jumlah_inovasi_batas=int(f["jumlah_inovasi"]["batas"]),
        urusan_minimum=int(f["jumlah_inovasi"]["urusan_minimum"]),
        total_maksimum=float(f["total_maksimum"]),
        predikat=tuple(sorted((Predicate(nama=p["nama"], min=float(p["min"])) for p in f["predikat"]), key=lambda p: -p.min)),
        jendela_mulai=w["mulai"],
        jendela_selesai=w["selesai"],
        urusan_wajib=tuple(d["urusan_wajib_pelayanan_dasar"]),
        nilai_sah={k: tuple(str(x) for x in v) for k, v in d["nilai_sah"].items()},
        nilai_aplikasi={k: tuple(str(x) for x in v) for k, v in (d.get("nilai_aplikasi") or {}).items()},
        ambang=Ambang.model_validate(d["ambang"]),
        basis={str(k): v for k, v in basis.items()},
        raw=d,
    )
