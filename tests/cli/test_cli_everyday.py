"""An everyday run on what real exports hold: the innovation-list export carries no email
addresses, and that is not a failed audit (README "Exit codes", core/outcomes.py)."""

from __future__ import annotations

import json
from email import message_from_bytes

from cli_conftest_paths import REPO

DAFTAR = REPO / "sample_data" / "daftar-inovasi-jatim-2025.xlsx"


def test_an_innovation_list_without_addresses_audits_with_exit_0_and_lists_the_gap(iid_audit, tmp_path):
    r = iid_audit("audit", str(DAFTAR), "--out", "keluaran", "--as-of", "2026-07-01")
    assert r.code == 0, r.out + r.err
    run = json.loads((tmp_path / "keluaran" / "run.json").read_text(encoding="utf-8"))
    assert run["outcome"] == "temuan" and run["exit_code"] == 0 and run["failures"] == []
    assert run["tanpa_alamat"] and len(run["tanpa_alamat"]) == run["pemda"]
    assert "belum ada alamat email" in r.out
    emls = sorted((tmp_path / "keluaran" / "outbox").glob("*.eml"))
    assert len(emls) == run["pemda"]  # written anyway, to be addressed later
    assert all(message_from_bytes(p.read_bytes())["To"] is None for p in emls)
    index = (tmp_path / "keluaran" / "index.html").read_text(encoding="utf-8")
    assert "Belum ada alamat email" in index


def test_require_recipients_makes_a_missing_address_a_failure(iid_audit, tmp_path):
    r = iid_audit("audit", str(DAFTAR), "--out", "keluaran", "--as-of", "2026-07-01", "--require-recipients")
    assert r.code == 1, r.out + r.err
    run = json.loads((tmp_path / "keluaran" / "run.json").read_text(encoding="utf-8"))
    assert run["outcome"] == "sebagian" and {f["tahap"] for f in run["failures"]} == {"kirim"}


def test_kontak_check_exit_codes(iid_audit, tmp_path):
    (tmp_path / "ok.csv").write_text("kode_pemda,nama,to,cc\n35,,a@jatimprov.go.id,\n35.07,,b@malangkab.go.id,\n"
                                     "35.09,,c@jemberkab.go.id,\n35.15,,d@sidoarjokab.go.id,\n"
                                     "35.73,,e@malangkota.go.id,\n", encoding="utf-8")
    r = iid_audit("kontak", "check", "ok.csv", "--export", str(DAFTAR))
    assert (r.code, r.out) == (0, ""), r.err
    (tmp_path / "bad.csv").write_text("kode_pemda,to\n35,bukan\n", encoding="utf-8")
    r = iid_audit("kontak", "check", "bad.csv", "--export", str(DAFTAR))
    assert r.code == 1
    lines = r.out.splitlines()
    assert lines[0].split("\t")[:2] == ["35", "alamat_tidak_sah"]
    assert {ln.split("\t")[0] for ln in lines if "\ttanpa_kontak\t" in ln} == {"35.07", "35.09", "35.15", "35.73"}
    r = iid_audit("kontak", "check", "tidak-ada.csv")
    assert r.code == 2
