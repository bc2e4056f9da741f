"""Hand-made AuditResults for report tests, following the declared shapes
(`checks.metrics` column lists, `core.findings.ALL_COLUMNS`, `core.tables`).

    result = (NationBuilder()
              .pemda("35.04", "Kabupaten Tulungagung", "Jawa Timur", innovations=3, skor=(52.3, 38.1), persen=33.38)
              .finding("BKT-05", "35.04", inovasi=1, no="16", pesan="Bukti terlalu kecil")
              .slot("35.04", inovasi=1, no="16", status="error", poin=0.45)
              .build(tmp_path))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from core.catalog import load_catalog
from core.findings import ALL_COLUMNS, Finding, findings as make_findings
from checks.metrics import INOVASI_COLUMNS, PER_ATURAN_COLUMNS, RINGKASAN_CONTRACT, RINGKASAN_EXTRA, SLOT_COLUMNS, Metrics
from job.pipeline import AuditResult
from ingest.export import Export

SEVERITY_OF = {"SKM": "error", "LKP": "warning", "BKT": "error", "KNS": "warning"}


@dataclass
class _Inov:
    id: str
    judul: str
    link_video: str | None = "https://www.youtube.com/watch?v=abc"
    tahapan: str = "Penerapan"
    opd: str = "Dinas Kesehatan"
    poin: float = 0.0


@dataclass
class _Pemda:
    kode: str
    nama: str
    provinsi: str | None
    skor: tuple[float, float] | None
    persen: float | None
    urusan: int = 5
    inovasi: list[_Inov] = field(default_factory=list)


class NationBuilder:
    def __init__(self, tahun: int = 2026, as_of: date = date(2026, 3, 2)):
        self.catalog = load_catalog(tahun)
        self.as_of = as_of
        self.pemdas: dict[str, _Pemda] = {}
        self.findings: list[Finding] = []
        self.slots: dict[tuple[str, str, str], tuple[str, float]] = {}
        self.not_checked_rows: list[dict] = []
        self.indicator_tables = True

    # -- regions and innovations ----------------------------------------------------------
    def pemda(self, kode, nama, provinsi="Jawa Timur", *, innovations: int | list[str] = 2,
              skor: tuple[float, float] | None = (52.3, 38.1), persen: float | None = 33.38,
              urusan: int = 5) -> "NationBuilder":
        """`urusan`: how many urusan wajib pelayanan dasar the innovations cover (5 of 6 needed)."""
        titles = [f"Inovasi {i + 1} {nama}" for i in range(innovations)] if isinstance(innovations, int) else innovations
        p = _Pemda(kode, nama, provinsi, skor, persen, urusan)
        p.inovasi = [_Inov(f"{kode}-{i + 1}", t) for i, t in enumerate(titles)]
        self.pemdas[kode] = p
        return self

    def innovation(self, kode: str, n: int) -> _Inov:
        """The n-th (1-based) innovation of a Pemda, to adjust its fields."""
        return self.pemdas[kode].inovasi[n - 1]

    def id_of(self, kode: str, n: int | None) -> str | None:
        return None if n is None else self.innovation(kode, n).id

    # -- findings, slots, not-checked -------------------------------------------------------
    def finding(self, rule_id: str, kode: str, *, inovasi: int | None = None, no: str | None = None,
                severity: str | None = None, kolom: str | None = None, nilai: str | None = None,
                pesan: str | None = None, tabel: str | None = None, baris: int | None = None) -> "NationBuilder":
        p = self.pemdas[kode]
        inv = self.innovation(kode, inovasi) if inovasi else None
        self.findings.append(
            Finding(
                rule_id=rule_id, kode_pemda=kode, pemda=p.nama,
                id_inovasi=inv.id if inv else None, judul_inovasi=inv.judul if inv else None,
                no_indikator=no, kolom=kolom, nilai=nilai, tabel=tabel, baris=baris,
                severity=severity or SEVERITY_OF[rule_id.split("-")[0]],
                pesan=pesan or f"Pesan {rule_id} untuk {p.nama}",
            )
        )
        return self

    def many_findings(self, kode: str, n: int, *, pesan_len: int = 160) -> "NationBuilder":
        """n distinct error findings spread over the Pemda's innovations and SID indicators."""
        invs = self.pemdas[kode].inovasi
        sid = self.catalog.sid_numbers
        for i in range(n):
            self.finding("BKT-05", kode, inovasi=(i % len(invs)) + 1, no=sid[i % len(sid)],
                         nilai=f"bukti-{i}.pdf", pesan=f"Temuan nomor {i}: " + "x" * pesan_len)
        return self

    def slot(self, kode: str, *, inovasi: int | None, no: str, status: str, poin: float = 0.0) -> "NationBuilder":
        self.slots[(kode, self.id_of(kode, inovasi) or "", no)] = (status, poin)
        if inovasi and poin:
            self.innovation(kode, inovasi).poin += poin
        return self

    def not_checked(self, rule_id: str, kode: str | None = None, alasan: str = "kolom tidak ada") -> "NationBuilder":
        self.not_checked_rows.append({"rule_id": rule_id, "kode_pemda": kode, "alasan": alasan})
        return self

    def without_indicator_tables(self) -> "NationBuilder":
        """The real IID app export: only Daftar Inovasi, so no slots and no scores."""
        self.indicator_tables = False
        for p in self.pemdas.values():
            p.skor, p.persen = None, None
        return self

    # -- build ---------------------------------------------------------------------------
    def build(self, out_dir: Path) -> AuditResult:
        cat = self.catalog
        findings = make_findings(self.findings)[ALL_COLUMNS]
        ring, inov, slot, daftar = [], [], [], []
        for p in self.pemdas.values():
            fk = findings[findings["kode_pemda"] == p.kode]
            n = len(p.inovasi)
            klaim, verif = p.skor if p.skor else (float("nan"), float("nan"))
            ring.append({
                "kode_pemda": p.kode, "pemda": p.nama, "jumlah_inovasi": n,
                "persen_indikator_bermasalah": p.persen if p.persen is not None else float("nan"),
                "skor_klaim": klaim, "predikat_klaim": cat.predikat_for(klaim) if p.skor else None,
                "skor_terverifikasi": verif, "predikat_terverifikasi": cat.predikat_for(verif) if p.skor else None,
                "jumlah_error": int((fk["severity"] == "error").sum()),
                "jumlah_warning": int((fk["severity"] == "warning").sum()),
                "jumlah_info": int((fk["severity"] == "info").sum()),
                "provinsi": p.provinsi, "selisih_skor": klaim - verif,
                "skor_spd_klaim": None, "skor_spd_terverifikasi": None, "skor_sid_klaim": None,
                "skor_sid_terverifikasi": None, "skor_jumlah_inovasi": None, "pembagi": max(12, n),
                "urusan_wajib_tercakup": p.urusan, "jumlah_inisiatif": 0, "jumlah_uji_coba": 0, "jumlah_penerapan": n,
                "slot_indikator": len(cat.spd) + 20 * n if self.indicator_tables else None,
                "slot_bermasalah": None,
            })
            ranked = sorted(p.inovasi, key=lambda v: -v.poin)
            for rank, v in enumerate(ranked, start=1):
                inov.append({"kode_pemda": p.kode, "id_inovasi": v.id, "judul_inovasi": v.judul,
                             "skor_klaim": 80.0 if self.indicator_tables else None,
                             "skor_terverifikasi": 80.0 - v.poin * 10 if self.indicator_tables else None,
                             "poin_iid_hilang": v.poin if self.indicator_tables else None, "peringkat": rank})
            for i, v in enumerate(p.inovasi, start=1):
                daftar.append({"no": i, "id_inovasi": v.id, "kode_pemda": p.kode, "pemda": p.nama,
                               "judul_inovasi": v.judul, "tahapan_inovasi": v.tahapan, "admin_opd": v.opd,
                               "video": "Ada" if v.link_video else "Tidak Ada", "link_video": v.link_video,
                               "baris": i})
            if self.indicator_tables:
                keys = [("", ind.no, "SPD") for ind in cat.spd]
                keys += [(v.id, ind.no, "SID") for v in p.inovasi for ind in cat.sid]
                for inv_id, no, kelompok in keys:
                    status, poin = self.slots.get((p.kode, inv_id, no), ("ok", 0.0))
                    slot.append({"kode_pemda": p.kode, "id_inovasi": inv_id or None, "no_indikator": no,
                                 "kelompok": kelompok, "parameter": None if status == "kosong" else 2,
                                 "status": status, "skor_klaim": 0.0 if status == "kosong" else 4.0,
                                 "skor_terverifikasi": 0.0 if status in ("kosong", "error") else 4.0,
                                 "poin_iid_hilang": poin})
        per_aturan = (findings.groupby(["kode_pemda", "rule_id", "severity"]).size().reset_index(name="jumlah")
                      if len(findings) else pd.DataFrame(columns=PER_ATURAN_COLUMNS))
        metrics = Metrics(
            ringkasan=pd.DataFrame(ring, columns=RINGKASAN_CONTRACT + RINGKASAN_EXTRA),
            inovasi=pd.DataFrame(inov, columns=INOVASI_COLUMNS),
            slot=pd.DataFrame(slot, columns=SLOT_COLUMNS),
            per_aturan=per_aturan[PER_ATURAN_COLUMNS],
        )
        tables = {"daftar_inovasi": pd.DataFrame(daftar)}
        if self.indicator_tables:
            tables["indikator_inovasi"] = pd.DataFrame(columns=["id_inovasi", "no_indikator", "parameter"])
            tables["indikator_pemda"] = pd.DataFrame(columns=["kode_pemda", "no_indikator", "parameter"])
        export = Export(source=Path("ekspor-2026.xlsx"), kind="bundle" if self.indicator_tables else "daftar",
                        tables=tables, tahun_penilaian=cat.tahun)
        nc = pd.DataFrame(self.not_checked_rows, columns=["rule_id", "kode_pemda", "alasan"])
        return AuditResult(Path(out_dir), export, cat, findings, metrics, nc, as_of=self.as_of)


class Page(HTMLParser):
    """Parsed page: tags with attributes, and the visible text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.texts: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())

    def attrs(self, name: str) -> list[str]:
        return [a[name] for _, a in self.tags if a.get(name) is not None]


def parse(path_or_html) -> Page:
    html = Path(path_or_html).read_text(encoding="utf-8") if isinstance(path_or_html, Path) else path_or_html
    return Page(html)


class Tables(HTMLParser):
    """Every <table> of a page as rows of cells: (text, attributes)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, dict]]]] = []
        self._stack: list[list] = []
        self._cell: list | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._stack[-1].append([])
        elif tag in ("td", "th") and self._stack and self._stack[-1]:
            self._cell = ["", dict(attrs)]

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._stack and self._stack[-1]:
            self._stack[-1][-1].append((" ".join(self._cell[0].split()), self._cell[1]))
            self._cell = None
        elif tag == "table" and self._stack:
            self.tables.append(self._stack.pop())

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[0] += data


def assert_no_script_or_external_loads(html: str) -> None:
    """Email-safe: no script, no stylesheet links, nothing fetched from the network."""
    page = Page(html)
    tags = [t for t, _ in page.tags]
    assert "script" not in tags
    assert "link" not in tags
    assert "iframe" not in tags and "object" not in tags and "embed" not in tags
    assert page.attrs("src") == [], "no element may load a resource"
    for _, attrs in page.tags:
        assert not any(k.startswith("on") for k in attrs), f"event handler attribute in {attrs}"
    lowered = html.lower()
    assert "@import" not in lowered and "url(" not in lowered
