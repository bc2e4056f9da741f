"""The UTF-8 CSV fast path (pyarrow) reads every file exactly as the pandas parser does, and
leaves the files it cannot read the same way to pandas."""

import pytest

import ingest.readers as readers
from ingest.readers import read_csv_text

CASES = {
    "plain": b"a,b,c\n1,2,3\n",
    "bom": b"\xef\xbb\xbfa,b\n1,2\n",
    "blank-lines-kept-for-row-numbers": b"a,b\n\n1,2\n\n\n",
    "crlf": b"a,b\r\n1,2\r\n\r\n",
    "newline-inside-quotes": b'a,b\n"Rancang\nBangun",2\n',
    "doubled-quotes": b'a,b\n"kata ""kutip""",2\n',
    "leading-zeros-stay-text": b"kode,n\n007,0012\n",
    "excel-sep-hint": b"sep=;\na;b\n1;2\n",
    "semicolon": b'a;b\n"1;2";3\n',
    "no-final-newline": b"a,b\n1,2",
    "short-row": b"a,b,c\n1,2\n",
    "one-column-with-blank": b"a\n\nb\n",
    "empty-cells": b"a,b,c\n,,\n",
}


def _pandas_only(monkeypatch, path):
    monkeypatch.setattr(readers, "_arrow_csv", lambda *a: None)
    return read_csv_text(path)


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_frame_as_the_pandas_parser(tmp_path, monkeypatch, name):
    path = tmp_path / f"{name}.csv"
    path.write_bytes(CASES[name])
    fast = read_csv_text(path)
    slow = _pandas_only(monkeypatch, path)
    assert fast.shape == slow.shape
    assert fast.to_numpy().tolist() == slow.to_numpy().tolist()
    assert list(fast.columns) == list(slow.columns)


def test_the_fast_path_reads_a_regular_file_and_leaves_a_ragged_one(tmp_path):
    ok = tmp_path / "ok.csv"
    ok.write_bytes(CASES["newline-inside-quotes"])
    data = ok.read_bytes()
    assert readers._arrow_csv(data, 0, ",", 256)[0].to_numpy().tolist() == [["a", "b"], ["Rancang\nBangun", "2"]]
    assert readers._arrow_csv(CASES["short-row"], 0, ",", 256) is None
    assert readers._arrow_csv(b"a,b\n\xff\xfe,2\n", 0, ",", 256) is None  # not UTF-8


def test_a_row_longer_than_the_header_is_still_refused_clearly(tmp_path):
    from ingest.readers import UnreadableExport

    path = tmp_path / "daftar_inovasi.csv"
    path.write_bytes(b"a,b\n1,2,3\n")
    with pytest.raises(UnreadableExport, match="tidak dapat dibaca sebagai CSV"):
        read_csv_text(path)


def test_a_windows_1252_byte_past_the_header_is_read_as_windows_1252(tmp_path):
    """The header is plain ASCII (valid UTF-8) and `é` further down is Windows-1252: pyarrow,
    which now checks the UTF-8 itself, refuses the file, and it is read as Windows-1252, not
    parsed as UTF-8 nor refused."""
    path = tmp_path / "cp1252-after-header.csv"
    path.write_bytes(b"a;b\n1;Caf\xe9\n")
    assert read_csv_text(path).to_numpy().tolist() == [["a", "b"], ["1", "Café"]]


@pytest.mark.parametrize("data", [b"", b"  \r\n\xef\xbb\xbf\n\t"])
def test_a_file_of_blanks_is_empty(tmp_path, data):
    from ingest.readers import UnreadableExport

    path = tmp_path / "daftar_inovasi.csv"
    path.write_bytes(data)
    with pytest.raises(UnreadableExport, match="kosong"):
        read_csv_text(path)


def _pool_after_reading(tmp_path, **env: str) -> str:
    """The pool pyarrow allocates from in a fresh process once it has read a CSV export."""
    import os
    import subprocess
    import sys

    (tmp_path / "daftar_inovasi.csv").write_bytes(b"Kode Pemda,Judul Inovasi\n35.04,Sapa Warga\n")
    code = ("import sys; from pathlib import Path; from ingest.readers import read_raw; "
            "read_raw(Path(sys.argv[1])); import pyarrow as pa; print(pa.default_memory_pool().backend_name)")
    environ = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"} | env
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True,
                         env=environ, timeout=120)
    return run.stdout.strip()


def test_pyarrow_allocates_from_malloc_not_its_default(tmp_path):
    """mimalloc, pyarrow's default, returned and refaulted the read's pages: 1.1 s a night."""
    from core.settings import ARROW_MEMORY_POOL

    assert _pool_after_reading(tmp_path) == ARROW_MEMORY_POOL == "system"


def test_arrows_own_variable_still_chooses_the_pool(tmp_path):
    import pyarrow as pa

    try:
        pa.mimalloc_memory_pool()
    except NotImplementedError:
        pytest.skip("this pyarrow has no mimalloc")
    assert _pool_after_reading(tmp_path, ARROW_DEFAULT_MEMORY_POOL="mimalloc") == "mimalloc"
