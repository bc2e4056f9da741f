"""Finding and reading the tables of an export, as text (see export-format.md, "Containers").

Everything is read as text first (no type guessing by pandas); `ingest.normalize` parses it
column by column. Failures are one clear bilingual line (`UnreadableExport`, `UsageError`),
never a traceback.

CSV decoding is tried in a fixed order: BOM (UTF-8, or UTF-16 from Excel's "Unicode text")
→ strict UTF-8 → strict Windows-1252 → `UnreadableExport`. Latin-1 is never used: it decodes
any byte and would silently corrupt text. The delimiter (`,`, `;` or tab) is taken from the
header line: a `;` file read with `,` would silently become one column.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core import settings as limits
from core.fingerprint import CSV_SUFFIXES, WORKBOOK_SUFFIXES
from core.outcomes import UnreadableExport, UsageError
from ingest.normalize import column_map, header_key
from core.tables import TABLES, Table

#: How far down a sheet a header row is looked for (title rows above the header happen).
HEADER_SEARCH_ROWS = 10


@dataclass
class RawTable:
    """One table as text: canonical column names, cells as str (missing = NaN), `baris` =
    1-based data-row number in the source (header excluded)."""

    key: str
    frame: pd.DataFrame
    source: str  # file name, or `file.xlsx [sheet]`
    #: the same cells as pyarrow read them (a CSV or sheet its fast path read; else None): `frame`'s
    #: columns but `baris`, same names and rows. The export cache's writer stores these as
    #: they are instead of converting 9 million Python strings back (`ingest.cache`); the
    #: reader lets go of them once that writer has forked (`forget_arrow`).
    arrow: Any = field(default=None, repr=False, compare=False)


@dataclass
class RawExport:
    source: Path
    tables: dict[str, RawTable]
    bukti_dir: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "daftar" if set(self.tables) == {"daftar_inovasi"} else "bundle"


# ----------------------------------------------------------------------------- naming

_TABLE_BY_NAME: dict[str, str] = {}
for _t in TABLES.values():
    _TABLE_BY_NAME[header_key(_t.key)] = _t.key
    _TABLE_BY_NAME[header_key(_t.display)] = _t.key
    _TABLE_BY_NAME[header_key(Path(_t.csv_name).stem)] = _t.key


def table_for_name(name: str) -> str | None:
    """`Daftar Inovasi`, `daftar_inovasi`, ` DAFTAR  inovasi ` → `daftar_inovasi`."""
    return _TABLE_BY_NAME.get(header_key(name))


# ----------------------------------------------------------------------------- CSV


def decode_bytes(data: bytes, name: str) -> str:
    """Text of a CSV file in the fixed order BOM → UTF-8 → cp1252, else UnreadableExport."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data.decode("utf-8-sig")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
    except UnicodeDecodeError:
        pass
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        try:
            text = data.decode("cp1252")
            if "\x00" not in text:
                return text
        except UnicodeDecodeError:
            pass
    raise UnreadableExport(
        f"Berkas {name} tidak dapat dibaca: pengodean teks bukan UTF-8 maupun Windows-1252. "
        "Simpan ulang sebagai CSV UTF-8",
        f"File {name} cannot be read: its text encoding is neither UTF-8 nor Windows-1252. "
        "Save it again as CSV UTF-8",
    )


def detect_delimiter(header_line: str) -> str:
    """`,`, `;` or tab: whichever occurs most in the header line (`,` on a tie)."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


#: A file of nothing but blanks, line ends and BOM bytes is empty.
_BLANK = re.compile(rb"[ \t\r\n\xef\xbb\xbf]*")


def _utf8_start(data: bytes) -> int | None:
    """Where the text of a UTF-8 file starts (after its BOM), or None when it is not UTF-8."""
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        codecs.utf_8_decode(memoryview(data)[start:], "strict", True)
    except UnicodeDecodeError:
        return None
    return start


def _arrow_csv(data: bytes, offset: int, sep: str, n_columns: int) -> "tuple[pd.DataFrame, Any] | None":
    """A UTF-8 CSV through pyarrow's reader (multi-threaded, ~2x pandas' on a national file), as
    exactly the frame the pandas parser below gives: every cell text, blank lines as rows of
    empty cells; with pyarrow's table of it (the export cache stores that). None when pyarrow
    refuses the file (a row with fewer or more cells than the header, bytes that are not
    UTF-8) or when the file is one column wide (a blank line is then ambiguous): the pandas
    parser reads those, with its own repairs and errors. `n_columns` names enough columns to
    type as text; a wider file is left to pandas too."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if offset >= len(data):
        return None
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(offset)),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(delimiter=sep, quote_char='"', double_quote=True, escape_char=False,
                                             newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(n_columns)},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False,
                                                 check_utf8=True),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.num_columns < 2 or any(not pa.types.is_string(t) for t in table.schema.types):
        return None  # a header with fewer separators than its rows have: leave it to pandas
    df = table.to_pandas(split_blocks=False)  # (the table is kept: `RawTable.arrow`)
    df.columns = pd.RangeIndex(len(df.columns))
    return df, table


def read_csv_text(path: Path) -> pd.DataFrame:
    """All cells as text, no header applied (row 0 is the header), blank lines kept so row
    numbers match the file.

    A UTF-8 file (nearly every export) goes to the parser as its bytes: the parser reads UTF-8
    itself, so a 230 MB file is never held as a Python string and copied (decode, strip the BOM,
    split off the first line, wrap), and read by pyarrow when it can (`_arrow_csv`); other
    encodings are decoded first (`decode_bytes`)."""
    return _read_csv(path)[0]


def _read_csv(path: Path) -> tuple[pd.DataFrame, Any]:
    """`read_csv_text`'s frame, and the pyarrow table it was made from (None when the pandas
    parser read the file)."""
    data = path.read_bytes()
    if _BLANK.fullmatch(data):  # (not `data.strip()`: a copy of the whole file to test it)
        raise UnreadableExport(f"Berkas {path.name} kosong", f"File {path.name} is empty")
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    end = data.find(b"\n", start)
    try:
        first = bytes(data[start:] if end < 0 else data[start:end]).decode("utf-8")
    except UnicodeDecodeError:
        first = None
    fast = None
    if first is not None:
        hint = re.fullmatch(r"\s*sep=(.)\s*", first)
        offset = len(data) if hint and end < 0 else (end + 1 if hint else start)
        sep = hint.group(1) if hint else detect_delimiter(first)
        # pyarrow checks the rest is UTF-8 itself; the whole file is decoded to check only
        # when it refuses the file (0.3 s a night otherwise spent decoding what it reads)
        fast = _arrow_csv(data, offset, sep, max(256, first.count(sep) + 1))
        if fast is not None:
            return fast  # (the frame, and pyarrow's table of it)
    if first is not None and _utf8_start(data) is not None:
        body = io.BytesIO(data)
        body.seek(offset)
        source, encoding = body, "utf-8"
    else:
        text = decode_bytes(data, path.name).lstrip("\ufeff")
        first, _, rest = text.partition("\n")
        hint = re.fullmatch(r"\s*sep=(.)\s*", first)
        source, encoding = io.StringIO(rest if hint else text), None
    # Excel's `sep=;` first line: an explicit delimiter, not data
    sep = hint.group(1) if hint else detect_delimiter(first)
    try:
        df = pd.read_csv(
            source, sep=sep, header=None, dtype=str, keep_default_na=False, encoding=encoding,
            na_filter=False, skip_blank_lines=False, engine="c", quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise UnreadableExport(
            f"Berkas {path.name} tidak dapat dibaca sebagai CSV ({detail})",
            f"File {path.name} cannot be read as CSV ({detail})",
        ) from None
    except pd.errors.EmptyDataError:
        raise UnreadableExport(f"Berkas {path.name} kosong", f"File {path.name} is empty") from None
    return df, None


# ----------------------------------------------------------------------------- XLSX


def _workbook_error(path: Path, why_id: str, why_en: str) -> UnreadableExport:
    return UnreadableExport(
        f"Workbook {path.name} tidak dapat dibaca: {why_id}",
        f"Workbook {path.name} cannot be read: {why_en}",
    )


def check_workbook_container(path: Path) -> None:
    """Refuse a workbook before any parser unpacks it: more members than a workbook has, a
    declared unpacked size or compression ratio of a zip bomb, or an XML part declaring a
    DOCTYPE or entities (XXE, "billion laughs"). Only the zip's directory and the first
    `WORKBOOK_PROLOG_BYTES` of each XML part are read: memory stays small whatever the file.

    (Sizes are the ones the zip declares; a zip that lies about them is caught by the ratio
    of what it does declare, or by the parser failing on the mismatch.)"""
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
            if len(members) > limits.MAX_WORKBOOK_MEMBERS:
                raise _workbook_error(path, f"workbook berisi {len(members)} bagian, tidak wajar untuk ekspor IID",
                                      f"the workbook holds {len(members)} parts, not an IID export")
            unpacked = sum(m.file_size for m in members)
            if unpacked > limits.MAX_WORKBOOK_UNPACKED_BYTES:
                raise _workbook_error(path, f"workbook akan terurai menjadi {unpacked // 1024**2} MB (bom zip?)",
                                      f"the workbook would unpack to {unpacked // 1024**2} MB (a zip bomb?)")
            for m in members:
                if m.file_size >= limits.WORKBOOK_RATIO_MIN_MEMBER_BYTES and \
                        m.file_size > limits.MAX_WORKBOOK_COMPRESSION_RATIO * max(m.compress_size, 1):
                    ratio = m.file_size // max(m.compress_size, 1)
                    raise _workbook_error(path, f"bagian {m.filename} termampatkan {ratio}:1, tidak wajar (bom zip?)",
                                          f"part {m.filename} compresses {ratio}:1, not a real workbook (a zip bomb?)")
            for m in members:
                if m.filename.endswith((".xml", ".rels", ".vml")):
                    with zf.open(m) as fh:
                        prolog = fh.read(limits.WORKBOOK_PROLOG_BYTES).upper()
                    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                        raise _workbook_error(path, f"bagian {m.filename} memuat deklarasi DOCTYPE/ENTITY (tidak aman)",
                                              f"part {m.filename} declares a DOCTYPE/ENTITY (unsafe)")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        raise _workbook_error(path, "berkas rusak atau bukan workbook Excel (.xlsx)",
                              "the file is damaged or not an Excel workbook (.xlsx)") from None


def read_workbook_text(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet, all cells as text, no header applied. Excel date cells come out as
    `YYYY-MM-DD HH:MM:SS` text, which `normalize.parse_date` reads."""
    return {name: frame for name, (frame, _) in _read_workbook(path).items()}


def _read_workbook(path: Path) -> dict[str, tuple[pd.DataFrame, Any]]:
    """`read_workbook_text`'s frames, each with the pyarrow table it was made from (None for a
    sheet read otherwise than by `_arrow_sheets`)."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise UnreadableExport(f"Berkas {path.name} kosong", f"File {path.name} is empty")
    is_zip = head.startswith(b"PK\x03\x04")
    is_ole = head.startswith(b"\xd0\xcf\x11\xe0")
    if not (is_zip or is_ole):
        raise _workbook_error(path, "berkas rusak atau bukan workbook Excel (.xlsx)", "the file is damaged or not an Excel workbook (.xlsx)")
    if is_zip:
        check_workbook_container(path)
    for read in (_arrow_sheets, _calamine_sheets) if is_zip else (_calamine_sheets,):
        try:
            return read(path)
        except Exception:  # noqa: BLE001 - any library error: the next reader may still read it, else "cannot read"
            pass
    kwargs = dict(sheet_name=None, header=None, dtype=str, keep_default_na=False, na_filter=False)
    if not is_ole:
        try:
            return {k: (v, None) for k, v in pd.read_excel(path, engine="openpyxl", **kwargs).items()}
        except Exception:  # noqa: BLE001 - any library error means "cannot read"
            pass
    if is_ole and path.suffix.lower() != ".xls":
        raise _workbook_error(
            path, "workbook terkunci kata sandi (terenkripsi). Buka di Excel, hapus kata sandinya, lalu simpan ulang",
            "the workbook is password-protected (encrypted). Open it in Excel, remove the password and save again",
        )
    raise _workbook_error(path, "berkas rusak atau bukan workbook Excel (.xlsx)", "the file is damaged or not an Excel workbook (.xlsx)")


def _arrow_sheets(path: Path) -> dict[str, tuple[pd.DataFrame, Any]]:
    """Every sheet of an .xlsx whose cells are all text (the IID app writes every cell, numbers
    and dates too, as text) through fastexcel, calamine into Arrow: the national indicator
    sheet in ~10 s against calamine's Python objects' ~15 s, and as Arrow, so the export cache
    stores it as it is (`RawTable.arrow`), as it does a CSV. A sheet holding any other kind of
    cell (a number, a date, a boolean) is read by `_calamine_text`, which writes those as
    pandas does: fastexcel's text of them differs (`1e20`, `TRUE`, a duration) and cannot tell
    which cells of a column were numbers; such a sheet (one the IID app did not write) is
    parsed twice. The same frames as `_calamine_text` (tested)."""
    import fastexcel
    import pyarrow as pa
    import pyarrow.compute as pc

    # fastexcel warns of every column without a filled cell ("could not determine dtype"): an
    # ordinary thing in an export, read as it should be (every cell "")
    logging.getLogger("fastexcel").setLevel(logging.ERROR)
    reader = fastexcel.read_excel(str(path))
    read: dict[str, tuple[pd.DataFrame, Any]] = {}
    for name in reader.sheet_names:
        try:  # every row from the sheet's first (`skip_rows=0`), each column's type from all its cells
            sheet = reader.load_sheet(name, header_row=None, skip_rows=0, schema_sample_rows=None,
                                      dtype_coercion="strict")
        except fastexcel.UnsupportedColumnTypeCombinationError:  # text and numbers in one column
            continue
        columns = sheet.available_columns()
        if any(c.dtype not in ("string", "null") for c in columns):
            continue
        batch = sheet.to_arrow()
        # calamine's rectangle starts at A1: the columns left of the first filled one are empty
        width = max((c.absolute_index for c in columns), default=-1) + 1
        at = {c.absolute_index: batch.column(i) for i, c in enumerate(columns)}
        none = pa.nulls(batch.num_rows, pa.string())
        cells = [pc.fill_null(at.get(j, none).cast(pa.string()), "") for j in range(width)]  # an empty cell is ""
        table = pa.table(cells, names=[f"f{j}" for j in range(width)])
        frame = table.to_pandas(split_blocks=False)
        frame.columns = pd.RangeIndex(width)
        read[name] = (frame, table)
    others = [name for name in reader.sheet_names if name not in read]
    rest = _calamine_text(path, others) if others else {}
    return {name: read[name] if name in read else (rest[name], None) for name in reader.sheet_names}


def _calamine_sheets(path: Path) -> dict[str, tuple[pd.DataFrame, Any]]:
    return {name: (frame, None) for name, frame in _calamine_text(path).items()}


def _cell_text(value: object) -> str:
    """One workbook cell as pandas' `read_excel(dtype=str)` writes it: a whole float as an
    integer (`2026.0` → `2026`), dates and durations as pandas prints them
    (`2024-02-27 00:00:00`), everything else as `str`."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, (datetime, date)):
        return str(pd.Timestamp(value))
    if isinstance(value, timedelta):
        return str(pd.Timedelta(value))
    return str(value)


def _calamine_text(path: Path, names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Every sheet (or those `names`) through python-calamine directly, cells as text. The same
    text as pandas' `read_excel(engine="calamine", dtype=str)` (tested), without its Python
    conversion of each of a national workbook's 11 million cells: only columns holding a
    non-text cell are converted."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    sheets: dict[str, pd.DataFrame] = {}
    for name in wb.sheet_names if names is None else names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        # calamine pads its rows to a rectangle: one 2-D array in C, half the time of pandas'
        # own conversion of the rows (0.4 s nationally)
        df = pd.DataFrame(np.array(rows, dtype=object)) if rows else pd.DataFrame()
        for c in df.columns:
            col = df[c]
            if pd.api.types.infer_dtype(col, skipna=False) != "string":
                df[c] = col.map(_cell_text, na_action="ignore").where(col.notna(), "")
        sheets[name] = df
    return sheets


# ----------------------------------------------------------------------------- header


def _non_empty(df: pd.DataFrame) -> pd.DataFrame:
    return df.apply(lambda c: c.astype(str).str.strip().ne("") & c.notna())


def apply_header(raw: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Find the header row (the row among the first few naming most known columns, else the
    first), rename columns to canonical names and add `baris`."""
    return _with_header(raw, table)[0]


def _with_header(raw: pd.DataFrame, table: Table) -> tuple[pd.DataFrame, tuple[int, list[int], list[str]] | None]:
    """`apply_header`'s frame, and where it came from in `raw`: the header row, the positions
    of the columns kept and their names (None for an empty table)."""
    # no copy of the table on the way (each is ~0.2 s for 750,000 rows): new frame objects
    # over the same cells, which nothing here writes to
    if not (isinstance(raw.index, pd.RangeIndex) and raw.index.start == 0 and raw.index.step == 1):
        raw = raw.reset_index(drop=True)
    raw = raw.set_axis(range(raw.shape[1]), axis=1, copy=False)
    if raw.empty:
        return pd.DataFrame({"baris": pd.Series([], dtype="int64")}), None
    known = {header_key(c.display) for c in table.columns} | {header_key(c.name) for c in table.columns}
    top = raw.head(HEADER_SEARCH_ROWS)
    hits = top.apply(lambda row: sum(header_key(v) in known for v in row), axis=1)
    h = int(hits.idxmax()) if hits.max() >= 2 else 0
    header = raw.iloc[h].fillna("").astype(str).tolist()
    body = raw.iloc[h + 1 :]
    body = body.set_axis(pd.RangeIndex(len(body)), axis=0, copy=False)
    # drop trailing columns with neither a header nor any value
    keep = [i for i, name in enumerate(header) if name.strip() or _non_empty(body[[i]]).to_numpy().any()]
    if len(keep) < body.shape[1]:
        body = body[keep]
    names = list(column_map([header[i] if header[i].strip() else f"kolom_{i + 1}" for i in keep], table).values())
    body = body.set_axis(names, axis=1, copy=False).astype(object, copy=False)
    body.insert(len(body.columns), "baris", np.arange(1, len(body) + 1, dtype="int64"))
    return body, (h, keep, names)


# ----------------------------------------------------------------------------- containers


def bukti_dir_of(path: Path) -> Path | None:
    """The evidence folder of an export: `bukti/` beside an export file, or inside its folder."""
    path = Path(path)
    return _bukti_beside(path.parent if path.is_file() else path)


def _bukti_beside(folder: Path) -> Path | None:
    for name in ("bukti", "Bukti", "BUKTI"):
        p = folder / name
        if p.is_dir():
            return p
    return None


def _from_workbook(path: Path) -> dict[str, RawTable]:
    sheets = _read_workbook(path)
    tables: dict[str, RawTable] = {}
    for sheet, (raw, arrow) in sheets.items():
        key = table_for_name(str(sheet))
        if key and key not in tables:
            tables[key] = _raw_table(key, raw, arrow, f"{path.name} [{sheet}]")
    if not tables:  # the IID app's own export: one sheet that is the innovation list
        for sheet, (raw, arrow) in sheets.items():
            if not raw.dropna(how="all").empty:
                tables["daftar_inovasi"] = _raw_table("daftar_inovasi", raw, arrow, f"{path.name} [{sheet}]")
                break
    if not tables:
        raise _workbook_error(path, "tidak ada lembar (sheet) berisi data", "no sheet holds any data")
    return tables


def _from_csv(path: Path, key: str | None = None) -> RawTable:
    key = key or table_for_name(path.stem) or "daftar_inovasi"
    raw, arrow = _read_csv(path)
    return _raw_table(key, raw, arrow, path.name)


def _raw_table(key: str, raw: pd.DataFrame, arrow: Any, source: str) -> RawTable:
    """Table `key` of `raw` (a CSV's or a sheet's cells) under its header, with pyarrow's
    table of `raw` (when it was read as one) laid out the same way."""
    frame, layout = _with_header(raw, TABLES[key])
    if arrow is not None and layout is not None:  # pyarrow's columns as the header lays them out
        h, keep, names = layout
        arrow = arrow.slice(h + 1).select(keep).rename_columns(names)
    return RawTable(key, frame, source, arrow=arrow if layout is not None else None)


@functools.cache
def use_arrow_pool() -> None:
    """pyarrow's allocations from `core.settings.ARROW_MEMORY_POOL` from now on, in this process
    and the children it forks (once; nothing when `ARROW_DEFAULT_MEMORY_POOL` chose one)."""
    import pyarrow as pa

    name = limits.arrow_memory_pool()
    if name is None:
        return
    try:
        pa.set_memory_pool(getattr(pa, f"{name}_memory_pool")())  # pa.system_memory_pool(), ...
    except NotImplementedError:  # a pyarrow built without that allocator: its default stays
        pass


def forget_arrow(raw: RawExport) -> None:
    """Let go of pyarrow's tables (`RawTable.arrow`): the frames hold the same cells."""
    held = False
    for t in raw.tables.values():
        held = held or t.arrow is not None
        t.arrow = None
    if held:  # their memory back to the system, not kept in pyarrow's pool for a run that never asks again
        import pyarrow as pa

        pa.default_memory_pool().release_unused()


def _visible(p: Path) -> bool:
    return p.is_file() and not p.name.startswith(("~$", ".", "._"))


def read_raw(path: Path) -> RawExport:
    """Locate and read the tables of an export (file or folder), as text."""
    use_arrow_pool()
    if not isinstance(path, (str, Path)):
        raise UsageError(f"Lokasi ekspor tidak sah: {path!r}", f"Invalid export path: {path!r}")
    path = Path(path)
    if not path.exists():
        raise UsageError(f"Ekspor tidak ditemukan: {path}", f"Export not found: {path}")
    if path.is_file():
        suffix = path.suffix.lower()
        if suffix in WORKBOOK_SUFFIXES:
            tables = _from_workbook(path)
        elif suffix in CSV_SUFFIXES:
            t = _from_csv(path)
            tables = {t.key: t}
        else:
            raise UsageError(
                f"Jenis berkas {path.name} tidak didukung: berikan .xlsx, .csv, atau folder berisi tabel .csv",
                f"Unsupported file {path.name}: give an .xlsx, a .csv, or a folder of .csv tables",
            )
        return RawExport(path, tables, _bukti_beside(path.parent))
    files = sorted(p for p in path.iterdir() if _visible(p))
    csvs = [p for p in files if p.suffix.lower() in CSV_SUFFIXES]
    books = [p for p in files if p.suffix.lower() in WORKBOOK_SUFFIXES]
    named = {k: p for p in csvs if (k := table_for_name(p.stem))}
    tables: dict[str, RawTable] = {}
    if named:
        for key, p in named.items():
            tables[key] = _from_csv(p, key)
    elif len(books) == 1:
        tables = _from_workbook(books[0])
    elif len(csvs) == 1 and not books:
        t = _from_csv(csvs[0], "daftar_inovasi")
        tables = {t.key: t}
    else:
        expected = ", ".join(t.csv_name for t in TABLES.values())
        raise UnreadableExport(
            f"Folder {path.name} tidak berisi tabel IID yang dikenali (harap: {expected}, atau satu workbook .xlsx)",
            f"Folder {path.name} holds no recognised IID table (expected: {expected}, or one .xlsx workbook)",
        )
    return RawExport(path, tables, _bukti_beside(path))
