"""Whatever bytes arrive as an export, ingest ends in an Export or one of our own errors
(a clear line, exit 2/3), never another exception: property-based, a bounded number of examples."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.outcomes import AuditError
from core.tables import REAL_EXPORT_COLUMNS
from ingest import read_export

BOUNDED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ingest(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / name
        path.write_bytes(data)
        try:
            export = read_export(path)
        except AuditError as exc:
            assert str(exc) and "\n" not in str(exc).strip()
            return
        assert set(export.tables) and list(export.findings.columns)  # read, with its findings


@BOUNDED
@given(st.binary(max_size=4096), st.sampled_from(["ekspor.csv", "ekspor.xlsx", "daftar_inovasi.csv"]))
def test_any_bytes_are_read_or_refused_cleanly(data, name):
    ingest(data, name)


cells = st.one_of(st.text(max_size=40), st.sampled_from(["-", "null", "=cmd|' /C calc'!A0", "+62812", "@SUM(1)",
                                                          "35.04", "Kab. Tulungagung", "27 Februari 2024",
                                                          "-7,3; 112,7", "\x00", "\ufeff", "'"]))


@BOUNDED
@given(st.lists(st.lists(cells, min_size=len(REAL_EXPORT_COLUMNS), max_size=len(REAL_EXPORT_COLUMNS)),
                max_size=8),
       st.sampled_from([",", ";"]), st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_an_innovation_list_with_any_cells_is_read_or_refused_cleanly(rows, sep, encoding):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep)
    w.writerow(REAL_EXPORT_COLUMNS)
    w.writerows(rows)
    ingest(buf.getvalue().encode(encoding, errors="replace"), "daftar-inovasi.csv")
