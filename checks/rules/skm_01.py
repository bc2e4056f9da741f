"""SKM-01: a required column of a present table is missing (raised by the Pandera contract)."""

from core.findings import Severity
from checks.registry import ContractRule

RULE = ContractRule(
    id="SKM-01",
    severity=Severity.ERROR,
    key=("tabel", "kolom"),
    judul_id="Kolom wajib tidak ada",
    judul_en="Required column missing",
    pesan_id=(
        "Tabel {tabel} tidak memiliki kolom wajib '{kolom}', sehingga pemeriksaan yang memerlukannya "
        "tidak dapat dijalankan. Ekspor ulang dari aplikasi IID dengan kolom '{kolom}' (judul kolom persis seperti ini)."
    ),
    pesan_en=(
        "Table {tabel} lacks the required column '{kolom}', so the checks that need it cannot run. "
        "Export again from the IID app with the column '{kolom}' (header exactly like this)."
    ),
    perbaikan_id="Ekspor ulang dari aplikasi IID tanpa menghapus atau mengganti nama kolom.",
    perbaikan_en="Export again from the IID application without removing or renaming columns.",
)
