"""An export's fingerprint: the same hash however it is asked (ahead in a thread, or at once),
and a new one when a file changes."""

from __future__ import annotations

import hashlib
import os

from core.fingerprint import export_digest, export_files, fingerprint_ahead


def _export(folder, **files: bytes):
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def _by_hand(folder, *names: str) -> str:
    h = hashlib.sha256()
    for name in names:
        h.update(name.encode() + b"\0" + hashlib.sha256((folder / name).read_bytes()).digest())
    return h.hexdigest()


def test_the_digest_covers_the_export_files_by_name_and_content(tmp_path):
    folder = _export(tmp_path / "ekspor", **{"daftar_inovasi.csv": b"a;b\n1;2\n", "indikator_inovasi.csv": b"x\n",
                                              "catatan.txt": b"not read", ".~lock.csv": b"not read"})
    assert [f.name for f in export_files(folder)] == ["daftar_inovasi.csv", "indikator_inovasi.csv"]
    assert export_digest(folder) == _by_hand(folder, "daftar_inovasi.csv", "indikator_inovasi.csv")


def test_a_digest_started_ahead_is_the_same_and_a_changed_file_is_hashed_again(tmp_path):
    folder = _export(tmp_path / "ekspor", **{"daftar_inovasi.csv": os.urandom(3_000_000)})
    fingerprint_ahead(folder)
    first = export_digest(folder)
    assert first == _by_hand(folder, "daftar_inovasi.csv")
    (folder / "daftar_inovasi.csv").write_bytes(b"changed")
    assert export_digest(folder) == _by_hand(folder, "daftar_inovasi.csv") != first


def test_ahead_of_a_path_that_is_no_export_does_nothing(tmp_path):
    fingerprint_ahead(tmp_path / "tidak-ada")  # the command says what is missing, not this
    assert export_digest(_export(tmp_path / "kosong")) == hashlib.sha256().hexdigest()
