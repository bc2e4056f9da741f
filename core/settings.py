"""Every runtime limit and default of iid-audit, in one place, each with the reason for it.

Configuration is read from the environment (and a `.env` file in the working folder) once,
into a typed, validated, frozen `Settings` (pydantic-settings, prefix `IID_AUDIT_`). Business code receives a `Settings`; it never reads
`os.environ` itself. Audit thresholds that change with the guideline year (divisor k, word
counts, file sizes, windows) are *not* here: they live in the year's catalog YAML
(`core/catalog/<year>.yaml`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Assessment year used when neither `--year` nor `Tahun Penilaian` says otherwise.
DEFAULT_YEAR = 2026

#: Gmail clips an HTML body past ~102 KB; stay under it with a margin.
REPORT_BODY_BUDGET_BYTES = 100_000

#: How many findings a report shows in full before pointing at the attachment (the real cap
#: is the byte budget above; this keeps rendering time bounded for pathological exports).
REPORT_MAX_FINDINGS_SHOWN = 400

#: How many findings the first measuring render of a report that must be cut shows
#: (`reports.render.fit_to_budget`): nationally a cut report shows ~30 findings, and each
#: finding measured costs ~50 µs, so measuring all (up to the 400 above) was most of a
#: report's time. When all of these fit, the rest are measured too (the cut is that of a
#: measure of all, give or take the one finding the cut notice's bytes decide).
REPORT_MEASURE_FINDINGS = 60

#: How many matrix rows the measuring render shows (`fit_to_budget`), likewise: a cut report
#: keeps at most ~70 (the matrix's share of the budget), while a large Pemda has up to ~270
#: innovations, each row rendered, inlined and then dropped. When all of these fit in the
#: share, the rest are measured too (the same cut as a measure of every row).
REPORT_MEASURE_MATRIX_ROWS = 80

#: "Perbaiki dulu" lists this many fixes (most IID points first): a to-do list a busy operator
#: reads at once.
REPORT_FIX_FIRST_ROWS = 10

#: The "what if" line under "Perbaiki dulu" adds up this many of its top fixes: a week's work
#: for one operator, and few enough that each one is read (the list itself is longer).
REPORT_FIX_WHAT_IF_TOP = 5

#: A report with more innovations than this that have findings shows each one folded (a
#: `<details>` summary line: title, points lost, findings per severity), so 30 innovations take
#: a few phone screens instead of dozens; up to this many, they are simply open.
REPORT_UNFOLDED_INNOVATIONS = 3

#: When a report must be cut to fit REPORT_BODY_BUDGET_BYTES, the innovation x indicator
#: matrix may keep at most this share of the room; findings (what to fix) keep the rest.
REPORT_MATRIX_BUDGET_SHARE = 0.4

#: A single SMTP command may hang forever without a timeout (smtplib has none by default).
SMTP_TIMEOUT_SECONDS = 30.0

#: How long a tracked run (`--prefect`, no server configured) waits for Prefect's temporary
#: server to answer. In a new Prefect home the server first creates and migrates its database:
#: 20-30 s on a loaded 2-core host, where Prefect's own 20 s wait gave up with an internal
#: error ("Timed out while attempting to connect"). A server that needs longer is broken.
PREFECT_SERVER_STARTUP_SECONDS = 120

#: After the server closed the session where its reply to the end of a message should be, how
#: long to wait for the reset that proves it never read our final `.` (then the send simply
#: failed and is retried next time; without it, the message may have been queued: uncertain).
SMTP_RESET_PROBE_SECONDS = 0.2

#: Transient SMTP faults (4xx, greylisting, dropped connections) are retried this often,
#: with exponential backoff starting at SMTP_RETRY_BASE_SECONDS.
SMTP_RETRIES = 3
SMTP_RETRY_BASE_SECONDS = 2.0

#: If this share of the Pemda attempted so far fail with the same error (and at least
#: SEND_FAILURE_MIN_ATTEMPTS were tried), the fault is ours: stop before emailing the rest.
SEND_FAILURE_STOP_RATIO = 0.5
SEND_FAILURE_MIN_ATTEMPTS = 5

#: Messages per second; public mail relays throttle bursts from one sender.
SEND_RATE_PER_SECOND = 5.0

#: Evidence files are hashed by streaming in blocks of this size: memory per file is one block,
#: whatever the file's size (a 1.2 GB PDF once took 5 GB when read whole).
EVIDENCE_READ_BLOCK_BYTES = 1024 * 1024

#: Exports kept in the raw-read cache (`<state_dir>/ekspor-cache/`, `ingest.cache`): tonight's
#: national export, yesterday's, and one on-demand upload; a national entry is ~150 MB of
#: Parquet, so three bound the folder to well under a GB.
EXPORT_CACHE_KEPT = 3
#: The cache's folder under the state folder.
EXPORT_CACHE_FOLDER = "ekspor-cache"

#: A half-written cache folder older than this is a killed writer's, removed by the next run
#: (a national entry takes seconds to write; an hour never cuts a live one short).
EXPORT_CACHE_STALE_SECONDS = 3600

#: Bytes of a cached table in one Parquet row group (at most `EXPORT_CACHE_ROW_GROUP_ROWS`
#: rows). A region's read decodes only the row groups whose Pemda range can hold its rows
#: (Parquet's min/max statistics; exports list a Pemda's rows together), so a group must be
#: small in bytes, not in rows: the national list's 37,000 innovations carry 110 MB of
#: Rancang Bangun, and as one 64,000-row group a one-Pemda read decoded all of it (1.1 s of
#: its 1.45 s cache read); in 18 groups of ~2,200 rows it decodes one or two. The 740,000
#: indicator rows (~280 bytes each with the region keys) make 25 groups of ~30,000.
EXPORT_CACHE_ROW_GROUP_BYTES = 8 * 1024**2
#: Rows of a cached table in one row group at most, however narrow its rows: the row groups'
#: statistics are what a region's read skips by, and a group of more rows spans more Pemda.
EXPORT_CACHE_ROW_GROUP_ROWS = 64_000

#: The memory pool pyarrow allocates from (`ingest.readers.use_arrow_pool`): the C library's
#: malloc. pyarrow's wheels default to mimalloc, which gives freed pages back to the system at
#: once and faults them in again on the next allocation: reading the national CSVs spent
#: 3.6-3.8 s in the kernel with it and 1.7-1.9 s with malloc (`read_export` 7.6-7.9 -> 5.9-6.5 s,
#: three pairs; jemalloc 6.5-6.7 s), and peak memory is ~90 MB lower. Arrow's own variable,
#: `ARROW_DEFAULT_MEMORY_POOL`, still decides when it is set (`arrow_memory_pool`).
ARROW_MEMORY_POOL: Literal["system", "jemalloc", "mimalloc"] = "system"


def arrow_memory_pool() -> str | None:
    """The pool pyarrow should use: `ARROW_MEMORY_POOL`, or None when Arrow's own
    `ARROW_DEFAULT_MEMORY_POOL` is set (pyarrow then chose it itself)."""
    return None if os.environ.get("ARROW_DEFAULT_MEMORY_POOL") else ARROW_MEMORY_POOL


#: An evidence file larger than this is not read at all: BKT-09 says "terlalu besar untuk
#: diperiksa" (a warning). IID uploads are limited to a few MB; 200 MB is a scan gone wrong,
#: and hashing it costs a national run seconds per file.
MAX_EVIDENCE_BYTES = 200 * 1024 * 1024

#: Evidence PDFs larger than this are hashed but not parsed (BKT-09 emptiness, BKT-10 text):
#: pypdf's memory grows with the objects it parses.
MAX_EVIDENCE_PDF_BYTES = 50 * 1024 * 1024

#: Pages of a PDF read: each is judged blank or not (BKT-09 names the blank pages inside a
#: scan; none with content is an empty PDF), and their text is where BKT-10 looks for the
#: innovation's name, the number and the date (a Perda names what it regulates on its first
#: pages). Every page read costs a text extraction (~1 ms) and, for a page without text, decoding
#: its images reduced: 10 bounds a 300-page scan to the cost of 10 pages.
MAX_PDF_PAGES_READ = 10

#: A workbook is refused before parsing (exit 3) when the zip says it unpacks to more than
#: this: a national IID workbook (~37,000 innovations, ~750,000 indicator rows) unpacks to well
#: under 1 GB of sheet XML; a "zip bomb" of 3 MB unpacks to 3 GiB and would be read whole.
MAX_WORKBOOK_UNPACKED_BYTES = 2 * 1024**3

#: … or when a member compresses better than this: real IID workbooks compress 5–15:1, a bomb
#: ~1000:1 (members under 1 MB unpacked are not judged: tiny XML parts compress oddly).
MAX_WORKBOOK_COMPRESSION_RATIO = 100
WORKBOOK_RATIO_MIN_MEMBER_BYTES = 1024 * 1024

#: … or when it holds more members than this (a workbook has a few dozen parts).
MAX_WORKBOOK_MEMBERS = 10_000

#: Bytes read from the start of each XML part to look for a DOCTYPE/ENTITY declaration (XXE,
#: "billion laughs"): OOXML never declares one, and it must stand in the prolog.
WORKBOOK_PROLOG_BYTES = 4096

#: Runs of a Pemda whose findings the history keeps (its scores are kept forever): the change
#: since the previous run needs only the last one; two weeks of nightly runs plus the day's
#: on-demand re-audits leave room to look back, while a national run stores ~200,000 keys.
HISTORY_KEEP_RUNS = 14

#: Points of a Pemda's trend chart in its report: a year of monthly checks, or the last
#: dozen fixes, still readable as bars on a 375 px phone.
REPORT_TREND_POINTS = 12

#: National runs the index page shows the national distribution over.
INDEX_TREND_RUNS = 12

#: `iid-audit history` lists this many runs unless `--limit` says otherwise (one screen).
HISTORY_LIST_LIMIT = 10

#: Text kept from one PDF for BKT-10's fuzzy match: enough for several pages of a Perda.
MAX_PDF_TEXT_CHARS = 100_000

#: Evidence facts (type by content, hash, pages, blank) are remembered across nights in the
#: store (`evidence_facts`), one row per name in `bukti/` (trusted while size and mtime hold, else
#: by its SHA256): at most this many names per query/insert, under SQLite's bound-parameter
#: limit and small enough that one batch of a national run (750,000 files) is a short transaction.
EVIDENCE_CACHE_BATCH = 500

#: Evidence files read per unit of work (one Prefect task; on Dask one task per worker at a
#: time): a small file takes ~0.7 ms, so 1,000 make a task of about a second. Each Prefect task
#: costs 0.1-0.5 s of its own (API calls, measured in bench/evidence.py: 200 a batch ran at 337
#: files/s on 2 local Dask workers, 1,000 at 506); 750,000 files still make 750 tasks to spread.
EVIDENCE_BATCH_FILES = 1000

#: Text of a Regulasi PDF kept in the evidence cache for BKT-10 (zlib-compressed): the fuzzy
#: match needs the first pages; a national run keeps ~30,000 of them, so the cap bounds the
#: table to a few hundred MB. Text beyond it is not cached, and BKT-10 then reads only this much.
EVIDENCE_CACHE_TEXT_CHARS = MAX_PDF_TEXT_CHARS

#: An image is decoded only up to this many pixels (Pillow's decompression-bomb guard): a
#: 100-megapixel phone photo is 4x the largest scan IID needs; beyond it the image is
#: "terlalu besar" in memory terms and is judged unreadable rather than decoded.
MAX_EVIDENCE_IMAGE_PIXELS = 100_000_000

#: The blank test looks at a grey copy of the image reduced to fit this square (JPEG decodes
#: at 1/8 scale directly): enough to see any text or photo, memory a few hundred KB.
EVIDENCE_IMAGE_SAMPLE_PX = 256

#: An image whose grey levels (0-255) have a standard deviation below this is blank or
#: near-blank: a white page scanned with sensor noise measures 1-3, a photo or a printed page
#: 20+; a faint pencil note on white ~6, so 4 flags only what a verifier would call empty.
EVIDENCE_BLANK_STDDEV = 4.0

#: Bytes read from a file's start to judge its type by content (magic bytes): a PDF may carry
#: junk before `%PDF-` (pypdf accepts up to 1 KB), PNG/JPEG/MP4 sign within the first 12 bytes.
EVIDENCE_MAGIC_BYTES = 1024

#: A Regulasi's own date is the one written after "Ditetapkan di <tempat>" / "Diundangkan di
#: <tempat>" and "pada tanggal": at most this many characters may stand between the two words
#: (a place name and a line break; the longest kabupaten names are ~30 characters), so a
#: "tanggal" pages later is never taken for the enactment date (BKT-10).
REGULASI_DATE_WINDOW_CHARS = 80

#: Boxes of an MP4 walked (at the top level, then inside `moov`) to find the movie header
#: (`mvhd`) with the video's duration: a real file has a handful at each level (ftyp, moov,
#: mdat, free; mvhd, trak, udta); a file with thousands is not a video we read, and the walk
#: seeks over box headers only, never reading the media data.
MP4_MAX_BOXES = 1000

#: Worker processes for the CPU-bound stages (GX beside the pandas rules, the reports, the
#: export cache write), by default one per core this process may use, at most this many:
#: beyond four the national run is bound by the parts that stay in one process (reading,
#: metrics, mailing), while each worker adds the memory of the pages it touches.
#: `IID_AUDIT_WORKERS=1` does everything in this process (`core.parallel`).
MAX_DEFAULT_WORKERS = 4

#: Processes writing the outbox beyond one per worker: a message's write waits on the disk
#: (two fsyncs) and on the send ledger's database, where a core sits idle; one more writer
#: fills those waits (the national outbox stage 4.0-4.5 -> 3.4-4.0 s on two cores, three
#: pairs). SMTP sends stay in one process whatever this is (one connection, one rate).
OUTBOX_EXTRA_PROCESSES = 1


def _default_workers() -> int:
    from core.parallel import available_cores

    return max(1, min(available_cores(), MAX_DEFAULT_WORKERS))


def _default_state_dir() -> Path:
    """Stable home for history and the send ledger: not inside a run folder, so reruns see it."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "iid-audit"


#: `.env` in the working folder, under the real environment (which wins).
_ENV = dict(env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True)


class SmtpSettings(BaseSettings):
    """`IID_AUDIT_SMTP_*`. Without a host, reports go to the outbox folder."""

    model_config = SettingsConfigDict(env_prefix="IID_AUDIT_SMTP_", **_ENV)

    host: Optional[str] = None
    #: default 587 (submission with STARTTLS), 465 with `tls=ssl` (implicit TLS)
    port: Optional[int] = Field(default=None, ge=1, le=65535)
    user: Optional[str] = None
    password: Optional[SecretStr] = None
    tls: Literal["starttls", "ssl", "none"] = "starttls"
    sender: str = Field(default="iid-audit <iid-audit@localhost>", validation_alias=AliasChoices("IID_AUDIT_SMTP_FROM", "sender"))
    reply_to: Optional[str] = None
    timeout: float = Field(default=SMTP_TIMEOUT_SECONDS, gt=0)
    #: a password over `tls=none` is refused unless this says the relay is trusted (loopback)
    allow_plain_auth: bool = False
    #: a real send from the placeholder `…@localhost` is refused (nobody could answer it)
    #: unless this says the send is a test
    allow_test_sender: bool = False

    @field_validator("host", "user", "reply_to", "password", mode="before")
    @classmethod
    def _empty_is_unset(cls, v: object) -> object:
        return None if isinstance(v, str) and not v.strip() else v

    @field_validator("tls", mode="before")
    @classmethod
    def _lower(cls, v: object) -> object:
        return v.strip().lower() if isinstance(v, str) else v

    @model_validator(mode="after")
    def _default_port(self) -> "SmtpSettings":
        if self.port is None:
            object.__setattr__(self, "port", 465 if self.tls == "ssl" else 587)
        return self

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @property
    def placeholder_sender(self) -> bool:
        """The From is still the built-in placeholder (an address at `localhost`)."""
        return self.sender.strip().rstrip(">").lower().endswith("@localhost")

    @property
    def secret(self) -> str | None:
        """The password in clear, only for the SMTP login."""
        return self.password.get_secret_value() if self.password is not None else None


class Settings(BaseSettings):
    """`IID_AUDIT_*`, read once (`load_settings`) and handed to whatever needs it."""

    model_config = SettingsConfigDict(env_prefix="IID_AUDIT_", **_ENV)

    year: int = Field(default=DEFAULT_YEAR, ge=2000, le=2100)
    lang: Literal["id", "en"] = "id"
    db_url: str = ""
    state_dir: Path = Field(default_factory=_default_state_dir)
    #: Dask scheduler for the evidence stage (`IID_AUDIT_DASK_ADDRESS`, e.g. `tcp://10.0.0.5:8786`):
    #: nationally ~750,000 files outgrow one machine. Empty: the batches run in this process.
    dask_address: str = ""
    #: Worker processes for the CPU-bound stages (`MAX_DEFAULT_WORKERS`); 1: all in this process.
    workers: int = Field(default_factory=_default_workers, ge=1, le=64)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    send_rate_per_second: float = Field(default=SEND_RATE_PER_SECOND, ge=0,
                                        validation_alias=AliasChoices("IID_AUDIT_SEND_RATE", "send_rate_per_second"))
    report_budget_bytes: int = Field(default=REPORT_BODY_BUDGET_BYTES, gt=10_000)
    #: The address book (`kontak.csv`: kode_pemda,nama,to,cc): default `<state_dir>/kontak.csv`
    #: when that file exists. The export rarely carries addresses; BSKDN's contacts outlive it.
    kontak: Optional[Path] = None
    #: Runs per Pemda whose finding keys the history keeps (scores: forever); at least 2, so
    #: the change since the previous run can always be computed.
    history_keep_runs: int = Field(default=HISTORY_KEEP_RUNS, ge=2)
    #: Show tracebacks and debug logs (IID_AUDIT_DEBUG=1); off: one line per error.
    debug: bool = False
    #: Prefect's own `PREFECT_API_URL`: set, `iid-audit audit` runs as a flow run on that server
    #: (self-hosted or Cloud); unset, in this process with no server at all.
    prefect_api_url: str = Field(default="", validation_alias=AliasChoices("PREFECT_API_URL", "prefect_api_url"))

    @property
    def database_url(self) -> str:
        """SQLAlchemy URL of the history/ledger database (SQLite in a stable place by default)."""
        if self.db_url:
            return self.db_url
        return f"sqlite:///{self.state_dir / 'iid-audit.sqlite'}"

    @property
    def kontak_path(self) -> Path | None:
        """The address book to use, or None (no file configured and none in the state folder)."""
        if self.kontak is not None:
            return self.kontak
        default = self.state_dir / "kontak.csv"
        return default if default.is_file() else None

    def with_(self, **changes: Any) -> "Settings":
        return self.model_copy(update=changes)


def _problems(exc: ValidationError, prefix: str) -> str:
    return "; ".join(f"{prefix}{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in exc.errors())


def load_settings() -> Settings:
    """Read the configuration once: the environment over `./.env`. A bad value is a
    ValueError naming the variable and what is wrong, never its value (it may be a password)."""
    try:
        smtp = SmtpSettings()
    except ValidationError as exc:
        raise ValueError(_problems(exc, "IID_AUDIT_SMTP_")) from None
    try:
        return Settings(smtp=smtp)
    except ValidationError as exc:
        raise ValueError(_problems(exc, "IID_AUDIT_")) from None
