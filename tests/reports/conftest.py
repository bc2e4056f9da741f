"""Fixtures for report tests: hand-built audit results named after what they exercise."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from reports import RunInfo

# Other test areas may have their own `builders.py`: load ours under a unique module name.
_spec = importlib.util.spec_from_file_location("reports_test_builders", Path(__file__).parent / "builders.py")
_builders = importlib.util.module_from_spec(_spec)
sys.modules["reports_test_builders"] = _builders
_spec.loader.exec_module(_builders)
NationBuilder = _builders.NationBuilder

HOSTILE_TITLE = 'Layanan <script>alert("x")</script> Sehat'
QUOTE_TITLE = 'Si Cepat" onmouseover="alert(1)'
JS_VIDEO = "javascript:alert(document.cookie)"


@pytest.fixture
def run_info() -> RunInfo:
    return RunInfo("run-20260302-0815", datetime(2026, 3, 2, 8, 15), "ekspor-iid-2026.xlsx", date(2024, 2, 27))


@pytest.fixture
def tulungagung() -> NationBuilder:
    """One Pemda with a hostile title, a javascript: video link, a costly error slot, an
    empty slot, a region-level finding and a formula-looking value."""
    b = NationBuilder().pemda(
        "35.04", "Kabupaten Tulungagung", "Jawa Timur",
        innovations=[HOSTILE_TITLE, QUOTE_TITLE, "Inovasi Tiga"], skor=(52.3, 38.1), persen=33.38,
    )
    b.innovation("35.04", 2).link_video = JS_VIDEO
    b.finding("BKT-05", "35.04", inovasi=1, no="16", nilai="sk.pdf", pesan="Bukti Regulasi terlalu kecil (3 KB)")
    b.finding("BKT-08", "35.04", inovasi=2, no="35", nilai=JS_VIDEO, pesan="Tautan video bukan http(s)")
    b.finding("LKP-02", "35.04", inovasi=3, no="20", pesan="Indikator Bimtek kosong")
    b.finding("LKP-03", "35.04", no="8", severity="error", pesan="Indikator SPD wajib Opini BPK kosong")
    b.finding("KNS-07", "35.04", inovasi=3, kolom="koordinat", nilai="=HYPERLINK(\"http://x\")",
              pesan="Koordinat di luar Indonesia")
    b.slot("35.04", inovasi=1, no="16", status="error", poin=0.45)
    b.slot("35.04", inovasi=3, no="20", status="kosong")
    b.slot("35.04", inovasi=2, no="35", status="warning")
    b.slot("35.04", inovasi=None, no="8", status="kosong")
    b.not_checked("BKT-09", None, "folder bukti/ tidak ada di ekspor")
    b.not_checked("LKP-06", "35.04", "kolom Rancang Bangun tidak ada")
    b.not_checked("KNS-06", "99.99", "hanya untuk Pemda lain")
    return b
