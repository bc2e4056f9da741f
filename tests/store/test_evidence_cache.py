"""The evidence cache across nights, on SQLite and PostgreSQL: a second run over unchanged
files opens none of them (counted) and finds the same; a file changed in place is read again; a
file only touched is hashed, not parsed; facts of older code are recomputed."""

from __future__ import annotations

import os

import pytest

from checks.engine import run_rules
from checks.evidence import FACTS_VERSION, opened_count
from core.evidence import EvidenceFacts
from store.db import init_db
from store.evidence import DbFactsCache
from tests.checks.builders import ExportBuilder, blank_pdf
from tests.checks.helpers import AS_OF, CATALOG

EVIDENCE_RULES = ("BKT-09", "BKT-10")


def _export(bukti):
    """Two innovations with their evidence files, one a blank PDF (a BKT-09 finding) and one a
    regulation that does not name its innovation (BKT-10)."""
    return (ExportBuilder().pemda("35.04", "Kab. Tulungagung")
            .inovasi(judul="KLIK: Klinik Lansia Terpadu")
            .indikator("16", _isi="Peraturan Bupati Nomor 3 Tahun 2024 tentang Penataan Pasar Hewan")
            .indikator("20", _bytes=blank_pdf())
            .inovasi(judul="LANUPA: Sekolah Air Minum Perdesaan")
            .build(bukti_dir=bukti))


def _evidence_findings(export, cache):
    f = run_rules(export, CATALOG, as_of=AS_OF, evidence_cache=cache).findings
    f = f[f["rule_id"].isin(EVIDENCE_RULES)]
    return sorted(zip(f["rule_id"], f["id_inovasi"], f["no_indikator"], f["pesan"]))


def _files(bukti):
    return sorted(p for p in bukti.iterdir() if p.is_file())


def test_a_warm_rerun_opens_no_evidence_file_and_finds_the_same(engine, tmp_path):
    cache = DbFactsCache(init_db(engine))
    bukti = tmp_path / "bukti"
    export = _export(bukti)
    n_files = len(_files(bukti))

    before = opened_count()
    cold = _evidence_findings(export, cache)
    assert opened_count() - before == n_files  # each file once, although BKT-09 and BKT-10 both read some
    assert {(r, i, n) for r, i, n, _ in cold} == {("BKT-09", "35.04-0001", "20"), ("BKT-10", "35.04-0001", "16")}

    before = opened_count()
    warm = _evidence_findings(export, DbFactsCache(engine))  # a new night: new context, same database
    assert opened_count() - before == 0
    assert warm == cold

    # Without the cache every file is opened again: the count above is the cache's doing.
    before = opened_count()
    assert _evidence_findings(export, None) == cold
    assert opened_count() - before == n_files


def test_a_file_changed_in_place_is_read_again(engine, tmp_path):
    cache = DbFactsCache(init_db(engine))
    bukti = tmp_path / "bukti"
    export = _export(bukti)
    _evidence_findings(export, cache)
    blank = next(p for p in _files(bukti) if p.read_bytes() == blank_pdf())
    healthy = next(p for p in _files(bukti) if p != blank and p.suffix == ".pdf" and p.read_bytes() != blank_pdf())
    st = blank.stat()
    blank.write_bytes(healthy.read_bytes())  # the blank scan replaced by a real document...
    os.utime(blank, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))

    before = opened_count()
    found = _evidence_findings(export, cache)
    assert opened_count() - before == 1  # ...only it is read again
    # Now its content differs from the export's SHA256: still a BKT-09, but for the hash.
    hash_rows = [r for r in found if r[0] == "BKT-09"]
    assert len(hash_rows) == 1 and "SHA256" in hash_rows[0][3]


def test_facts_of_another_code_version_are_not_returned_and_a_name_is_one_row(engine):
    cache = DbFactsCache(init_db(engine))
    old = EvidenceFacts("a.pdf", 10, 5, "ab" * 32, None, "pdf", 3, False, None, FACTS_VERSION - 1)
    cur = EvidenceFacts("b.pdf", 10, 5, "cd" * 32, None, "pdf", 4, True, "teks ŝ", FACTS_VERSION, (2, 4))
    cache.put([old, cur])
    assert cache.get(["a.pdf", "b.pdf", "c.pdf"], FACTS_VERSION) == {"b.pdf": cur}
    video = EvidenceFacts("b.pdf", 11, 6, "ef" * 32, None, "mp4", None, False, None, FACTS_VERSION, (), 12.5)
    cache.put([video])
    assert cache.get(["b.pdf"], FACTS_VERSION) == {"b.pdf": video}  # replaced, not duplicated


def test_a_touched_file_is_hashed_not_parsed_and_trusted_by_its_stat_the_next_night(engine, tmp_path):
    """mtime changed, content not (a copy, a restore from backup): the SHA256 proves it the same
    file, so its remembered facts stand without parsing it; a new content of the same size is
    parsed."""
    from checks.evidence import parsed_count

    cache = DbFactsCache(init_db(engine))
    bukti = tmp_path / "bukti"
    export = _export(bukti)
    cold = _evidence_findings(export, cache)
    blank = next(p for p in _files(bukti) if p.read_bytes() == blank_pdf())
    regulasi = next(p for p in _files(bukti) if p.name.endswith("_16.pdf"))
    for p in (blank, regulasi):
        st = p.stat()
        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))

    opened, parsed = opened_count(), parsed_count()
    assert _evidence_findings(export, cache) == cold  # the blank PDF and the regulation's text: same findings
    assert (opened_count() - opened, parsed_count() - parsed) == (2, 0)

    opened = opened_count()
    assert _evidence_findings(export, DbFactsCache(engine)) == cold
    assert opened_count() - opened == 0  # the new mtime was remembered

    # Same size, other content (one byte changed) and a new mtime: parsed again.
    import hashlib

    data = blank.read_bytes().replace(b"%%EOF", b"%%EOX")
    st = blank.stat()
    blank.write_bytes(data)
    os.utime(blank, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    parsed = parsed_count()
    _evidence_findings(export, cache)
    assert parsed_count() - parsed == 1
    assert cache.get([blank.name], FACTS_VERSION)[blank.name].sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("n", [1201])
def test_lookup_and_store_go_in_batches_over_the_sqlite_parameter_limit(engine, n):
    cache = DbFactsCache(init_db(engine))
    facts = [EvidenceFacts(f"f{i}.png", i, i, None, None, "png", None, False, None, FACTS_VERSION) for i in range(n)]
    cache.put(facts)
    assert len(cache.get([f.name for f in facts], FACTS_VERSION)) == n
