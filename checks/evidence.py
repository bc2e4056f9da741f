"""Evidence files read once: the facts BKT-09/BKT-10 judge (type by content, SHA256, PDF pages
and text, blank pages and images, a video's duration), computed per distinct file and
remembered across nights.

`evidence_facts(ctx, names)` stats every distinct name (a stat does not open the file), asks
the run's memo and then the cross-night cache (`ctx.evidence_cache`, one query per batch of
`EVIDENCE_CACHE_BATCH`) for the names, and compares: a file whose size and mtime are those
remembered is trusted unread; one whose mtime alone changed (touched, copied, restored from a
backup) is hashed and, when its SHA256 is the one remembered, its facts are reused without
parsing it (hashing streams the file; parsing a PDF costs far more); any other file is read.
What was read is stored (one upsert per batch), so a touched file is trusted by its stat the
next night. Facts computed by older code (`FACTS_VERSION`) are recomputed.
`opened_count()` counts the files this process opened (hashed or read), `parsed_count()` those
whose facts it computed rather than reused (tests and the benchmark read them).

Memory is bounded by design: the hash streams the file in EVIDENCE_READ_BLOCK_BYTES blocks; a
file over MAX_EVIDENCE_BYTES is not read at all; a PDF over MAX_EVIDENCE_PDF_BYTES is hashed but
not parsed, and a parsed one is read for its first MAX_PDF_PAGES_READ pages; an image is
decoded reduced (JPEG at 1/8 scale) and never beyond MAX_EVIDENCE_IMAGE_PIXELS.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd

from core import settings as limits
from core.evidence import EvidenceFacts, FactsKey

#: Bump when what `read_facts` computes changes: cached facts of another version are read again.
FACTS_VERSION = 3

#: problem codes
TOO_LARGE = "too_large"
UNREADABLE = "unreadable"
PDF_EMPTY = "pdf_empty"
IMAGE_BLANK = "image_blank"
VIDEO_EMPTY = "video_empty"

#: Types recognised by content, as `Jenis File` writes them.
KNOWN_KINDS = ("pdf", "png", "jpg", "mp4")

_opened = 0
_parsed = 0


def opened_count() -> int:
    """Evidence files this process has opened so far (`read_facts` calls): what the warm-cache
    test and the benchmark count."""
    return _opened


def parsed_count() -> int:
    """Evidence files whose facts this process computed (`read_facts` calls that did not reuse
    the remembered facts of a file found unchanged by its SHA256)."""
    return _parsed


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


def read_facts(path: Path, name: str, size: int, mtime_ns: int, *, with_text: bool = False,
               known: EvidenceFacts | None = None) -> EvidenceFacts:
    """Open `path` once and judge it (see the module doc); never raises for a bad file. With
    `known` (what was remembered of this name, same size, another mtime): when the file's SHA256
    is `known`'s, `known` is returned with the new mtime, the content unparsed."""
    global _opened, _parsed
    _opened += 1

    def facts(sha=None, problem=None, kind=None, pages=None, text=None, blank=(), duration=None) -> EvidenceFacts:
        return EvidenceFacts(name, size, mtime_ns, sha, problem, kind, pages, with_text, text, FACTS_VERSION,
                             tuple(blank), duration)

    if size > limits.MAX_EVIDENCE_BYTES:
        _parsed += 1
        return facts(problem=TOO_LARGE)
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            head = fh.read(limits.EVIDENCE_MAGIC_BYTES)
            h.update(head)
            for block in iter(lambda: fh.read(limits.EVIDENCE_READ_BLOCK_BYTES), b""):
                h.update(block)
    except OSError:
        _parsed += 1
        return facts(problem=UNREADABLE)
    sha = h.hexdigest()
    if known is not None and known.sha256 == sha and known.size == size and (known.text_read or not with_text):
        return replace(known, mtime_ns=mtime_ns)  # same content: the facts stand, unparsed
    _parsed += 1
    kind = kind_of(head)
    suffix = path.suffix.lower().lstrip(".")
    if kind is None and suffix in ("png", "jpg", "jpeg"):
        return facts(sha, UNREADABLE)  # an image by name whose bytes sign nothing known
    if kind == "pdf" or (kind is None and suffix == "pdf"):
        if size > limits.MAX_EVIDENCE_PDF_BYTES:
            return facts(sha, None, kind)
        problem, pages, text, blank = _read_pdf(path, with_text)
        return facts(sha, problem, kind, pages, text, blank)
    if kind in ("png", "jpg"):
        return facts(sha, _image_problem(path), kind)
    if kind == "mp4":
        problem, duration = _read_mp4(path, size)
        return facts(sha, problem, kind, duration=duration)
    return facts(sha, None, kind)


def _read_pdf(path: Path, with_text: bool) -> tuple[str | None, int | None, str | None, tuple[int, ...]]:
    """(problem, page count, text of the first pages when `with_text`, blank pages among the
    first `MAX_PDF_PAGES_READ`). Every page read is judged: a scan with a page that did not
    scan (white) is found, not only a document with no content at all (PDF_EMPTY)."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:  # noqa: BLE001
                return UNREADABLE, None, None, ()
        pages = len(reader.pages)
        parts: list[str] = []
        blank: list[int] = []
        chars = 0
        for i in range(min(pages, limits.MAX_PDF_PAGES_READ)):
            page = reader.pages[i]
            text = page.extract_text() or ""
            if with_text and chars < limits.MAX_PDF_TEXT_CHARS:
                parts.append(text)
                chars += len(text)
            if not (text.strip() or _page_has_content(page)):
                blank.append(i + 1)
        text = "\n".join(parts)[: limits.MAX_PDF_TEXT_CHARS] if with_text else None
        empty = len(blank) == min(pages, limits.MAX_PDF_PAGES_READ)
        return (PDF_EMPTY if empty else None), pages, text, (() if empty else tuple(blank))
    except Exception:  # noqa: BLE001 - a corrupt file is a finding, not a crash
        return UNREADABLE, None, None, ()


#: Content-stream operators that paint a path (stroke, fill, shading): a page drawn in vectors
#: (a chart, a signature) has content without text or images.
_PAINT = re.compile(rb"(?:^|\s)(?:S|s|f|F|f\*|B|B\*|b|b\*|sh)(?=\s|$)")


def _page_has_content(page) -> bool:
    """A page without text: has it an image that is not blank (`EVIDENCE_BLANK_STDDEV`), or
    vector drawing? An image too large to decode within `MAX_EVIDENCE_IMAGE_PIXELS`, or one
    that does not decode, counts as content: we only call blank what we saw blank."""
    try:
        images = page.images
        keys = list(images.keys())
    except Exception:  # noqa: BLE001
        keys, images = [], None
    for key in keys:
        w, h = _image_size(page, key)
        if w * h > limits.MAX_EVIDENCE_IMAGE_PIXELS:
            return True
        try:
            img = images[key].image
        except Exception:  # noqa: BLE001
            return True
        if img is None:
            continue
        spread = _grey_spread(img)
        if spread is None or spread >= limits.EVIDENCE_BLANK_STDDEV:
            return True
    try:
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
    except Exception:  # noqa: BLE001
        return True
    return bool(_PAINT.search(data))


def _image_size(page, key) -> tuple[int, int]:
    """Width and height an image XObject declares, read before decoding it (0, 0 if unknown:
    an inline image, small by nature)."""
    try:
        obj = page
        path = [key] if isinstance(key, str) else list(key)
        for k in path:
            obj = obj["/Resources"].get_object()["/XObject"].get_object()[k].get_object()
        return int(obj.get("/Width", 0)), int(obj.get("/Height", 0))
    except Exception:  # noqa: BLE001
        return 0, 0


def _grey_spread(img) -> float | None:
    """Standard deviation of the grey levels of `img` reduced to `EVIDENCE_IMAGE_SAMPLE_PX`
    (a JPEG decodes reduced, in grey); None when it does not decode (or is a bomb)."""
    import warnings

    from PIL import Image, ImageStat

    side = limits.EVIDENCE_IMAGE_SAMPLE_PX
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = limits.MAX_EVIDENCE_IMAGE_PIXELS
            if img.width * img.height > limits.MAX_EVIDENCE_IMAGE_PIXELS:
                return None
            img.draft("L", (side, side))
            img.load()
            grey = img.convert("L")
            grey.thumbnail((side, side))
            return float(ImageStat.Stat(grey).stddev[0])
    except Exception:  # noqa: BLE001 - truncated, corrupt or a bomb
        return None


def _image_problem(path: Path) -> str | None:
    """UNREADABLE when the image does not decode (or is a decompression bomb), IMAGE_BLANK when
    its grey levels barely vary (`EVIDENCE_BLANK_STDDEV`), else None."""
    import warnings

    from PIL import Image

    Image.MAX_IMAGE_PIXELS = limits.MAX_EVIDENCE_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                spread = _grey_spread(img)
    except Exception:  # noqa: BLE001 - not an image at all: a finding, not a crash
        return UNREADABLE
    if spread is None:
        return UNREADABLE
    return IMAGE_BLANK if spread < limits.EVIDENCE_BLANK_STDDEV else None


def _read_mp4(path: Path, size: int) -> tuple[str | None, float | None]:
    """(problem, duration in seconds) from the movie header (`moov`/`mvhd`), read by seeking
    over the boxes: the media data is never read, whatever the file's size. No `moov` (a
    recording cut before the phone wrote its index) or a broken box is UNREADABLE; a duration
    of 0 is VIDEO_EMPTY, except in a fragmented MP4 (`mvex`), whose duration lives in its
    fragments: then the duration is unknown (None), not a finding."""
    import struct

    def boxes(fh, start: int, end: int):
        pos, seen = start, 0
        while pos + 8 <= end:
            seen += 1
            if seen > limits.MP4_MAX_BOXES:
                raise ValueError("too many boxes")
            fh.seek(pos)
            n, kind = struct.unpack(">I4s", fh.read(8))
            head = 8
            if n == 1:
                n, head = struct.unpack(">Q", fh.read(8))[0], 16
            elif n == 0:
                n = end - pos
            if n < head or pos + n > end:
                raise ValueError("box beyond the file")
            yield kind, pos + head, pos + n
            pos += n

    try:
        with open(path, "rb") as fh:
            moov = next(((a, b) for kind, a, b in boxes(fh, 0, size) if kind == b"moov"), None)
            if moov is None:
                return UNREADABLE, None
            children = {kind: (a, b) for kind, a, b in boxes(fh, *moov)}
            if b"mvhd" not in children:
                return UNREADABLE, None
            a, b = children[b"mvhd"]
            fh.seek(a)
            body = fh.read(min(b - a, 32))
            if body[0] == 1:
                timescale, duration = struct.unpack(">IQ", body[20:32])
            else:
                timescale, duration = struct.unpack(">II", body[12:20])
    except (OSError, ValueError, struct.error, IndexError):
        return UNREADABLE, None
    if timescale == 0:
        return UNREADABLE, None
    if duration == 0 or duration in (0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF):
        return (None, None) if b"mvex" in children else (VIDEO_EMPTY, 0.0)
    return None, duration / timescale


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


def read_batch(items: list[tuple]) -> list[EvidenceFacts]:
    """One unit of work: the facts of a batch of files, each item (path, name, size, mtime_ns,
    with_text, known facts or None). A plain function of picklable values, so a Prefect task on
    any runner (Dask included) can run it where `bukti/` is readable."""
    return [read_facts(Path(path), name, size, mtime, with_text=text, known=known)
            for path, name, size, mtime, text, known in items]


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
    todo: list[tuple] = []
    for batch in _batches(list(wanted), limits.EVIDENCE_CACHE_BATCH):
        known = cache.get([k[0] for k in batch], FACTS_VERSION) if cache is not None else {}
        for key in batch:
            f = known.get(key[0])
            text = with_text or key[0] in text_names
            if f is not None and f.key == key and (f.text_read or not text):
                out[key[0]] = memo[key[0]] = f  # size and mtime unchanged: trusted unread
                continue
            # Same size, new mtime: hash it, and reuse `f` if the content is the same.
            maybe_same = f if f is not None and f.size == key[1] and f.sha256 else None
            todo.append((str(wanted[key]), *key, text, maybe_same))
    mapper = ctx.evidence_map or map_in_process
    fresh = [f for part in mapper(read_batch, list(_batches(todo, limits.EVIDENCE_BATCH_FILES))) for f in part]
    for f in fresh:
        out[f.name] = memo[f.name] = f
    if cache is not None:
        for batch in _batches(fresh, limits.EVIDENCE_CACHE_BATCH):
            cache.put(batch)
    return names.map(out)
