"""Recipients from `Profil Pemda` (`Email`: several addresses, `,` or `;`) or an override CSV."""

from __future__ import annotations

import pandas as pd
import pytest

from delivery import recipients_from_profil, validate_address
from delivery.recipients import parse_addresses
from core.outcomes import UsageError


def profil(*rows: tuple) -> pd.DataFrame:
    """Rows of (kode_pemda, pemda, nama_admin, email) as ingest gives them (`profil_pemda`)."""
    return pd.DataFrame(
        [dict(kode_pemda=k, pemda=p, nama_admin=n, email=e, telepon="+62 355 123", tahun_penilaian=2026)
         for k, p, n, e in rows]
    )


@pytest.mark.parametrize("good", [
    "admin@tulungagungkab.go.id",
    "bappeda.litbang@jatimprov.go.id",
    "inovasi+iid@kotabogor.go.id",
    "Admin@Tulungagungkab.GO.ID",
])
def test_valid_addresses(good):
    assert validate_address(good) is not None


def test_domain_is_lowercased_local_part_kept():
    assert validate_address("Admin@Tulungagungkab.GO.ID") == "Admin@tulungagungkab.go.id"


@pytest.mark.parametrize("bad", [
    "", "-", "Tidak Diisi", "admin", "admin@", "@go.id", "admin@localhost", "admin@@x.go.id",
    "admin@x..go.id", ".admin@x.go.id", "admin.@x.go.id", "adm in@x.go.id",
    "admin@x.go.id\r\nBcc: evil@y.com", "admin@x.go.id\nBcc: evil@y.com", "admin\x00@x.go.id",
    "=?UTF-8?Q?=0A?=Bcc: x@y.com", "x@y.com=?UTF-8?Q?=0A?=", "admin@x.go.id>", "a@b.c",
    "pengguna@domain-tanpa-tld", "user@ex_ample.go.id", "ädmin@x.go.id",
])
def test_invalid_addresses_are_refused(bad):
    assert validate_address(bad) is None


def test_cell_with_several_addresses_separated_by_comma_or_semicolon():
    good, bad = parse_addresses("a@tulungagungkab.go.id; b@tulungagungkab.go.id , A@TULUNGAGUNGKAB.GO.ID,bukan-email")
    assert good == ["a@tulungagungkab.go.id", "b@tulungagungkab.go.id"]  # duplicate dropped
    assert bad == 1


def test_from_profil_with_several_addresses_and_pemda_without_one():
    book, missing = recipients_from_profil(profil(
        ("35.04", "Kab. Tulungagung", "Budi Santoso", "admin@tulungagungkab.go.id; bappeda@tulungagungkab.go.id"),
        ("35.05", "Kab. Blitar", "Siti", "-"),
        ("35.06", "Kab. Kediri", None, "bukan email"),
        ("35.07", "Kab. Malang", "Ani", None),
        ("35.08", "Kab. Jember", "=?UTF-8?Q?=0A?=Bcc: x@y", "inovasi@jemberkab.go.id"),
    ))
    assert set(book) == {"35.04", "35.08"}
    assert book["35.04"].to == ("admin@tulungagungkab.go.id", "bappeda@tulungagungkab.go.id")
    assert book["35.04"].name == "Budi Santoso"
    assert "=?" not in book["35.08"].name and "\n" not in book["35.08"].name
    assert sorted(missing) == ["35.05", "35.06", "35.07"]
    assert book["35.04"].envelope == ["admin@tulungagungkab.go.id", "bappeda@tulungagungkab.go.id"]


def test_none_profil_and_no_override_gives_nothing():
    assert recipients_from_profil(None) == ({}, [])


def test_override_csv_replaces_the_export_and_adds_cc(tmp_path):
    csv = tmp_path / "penerima.csv"
    csv.write_text(
        "kode_pemda,to,cc\n"
        "35.04,baru@tulungagungkab.go.id,kepala@tulungagungkab.go.id;sekda@tulungagungkab.go.id\n"
        "35.09,\"a@banyuwangikab.go.id, b@banyuwangikab.go.id\",\n"
        "35.10,salah,\n",
        encoding="utf-8",
    )
    book, missing = recipients_from_profil(
        profil(("35.04", "Kab. Tulungagung", "Budi Santoso", "lama@tulungagungkab.go.id"),
               ("35.10", "Kab. Bondowoso", "X", "ada@bondowosokab.go.id")),
        override_csv=csv,
    )
    assert book["35.04"].to == ("baru@tulungagungkab.go.id",)
    assert book["35.04"].cc == ("kepala@tulungagungkab.go.id", "sekda@tulungagungkab.go.id")
    assert book["35.04"].name == "Budi Santoso"
    assert book["35.09"].to == ("a@banyuwangikab.go.id", "b@banyuwangikab.go.id")  # only in the file
    assert missing == ["35.10"]  # the file overrides: an invalid override is not silently ignored


def test_override_csv_keeps_codes_as_text(tmp_path):
    csv = tmp_path / "penerima.csv"
    csv.write_text("kode_pemda,to,cc\n35.10,a@x.go.id,\n11,b@acehprov.go.id,\n", encoding="utf-8")
    book, _ = recipients_from_profil(None, override_csv=csv)
    assert set(book) == {"35.10", "11"}  # not 35.1 / 11.0


def test_override_csv_without_the_columns_is_a_usage_error(tmp_path):
    csv = tmp_path / "penerima.csv"
    csv.write_text("pemda,email\nKab. X,a@x.go.id\n", encoding="utf-8")
    with pytest.raises(UsageError):
        recipients_from_profil(None, override_csv=csv)


def write_book(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_the_address_book_overrides_the_export_and_recipients_override_the_book(tmp_path):
    book_csv = write_book(tmp_path / "kontak.csv",
                          "kode_pemda,nama,to,cc\n"
                          "35.04,Sri Wahyuni,buku@tulungagungkab.go.id,\n"
                          "35.79,,batu@batukota.go.id,\n")
    run_csv = write_book(tmp_path / "penerima.csv", "kode_pemda,to\n35.79,khusus@batukota.go.id\n")
    book, missing = recipients_from_profil(
        profil(("35.04", "Kab. Tulungagung", "Budi Santoso", "lama@tulungagungkab.go.id"),
               ("35.10", "Kab. Banyuwangi", "X", "ada@banyuwangikab.go.id")),
        override_csv=run_csv, address_book=book_csv)
    assert book["35.04"].to == ("buku@tulungagungkab.go.id",) and book["35.04"].name == "Sri Wahyuni"
    assert book["35.79"].to == ("khusus@batukota.go.id",)  # --recipients wins over the book
    assert book["35.10"].to == ("ada@banyuwangikab.go.id",)  # not in the book: the export's
    assert missing == []


@pytest.mark.parametrize("cell", ["admin@x.go.id\r\nBcc: evil@evil.example", "admin@x.go.id\nevil@evil.example"])
def test_a_cell_with_control_characters_gives_no_recipient_at_all(tmp_path, cell):
    """Refused, not repaired: a salvaged `evil@evil.example` would be a visible recipient."""
    book, missing = recipients_from_profil(profil(("35.04", "Kab. Tulungagung", "A", cell)))
    assert "35.04" not in book and missing == ["35.04"]
    csv = tmp_path / "kontak.csv"
    pd.DataFrame({"kode_pemda": ["35.04"], "to": [cell]}).to_csv(csv, index=False)
    book, missing = recipients_from_profil(None, address_book=csv)
    assert missing == ["35.04"]


def test_kontak_check_names_every_problem_by_row_never_the_address(tmp_path):
    from delivery.recipients import check_address_book

    csv = tmp_path / "kontak.csv"
    pd.DataFrame({
        "kode_pemda": ["35.04", "99.99", "35.79", "35.10", "3504"],
        "to": ["admin@tulungagungkab.go.id", "a@b.go.id", "bukan alamat", "ok@banyuwangikab.go.id", "x@y.go.id"],
        "cc": ["", "", "", "salah@", ""],
    }).to_csv(csv, index=False)
    problems = check_address_book(csv, expected={"35.04", "35.79", "35.10", "35.78"})
    got = [(p.kode_pemda, p.baris, p.masalah) for p in problems]
    assert got == [
        ("99.99", 2, "kode_tidak_dikenal"),
        ("35.79", 3, "alamat_tidak_sah"),
        ("35.79", 3, "tanpa_alamat"),
        ("35.10", 4, "alamat_tidak_sah"),  # the cc is wrong; the to still works
        ("3504", 5, "kode_tidak_dikenal"),  # a BPS code is not a Kemendagri code
        ("35.78", None, "tanpa_kontak"),
    ]
    assert not any("@" in p.pesan for p in problems)


def test_kontak_check_without_expected_set_lists_every_assessed_pemda_missing(tmp_path):
    from delivery.recipients import check_address_book

    csv = write_book(tmp_path / "kontak.csv", "kode_pemda,to\n35.04,admin@tulungagungkab.go.id\n")
    missing = [p.kode_pemda for p in check_address_book(csv) if p.masalah == "tanpa_kontak"]
    assert len(missing) == 545 and "35.04" not in missing and "35.79" in missing
