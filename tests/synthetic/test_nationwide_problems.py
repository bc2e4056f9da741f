"""Problems planted nationwide (`--problems`, the benchmark's national export): what was
planted in the files is exactly what the rules find, and the Pemda are not all alike."""

from __future__ import annotations

import pandas as pd
import pytest

from checks.engine import run_rules
from core.catalog import load_catalog
from ingest import read_export
from synthetic import generate_export
from synthetic.problems import FUTURE

from conftest import AS_OF


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    gen = generate_export(tmp_path_factory.mktemp("nasional") / "ekspor", n_pemda=30, seed=5, as_of=AS_OF, problems=0.15)
    sid = pd.read_csv(gen.out_dir / "indikator_inovasi.csv", dtype=str, keep_default_na=False)
    run = run_rules(read_export(gen.out_dir), load_catalog(2026), as_of=AS_OF)
    return sid, run.findings


def _keys(rows: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(rows["ID Inovasi"], rows["No Indikator"]))


def _found(findings: pd.DataFrame, *rules: str) -> set[tuple[str, str]]:
    f = findings[findings["rule_id"].isin(rules) & findings["id_inovasi"].notna()]
    return set(zip(f["id_inovasi"], f["no_indikator"].astype(str)))


def test_every_planted_indicator_problem_is_found_and_nothing_else(planted):
    sid, findings = planted
    unanswered = sid[sid["Parameter"] == "-"]
    no_evidence = sid[(sid["Parameter"] != "-") & (sid["Data Pendukung"] == "-")]
    future = sid[sid["Tanggal Dokumen"] == FUTURE]
    assert len(unanswered) and len(no_evidence) and len(future)
    assert _found(findings, "LKP-01", "LKP-02") == _keys(unanswered)
    assert _found(findings, "BKT-01") == _keys(no_evidence)
    assert _found(findings, "BKT-03") == _keys(future)
    assert set(findings["rule_id"]) <= {"LKP-01", "LKP-02", "BKT-01", "BKT-03", "LKP-03", "LKP-04", "LKP-05"}


def test_pemda_differ_in_how_much_is_wrong(planted):
    sid, _ = planted
    wrong = (sid["Parameter"] == "-") | (sid["Data Pendukung"] == "-") | (sid["Tanggal Dokumen"] == FUTURE)
    share = wrong.groupby(sid["Kode Pemda"]).mean()
    assert 0.08 < wrong.mean() < 0.22  # around the 15 % asked for
    assert share.max() > 0.25 and share.min() < 0.08  # some Pemda much worse than others


def test_the_same_seed_plants_the_same_problems(tmp_path):
    a = generate_export(tmp_path / "a", n_pemda=3, seed=5, as_of=AS_OF, problems=0.3)
    b = generate_export(tmp_path / "b", n_pemda=3, seed=5, as_of=AS_OF, problems=0.3)
    for name in ("daftar_inovasi.csv", "indikator_inovasi.csv", "indikator_pemda.csv"):
        assert (a.out_dir / name).read_bytes() == (b.out_dir / name).read_bytes()
