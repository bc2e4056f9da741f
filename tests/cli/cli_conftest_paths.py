"""Paths the CLI tests share (a uniquely named module: test folders are not packages)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data" / "ekspor-2026"
