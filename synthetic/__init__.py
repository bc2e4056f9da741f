"""Synthetic IID exports: realistic, deterministic, at any scale (tests, samples, benchmarks).

`generate_export` writes a clean export (no rule of `rules.md` fires on it);
`plant_problems` adds known, documented problems (used for `sample_data/`).
"""

from synthetic.generator import DEFAULT_AS_OF, GeneratedExport, build_tables, generate_export, write_bukti, write_tables
from synthetic.regions import DKI_ADMINISTRATIVE, national_pemda

__all__ = [
    "DEFAULT_AS_OF",
    "DKI_ADMINISTRATIVE",
    "GeneratedExport",
    "build_tables",
    "generate_export",
    "national_pemda",
    "write_bukti",
    "write_tables",
]
