"""Evidence files read once: the facts BKT-09/BKT-10 judge (type by content, SHA256, PDF pages
and text, blank image), computed per distinct file and remembered across nights.

`evidence_facts(ctx, names)` stats every distinct name (a stat does not open the file), asks
the run's memo and then the cross-night cache (`ctx.evidence_cache`, one query per batch of
`EVIDENCE_CACHE_BATCH`) for the (name, size, mtime) keys, reads only the files neither knows,
and stores what it read (one insert per batch). A file changed in place has a new size or
mtime, so it is read again; facts computed by older code (`FACTS_VERSION`) are recomputed.
`opened_count()` counts the files this process actually opened (tests and the benchmark read it).

Memory is bounded by design: the hash streams the file in EVIDENCE_READ_BLOCK_BYTES blocks; a
file over MAX_EVIDENCE_BYTES is not read at all; a PDF over MAX_EVIDENCE_PDF_BYTES is hashed but
not parsed, and a parsed one is read for its first MAX_PDF_PAGES_READ pages; an image is
decoded reduced (JPEG at 1/8 scale) and never beyond MAX_EVIDENCE_IMAGE_PIXELS.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd

from core import settings as limits
from core.evidence import EvidenceFacts, FactsKey

#: Bump when what `read_facts` computes changes: cached facts of another version are read again.
FACTS_VERSION = 2

#: problem codes
TOO_LARGE = "too_large"
UNREADABLE = "unreadable"
PDF_EMPTY = "pdf_empty"
IMAGE_BLANK = "image_blank"

#: Types recognised by content, as `Jenis File` writes them.
KNOWN_KINDS = ("pdf", "png", "jpg", "mp4")

_opened = 0


def opened_count() -> int:
    """Evidence files this process has opened so far (`read_facts` calls): what the warm-cache
    test and the benchmark count."""
    return _opened


def kind_of(head: bytes) -> str | None:
    """The file type its first bytes sign (magic bytes), or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head[4:8] == b"ftyp":
        return "mp4"
    if b"%PDF-" in head[: limits.EVIDENCE_MAGIC_BYTES]:
        return "pdf"
    return None


def read_facts(path: Path, name: str, size: int, mtime_ns: int, *, with_text: bool = False) -> EvidenceFacts:
    """Open `path` once and judge it (see the module doc); never raises for a bad file."""
    global _opened
    _opened += 1

    def facts(sha=None, problem=None, kind=None, pages=None, text=None) -> EvidenceFacts:
        return EvidenceFacts(name, size, mtime_ns, sha, problem, kind, pages, with_text, text, FACTS_VERSION)

    if size > limits.MAX_EVIDENCE_BYTES:
        return facts(problem=TOO_LARGE)
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            head = fh.read(limits.EVIDENCE_MAGIC_BYTES)
            h.update(head)
            for block in iter(lambda: fh.read(limits.EVIDENCE_READ_BLOCK_BYTES), b""):
                h.update(block)
    except OSError:
        return facts(problem=UNREADABLE)
    sha = h.hexdigest()
    kind = kind_of(head)
    suffix = path.suffix.lower().lstrip(".")
    if kind is None and suffix in ("png", "jpg", "jpeg"):
        return facts(sha, UNREADABLE)  # an image by name whose bytes sign nothing known
    if kind == "pdf" or (kind is None and suffix == "pdf"):
        if size > limits.MAX_EVIDENCE_PDF_BYTES:
            return facts(sha, None, kind)
        problem, pages, text = _read_pdf(path, with_text)
        return facts(sha, problem, kind, pages, text)
    if kind in ("png", "jpg"):
        return facts(sha, _image_problem(path), kind)
    return facts(sha, None, kind)


def _read_pdf(path: Path, with_text: bool) -> tuple[str | None, int | None, str | None]:
    """(problem, page count, text of the first pages when `with_text`)."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:  # noqa: BLE001
                return UNREADABLE, None, None
        pages = len(reader.pages)
        parts: list[str] = []
        filled = False
        chars = 0
        for i in range(min(pages, limits.MAX_PDF_PAGES_READ)):
            page = reader.pages[i]
            text = page.extract_text() or ""
            if with_text:
                parts.append(text)
                chars += len(text)
            if not filled:
                filled = bool(text.strip()) or _has_images(page)
            if filled and (not with_text or chars >= limits.MAX_PDF_TEXT_CHARS):
                break
        text = "\n".join(parts)[: limits.MAX_PDF_TEXT_CHARS] if with_text else None
        return (None if filled else PDF_EMPTY), pages, text
    except Exception:  # noqa: BLE001 - a corrupt file is a finding, not a crash
        return UNREADABLE, None, None


def _has_images(page) -> bool:
    try:
        return len(page.images) > 0
    except Exception:  # noqa: BLE001
        return False


def _image_problem(path: Path) -> str | None:
    """UNREADABLE when the image does not decode (or is a decompression bomb), IMAGE_BLANK when
    its grey levels barely vary (`EVIDENCE_BLANK_STDDEV`), else None."""
    import warnings

    from PIL import Image, ImageStat

    side = limits.EVIDENCE_IMAGE_SAMPLE_PX
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = limits.MAX_EVIDENCE_IMAGE_PIXELS
            with Image.open(path) as img:
                if img.width * img.height > limits.MAX_EVIDENCE_IMAGE_PIXELS:
                    return UNREADABLE
                img.draft("L", (side, side))  # JPEG: decode reduced, in grey
                img.load()
                grey = img.convert("L")
                grey.thumbnail((side, side))
                spread = ImageStat.Stat(grey).stddev[0]
    except Exception:  # noqa: BLE001 - truncated, corrupt or a bomb: a finding, not a crash
        return UNREADABLE
    return IMAGE_BLANK if spread < limits.EVIDENCE_BLANK_STDDEV else None


def _batches(items: list, n: int):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def regulasi_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of Indikator Inovasi whose evidence is a Regulasi PDF (indicator 16): BKT-10 reads
    their text."""
    return df[(df["no_indikator"].astype(str) == "16") & df["data_pendukung"].notna()
              & df["data_pendukung"].astype(str).str.lower().str.strip().str.endswith(".pdf")]


def _text_wanted(ctx) -> set[str]:
    """Names whose text BKT-10 will ask for: read it on the file's first opening, whoever opens it."""
    if ctx.evidence_text_names is None:
        ok = ctx.has("indikator_inovasi", "data_pendukung") and ctx.has("indikator_inovasi", "no_indikator")
        ctx.evidence_text_names = (set(regulasi_rows(ctx.table("indikator_inovasi"))["data_pendukung"].astype(str))
                                   if ok else set())
    return ctx.evidence_text_names


def read_batch(items: list[tuple[str, str, int, int, bool]]) -> list[EvidenceFacts]:
    """One unit of work: the facts of a batch of files, each item (path, name, size, mtime_ns,
    with_text). A plain function of picklable values, so a Prefect task on any runner (Dask
    included) can run it where `bukti/` is readable."""
    return [read_facts(Path(path), name, size, mtime, with_text=text) for path, name, size, mtime, text in items]


def map_in_process(fn, batches: list) -> list:
    """The default way batches are read: one after the other, in this process."""
    return [fn(b) for b in batches]


def evidence_facts(ctx, names: pd.Series, *, with_text: bool = False) -> pd.Series:
    """Per value of `names` (file names in `ctx.export.bukti_dir`): its `EvidenceFacts`, or None
    when the file is missing or the name escapes the folder. Each distinct file is opened at most
    once per run and, with `ctx.evidence_cache`, once across runs while it is unchanged; a
    Regulasi PDF's text is read on that same opening. The files to read go in batches of
    `EVIDENCE_BATCH_FILES` through `ctx.evidence_map` (default: in this process)."""
    from checks.rulekit import safe_path

    bukti = ctx.export.bukti_dir
    text_names = _text_wanted(ctx)
    memo: dict[str, EvidenceFacts | None] = ctx.evidence_memo
    wanted: dict[FactsKey, Path] = {}
    out: dict[str, EvidenceFacts | None] = {}
    for name in pd.unique(names.dropna()):
        hit = memo.get(name, False)
        if hit is None or (hit and (hit.text_read or not with_text)):
            out[name] = hit
            continue
        p = safe_path(bukti, name)
        try:
            st = os.stat(p) if p is not None else None
        except OSError:
            st = None
        if st is None or not p.is_file():
            out[name] = memo[name] = None
            continue
        wanted[(name, st.st_size, st.st_mtime_ns)] = p
    cache = ctx.evidence_cache
    todo: list[tuple[str, str, int, int, bool]] = []
    for batch in _batches(list(wanted), limits.EVIDENCE_CACHE_BATCH):
        known = cache.get(batch, FACTS_VERSION) if cache is not None else {}
        for key in batch:
            f = known.get(key)
            text = with_text or key[0] in text_names
            if f is None or (text and not f.text_read):
                todo.append((str(wanted[key]), *key, text))
            else:
                out[key[0]] = memo[key[0]] = f
    mapper = ctx.evidence_map or map_in_process
    fresh = [f for part in mapper(read_batch, list(_batches(todo, limits.EVIDENCE_BATCH_FILES))) for f in part]
    for f in fresh:
        out[f.name] = memo[f.name] = f
    if cache is not None:
        for batch in _batches(fresh, limits.EVIDENCE_CACHE_BATCH):
            cache.put(batch)
    return names.map(out)
