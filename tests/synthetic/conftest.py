"""Shared synthetic exports for the generator tests (built once per session)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from core.catalog import load_catalog
from synthetic import build_tables, generate_export

AS_OF = date(2026, 7, 1)


@pytest.fixture(scope="session")
def catalog_2026():
    return load_catalog(2026)


@pytest.fixture(scope="session")
def medium_tables() -> dict[str, pd.DataFrame]:
    """40 random Pemda, natural innovation counts: the clean export the invariants are checked on."""
    return build_tables(n_pemda=40, seed=7, as_of=AS_OF)


@pytest.fixture(scope="session")
def small_export_with_bukti(tmp_path_factory):
    out = tmp_path_factory.mktemp("bukti") / "ekspor"
    return generate_export(out, n_pemda=3, seed=11, innovations_per_pemda=(12, 13), with_bukti=True, as_of=AS_OF)
