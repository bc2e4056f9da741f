"""Facts about the committed sample export that the flow tests rely on (from sample_data/README.md)."""

from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "ekspor-2026"
#: The sample was generated as of this date (sample_data/README.md).
SAMPLE_AS_OF = "2026-07-01"
#: The assessed Pemda of the sample (sample_data/README.md; Kota Jakarta Selatan is a DKI
#: administrative city, not assessed: SKM-04).
SAMPLE_PEMDA = {"35", "35.04", "35.79", "35.10", "35.78", "33"}
