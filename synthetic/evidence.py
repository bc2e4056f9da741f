"""Small, valid evidence files written by hand (JPEG pixels by Pillow): PDF, PNG, JPEG, MP4.

Each writer produces exactly `size` bytes, so `Ukuran File (KB)` can be made to match the
file, and embeds the given text lines (the innovation title, Pemda, document number) so the
evidence-content rules (BKT-09, BKT-10) have something real to read. Padding is plain,
highly compressible text: the committed sample stays small inside git.
"""

from __future__ import annotations

import struct
import zlib

_PAD_LINE = "iid-audit bukti sintetis - dokumen contoh, bukan dokumen resmi pemerintah daerah. "


def _pdf_escape(text: str) -> bytes:
    raw = text.encode("latin-1", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def pdf_bytes(lines: list[str], size: int, *, blank_pages: int = 0) -> bytes:
    """A one-page PDF whose text (Helvetica, extractable by pypdf) is `lines`, `size` bytes long;
    `blank_pages` empty pages follow it (a scan with pages that did not scan, BKT-09).

    Padding is a run of `%` comment lines after the header, before any object, so the xref
    offsets stay exact.
    """
    content = b"BT /F1 10 Tf 40 800 Td 14 TL\n" + b"".join(b"(" + _pdf_escape(line) + b") Tj T*\n" for line in lines) + b"ET\n"
    kids = b" ".join(b"%d 0 R" % n for n in [3, *range(6, 6 + blank_pages)])
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % (1 + blank_pages),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
    ] + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>"] * blank_pages
    header = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"

    def assemble(padding: bytes) -> bytes:
        out = bytearray(header + padding)
        offsets = []
        for i, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
        return bytes(out)

    n = size - len(assemble(b""))
    for _ in range(3):  # the startxref number may gain digits as padding grows
        out = assemble(_comment_padding(n, prefix=b"%", line=_PAD_LINE.encode()))
        if len(out) == size or n <= 0:
            break
        n += size - len(out)
    return out


def _comment_padding(n: int, *, prefix: bytes, line: bytes) -> bytes:
    """Exactly n bytes of newline-terminated comment lines of 80 bytes (n <= 0 gives nothing)."""
    if n <= 0:
        return b""
    full, rest = divmod(n, 80)
    text = (line * (80 // max(len(line), 1) + 2))[:78]
    out = (prefix + text + b"\n") * full
    if rest == 1:
        out += b"\n"
    elif rest >= 2:
        out += prefix + text[: rest - 2] + b"\n"
    return out


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bytes(lines: list[str], size: int, *, seed: int = 0, blank: bool = False) -> bytes:
    """A 64x48 RGB gradient PNG with `lines` in a tEXt chunk, padded (tEXt) to `size` bytes;
    `blank`: an all-white page instead (a blank scan, BKT-09)."""
    w, h = 64, 48
    r0, g0, b0 = (seed * 37) % 200, (seed * 91) % 200, (seed * 53) % 200
    rows = []
    for y in range(h):
        row = bytearray([0])
        for x in range(w):
            row += b"\xff\xff\xff" if blank else bytes(((r0 + x * 3) % 256, (g0 + y * 4) % 256, (b0 + x + y) % 256))
        rows.append(bytes(row))
    idat = _png_chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
    ihdr = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    text = _png_chunk(b"tEXt", b"Description\x00" + " | ".join(lines).encode("latin-1", errors="replace"))
    sig = b"\x89PNG\r\n\x1a\n"
    iend = _png_chunk(b"IEND", b"")
    bare = sig + ihdr + text + idat + iend
    pad_len = size - len(bare) - 12 - len(b"Comment\x00")
    pad = _png_chunk(b"tEXt", b"Comment\x00" + (_PAD_LINE.encode() * (pad_len // len(_PAD_LINE) + 1))[: max(pad_len, 0)])
    return sig + ihdr + text + pad + idat + iend


def jpeg_bytes(lines: list[str], size: int, *, seed: int = 0) -> bytes:
    """A 64x48 gradient baseline JPEG (Pillow), text and padding in COM segments after SOI."""
    import io

    from PIL import Image

    img = Image.new("RGB", (64, 48))
    r0, g0 = (seed * 37) % 200, (seed * 91) % 200
    img.putdata([((r0 + x * 3) % 256, (g0 + y * 4) % 256, (x + y) % 256) for y in range(48) for x in range(64)])
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=75)
    soi, rest = buf.getvalue()[:2], buf.getvalue()[2:]

    def com(data: bytes) -> bytes:
        return b"\xff\xfe" + struct.pack(">H", len(data) + 2) + data

    label = " | ".join(lines).encode("latin-1", errors="replace")[:4000]
    need = size - len(soi + com(label) + rest)
    if 0 < need < 4:  # too little for a segment of its own: lengthen the text comment
        label, need = label + b" " * need, 0
    filler = _PAD_LINE.encode() * 800
    pads = b""
    while need > 0:
        chunk = min(need, 60000)
        if 0 < need - chunk < 4:
            chunk -= 4
        pads += com(filler[: chunk - 4])
        need -= chunk
    return soi + com(label) + pads + rest


def mvhd_box(duration_s: float, *, timescale: int = 1000, version: int = 0) -> bytes:
    """A movie header box (`mvhd`, ISO/IEC 14496-12) stating `duration_s` seconds."""
    ticks = round(duration_s * timescale)
    if version == 1:
        times = struct.pack(">QQIQ", 0, 0, timescale, ticks)
    else:
        times = struct.pack(">IIII", 0, 0, timescale, ticks)
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    body = bytes([version, 0, 0, 0]) + times + struct.pack(">IH", 0x10000, 0x100) + bytes(10) + matrix + bytes(24)
    body += struct.pack(">I", 2)  # next track id
    return struct.pack(">I", 8 + len(body)) + b"mvhd" + body


def mp4_bytes(lines: list[str], size: int, *, duration_s: float = 30.0, moov: bool = True) -> bytes:
    """An `ftyp` box, a `moov` box holding only the movie header (`mvhd`, `duration_s`), then a
    `free` box holding the text and padding (a container, no frames). `moov=False`: no movie
    header at all, like a recording cut off before the phone wrote its index (unreadable)."""
    ftyp = struct.pack(">I", 24) + b"ftypisom" + struct.pack(">I", 512) + b"isomiso2"
    if moov:
        mvhd = mvhd_box(duration_s)
        ftyp += struct.pack(">I", 8 + len(mvhd)) + b"moov" + mvhd
    body = " | ".join(lines).encode("utf-8") + b"\n"
    free_len = max(size - len(ftyp), 8 + len(body))
    body = (body + _PAD_LINE.encode() * (free_len // len(_PAD_LINE) + 1))[: free_len - 8]
    return ftyp + struct.pack(">I", free_len) + b"free" + body


def evidence_bytes(ext: str, lines: list[str], size: int, *, seed: int = 0) -> bytes:
    """Dispatch on the file extension; unknown extensions get plain text of `size` bytes."""
    ext = ext.lower()
    if ext == "pdf":
        return pdf_bytes(lines, size)
    if ext == "png":
        return png_bytes(lines, size, seed=seed)
    if ext in ("jpg", "jpeg"):
        return jpeg_bytes(lines, size, seed=seed)
    if ext == "mp4":
        return mp4_bytes(lines, size)
    body = ("\n".join(lines) + "\n").encode("utf-8")
    return (body + _PAD_LINE.encode() * (size // len(_PAD_LINE) + 1))[: max(size, len(body))]
