"""What is known about one evidence file once it has been opened, and where that knowledge is
kept between nights.

`checks.evidence` computes `EvidenceFacts` (it opens the file); `store.evidence` keeps them in
the database; the pipeline hands the store's cache to the rules through `RuleContext`. The
protocol lives here so that `checks/` never imports `store/` (layering).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

#: (name inside bukti/, size in bytes, mtime in ns): a file is taken as unchanged while all three
#: are; when only its mtime changed, its SHA256 decides (`checks.evidence`: hashed, not parsed).
FactsKey = tuple[str, int, int]


@dataclass(frozen=True)
class EvidenceFacts:
    """One evidence file as read. `problem` ∈ {None, too_large, unreadable, pdf_empty,
    image_blank, video_empty}; `kind` the type by content (pdf, png, jpg, mp4) or None when no
    known signature; `pages` a PDF's page count; `text` a PDF's first pages' text, only when
    asked (`text_read`); `version` the fact-computing code's version (older facts are
    recomputed); `blank_pages` the 1-based numbers of the PDF pages read that hold neither text
    nor an image with content; `duration_s` an MP4's duration in seconds (None: not a video, or
    a fragmented one that states none)."""

    name: str
    size: int
    mtime_ns: int
    sha256: str | None
    problem: str | None
    kind: str | None
    pages: int | None = None
    text_read: bool = False
    text: str | None = None
    version: int = 0
    blank_pages: tuple[int, ...] = ()
    duration_s: float | None = None

    @property
    def key(self) -> FactsKey:
        return (self.name, self.size, self.mtime_ns)


class FactsCache(Protocol):
    """Facts remembered across runs. Both calls take whole batches (one query each)."""

    def get(self, names: Iterable[str], version: int) -> dict[str, EvidenceFacts]:
        """The facts last remembered for those `names`, computed by code `version`, whatever
        size and mtime the file had then: the caller compares them with the file's now."""

    def put(self, facts: Iterable[EvidenceFacts]) -> None:
        """Remember `facts`, replacing what was known about the same names."""
